package dev.provision.tasks.files;

import dev.provision.task.CommandResult;
import dev.provision.task.FactException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileProbeTest {

    @TempDir
    Path dir;

    private static FileState parse(String stdout) {
        return FileProbe.parse("/etc/x", new CommandResult(0, stdout, ""));
    }

    @Test
    void parsesARegularFileWithItsContent() {
        String content = Base64.getEncoder().encodeToString("port 6379\n".getBytes(StandardCharsets.UTF_8));
        FileState state = parse("type=file\nowner=redis\ngroup=redis\nmode=640\nsize=10\ncontent=" + content + "\n");

        assertThat(state.type()).isEqualTo(FileState.Type.FILE);
        assertThat(state.owner()).isEqualTo("redis");
        assertThat(state.group()).isEqualTo("redis");
        assertThat(state.mode()).contains(Mode.of(0640));
        assertThat(state.size()).isEqualTo(10);
        assertThat(state.text()).isEqualTo("port 6379\n");
        assertThat(state.sha256()).isEqualTo(FileProbe.sha256("port 6379\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void parsesALargeFileBySha256Only() {
        FileState state = parse("type=file\nowner=root\ngroup=root\nmode=4755\nsize=300000\nsha256=" + "ab".repeat(32) + "\n");

        assertThat(state.content()).isEmpty();
        assertThat(state.sha256()).isEqualTo("ab".repeat(32));
        assertThat(state.mode()).contains(Mode.of(04755));
        assertThatThrownBy(state::text).hasMessageContaining("larger than the 256 KiB");
    }

    @Test
    void parsesMissingDirectoryLinkAndOther() {
        assertThat(parse("type=absent\n").exists()).isFalse();
        FileState directory = parse("type=directory\nowner=root\ngroup=adm\nmode=2750\n");
        assertThat(directory.type()).isEqualTo(FileState.Type.DIRECTORY);
        assertThat(directory.mode()).contains(Mode.of(02750));
        FileState link = parse("type=link\ntarget=../sites-available/my site=1\n");
        assertThat(link.type()).isEqualTo(FileState.Type.LINK);
        assertThat(link.target()).isEqualTo("../sites-available/my site=1");
        assertThat(parse("type=other\n").type()).isEqualTo(FileState.Type.OTHER);
    }

    @Test
    void anEmptyFileHasEmptyContent() {
        FileState state = parse("type=file\nowner=root\ngroup=root\nmode=644\nsize=0\ncontent=\n");

        assertThat(state.text()).isEmpty();
        assertThat(state.sha256()).isEqualTo(FileProbe.sha256(new byte[0]));
    }

    @Test
    void failsOnOutputItDoesNotUnderstand() {
        assertThatThrownBy(() -> parse("type=file\nowner=root\n")).isInstanceOf(FactException.class).hasMessageContaining("what the host said about /etc/x");
        assertThatThrownBy(() -> parse("hello\n")).isInstanceOf(FactException.class);
        assertThatThrownBy(() -> FileProbe.parse("/x", new CommandResult(1, "", "base64: read error")))
                .hasMessageContaining("base64: read error");
    }

    @Test
    void probesRealFilesWithOddNames() throws Exception {
        Path file = dir.resolve("my file's $HOME \"x\".conf");
        java.nio.file.Files.writeString(file, "a = 1\n");
        java.nio.file.Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        FileState state = LocalHost.facts().get(FileProbe.at(file.toString()));

        assertThat(state.type()).isEqualTo(FileState.Type.FILE);
        assertThat(state.mode()).contains(Mode.of(0640));
        assertThat(state.size()).isEqualTo(6);
        assertThat(state.text()).isEqualTo("a = 1\n");
        assertThat(state.owner()).isNotBlank();
    }

    @Test
    void probesRealDirectoriesLinksMissingPathsAndLargeFiles() throws Exception {
        Path link = dir.resolve("enabled site");
        java.nio.file.Files.createSymbolicLink(link, Path.of("../available/site"));
        Path large = dir.resolve("large.bin");
        byte[] bytes = new byte[FileProbe.CONTENT_LIMIT + 1];
        java.nio.file.Files.write(large, bytes);

        assertThat(LocalHost.facts().get(FileProbe.at(dir.toString())).type()).isEqualTo(FileState.Type.DIRECTORY);
        assertThat(LocalHost.facts().get(FileProbe.at(link.toString())).target()).isEqualTo("../available/site");
        assertThat(LocalHost.facts().get(FileProbe.at(dir.resolve("none").toString())).exists()).isFalse();
        FileState largeState = LocalHost.facts().get(FileProbe.at(large.toString()));
        assertThat(largeState.content()).isEmpty();
        assertThat(largeState.sha256()).isEqualTo(FileProbe.sha256(bytes));
    }

    @Test
    void tasksOnTheSamePathShareOneCommand() {
        assertThat(FileProbe.at("/etc/redis/redis.conf").command()).isEqualTo(FileProbe.at("/etc/redis/redis.conf").command());
    }

    @Test
    void theBatchReadsEveryKindOfPathAsItsOwnProbeDoes() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("small"), "hello\n");
        java.nio.file.Files.writeString(dir.resolve("empty"), "");
        java.nio.file.Files.write(dir.resolve("big"), new byte[FileProbe.CONTENT_LIMIT + 1]);
        java.nio.file.Files.write(dir.resolve("limit"), new byte[FileProbe.CONTENT_LIMIT]);
        java.nio.file.Files.write(dir.resolve("binary"), new byte[] {0, (byte) 0xff, '\n'});
        java.nio.file.Files.writeString(dir.resolve("with space"), "spaced\n");
        java.nio.file.Files.createDirectory(dir.resolve("sub"));
        java.nio.file.Files.createSymbolicLink(dir.resolve("link"), Path.of("small"));
        java.nio.file.Files.createSymbolicLink(dir.resolve("dangling"), Path.of("/nope"));
        assertThat(LocalHost.sh("mkfifo '" + dir.resolve("fifo") + "'").succeeded()).isTrue();
        java.util.List<String> paths = java.util.stream.Stream.of("small", "empty", "big", "limit", "binary", "with space", "sub",
                "link", "dangling", "fifo", "absent", "sub/absent").map(name -> dir.resolve(name).toString()).toList();

        CommandResult batch = LocalHost.sh(FileProbeBatch.INSTANCE.command(paths));
        java.util.List<CommandResult> split = FileProbeBatch.INSTANCE.split(batch, paths).orElseThrow();

        for (int i = 0; i < paths.size(); i++) {
            assertThat(split.get(i)).as(paths.get(i)).isEqualTo(LocalHost.sh(FileProbe.command(paths.get(i))));
        }
    }

    @Test
    void aBatchAnswerThatDoesNotAddUpIsNotSplit() {
        String shortContent = "f\troot\troot\t644\t10\t/x\t\n--content--\n" + Base64.getEncoder().encodeToString("short".getBytes()) + "\n--sha256--\n--absent--\n";
        assertThat(FileProbeBatch.INSTANCE.split(new CommandResult(0, shortContent, ""), java.util.List.of("/x")))
                .as("contents shorter than the sizes: the file changed between find and cat").isEmpty();
        String nowhere = "d\troot\troot\t755\t4096\t/x\t\n--content--\n\n--sha256--\n--absent--\n";
        assertThat(FileProbeBatch.INSTANCE.split(new CommandResult(0, nowhere, ""), java.util.List.of("/x", "/y")))
                .as("a path neither found nor absent").isEmpty();
        assertThat(FileProbeBatch.INSTANCE.split(new CommandResult(0, nowhere + "/x\n", ""), java.util.List.of("/x")))
                .as("a path both found and absent").isEmpty();
    }

    @Test
    void onlyPlainAbsolutePathsAreBatched() {
        assertThat(FileProbe.at("/etc/nginx/sites-enabled/my site").batch()).isPresent();
        assertThat(FileProbe.at("relative/-name").batch()).isEmpty();
        assertThat(FileProbe.at("/etc/odd\tname").batch()).isEmpty();
    }
}
