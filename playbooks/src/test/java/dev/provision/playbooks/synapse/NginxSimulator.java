package dev.provision.playbooks.synapse;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replays nginx's request handling on {@link NginxRouting}: the longest matching prefix location is
 * remembered, regex locations are tested in order and the first match wins, else the prefix; the
 * location's target is an upstream or a map variable, evaluated like nginx's map (exact keys, then
 * regexes in order, then the default).
 */
final class NginxSimulator {

    record Outcome(NginxRouting.Location location, String upstream, List<String> processes) {
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$([a-z_]+)");

    private final NginxRouting routing;

    NginxSimulator(NginxRouting routing) {
        this.routing = routing;
    }

    Outcome handle(SampleRequest request) {
        NginxRouting.Location location = locationFor(decodedPath(request));
        String upstream = resolve(location.target(), request);
        NginxRouting.Upstream selected = routing.upstreams().stream().filter(u -> u.name().equals(upstream)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no upstream " + upstream));
        return new Outcome(location, upstream, selected.backends().stream().map(NginxRouting.Backend::process).toList());
    }

    /** nginx matches locations against the normalised, percent-decoded URI. */
    private static String decodedPath(SampleRequest request) {
        return URLDecoder.decode(request.path().replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    NginxRouting.Location locationFor(String uri) {
        NginxRouting.Location longestPrefix = routing.locations().stream()
                .filter(location -> !location.regex() && uri.startsWith(location.pattern()))
                .max(Comparator.comparingInt(location -> location.pattern().length()))
                .orElseThrow();
        return routing.locations().stream()
                .filter(location -> location.regex() && Pattern.compile(location.pattern()).matcher(uri).find())
                .findFirst()
                .orElse(longestPrefix);
    }

    private String resolve(String value, SampleRequest request) {
        if (!value.startsWith("$")) {
            return value;
        }
        NginxRouting.Choice choice = routing.choices().stream().filter(c -> c.variable().equals(value)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no map defines " + value));
        String source = expand(choice.source(), name -> variable(name, request));
        return choice.entries().stream().filter(entry -> !entry.match().startsWith("~") && entry.match().equals(source))
                .findFirst()
                .or(() -> choice.entries().stream()
                        .filter(entry -> entry.match().startsWith("~") && Pattern.compile(entry.match().substring(1)).matcher(source).find())
                        .findFirst())
                .map(entry -> resolve(entry.value(), request))
                .orElseGet(() -> resolve(choice.fallback(), request));
    }

    private static String variable(String name, SampleRequest request) {
        if (name.equals("request_method")) {
            return request.method();
        }
        if (name.startsWith("arg_")) {
            return request.queryParameter(name.substring(4)).orElse("");
        }
        return "";
    }

    private static String expand(String template, Function<String, String> variables) {
        Matcher matcher = VARIABLE.matcher(template);
        return matcher.replaceAll(match -> Matcher.quoteReplacement(variables.apply(match.group(1))));
    }
}
