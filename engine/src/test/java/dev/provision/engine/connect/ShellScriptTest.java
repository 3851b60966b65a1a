package dev.provision.engine.connect;

import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The script alone, as text: what a batch costs the host and how its answers are told apart. */
class ShellScriptTest {

    private final ShellScript script = new ShellScript("0123456789abcdef0123456789abcdef");

    @Test
    void theNonceNeverStandsWholeInTheScript() {
        String all = script.prologue() + script.batch(List.of("echo a"), List.of("echo b")) + script.lastWords(List.of("true"));

        assertThat(all).doesNotContain(script.nonce()).contains("__provision_a=0123456789abcdef __provision_b=0123456789abcdef");
    }

    @Test
    void commandsAreNumberedAcrossBatchesAndEachBatchSendsItsOwnOutputs() {
        String first = script.batch(List.of("echo a", "echo b"), List.of());
        String second = script.batch(List.of(), List.of("echo c"));

        assertThat(headers(first)).containsExactly(1L, 2L);
        assertThat(first).contains("out 1 2");
        assertThat(headers(second)).containsExactly(3L);
        assertThat(second).contains("out 3 3");
    }

    @Test
    void eachCommandIsEvaluatedInASubshellWithItsQuotesIntact() {
        assertThat(script.batch(List.of("echo 'it''s'"), List.of()))
                .contains("( eval 'echo '\\''it'\\'''\\''s'\\''' ) </dev/null >\"$__provision_d/o1\" 2>\"$__provision_d/e1\"");
    }

    @Test
    void readOnlyCommandsRunInTheBackgroundAtMostEightAtATime() {
        String batch = script.batch(List.of(), Collections.nCopies(10, "true"));

        assertThat(count(batch, " & __provision_p")).isEqualTo(10);
        assertThat(batch.indexOf("wait \"$__provision_p7\"")).isLessThan(batch.indexOf("\"$__provision_d/o9\" 2>"));
        assertThat(headers(batch)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void lastWordsAreFramedButNeverSentBack() {
        String words = script.lastWords(List.of("rm -f /tmp/lock"));

        assertThat(words).contains("eval 'rm -f /tmp/lock'").doesNotContain(" out ").doesNotContain("cat ");
    }

    private static List<Long> headers(String batch) {
        Matcher header = Pattern.compile("printf '\\\\n%s%s (\\d+) %s\\\\n'").matcher(batch);
        List<Long> numbers = new java.util.ArrayList<>();
        while (header.find()) {
            numbers.add(Long.parseLong(header.group(1)));
        }
        return numbers;
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
