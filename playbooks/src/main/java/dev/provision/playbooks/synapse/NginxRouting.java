package dev.provision.playbooks.synapse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * nginx's routing as data: upstreams on the processes' inbound listeners (sockets on nginx's machine,
 * private addresses elsewhere), maps that pick an upstream
 * per request, and locations in the order nginx must test them. {@link NginxConfig} writes it out;
 * tests replay nginx's location selection on it.
 */
final class NginxRouting {

    static final String MAIN_UPSTREAM = "synapse_main";
    static final String SYNC_USER = "$synapse_sync_user";

    /** {@code address} as nginx names the backend in {@code server} lines and {@code $upstream_addr}. */
    record Backend(String process, String address) {
    }

    record Upstream(String name, Optional<String> balancing, List<Backend> backends) {
    }

    /** nginx map: exact matches first, then {@code ~regex} entries in order, else the default. */
    record Choice(String source, String variable, List<Entry> entries, String fallback) {
        record Entry(String match, String value) {
        }
    }

    /** A regex location ({@code ~}) or a prefix location; {@code target} is an upstream or a map's variable. */
    record Location(boolean regex, String pattern, String target, boolean adminOnly, String section) {
    }

    private final SynapseTopology topology;
    private final Transports transports;
    private final Map<String, Upstream> upstreams = new LinkedHashMap<>();
    private final List<Choice> choices = new ArrayList<>();
    private final List<Location> locations = new ArrayList<>();

    private NginxRouting(SynapseTopology topology) {
        this.topology = topology;
        this.transports = new Transports(topology);
        upstreams.put(MAIN_UPSTREAM, new Upstream(MAIN_UPSTREAM, Optional.empty(),
                List.of(new Backend(SynapseTopology.MAIN, transports.nginxBackend(SynapseTopology.MAIN)))));
        for (EndpointGroup group : EndpointGroup.values()) {
            String target = targetOf(group);
            for (EndpointGroup.Endpoint endpoint : group.endpoints()) {
                locations.add(new Location(true, endpoint.regex(), target, isAdmin(endpoint.regex()), group.description()));
            }
        }
        locations.add(new Location(false, "/_synapse/admin", MAIN_UPSTREAM, true, "Everything else goes to main"));
        locations.add(new Location(false, "/", MAIN_UPSTREAM, false, "Everything else goes to main"));
        if (upstreams.values().stream().anyMatch(u -> u.balancing().filter(b -> b.contains(SYNC_USER)).isPresent())) {
            choices.addAll(0, syncUserChoices());
        }
    }

    static NginxRouting of(SynapseTopology topology) {
        return new NginxRouting(topology);
    }

    List<Upstream> upstreams() {
        return List.copyOf(upstreams.values());
    }

    List<Choice> choices() {
        return List.copyOf(choices);
    }

    List<Location> locations() {
        return List.copyOf(locations);
    }

    /** Every sample request with the processes it must reach. */
    List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (EndpointGroup group : EndpointGroup.values()) {
            for (EndpointGroup.Endpoint endpoint : group.endpoints()) {
                for (SampleRequest sample : endpoint.samples()) {
                    routes.add(route(sample, upstreamFor(group.rolesFor(sample)), isAdmin(endpoint.regex())));
                }
            }
        }
        for (SampleRequest sample : EndpointGroup.mainOnlySamples()) {
            routes.add(route(sample, upstreams.get(MAIN_UPSTREAM), sample.path().startsWith("/_synapse/admin")));
        }
        return routes;
    }

    private static Route route(SampleRequest sample, Upstream upstream, boolean adminOnly) {
        return new Route(sample,
                upstream.backends().stream().map(Backend::process).toList(),
                upstream.backends().stream().map(Backend::address).toList(),
                adminOnly);
    }

    private static boolean isAdmin(String regex) {
        return regex.startsWith("^/_synapse/admin");
    }

    private String targetOf(EndpointGroup group) {
        Upstream preferred = upstreamFor(group.preferred());
        if (group.split() == EndpointGroup.Split.NONE) {
            return preferred.name();
        }
        Upstream alternative = upstreamFor(group.alternative());
        if (alternative.equals(preferred)) {
            return preferred.name();
        }
        String variable = "$synapse_" + group.name().toLowerCase() + "_upstream";
        List<Choice.Entry> entries = switch (group.split()) {
            case GET_REQUESTS -> List.of(new Choice.Entry("GET", alternative.name()));
            case INITIAL_SYNCS -> List.of(
                    new Choice.Entry("~^true:", alternative.name()),
                    new Choice.Entry("~:$", alternative.name()));
            case NONE -> throw new IllegalStateException("unreachable");
        };
        String source = group.split() == EndpointGroup.Split.GET_REQUESTS ? "$request_method" : "$arg_full_state:$arg_since";
        choices.add(new Choice(source, variable, entries, preferred.name()));
        return variable;
    }

    /** The upstream of the first role that has workers, else main's. */
    private Upstream upstreamFor(List<Role> roles) {
        for (Role role : roles) {
            List<SynapseWorker> workers = topology.workersDoing(role);
            if (!workers.isEmpty()) {
                String name = role instanceof Stream ? "synapse_" + role.key() + "_writer" : "synapse_" + role.key();
                return upstreams.computeIfAbsent(name, n -> new Upstream(n, balancing(role), workers.stream()
                        .map(worker -> new Backend(worker.name(), transports.nginxBackend(worker.name())))
                        .toList()));
            }
        }
        return upstreams.get(MAIN_UPSTREAM);
    }

    /**
     * Sync workers cache per user, so a user sticks to one (WMD, "Load balancing"); one remote
     * server's transactions stick to one inbound federation worker (by source address).
     */
    private static Optional<String> balancing(Role role) {
        if (role == Duty.INITIAL_SYNC || role == Duty.NORMAL_SYNC) {
            return Optional.of("hash " + SYNC_USER + " consistent");
        }
        if (role == Duty.FEDERATION_INBOUND) {
            return Optional.of("hash $remote_addr consistent");
        }
        if (role == Duty.MEDIA) {
            return Optional.of("least_conn");
        }
        return Optional.empty();
    }

    /**
     * The user's localpart from a native access token ({@code syt_<localpart>_...}) in the
     * Authorization header or the access_token parameter, as in WMD's example; other tokens hash whole.
     */
    private static List<Choice> syncUserChoices() {
        return List.of(
                new Choice("$arg_access_token", "$synapse_query_token_user",
                        List.of(new Choice.Entry("~syt_(?<synapse_query_user>.*?)_.*", "$synapse_query_user")),
                        "$arg_access_token"),
                new Choice("$http_authorization", SYNC_USER,
                        List.of(new Choice.Entry("~Bearer syt_(?<synapse_header_user>.*?)_.*", "$synapse_header_user"),
                                new Choice.Entry("", "$synapse_query_token_user")),
                        "$http_authorization"));
    }
}
