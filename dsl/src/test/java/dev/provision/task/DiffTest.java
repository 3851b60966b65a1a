package dev.provision.task;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DiffTest {

    @Test
    void aReplacedLineShowsTheOldLineFirst() {
        String diff = new Diff("/etc/redis/redis.conf", "bind 127.0.0.1\nport 6379\ndaemonize no\n",
                "bind 127.0.0.1\nport 0\ndaemonize no\n").unified();
        assertThat(diff).isEqualTo("""
                --- /etc/redis/redis.conf (before)
                +++ /etc/redis/redis.conf (after)
                @@ -1,3 +1,3 @@
                 bind 127.0.0.1
                -port 6379
                +port 0
                 daemonize no
                """);
    }

    @Test
    void distantChangesMakeSeparateHunksWithThreeLinesOfContext() {
        StringBuilder before = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            before.append("line ").append(i).append('\n');
        }
        String after = before.toString().replace("line 2\n", "line two\n").replace("line 18\n", "line eighteen\n");
        String diff = new Diff("f", before.toString(), after).unified();
        assertThat(diff).contains("@@ -1,5 +1,5 @@", "@@ -15,6 +15,6 @@", "-line 18\n+line eighteen\n");
    }

    @Test
    void aNewFileDiffsAgainstDevNull() {
        assertThat(new Diff("/etc/x", "", "a\n").unified()).startsWith("--- /dev/null (before)\n+++ /etc/x (after)\n@@ -0,0 +1,1 @@\n+a\n");
    }

    @Test
    void anEmptiedFileNumbersItsAfterSideFromZero() {
        assertThat(new Diff("/etc/x", "a\nb\n", "").unified()).isEqualTo("""
                --- /etc/x (before)
                +++ /etc/x (after)
                @@ -1,2 +0,0 @@
                -a
                -b
                """);
    }

    @Test
    void changesCloseTogetherShareOneHunk() {
        String before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
        String after = before.replace("2\n", "two\n").replace("9\n", "nine\n");
        assertThat(new Diff("f", before, after).unified()).contains("@@ -1,10 +1,10 @@").containsOnlyOnce("@@ -");
    }

    @Test
    void aDifferenceOnlyInTheLastNewlineHasNoHunk() {
        assertThat(new Diff("f", "a\n", "a").unified()).isEqualTo("--- f (before)\n+++ f (after)\n");
    }
}
