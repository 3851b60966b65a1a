package dev.provision.it.reliability;

import dev.provision.testbed.DebianHost;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a kill loop kills a controller: with SIGKILL, a jitter after the run has printed a number of finished tasks;
 * then the host settles once the dead run's shell has finished the command it was given.
 */
final class KillPoint {

    static final Duration RUN_LIMIT = Duration.ofMinutes(20);
    /** How many kills a loop makes: {@code -Dprovision.killLoop=N}, 3 by default so that {@code mvn verify} stays short. */
    static final int KILLS = Integer.getInteger("provision.killLoop", 3);
    private static final String LOCK = "/run/lock/provision.lock";

    private KillPoint() {
    }

    /** Kills the run after {@code afterTasks} finished tasks and {@code jitterMillis}, prints where, and returns that. */
    static String kill(String loop, Controller run, int kill, int afterTasks, int jitterMillis) throws InterruptedException {
        long started = System.nanoTime();
        awaitFinishedTasks(run, afterTasks);
        Thread.sleep(jitterMillis);
        boolean killed = run.alive();
        run.kill();
        if (!killed) {
            assertThat(run.await(RUN_LIMIT)).as("a run that ended before its kill point succeeded:\n" + run.output()).isZero();
        }
        String when = "kill " + kill + " after " + afterTasks + " tasks + " + jitterMillis + " ms" + (killed ? "" : " (the run had ended)");
        System.out.printf("[%s] %s, %.1f s into the run; the run's last lines:%n%s%n", loop, when,
                (System.nanoTime() - started) / 1e9, lastTaskLines(run.output()));
        return when;
    }

    /** The dead run's shell finishes the command it was given before it notices; only then is the host settled. */
    static void awaitRemoteShellGone(DebianHost host) {
        host.exec("o=$(cat " + LOCK + "/owner-* 2>/dev/null) || exit 0; p=${o#shell=}; p=${p%% *}; i=0;"
                + " while kill -0 $p 2>/dev/null && [ $i -lt 1200 ]; do sleep 0.5; i=$((i+1)); done; ! kill -0 $p 2>/dev/null").requireSuccess();
    }

    static String recap(String output) {
        return output.lines().dropWhile(line -> !line.startsWith("PLAY RECAP")).collect(Collectors.joining("\n"));
    }

    /** Waits until the run has printed {@code count} finished tasks, or has ended. */
    private static void awaitFinishedTasks(Controller run, int count) throws InterruptedException {
        long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (taskLines(run.output()).size() >= count || !run.alive()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the run did not get to " + count + " tasks:\n" + run.output());
    }

    private static List<String> taskLines(String output) {
        return output.lines().filter(line -> line.matches("(ok|changed|failed|skipped) .*")).toList();
    }

    private static String lastTaskLines(String output) {
        List<String> tasks = taskLines(output);
        return tasks.subList(Math.max(0, tasks.size() - 3), tasks.size()).stream().map(line -> "    " + line).collect(Collectors.joining("\n"));
    }
}
