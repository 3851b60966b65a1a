package dev.provision.tasks.files;

import dev.provision.task.Change;
import dev.provision.task.Plan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static java.nio.file.Files.createDirectories;
import static java.nio.file.Files.exists;
import static java.nio.file.Files.getPosixFilePermissions;
import static java.nio.file.Files.isDirectory;
import static java.nio.file.Files.readSymbolicLink;
import static java.nio.file.Files.writeString;
import static org.assertj.core.api.Assertions.assertThat;

class DirectoryAndLinkTest {

    @TempDir
    Path dir;

    @Test
    void createsADirectoryWithParentsThenHasNothingToDo() {
        Path directory = dir.resolve("var/lib/synapse");
        DirectoryTask task = Files.directory(directory.toString()).mode(0750);

        Plan plan = LocalHost.apply(task);

        assertThat(plan.changes()).extracting(Change::summary).containsExactly("create, mode 0750");
        assertThat(isDirectory(directory)).isTrue();
        assertThat(LocalHost.plan(task).isEmpty()).isTrue();
    }

    @Test
    void fixesTheModeOfAnExistingDirectory() throws Exception {
        Path directory = createDirectories(dir.resolve("data"));
        java.nio.file.Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));

        Plan plan = LocalHost.apply(Files.directory(directory.toString()).mode(0700));

        assertThat(plan.changes()).extracting(Change::summary).containsExactly("mode 0755 → 0700");
        assertThat(PosixFilePermissions.toString(getPosixFilePermissions(directory))).isEqualTo("rwx------");
    }

    @Test
    void absentRemovesRecursivelyButNeverAFile() throws Exception {
        Path directory = createDirectories(dir.resolve("old/cache"));
        writeString(directory.resolve("entry"), "x");
        Path file = dir.resolve("plain");
        writeString(file, "x");

        assertThat(LocalHost.apply(Files.directory(dir.resolve("old").toString()).absent()).changes())
                .extracting(Change::summary).containsExactly("remove recursively");
        assertThat(exists(dir.resolve("old"))).isFalse();
        assertThat(LocalHost.plan(Files.directory(file.toString()).absent()).failure())
                .hasValueSatisfying(f -> assertThat(f).contains("not a directory: refusing to remove it"));
    }

    @Test
    void linksAreCreatedRetargetedAndRemoved() throws Exception {
        Path link = dir.resolve("sites-enabled/synapse");
        createDirectories(link.getParent());
        LinkTask task = Files.link(link.toString()).to("/etc/nginx/sites-available/synapse");

        assertThat(LocalHost.apply(task).changes()).extracting(Change::summary)
                .containsExactly("create → /etc/nginx/sites-available/synapse");
        assertThat(readSymbolicLink(link)).isEqualTo(Path.of("/etc/nginx/sites-available/synapse"));
        assertThat(LocalHost.plan(task).isEmpty()).isTrue();

        assertThat(LocalHost.apply(Files.link(link.toString()).to("../sites-available/matrix")).changes()).extracting(Change::summary)
                .containsExactly("target /etc/nginx/sites-available/synapse → ../sites-available/matrix");
        assertThat(readSymbolicLink(link)).isEqualTo(Path.of("../sites-available/matrix"));

        LocalHost.apply(Files.link(link.toString()).absent());
        assertThat(exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void aLinkNeverReplacesAFile() throws Exception {
        Path file = dir.resolve("default");
        writeString(file, "server {}\n");

        assertThat(LocalHost.plan(Files.link(file.toString()).to("/x")).failure())
                .hasValueSatisfying(f -> assertThat(f).contains("is a regular file, not a link"));
    }
}
