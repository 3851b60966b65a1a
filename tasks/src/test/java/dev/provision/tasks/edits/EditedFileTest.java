package dev.provision.tasks.edits;

import dev.provision.task.Change;
import dev.provision.task.Plan;
import dev.provision.tasks.files.LocalHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static java.nio.file.Files.exists;
import static java.nio.file.Files.getPosixFilePermissions;
import static java.nio.file.Files.readString;
import static java.nio.file.Files.setPosixFilePermissions;
import static java.nio.file.Files.writeString;
import static org.assertj.core.api.Assertions.assertThat;

/** Edits planned from real facts and written by the real script, on this machine's sh. */
class EditedFileTest {

    @TempDir
    Path dir;

    @Test
    void anEditKeepsModeShowsADiffAndConverges() throws Exception {
        Path file = dir.resolve("redis.conf");
        writeString(file, "port 6379\n# unixsocket /run/redis/redis.sock\n");
        setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        ConfigFile task = ConfigFile.at(file.toString()).set("port", 0).set("unixsocket", "/run/redis/redis-server.sock");

        Plan plan = LocalHost.apply(task);

        assertThat(plan.changes()).extracting(Change::summary).containsExactly("content");
        assertThat(plan.changes().get(0).diff().orElseThrow().unified()).contains("-port 6379", "+port 0", "+unixsocket /run/redis/redis-server.sock");
        assertThat(readString(file)).isEqualTo("port 0\nunixsocket /run/redis/redis-server.sock\n");
        assertThat(PosixFilePermissions.toString(getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        assertThat(LocalHost.plan(task).isEmpty()).isTrue();
    }

    @Test
    void aMissingFileIsReportedAndFailsWhenApplied() {
        Plan plan = LocalHost.plan(LineInFile.at(dir.resolve("absent.conf").toString()).line("x"));

        assertThat(plan.failed()).isFalse();
        assertThat(plan.changes()).hasSize(1);
        assertThat(LocalHost.run(plan.changes().get(0).script()).stderr()).contains("absent.conf does not exist");
    }

    @Test
    void createStartsFromAnEmptyFile() throws Exception {
        Path file = dir.resolve("new.conf");

        LocalHost.apply(LineInFile.at(file.toString()).line("x = 1").create().mode(0600));

        assertThat(readString(file)).isEqualTo("x = 1\n");
        assertThat(PosixFilePermissions.toString(getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void removingFromAMissingFileHasNothingToDo() {
        assertThat(LocalHost.plan(LineInFile.at(dir.resolve("none").toString()).line("x").absent()).isEmpty()).isTrue();
        assertThat(LocalHost.plan(BlockInFile.at(dir.resolve("none").toString()).named("b").absent()).isEmpty()).isTrue();
        assertThat(LocalHost.plan(ConfigFile.at(dir.resolve("none").toString()).unset("port")).isEmpty()).isTrue();
        assertThat(exists(dir.resolve("none"))).isFalse();
    }

    @Test
    void aBinaryFileCannotBeEdited() throws Exception {
        Path file = dir.resolve("blob");
        java.nio.file.Files.write(file, new byte[] {1, 0, 2});

        assertThat(LocalHost.plan(LineInFile.at(file.toString()).line("x")).failure())
                .hasValueSatisfying(f -> assertThat(f).contains("is not UTF-8 text"));
    }
}
