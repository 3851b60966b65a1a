import dev.provision.task.CommandResult;
import dev.provision.engine.connect.Connection;
import dev.provision.engine.connect.ConnectionSettings;
import dev.provision.engine.connect.Connections;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Per-command cost of the framed shell protocol: one batch of COUNT commands over one open session,
 * repeated ROUNDS times; prints the median and the spread (min..max) of the time per command.
 *
 * <pre>
 * java -cp ENGINE_CLASSES:DEPS bench/shell-session/ShellSessionBench.java local ROUNDS COUNT [COMMAND]
 * java -cp ... ShellSessionBench.java ssh ROUNDS COUNT COMMAND HOST PORT KEY KNOWN_HOSTS
 * </pre>
 * Run by bench/shell-session/run.sh, which alternates the old and the new protocol's classes.
 */
public final class ShellSessionBench {
    public static void main(String[] args) {
        String mode = args[0];
        int rounds = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        String command = args.length > 3 ? args[3] : "true";
        ConnectionSettings settings = mode.equals("local") ? ConnectionSettings.localShell()
                : ConnectionSettings.ssh(args[4], Integer.parseInt(args[5]), "root").toBuilder()
                        .identityFiles(List.of(Path.of(args[6])))
                        .knownHosts(List.of(Path.of(args[7])), false)
                        .build();
        List<String> batch = Collections.nCopies(count, command);
        try (Connection connection = Connections.open(settings)) {
            connection.run(batch, Duration.ofSeconds(60)); // warm-up: JIT, page cache
            List<Double> perCommandMs = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                List<CommandResult> results = connection.run(batch, Duration.ofSeconds(60));
                long t1 = System.nanoTime();
                if (results.size() != count || results.stream().anyMatch(res -> !res.succeeded())) {
                    throw new IllegalStateException("a command failed: " + results.get(0));
                }
                perCommandMs.add((t1 - t0) / 1e6 / count);
            }
            Collections.sort(perCommandMs);
            System.out.printf("%s %d x '%s': median %.2f ms/command (min %.2f, max %.2f, %d rounds)%n", mode, count,
                    command, perCommandMs.get(rounds / 2), perCommandMs.get(0), perCommandMs.get(rounds - 1), rounds);
        }
    }
}
