package dev.provision.playbooks.synapse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NginxRoutingTest {

    private static final SynapseTopology GUIDE = SynapseTopology.forServer("example.com").build();

    /** Every role has its own worker(s): each endpoint group must reach its own workers. */
    private static final SynapseTopology EVERY_ROLE = SynapseTopology.forServer("example.com")
            .workers(GuideLayout.standard().allStreamsOn("streamwriter")
                    .plus(SynapseWorker.named("reader1").doing(Duty.CLIENT_READER))
                    .plus(SynapseWorker.named("reader2").doing(Duty.CLIENT_READER))
                    .plus(SynapseWorker.named("keys").doing(Duty.ENCRYPTION))
                    .plus(SynapseWorker.named("events").doing(Duty.EVENT_CREATOR))
                    .plus(SynapseWorker.named("fedreader").doing(Duty.FEDERATION_READER))
                    .plus(SynapseWorker.named("fedin1").doing(Duty.FEDERATION_INBOUND))
                    .plus(SynapseWorker.named("fedin2").doing(Duty.FEDERATION_INBOUND))
                    .plus(SynapseWorker.named("devices").writing(Stream.DEVICE_LISTS))
                    .plus(SynapseWorker.named("persister").writing(Stream.EVENTS))
                    .plus(SynapseWorker.named("background").doing(Duty.BACKGROUND_TASKS)))
            .build();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            GET /_matrix/client/v3/sync                                                | initial_sync1 initial_sync2
            GET /_matrix/client/r0/sync?since=s1_2_3                                   | normal_sync1 normal_sync2 normal_sync3
            GET /_matrix/client/v3/sync?since=s1_2_3&full_state=true                   | initial_sync1 initial_sync2
            GET /_matrix/client/v3/sync?full_state=false                               | initial_sync1 initial_sync2
            GET /_matrix/client/v3/events?from=s1                                      | normal_sync1 normal_sync2 normal_sync3
            GET /_matrix/client/v3/rooms/!abc:example.com/initialSync                  | initial_sync1 initial_sync2
            POST /_matrix/client/v3/login                                              | login
            POST /_matrix/client/r0/register                                           | login
            PUT /_matrix/client/v3/rooms/!abc:example.com/typing/@bob:example.com      | typing
            PUT /_matrix/client/v3/sendToDevice/m.new_device/t1                        | todevice
            PUT /_matrix/client/v3/user/@bob:example.com/account_data/im.vector.setting | accountdata
            DELETE /_matrix/client/v3/user/@bob:example.com/rooms/!abc:example.com/tags/u.x | accountdata
            POST /_matrix/client/v3/rooms/!abc:example.com/read_markers                | receipts
            PUT /_matrix/client/v3/presence/@bob:example.com/status                    | presence
            GET /_matrix/client/v3/pushrules/global/                                   | push_rules
            DELETE /_matrix/client/v3/pushrules/global/override/x                      | push_rules
            POST /_matrix/client/v3/user_directory/search                              | userdir
            POST /_matrix/media/v3/upload                                              | mediaworker
            GET /_matrix/client/v1/media/thumbnail/example.com/abc                     | mediaworker
            GET /_matrix/federation/v1/media/thumbnail/abc                             | mediaworker
            POST /_synapse/admin/v1/media/quarantine/example.com/abc                   | mediaworker
            PUT /_matrix/federation/v1/send/t1                                         | main
            GET /_matrix/federation/v1/version                                         | main
            POST /_matrix/client/v3/createRoom                                         | main
            POST /_matrix/client/v3/keys/query                                         | main
            POST /_matrix/client/v3/keys/upload                                        | main
            PUT /_matrix/client/v3/rooms/!abc:example.com/send/m.room.message/t1       | main
            GET /_matrix/client/v3/rooms/!abc:example.com/messages                     | main
            GET /_matrix/client/v3/login/sso/redirect/oidc                             | main
            POST /_matrix/client/v3/account/3pid/add                                   | main
            GET /_synapse/admin/v1/users/@bob:example.com/joined_rooms                 | main
            GET /                                                                      | main
            """)
    void guideLayoutRoutesEachEndpointGroupToItsWorker(String request, String workers) {
        NginxSimulator.Outcome outcome = new NginxSimulator(NginxRouting.of(GUIDE)).handle(SampleRequest.parse(request));
        assertThat(outcome.processes()).containsExactly(workers.split(" "));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            PUT /_matrix/federation/v1/send/t1                                  | fedin1 fedin2
            GET /_matrix/federation/v1/state_ids/!abc:example.com               | fedreader
            POST /_matrix/key/v2/query                                          | fedreader
            POST /_matrix/client/v3/createRoom                                  | reader1 reader2
            GET /_synapse/admin/v1/rooms/!abc:example.com                       | reader1 reader2
            GET /_synapse/admin/v2/users/@bob:example.com                       | reader1 reader2
            PUT /_synapse/admin/v2/users/@bob:example.com                       | main
            POST /_matrix/client/v3/keys/claim                                  | keys
            POST /_matrix/client/v3/keys/upload                                 | devices
            GET /_matrix/client/v3/devices/ABCDEF                               | devices
            PUT /_matrix/client/v3/rooms/!abc:example.com/state/m.room.name/    | events
            POST /_matrix/client/v3/join/%23room:example.com                    | events
            PUT /_matrix/client/v3/rooms/!abc:example.com/typing/@bob:example.com | streamwriter
            GET /_matrix/client/v3/pushrules/                                   | streamwriter
            POST /_matrix/client/v3/rooms/!abc:example.com/receipt/m.read/%24e  | streamwriter
            """)
    void everyRoleTopologyRoutesEachEndpointGroupToItsWorkers(String request, String workers) {
        NginxSimulator.Outcome outcome = new NginxSimulator(NginxRouting.of(EVERY_ROLE)).handle(SampleRequest.parse(request));
        assertThat(outcome.processes()).containsExactly(workers.split(" "));
    }

    @Test
    void withoutWritersReadsOfStreamEndpointsGoToClientReadersAndWritesToMain() {
        SynapseTopology readersOnly = SynapseTopology.forServer("example.com")
                .workers(List.of(SynapseWorker.named("reader").doing(Duty.CLIENT_READER))).build();
        NginxSimulator nginx = new NginxSimulator(NginxRouting.of(readersOnly));

        assertThat(nginx.handle(SampleRequest.parse("GET /_matrix/client/v3/pushrules/")).processes()).containsExactly("reader");
        assertThat(nginx.handle(SampleRequest.parse("PUT /_matrix/client/v3/pushrules/global/room/x")).processes()).containsExactly("main");
        assertThat(nginx.handle(SampleRequest.parse("GET /_matrix/client/v3/presence/@a:b/status")).processes()).containsExactly("reader");
        assertThat(nginx.handle(SampleRequest.parse("PUT /_matrix/client/v3/presence/@a:b/status")).processes()).containsExactly("main");
    }

    @Test
    void syncFallsBackToTheOtherKindOfSyncWorkerBeforeMain() {
        SynapseTopology normalOnly = SynapseTopology.forServer("example.com")
                .workers(GuideLayout.standard().initialSyncWorkers(0).normalSyncWorkers(1)).build();
        NginxRouting routing = NginxRouting.of(normalOnly);
        NginxSimulator nginx = new NginxSimulator(routing);

        assertThat(nginx.handle(SampleRequest.parse("GET /_matrix/client/v3/sync")).processes()).containsExactly("normal_sync1");
        assertThat(nginx.handle(SampleRequest.parse("GET /_matrix/client/v3/initialSync")).processes()).containsExactly("normal_sync1");
        assertThat(routing.choices()).extracting(NginxRouting.Choice::variable).doesNotContain("$synapse_sync_upstream");
    }

    @Test
    void everySampleReachesTheProcessesItsRouteNames() {
        for (SynapseTopology topology : List.of(GUIDE, EVERY_ROLE)) {
            NginxRouting routing = NginxRouting.of(topology);
            NginxSimulator nginx = new NginxSimulator(routing);
            for (Route route : routing.routes()) {
                NginxSimulator.Outcome outcome = nginx.handle(route.request());
                assertThat(outcome.processes()).as(route.request().toString()).isEqualTo(route.processes());
                assertThat(outcome.location().adminOnly()).as(route.request().toString()).isEqualTo(route.adminOnly());
            }
        }
    }

    @Test
    void noEndpointIsShadowedByAnEarlierLocation() {
        NginxSimulator nginx = new NginxSimulator(NginxRouting.of(EVERY_ROLE));
        for (EndpointGroup group : EndpointGroup.values()) {
            for (EndpointGroup.Endpoint endpoint : group.endpoints()) {
                for (SampleRequest sample : endpoint.samples()) {
                    assertThat(nginx.handle(sample).location().pattern()).as(sample.toString()).isEqualTo(endpoint.regex());
                }
            }
        }
    }

    @Test
    void everyAdminPathIsRestricted() {
        NginxRouting routing = NginxRouting.of(EVERY_ROLE);
        NginxSimulator nginx = new NginxSimulator(routing);
        assertThat(routing.routes()).filteredOn(route -> route.request().path().startsWith("/_synapse/admin"))
                .isNotEmpty()
                .allSatisfy(route -> assertThat(nginx.handle(route.request()).location().adminOnly()).isTrue());
        assertThat(nginx.locationFor("/_synapse/admin/v1/registration_tokens").adminOnly()).isTrue();
    }

    @Test
    void routesNameTheInboundSocketsNginxLogsAsUpstreamAddress() {
        Route typing = SynapseDeployment.of(GUIDE).routes().stream()
                .filter(route -> route.request().path().endsWith("/typing/@alice:example.com")).findFirst().orElseThrow();
        assertThat(typing.upstreamAddresses()).containsExactly("unix:/run/matrix-synapse/inbound_typing.sock");
    }

    @Test
    void everyWorkerThatNginxMaySendRequestsToHasAnInboundListenerAndViceVersa() {
        List<String> reachable = NginxRouting.of(EVERY_ROLE).upstreams().stream()
                .flatMap(upstream -> upstream.backends().stream()).map(NginxRouting.Backend::process).distinct().toList();
        List<String> listening = EVERY_ROLE.workers().stream().filter(SynapseWorker::hasInboundListener).map(SynapseWorker::name).toList();
        assertThat(reachable).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(java.util.stream.Stream.of("main"), listening.stream()).toList());
    }
}
