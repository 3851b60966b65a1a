package dev.provision.playbooks.synapse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An nginx site that already serves the public hostname, taken over instead of replaced: in each of its server
 * blocks that proxy to Synapse, the locations the playbook's routing now owns (any path under {@code /_matrix} or
 * {@code /_synapse}, and anything proxied to Synapse's old listener on port 8008) give way to the routing snippet;
 * everything else stays byte for byte: listen, certificates, redirects, {@code /.well-known/matrix}, a web client.
 */
final class AdoptedSite {

    static final String INCLUDE = "include " + NginxConfig.LOCATIONS + ";";
    private static final Pattern SYNAPSE_PATH = Pattern.compile("/_matrix|/_synapse");
    private static final Pattern OLD_LISTENER = Pattern.compile("proxy_pass\\s+https?://(localhost|127\\.0\\.0\\.1|\\[::1]):8008\\b");
    /** Prefix locations of the routing snippet; nginx refuses a second location with the same prefix. */
    private static final List<String> SNIPPET_PREFIXES = List.of("/", "/_synapse/admin");

    /** A location block: where it starts (its line) and ends (after its line break), and what follows {@code location}. */
    record Location(int start, int end, String match, String text) {
    }

    private record Server(int bodyStart, int close, String text, List<Location> locations) {
    }

    private final String content;
    private final String hostname;
    private final List<Server> servers;

    private AdoptedSite(String content, String hostname) {
        this.content = content;
        this.hostname = hostname;
        this.servers = servers(content);
    }

    static AdoptedSite of(String content, String hostname) {
        return new AdoptedSite(content, hostname);
    }

    /** The locations that give way to the playbook's routing. */
    List<String> replaced() {
        return adopted().stream().flatMap(server -> server.locations().stream()).filter(AdoptedSite::owned).map(Location::match).toList();
    }

    /** Why the site cannot be taken over as it is, if it cannot. */
    Optional<String> problem() {
        List<Server> adopted = adopted();
        if (adopted.isEmpty()) {
            return Optional.of("no server block for " + hostname + " proxies to Synapse (a location under /_matrix or /_synapse, or a"
                    + " proxy_pass to port 8008), so the playbook cannot tell where its routing belongs");
        }
        List<String> clashes = adopted.stream().flatMap(server -> server.locations().stream())
                .filter(location -> !owned(location) && SNIPPET_PREFIXES.contains(prefix(location.match())))
                .map(Location::match).toList();
        if (!clashes.isEmpty()) {
            return Optional.of("location " + String.join(", location ", clashes) + " is the site's own, and the playbook's routing"
                    + " sends that prefix to Synapse's main process (nginx allows one location per prefix): move what it serves"
                    + " under another path, or into a server block of its own");
        }
        return Optional.empty();
    }

    /** The site with the playbook's routing in place of the locations it owns; unchanged once adopted. */
    String content() {
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (Server server : adopted()) {
            List<Location> owned = server.locations().stream().filter(AdoptedSite::owned).toList();
            boolean included = server.text().contains(INCLUDE);
            int insertAt = owned.isEmpty() ? server.close() : owned.get(0).start();
            for (Location location : owned) {
                out.append(content, from, location.start());
                if (location == owned.get(0) && !included) {
                    out.append(routing(indentOf(location.start())));
                }
                from = location.end();
            }
            if (owned.isEmpty() && !included) {
                out.append(content, from, insertAt).append(routing(indentOf(server.bodyStart())));
                from = insertAt;
            }
        }
        return out.append(content.substring(from)).toString();
    }

    private static String routing(String indent) {
        return indent + "access_log " + NginxConfig.ACCESS_LOG + " " + NginxConfig.LOG_FORMAT + ";\n" + indent + INCLUDE + "\n";
    }

    private String indentOf(int lineStart) {
        int end = lineStart;
        while (end < content.length() && (content.charAt(end) == ' ' || content.charAt(end) == '\t')) {
            end++;
        }
        return end == lineStart ? "    " : content.substring(lineStart, end);
    }

