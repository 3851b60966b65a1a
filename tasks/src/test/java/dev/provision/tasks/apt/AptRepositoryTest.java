package dev.provision.tasks.apt;

import dev.provision.task.Change;
import dev.provision.task.Fact;
import dev.provision.task.Plan;
import dev.provision.tasks.files.FileProbe;
import dev.provision.tasks.support.StubFacts;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class AptRepositoryTest {

    static final String ARMOURED_KEY = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBFoo\n-----END PGP PUBLIC KEY BLOCK-----\n";

    private static final String SOURCES = """
            Types: deb
            URIs: https://packages.matrix.org/debian/
            Suites: trixie
            Components: main
            Signed-By: /etc/apt/keyrings/matrix-org.asc
            """;

    static void nothingOnDisk(StubFacts facts) {
        facts.answer(FileProbe.at("/etc/apt/keyrings"), "type=directory\nowner=root\ngroup=root\nmode=755\n")
                .answer(FileProbe.at("/etc/apt/keyrings/matrix-org.asc"), "type=absent\n")
                .answer(FileProbe.at("/etc/apt/sources.list.d/matrix-org.sources"), "type=absent\n");
    }

    private static String file(String content) {
        return "type=file\nowner=root\ngroup=root\nmode=644\nsize=" + content.length() + "\ncontent="
                + Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8)) + "\n";
    }

    private final AptRepository matrix = Apt.repository("matrix-org").uri("https://packages.matrix.org/debian/")
            .components("main").signedBy(ARMOURED_KEY);

    @Test
    void writesTheKeyAndADeb822SourceForTheHostsRelease() {
        StubFacts facts = new StubFacts().answer(matrix.facts().get(matrix.facts().size() - 1), "trixie\n");
        nothingOnDisk(facts);
        Plan plan = matrix.plan(facts);
        assertThat(plan.changes()).extracting(Change::summary).containsExactly(
                "file /etc/apt/keyrings/matrix-org.asc: create, mode 0644",
                "file /etc/apt/sources.list.d/matrix-org.sources: create, mode 0644");
        assertThat(plan.changes().get(1).diff().orElseThrow().after()).isEqualTo(SOURCES);
    }

    @Test
    void nothingToDoWhenBothFilesAreRight() {
        StubFacts facts = new StubFacts().answer(matrix.facts().get(matrix.facts().size() - 1), "trixie\n")
                .answer(FileProbe.at("/etc/apt/keyrings"), "type=directory\nowner=root\ngroup=root\nmode=755\n")
                .answer(FileProbe.at("/etc/apt/keyrings/matrix-org.asc"), file(ARMOURED_KEY))
                .answer(FileProbe.at("/etc/apt/sources.list.d/matrix-org.sources"), file(SOURCES));
        assertThat(matrix.plan(facts).isEmpty()).isTrue();
    }

    @Test
    void aBinaryKeyGoesToAGpgFile() {
        AptRepository binary = Apt.repository("x").uri("https://example.org/debian").suite("stable").signedBy(new byte[] {(byte) 0x99, 1, 13});
        assertThat(binary.facts()).extracting(Fact::command).contains(FileProbe.at("/etc/apt/keyrings/x.gpg").command());
    }
}
