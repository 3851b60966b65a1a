package dev.provision.tasks.files;

import dev.provision.task.CommandResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.stream.Stream;

import static java.nio.file.Files.exists;
import static java.nio.file.Files.getAttribute;
import static java.nio.file.Files.getOwner;
import static java.nio.file.Files.getPosixFilePermissions;
import static java.nio.file.Files.list;
import static java.nio.file.Files.readAllBytes;
import static java.nio.file.Files.readString;
import static java.nio.file.Files.setPosixFilePermissions;
import static java.nio.file.Files.writeString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The write script run for real by this machine's sh, wrapped as the engine wraps it. */
class AtomicWriteTest {

    @TempDir
    Path dir;

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private CommandResult write(Path file, AtomicWrite write) {
        return LocalHost.run(write.script());
    }

    private String[] leftovers() throws Exception {
        try (Stream<Path> files = list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".provision-")).toArray(String[]::new);
        }
    }

    @Test
    void createsANewFileWithMode0644() throws Exception {
        Path file = dir.resolve("new.conf");

        CommandResult result = write(file, AtomicWrite.of(file.toString(), utf8("hello\n")));

        assertThat(result.succeeded()).as(result.errorText()).isTrue();
        assertThat(readString(file)).isEqualTo("hello\n");
        assertThat(PosixFilePermissions.toString(getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void replacingKeepsOwnerAndModeAndChangesTheInode() throws Exception {
        assumeTrue(isRoot(), "chown to another user needs root");
        Path file = dir.resolve("redis.conf");
        writeString(file, "old\n");
        setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        LocalHost.sh("chown nobody:nogroup '" + file + "'");
        Object inodeBefore = getAttribute(file, "unix:ino");

        CommandResult result = write(file, AtomicWrite.of(file.toString(), utf8("new\n")));

        assertThat(result.succeeded()).as(result.errorText()).isTrue();
        assertThat(readString(file)).isEqualTo("new\n");
        assertThat(PosixFilePermissions.toString(getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        assertThat(getOwner(file).getName()).isEqualTo("nobody");
        assertThat(getAttribute(file, "unix:ino")).isNotEqualTo(inodeBefore);
    }

    @Test
    void givenOwnerGroupAndModeWin() throws Exception {
        assumeTrue(isRoot(), "chown to another user needs root");
        Path file = dir.resolve("secret.conf");
        writeString(file, "old\n");

        CommandResult result = write(file, AtomicWrite.of(file.toString(), utf8("new\n"))
                .owner(Optional.of("nobody")).group(Optional.of("nogroup")).mode(Optional.of(Mode.of(0600))));

        assertThat(result.succeeded()).as(result.errorText()).isTrue();
        assertThat(getOwner(file).getName()).isEqualTo("nobody");
        assertThat(PosixFilePermissions.toString(getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aFailedValidationLeavesTheLiveFileUntouchedAndRemovesTheCandidate() throws Exception {
        Path file = dir.resolve("app.conf");
        writeString(file, "good config\n");
        Object inodeBefore = getAttribute(file, "unix:ino");

        CommandResult result = write(file, AtomicWrite.of(file.toString(), utf8("broken config\n"))
                .validate(Optional.of("grep -q good %s")));

        assertThat(result.succeeded()).isFalse();
        assertThat(result.stderr()).contains("validation failed, " + file + " left as it was: grep -q good %s");
        assertThat(readString(file)).isEqualTo("good config\n");
        assertThat(getAttribute(file, "unix:ino")).isEqualTo(inodeBefore);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void validationRunsOnTheCandidate() throws Exception {
        Path file = dir.resolve("app.conf");

        CommandResult result = write(file, AtomicWrite.of(file.toString(), utf8("good config\n"))
                .validate(Optional.of("grep -q good %s")));

        assertThat(result.succeeded()).as(result.errorText()).isTrue();
        assertThat(readString(file)).isEqualTo("good config\n");
    }

    @Test
    void aFailedInPlaceValidationPutsTheOldFileBack() throws Exception {
        Path file = dir.resolve("site.conf");
        writeString(file, "server ok;\n");
        setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Object inodeBefore = getAttribute(file, "unix:ino");
        // like nginx -t: checks the live path, prints its complaint
        String checker = "grep -q ok " + file + " || { echo 'emerg: unexpected end of file' >&2; false; }";

        CommandResult result = write(file, AtomicWrite.of(file.toString(), utf8("server {\n")).validateInPlace(Optional.of(checker)));

        assertThat(result.succeeded()).isFalse();
        assertThat(result.stderr()).contains("validation failed").contains("emerg: unexpected end of file");
        assertThat(readString(file)).isEqualTo("server ok;\n");
        assertThat(getAttribute(file, "unix:ino")).isEqualTo(inodeBefore);
        assertThat(PosixFilePermissions.toString(getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aFailedInPlaceValidationOfANewFileRemovesIt() throws Exception {
        Path file = dir.resolve("site.conf");

        CommandResult result = write(file, AtomicWrite.of(file.toString(), utf8("server {\n")).validateInPlace(Optional.of("false")));

        assertThat(result.succeeded()).isFalse();
        assertThat(exists(file)).isFalse();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aPassingInPlaceValidationKeepsTheNewFileAndNoLeftovers() throws Exception {
        Path file = dir.resolve("site.conf");
        writeString(file, "server old;\n");

        CommandResult result = write(file, AtomicWrite.of(file.toString(), utf8("server ok;\n"))
                .validateInPlace(Optional.of("grep -q ok " + file)));

        assertThat(result.succeeded()).as(result.errorText()).isTrue();
        assertThat(readString(file)).isEqualTo("server ok;\n");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aMissingDirectoryIsExplained() {
        Path file = dir.resolve("nowhere/app.conf");

        CommandResult result = write(file, AtomicWrite.of(file.toString(), utf8("x\n")));

        assertThat(result.succeeded()).isFalse();
        assertThat(result.stderr()).contains("directory " + dir.resolve("nowhere") + " does not exist: create it in an earlier step");
    }

    @Test
    void aDirectoryInThePlaceOfTheFileIsAnError() throws Exception {
        java.nio.file.Files.createDirectory(dir.resolve("conf.d"));

        CommandResult result = write(dir.resolve("conf.d"), AtomicWrite.of(dir.resolve("conf.d").toString(), utf8("x\n")));

        assertThat(result.succeeded()).isFalse();
        assertThat(result.stderr()).contains("is a directory, not a file");
    }

    @Test
    void binaryPayloadsArriveByteForByte() throws Exception {
        Path file = dir.resolve("blob.bin");
        byte[] every = new byte[256 * 4];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }

        CommandResult result = write(file, AtomicWrite.of(file.toString(), every));

        assertThat(result.succeeded()).as(result.errorText()).isTrue();
        assertThat(readAllBytes(file)).isEqualTo(every);
    }

    @Test
    void anEmptyPayloadMakesAnEmptyFile() throws Exception {
        Path file = dir.resolve("empty");

        CommandResult result = write(file, AtomicWrite.of(file.toString(), new byte[0]));

        assertThat(result.succeeded()).as(result.errorText()).isTrue();
        assertThat(readAllBytes(file)).isEmpty();
    }

    @Test
    void backupKeepsTheOldFileBesideTheNewOne() throws Exception {
        Path file = dir.resolve("app.conf");
        writeString(file, "old\n");

        CommandResult result = write(file, AtomicWrite.of(file.toString(), utf8("new\n")).backup(true));

        assertThat(result.succeeded()).as(result.errorText()).isTrue();
        assertThat(readString(file)).isEqualTo("new\n");
        try (Stream<Path> files = list(dir)) {
            Path backup = files.filter(p -> p.getFileName().toString().matches("app\\.conf\\.\\d{14}~")).findFirst().orElseThrow();
            assertThat(readString(backup)).isEqualTo("old\n");
        }
    }

    @Test
    void pathsWithSpacesAndQuotesWork() throws Exception {
        Path file = dir.resolve("it's a \"conf\" $x.conf");

        CommandResult result = write(file, AtomicWrite.of(file.toString(), utf8("ok\n")).validate(Optional.of("test -s %s")));

        assertThat(result.succeeded()).as(result.errorText()).isTrue();
        assertThat(readString(file)).isEqualTo("ok\n");
    }

    private static boolean isRoot() {
        return LocalHost.sh("id -u").stdout().strip().equals("0");
    }
}
