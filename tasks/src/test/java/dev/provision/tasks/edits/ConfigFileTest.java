package dev.provision.tasks.edits;

import dev.provision.task.Diff;
import dev.provision.dsl.Secret;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigFileTest {

    private static final String REDIS_CONF = resource("edits/redis.conf");

    private static String resource(String name) {
        try (InputStream in = ConfigFileTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The removed lines, then the added ones. */
    private static String changedLines(String before, String after) {
        List<String> lines = new Diff("redis.conf", before, after).unified().lines()
                .filter(l -> !l.startsWith("+++") && !l.startsWith("---")).toList();
        return Stream.of("-", "+").flatMap(sign -> lines.stream().filter(l -> l.startsWith(sign)))
                .map(l -> l + "\n").collect(Collectors.joining());
    }

    private static ConfigFile redis() {
        return ConfigFile.at("/etc/redis/redis.conf");
    }

    @Test
    void replacesTheActiveSettingInPlace() {
        String edited = redis().set("port", 0).edit(REDIS_CONF);

        assertThat(changedLines(REDIS_CONF, edited)).isEqualTo("-port 6379\n+port 0\n");
    }

    @Test
    void replacesTheCommentedExampleInPlaceWhenThereIsNoActiveSetting() {
        String edited = redis()
                .set("unixsocket", "/run/redis/redis-server.sock")
                .set("unixsocketperm", 770)
                .edit(REDIS_CONF);

        assertThat(changedLines(REDIS_CONF, edited)).isEqualTo(
                "-# unixsocket /run/redis/redis-server.sock\n-# unixsocketperm 700\n"
                        + "+unixsocket /run/redis/redis-server.sock\n+unixsocketperm 770\n");
        assertThat(edited).contains("# on a unix socket when not specified.\n#\nunixsocket /run/redis/redis-server.sock\nunixsocketperm 770\n");
    }

    @Test
    void aKeyThatIsAPrefixOfAnotherIsNotConfusedWithIt() {
        String edited = redis().set("unixsocketperm", 770).edit(REDIS_CONF);

        assertThat(edited).contains("# unixsocket /run/redis/redis-server.sock\nunixsocketperm 770\n");
    }

    @Test
    void thePreferredExampleIsTheLastCommentedOne() {
        String edited = redis().set("save", "\"\"").edit(REDIS_CONF);

        assertThat(changedLines(REDIS_CONF, edited)).isEqualTo("-# save 3600 1 300 100 60 10000\n+save \"\"\n");
    }

    @Test
    void anActiveSettingWinsOverCommentedExamples() {
        String edited = redis().set("bind", "127.0.0.1").edit(REDIS_CONF);

        assertThat(changedLines(REDIS_CONF, edited)).isEqualTo("-bind 127.0.0.1 -::1\n+bind 127.0.0.1\n");
    }

    @Test
    void aKeyFoundNowhereIsAppended() {
        String edited = redis().set("maxmemory-policy", "allkeys-lru").edit(REDIS_CONF);

        assertThat(edited).isEqualTo(REDIS_CONF + "maxmemory-policy allkeys-lru\n");
    }

    @Test
    void aSecretValueIsWrittenInClear() {
        String edited = redis().set("requirepass", Secret.of("correct horse battery")).edit(REDIS_CONF);

        assertThat(changedLines(REDIS_CONF, edited)).isEqualTo("-# requirepass foobared\n+requirepass correct horse battery\n");
        assertThat(redis().set("requirepass", Secret.of("correct horse battery")).describe()).doesNotContain("horse");
    }

    @Test
    void unsetCommentsTheActiveLineOutAndSetBringsItBack() {
        String unset = redis().unset("protected-mode").edit(REDIS_CONF);
        assertThat(changedLines(REDIS_CONF, unset)).isEqualTo("-protected-mode yes\n+# protected-mode yes\n");

        String setAgain = redis().set("protected-mode", "no").edit(unset);
        assertThat(changedLines(REDIS_CONF, setAgain)).isEqualTo("-protected-mode yes\n+protected-mode no\n");
    }

    @Test
    void editingTwiceChangesNothingTheSecondTime() {
        ConfigFile task = redis().set("port", 0).set("unixsocket", "/run/redis/redis-server.sock").set("unixsocketperm", 770)
                .set("maxmemory", "256mb").unset("protected-mode");
        String once = task.edit(REDIS_CONF);

        assertThat(task.edit(once)).isSameAs(once);
    }

    @Test
    void aMatchingValueWrittenDifferentlyIsLeftAlone() {
        String text = "port   0\n\tmaxmemory 1gb  \n";

        assertThat(redis().set("port", "0").set("maxmemory", "1gb").edit(text)).isSameAs(text);
    }

    @Test
    void duplicateActiveLinesKeepOnlyTheLast() {
        String edited = redis().set("save", "60 1000").edit("save 900 1\nsave 300 10\n");

        assertThat(edited).isEqualTo("# save 900 1\nsave 60 1000\n");
    }

    @Test
    void equalsSeparatedFilesAreReadWithOrWithoutBlanks() {
        ConfigFile postgres = ConfigFile.at("/etc/postgresql/15/main/postgresql.conf").separator(" = ");
        String text = "#listen_addresses = 'localhost'\t\t# what IP address(es) to listen on;\nmax_connections=100\n";

        String edited = postgres.set("listen_addresses", "''").set("max_connections", 100).edit(text);

        assertThat(edited).isEqualTo("listen_addresses = ''\nmax_connections=100\n");
    }

    @Test
    void indentationIsKept() {
        assertThat(redis().set("port", 0).edit("  port 6379\n")).isEqualTo("  port 0\n");
    }

    @Test
    void newSettingsCanGoBeforeAMatchBlock() {
        ConfigFile sshd = ConfigFile.at("/etc/ssh/sshd_config").insertBefore("^Match\\s");
        String text = "Port 22\nMatch User backup\n    ForceCommand internal-sftp\n";

        assertThat(sshd.set("PasswordAuthentication", "no").edit(text))
                .isEqualTo("Port 22\nPasswordAuthentication no\nMatch User backup\n    ForceCommand internal-sftp\n");
    }

    @Test
    void anEmptyFileGetsTheSetting() {
        assertThat(redis().set("port", 0).edit("")).isEqualTo("port 0\n");
    }
}
