package dev.provision.tasks.files;

import dev.provision.task.Change;
import dev.provision.task.Plan;
import dev.provision.dsl.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static java.nio.file.Files.createDirectory;
import static java.nio.file.Files.createSymbolicLink;
import static java.nio.file.Files.exists;
import static java.nio.file.Files.getOwner;
import static java.nio.file.Files.getPosixFilePermissions;
import static java.nio.file.Files.readString;
import static java.nio.file.Files.setPosixFilePermissions;
import static java.nio.file.Files.writeString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FileTaskTest {

    @TempDir
    Path dir;

    @Test
    void createsAFileThenHasNothingToDo() throws Exception {
        Path file = dir.resolve("app.conf");
        FileTask task = Files.file(file.toString()).content("listen 80;\n").mode(0640);

        Plan first = LocalHost.apply(task);

        assertThat(first.changes()).extracting(Change::summary).containsExactly("create, mode 0640");
        assertThat(first.changes().get(0).diff().orElseThrow().unified()).contains("+listen 80;");
        assertThat(readString(file)).isEqualTo("listen 80;\n");
        assertThat(PosixFilePermissions.toString(getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        assertThat(LocalHost.plan(task).isEmpty()).isTrue();
    }

    @Test
    void aContentChangeComesWithADiffAndTheAttributeChangesInOneWrite() throws Exception {
        Path file = dir.resolve("app.conf");
        writeString(file, "listen 80;\nroot /srv;\n");
        setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        Plan plan = LocalHost.apply(Files.file(file.toString()).content("listen 8080;\nroot /srv;\n").mode(0640));

        assertThat(plan.changes()).hasSize(1);
        Change change = plan.changes().get(0);
        assertThat(change.summary()).isEqualTo("content, mode 0644 → 0640");
        assertThat(change.diff().orElseThrow().unified()).contains("-listen 80;", "+listen 8080;", " root /srv;");
        assertThat(PosixFilePermissions.toString(getPosixFilePermissions(file))).isEqualTo("rw-r-----");
    }

    @Test
    void onlyTheModeDiffers() throws Exception {
        Path file = dir.resolve("app.conf");
        writeString(file, "x\n");
        setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        FileTask task = Files.file(file.toString()).content("x\n").mode(0600);

        Plan plan = LocalHost.apply(task);

        assertThat(plan.changes()).extracting(Change::summary).containsExactly("mode 0644 → 0600");
        assertThat(plan.changes().get(0).diff()).isEmpty();
        assertThat(LocalHost.plan(task).isEmpty()).isTrue();
    }

    @Test
    void ownerAndGroupChangesAreNamed() throws Exception {
        assumeTrue(LocalHost.sh("id -u").stdout().strip().equals("0"), "chown needs root");
        Path file = dir.resolve("redis.conf");
        writeString(file, "x\n");
        FileTask task = Files.file(file.toString()).owner("nobody").group("nogroup");

        Plan plan = LocalHost.apply(task);

        assertThat(plan.changes()).extracting(Change::summary).containsExactly("owner root → nobody", "group root → nogroup");
        assertThat(getOwner(file).getName()).isEqualTo("nobody");
        assertThat(LocalHost.plan(task).isEmpty()).isTrue();
    }

    @Test
    void sensitiveContentHasNoDiff() throws Exception {
        Path file = dir.resolve("secret.env");
        writeString(file, "TOKEN=old\n");

        Plan plan = LocalHost.plan(Files.file(file.toString()).content("TOKEN=" + Secret.of("s3cr3t-value").reveal() + "\n").sensitive());

        assertThat(plan.changes()).extracting(Change::summary).containsExactly("content (sensitive, no diff)");
        assertThat(plan.changes().get(0).diff()).isEmpty();
    }

    @Test
    void binaryContentHasNoDiff() {
        Plan plan = LocalHost.plan(Files.file(dir.resolve("blob").toString()).content(new byte[] {0, 1, 2, (byte) 0xff}));

        assertThat(plan.changes()).extracting(Change::summary).containsExactly("create (binary, no diff)");
    }

    @Test
    void contentFromAClasspathResource() throws Exception {
        Path file = dir.resolve("motd");

        LocalHost.apply(Files.file(file.toString()).fromResource("files/motd.txt"));

        assertThat(readString(file)).isEqualTo("Provisioned by provision.\n");
    }

    @Test
    void aMissingResourceFailsThePlan() {
        Plan plan = LocalHost.plan(Files.file(dir.resolve("x").toString()).fromResource("no/such/resource"));

        assertThat(plan.failure()).hasValueSatisfying(f -> assertThat(f).contains("resource no/such/resource is not on the classpath"));
    }

    @Test
    void absentRemovesTheFileOnce() throws Exception {
        Path file = dir.resolve("default");
        writeString(file, "x\n");
        FileTask task = Files.file(file.toString()).absent();

        assertThat(LocalHost.apply(task).changes()).extracting(Change::summary).containsExactly("remove");
        assertThat(exists(file)).isFalse();
        assertThat(LocalHost.plan(task).isEmpty()).isTrue();
    }

    @Test
    void attributesOnlyOnAMissingFileFailWhenApplied() {
        Plan plan = LocalHost.plan(Files.file(dir.resolve("later").toString()).mode(0600));

        assertThat(plan.changes()).hasSize(1);
        assertThat(plan.changes().get(0).summary()).contains("does not exist");
        assertThat(LocalHost.run(plan.changes().get(0).script()).stderr()).contains("does not exist: an earlier step must create it");
    }

    @Test
    void refusesDirectoriesAndLinks() throws Exception {
        createDirectory(dir.resolve("conf.d"));
        createSymbolicLink(dir.resolve("link"), dir.resolve("elsewhere"));

        assertThat(LocalHost.plan(Files.file(dir.resolve("conf.d").toString()).content("x")).failure())
                .hasValueSatisfying(f -> assertThat(f).contains("is a directory, not a regular file"));
        assertThat(LocalHost.plan(Files.file(dir.resolve("link").toString()).content("x")).failure())
                .hasValueSatisfying(f -> assertThat(f).contains("is a symbolic link to " + dir.resolve("elsewhere")));
    }

    @Test
    void describesItselfByPath() {
        assertThat(Files.file("/etc/redis/redis.conf").describe()).isEqualTo("file /etc/redis/redis.conf");
    }
}
