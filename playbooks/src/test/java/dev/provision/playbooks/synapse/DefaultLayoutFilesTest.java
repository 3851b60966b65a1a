package dev.provision.playbooks.synapse;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guide's layout rendered, compared with the files in {@code src/test/resources/synapse/default-layout}.
 * After an intended change, regenerate them with {@code mvn test -Dsynapse.updateExpected=true} and review the diff.
 */
class DefaultLayoutFilesTest {

    private static final Path EXPECTED = Path.of("src/test/resources/synapse/default-layout");

    static SynapseDeployment guideDeployment() {
        return SynapseDeployment.of(SynapseTopology.forServer("example.com").publicHostname("matrix.example.com").build());
    }

    @Test
    void renderedFilesMatchTheExpectedFiles() throws IOException {
        Map<String, String> actual = snapshot(guideDeployment());
        if (Boolean.getBoolean("synapse.updateExpected")) {
            rewriteExpected(EXPECTED, actual);
        }
        Map<String, String> expected = readExpected(EXPECTED);
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        actual.forEach((path, content) -> assertThat(content).as(path).isEqualTo(expected.get(path)));
    }

    /** Every rendered file under its absolute path, plus a manifest of metadata and the route table. */
    static Map<String, String> snapshot(SynapseDeployment deployment) {
        Map<String, String> files = new TreeMap<>();
        deployment.files().forEach(file -> files.put(file.path().substring(1), file.content()));
        files.put("manifest.txt", manifest(deployment));
        files.put("routes.txt", deployment.routes().stream()
                .map(route -> route.request() + " -> " + String.join(" | ", route.processes()) + (route.adminOnly() ? " (admin only)" : ""))
                .collect(Collectors.joining("\n", "", "\n")));
        return files;
    }

    private static String manifest(SynapseDeployment deployment) {
        StringBuilder out = new StringBuilder("# files: path owner:group mode -> actions on change\n");
        deployment.files().forEach(f -> out.append(f.path()).append(' ').append(f.owner()).append(':').append(f.group())
                .append(' ').append(f.octalMode()).append(" -> ").append(commands(f.onChange())).append('\n'));
        out.append("\n# directories\n");
        deployment.directories().forEach(d -> out.append(d.path()).append(' ').append(d.owner()).append(':').append(d.group())
                .append(' ').append(d.octalMode()).append('\n'));
        out.append("\n# secret files: path owner:group mode prefix -> actions on change\n");
        deployment.secretFiles().forEach(s -> out.append(s.path()).append(' ').append(s.owner()).append(':').append(s.group())
                .append(' ').append(s.octalMode()).append(" '").append(s.contentPrefix()).append("' -> ").append(commands(s.onChange())).append('\n'));
        out.append("\n# group memberships\n");
        deployment.groupMemberships().forEach(m -> out.append(m.user()).append(" in ").append(m.group()).append(": ")
                .append(m.reason()).append(" -> ").append(m.takesEffectAfter().command()).append('\n'));
        out.append("\n# redis.conf\n");
        deployment.redisSettings().forEach((key, value) -> out.append(key).append(' ').append(value).append('\n'));
        out.append("\n# handlers in order\n");
        deployment.serviceActions().forEach(action -> out.append(action.command()).append('\n'));
        out.append("\n# PostgreSQL connections at most: ").append(deployment.databaseConnections()).append('\n');
        return out.toString();
    }

    static String commands(java.util.List<ServiceAction> actions) {
        return actions.stream().map(ServiceAction::command).collect(Collectors.joining("; "));
    }

    static void rewriteExpected(Path expected, Map<String, String> files) throws IOException {
        if (Files.exists(expected)) {
            try (var paths = Files.walk(expected)) {
                paths.sorted(Comparator.reverseOrder()).forEach(DefaultLayoutFilesTest::delete);
            }
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = expected.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
    }

    static Map<String, String> readExpected(Path expected) throws IOException {
        try (var paths = Files.walk(expected)) {
            return paths.filter(Files::isRegularFile).collect(Collectors.toMap(
                    path -> expected.relativize(path).toString(), DefaultLayoutFilesTest::read, (a, b) -> a, TreeMap::new));
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
