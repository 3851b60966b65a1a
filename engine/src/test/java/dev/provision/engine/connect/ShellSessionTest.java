package dev.provision.engine.connect;

import dev.provision.task.CommandResult;
import dev.provision.dsl.Secret;
import dev.provision.task.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShellSessionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Connection shell;

    @BeforeEach
    void open() {
        shell = LocalConnection.open(ConnectionSettings.localShell());
    }

    @AfterEach
    void close() {
        shell.close();
    }

    private CommandResult run(String command) {
        return shell.run(command, TIMEOUT);
    }

    @Test
    void separatesExitCodeStdoutAndStderr() {
        CommandResult result = run("echo out; echo err >&2; printf 'no newline'; exit 7");

        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(result.stdout()).isEqualTo("out\nno newline");
        assertThat(result.stderr()).isEqualTo("err\n");
    }

    @Test
    void outputIsByteExact() {
        assertThat(run("printf 'a\\000b\\n\\n'").stdout()).isEqualTo("a\0b\n\n");
        assertThat(run("printf 'caf\\303\\251 \\342\\202\\254'").stdout()).isEqualTo("café €");
        assertThat(run("printf ''").stdout()).isEmpty();
    }

    @Test
    void carriesFiveMegabytesOfOutput() {
        CommandResult result = run("head -c 5000000 /dev/zero | tr '\\000' x; echo done >&2");

        assertThat(result.stdout()).hasSize(5_000_000).matches("x+");
        assertThat(result.stderr()).isEqualTo("done\n");
        assertThat(run("echo still here").stdout()).isEqualTo("still here\n");
    }

    @Test
    void deliversHereDocumentPayloadsByteForByte() throws Exception {
        byte[] payload = new byte[300_000];
        new Random(42).nextBytes(payload);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));

        CommandResult result = run(Shell.pipe(payload, "sha256sum"));

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).startsWith(sha256);
    }

    @Test
    void quotesAndShellSyntaxSurviveTheEval() {
        String text = "it's \"quoted\" $HOME `date` \\ \n second line\n";

        assertThat(run(Shell.pipe(text, "cat")).stdout()).isEqualTo(text);
        assertThat(run("echo 'it'\"'\"'s'").stdout()).isEqualTo("it's\n");
        assertThat(run("echo a # a comment without a newline").stdout()).isEqualTo("a\n");
    }

    @Test
    void aSyntaxErrorFailsOnlyItsCommand() {
        List<CommandResult> results = shell.run(List.of("if then fi", "echo ok"), TIMEOUT);

        assertThat(results.get(0).exitCode()).isNotZero();
        assertThat(results.get(0).stderr()).containsIgnoringCase("syntax error");
        assertThat(results.get(1)).isEqualTo(new CommandResult(0, "ok\n", ""));
        assertThat(run("echo 'unterminated").exitCode()).isNotZero();
        assertThat(run("echo next").stdout()).isEqualTo("next\n");
    }

    @Test
    void exitEndsOnlyItsCommand() {
        assertThat(run("echo before; exit 3; echo after").exitCode()).isEqualTo(3);
        assertThat(run("set -e; false").exitCode()).isEqualTo(1);
        assertThat(run("echo alive").stdout()).isEqualTo("alive\n");
    }

    @Test
    void commandsDoNotLeakIntoEachOther() {
        String start = run("pwd").stdout();

        run("cd /tmp && X=leaked && export Y=leaked && trap 'echo trapped' EXIT && umask 077");

        assertThat(run("pwd").stdout()).isEqualTo(start);
        assertThat(run("echo ${X:-none} ${Y:-none}").stdout()).isEqualTo("none none\n");
        assertThat(run("true").stdout()).isEmpty();
    }

    @Test
    void commandsReadEndOfFileOnStdin() {
        assertThat(run("cat; read line; echo $?").stdout()).isEqualTo("1\n");
        assertThat(run("echo the script was not eaten").exitCode()).isZero();
    }

    @Test
    void manyCommandsCostOneRoundTrip() {
        List<String> commands = IntStream.range(0, 50).mapToObj(i -> "echo " + i).toList();

        List<CommandResult> results = shell.run(commands, TIMEOUT);

        assertThat(shell.roundTrips()).isEqualTo(1);
        assertThat(results).extracting(CommandResult::stdout)
                .isEqualTo(IntStream.range(0, 50).mapToObj(i -> i + "\n").toList());
    }

    @Test
    void readOnlyCommandsRunAtOnceAndAnswerInOrder() {
        // 20 commands of 0.3 s: one after the other 6 s, at most 8 at once 3 groups, about 1 s
        List<String> reads = IntStream.range(0, 20)
                .mapToObj(i -> "sleep 0.3; echo out " + i + "; echo err " + i + " >&2; exit " + (i % 4)).toList();
        long started = System.nanoTime();

        List<CommandResult> results = shell.runReadOnly(reads, TIMEOUT);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(results).isEqualTo(IntStream.range(0, 20)
                .mapToObj(i -> new CommandResult(i % 4, "out " + i + "\n", "err " + i + "\n")).toList());
        assertThat(shell.roundTrips()).isEqualTo(1);
        assertThat(run("echo the session goes on").stdout()).isEqualTo("the session goes on\n");
    }

    @Test
    void theFirstCommandFinishesBeforeAnyReadStarts() {
        List<CommandResult> results = shell.send(Batch.readOnly(List.of("cat \"$__provision_d/lock\"", "cat \"$__provision_d/lock\""), TIMEOUT)
                .after("sleep 0.3; echo taken > \"$__provision_d/lock\""));

        assertThat(results).extracting(CommandResult::stdout).containsExactly("", "taken\n", "taken\n");
        assertThat(shell.roundTrips()).isEqualTo(1);
    }

    @Test
    void aHangingReadTimesOutLikeAnyCommand() {
        assertThatThrownBy(() -> shell.runReadOnly(List.of("echo fine", "sleep 30"), Duration.ofMillis(500)))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("command timed out after 0.5s on local: sleep 30");
    }

    @Test
    void aCommandOutlivingTheTimeoutClosesTheSession() {
        long started = System.nanoTime();

        assertThatThrownBy(() -> shell.run(List.of("echo fine", "sleep 30\necho never"), Duration.ofMillis(500)))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("command timed out after 0.5s on local: sleep 30 ...")
                .hasMessageContaining("may still be running");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThatThrownBy(() -> run("echo again")).isInstanceOf(ConnectionException.class).hasMessageContaining("closed");
    }

    @Test
    void aTimedOutChangeIsNamedByItsFirstLineThatSaysSomething() {
        assertThatThrownBy(() -> shell.run("(\nsleep 30; touch /tmp/never\n)\nrc=$?", Duration.ofMillis(300)))
                .hasMessageContaining("command timed out after 0.3s on local: sleep 30; touch /tmp/never ...");
    }

    @Test
    void closingFromAnotherThreadEndsAWaitingRun() throws Exception {
        Thread closer = new Thread(() -> {
            sleep(300);
            shell.close();
        });
        closer.start();

        assertThatThrownBy(() -> run("sleep 30"))
                .isInstanceOf(ConnectionException.class)
                .hasMessage("the connection to local was closed");
        closer.join();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aShellThatDiesIsReportedNotAwaited() {
        assertThatThrownBy(() -> run("echo last words >/proc/$$/fd/2; kill -9 $$"))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("the shell on local ended before answering")
                .hasMessageContaining("last words");
    }

    @Test
    void strayOutputOutsideFramesIsSkipped() {
        CommandResult result = run("printf 'stray without newline' >/proc/$$/fd/1; echo real");

        assertThat(result).isEqualTo(new CommandResult(0, "real\n", ""));
        assertThat(run("echo next").stdout()).isEqualTo("next\n");
    }

    @Test
    void backgroundWritersCannotCorruptLaterFrames() {
        run("( sleep 0.2; echo late; echo late >&2 ) &");

        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            outputs.add(run("sleep 0.1; echo " + i).stdout());
        }

        assertThat(outputs).containsExactly("0\n", "1\n", "2\n", "3\n", "4\n");
    }

    @Test
    void outputThatLooksLikePartOfTheProtocolIsOutput() {
        // the shell keeps the nonce in two halves; these print pieces of it as a command could by chance
        String[] commands = {
                "printf '\\n%s\\n' \"$__provision_a\"",                                  // the first half on a line
                "printf '\\n%s%sX\\n' \"$__provision_a\" \"$__provision_b\"",                // all of it but the delimiter's last byte
                "printf '\\n%s%s' \"$__provision_a\" \"$(printf %s \"$__provision_b\" | cut -c1-15)\"", // one character short, at the end
                "printf '%s%s 9 0\\n%s%s out 9 9\\n' \"$__provision_a\" \"$__provision_b\" \"$__provision_a\" \"$__provision_b\" >&2",
        };
        List<CommandResult> results = shell.run(List.of(commands), TIMEOUT);
        String a = run("printf %s \"$__provision_a\"").stdout();
        String b = run("printf %s \"$__provision_b\"").stdout();

        assertThat(a + b).hasSize(32).matches("[0-9a-f]+");
        assertThat(results.get(0)).isEqualTo(new CommandResult(0, "\n" + a + "\n", ""));
        assertThat(results.get(1)).isEqualTo(new CommandResult(0, "\n" + a + b + "X\n", ""));
        assertThat(results.get(2)).isEqualTo(new CommandResult(0, "\n" + a + b.substring(0, 15), ""));
        assertThat(results.get(3)).isEqualTo(new CommandResult(0, "", a + b + " 9 0\n" + a + b + " out 9 9\n"));
        assertThat(run("echo next").stdout()).isEqualTo("next\n");
    }

    @Test
    void aDelimiterIsFoundAfterBytesThatOnlyStartLikeIt() throws Exception {
        byte[] delimiter = "\nab\n".getBytes(StandardCharsets.US_ASCII);
        InputStream in = new ByteArrayInputStream("x\na\n\nab\nab\n\n\nab\nrest".getBytes(StandardCharsets.US_ASCII));

        assertThat(FrameReader.readUntil(in, delimiter)).asString(StandardCharsets.US_ASCII).isEqualTo("x\na\n");
        assertThat(FrameReader.readUntil(in, delimiter)).asString(StandardCharsets.US_ASCII).isEqualTo("ab\n\n");
        assertThat(in.readAllBytes()).asString(StandardCharsets.US_ASCII).isEqualTo("rest");
    }

    @Test
    void aBatchLeavesNoOutputFilesBehind() {
        shell.run(List.of("echo 1", "echo 2 >&2", "true"), TIMEOUT);

        // only the delimiter and this command's own two files
        assertThat(run("cd \"$__provision_d\" && ls").stdout()).isEqualTo("D\ne5\no5\n");
    }

    @Test
    void aCommandThatRemovesTheTempDirEndsTheSessionWithAReason() {
        assertThatThrownBy(() -> shell.run(List.of("rm -rf \"$__provision_d\"", "echo after"), TIMEOUT))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("removed the session's temp dir");
    }

    @Test
    void keepsAPrivateTempDirAndRemovesItOnClose() throws Exception {
        Path dir = Path.of(run("echo $__provision_d").stdout().strip());
        assertThat(run("stat -c %a \"$__provision_d\"").stdout()).isEqualTo("700\n");

        shell.close();

        assertThat(Files.exists(dir)).isFalse();
    }
}