    /** The server blocks for the hostname that proxy to Synapse or already have the routing. */
    private List<Server> adopted() {
        return servers.stream().filter(server -> servesHostname(server.text()))
                .filter(server -> server.text().contains(INCLUDE) || server.locations().stream().anyMatch(AdoptedSite::owned))
                .toList();
    }

    private boolean servesHostname(String serverText) {
        return Pattern.compile("(?m)^\\s*server_name\\s[^;]*(?<=\\s)" + Pattern.quote(hostname) + "(?=[\\s;])").matcher(serverText).find();
    }

    private static boolean owned(Location location) {
        return SYNAPSE_PATH.matcher(location.match()).find() || OLD_LISTENER.matcher(location.text()).find();
    }

    /** The prefix of a prefix location ({@code /}, {@code ^~ /x}); empty for regex and exact locations. */
    private static String prefix(String match) {
        String[] words = match.trim().split("\\s+");
        if (words.length == 1) {
            return words[0];
        }
        return words.length == 2 && words[0].equals("^~") ? words[1] : "";
    }

    /**
     * Server blocks and their direct location blocks, found by a scan that knows nginx's comments and quoted strings,
     * where braces do not count.
     */
    private static List<Server> servers(String text) {
        List<Server> servers = new ArrayList<>();
        List<int[]> stack = new ArrayList<>();
        List<List<Location>> locations = new ArrayList<>();
        int statementStart = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '#') {
                boolean alone = text.substring(statementStart, i).isBlank();
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
                if (alone) {
                    statementStart = i;
                }
                continue;
            }
            if (c == '"' || c == '\'') {
                i++;
                while (i < text.length() && text.charAt(i) != c) {
                    i += text.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                continue;
            }
            if (c == '{') {
                String head = text.substring(statementStart, i).trim();
                int kind = head.equals("server") ? 1 : head.startsWith("location") && (head.length() == 8 || Character.isWhitespace(head.charAt(8))) ? 2 : 0;
                stack.add(new int[] {kind, lineStart(text, statementStart), i + 1});
                locations.add(new ArrayList<>());
                statementStart = i + 1;
            } else if (c == '}') {
                if (stack.isEmpty()) {
                    throw new IllegalArgumentException("unbalanced } at offset " + i);
                }
                int[] open = stack.remove(stack.size() - 1);
                List<Location> inside = locations.remove(locations.size() - 1);
                int end = lineEnd(text, i + 1);
                if (open[0] == 1) {
                    servers.add(new Server(open[2], lineStart(text, i), text.substring(open[1], i + 1), inside));
                } else if (open[0] == 2 && !stack.isEmpty() && stack.get(stack.size() - 1)[0] == 1) {
                    String head = text.substring(open[1], open[2] - 1).trim();
                    locations.get(locations.size() - 1).add(new Location(open[1], end, head.substring("location".length()).trim(),
                            text.substring(open[1], end)));
                }
                statementStart = i + 1;
            } else if (c == ';') {
                statementStart = i + 1;
            }
            i++;
        }
        if (!stack.isEmpty()) {
            throw new IllegalArgumentException("unbalanced {: " + stack.size() + " block(s) not closed");
        }
        return servers;
    }

    /** Where the line holding offset starts, when only blanks precede it there; else the offset. */
    private static int lineStart(String text, int offset) {
        int start = offset;
        while (start < text.length() && Character.isWhitespace(text.charAt(start)) && text.charAt(start) != '\n') {
            start++;
        }
        while (start < text.length() && text.charAt(start) == '\n') {
            start++;
        }
        int line = start;
        while (line > 0 && (text.charAt(line - 1) == ' ' || text.charAt(line - 1) == '\t')) {
            line--;
        }
        return line;
    }

    /** After the line break that ends the line at offset, when only blanks follow there; else the offset. */
    private static int lineEnd(String text, int offset) {
        int end = offset;
        while (end < text.length() && (text.charAt(end) == ' ' || text.charAt(end) == '\t')) {
            end++;
        }
        return end < text.length() && text.charAt(end) == '\n' ? end + 1 : offset;
    }
}
