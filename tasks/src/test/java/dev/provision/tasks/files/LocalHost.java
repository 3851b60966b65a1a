package dev.provision.tasks.files;

import dev.provision.task.Change;
import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Task;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * This machine's POSIX sh standing in for a host: facts and change scripts run for real, each script
 * wrapped the way the engine sends it ({@code ( script ) || exit $?}).
 */
public final class LocalHost {

    private LocalHost() {
    }

    public static CommandResult sh(String script) {
        try {
            Process process = new ProcessBuilder("sh", "-c", script).start();
            process.getOutputStream().close();
            CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            return new CommandResult(exit, stdout, new String(stderr.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A change script as the engine runs it. */
    public static CommandResult run(String script) {
        return sh("(\n" + script + (script.endsWith("\n") ? "" : "\n") + ") || exit $?\n");
    }

    public static Facts facts() {
        return new Facts() {
            @Override
            public <T> T get(Fact<T> fact) {
                return fact.parse(sh(fact.command()));
            }
        };
    }

    public static Plan plan(Task task) {
        return task.plan(facts());
    }

    /** Plans the task and runs its changes; fails on a failed plan or change. */
    public static Plan apply(Task task) {
        Plan plan = plan(task);
        if (plan.failed()) {
            throw new AssertionError("plan failed: " + plan.failure().get());
        }
        for (Change change : plan.changes()) {
            CommandResult result = run(change.script());
            if (!result.succeeded()) {
                throw new AssertionError("change '" + change.summary() + "' failed: " + result.errorText());
            }
        }
        return plan;
    }
}
