package dev.provision.it.support;

import dev.provision.cli.CliContext;
import dev.provision.cli.DemoContainers;
import dev.provision.cli.ProvisionCommand;
import dev.provision.engine.connect.Connection;
import dev.provision.engine.connect.ConnectionSettings;
import dev.provision.engine.connect.Connections;
import dev.provision.engine.inventory.SshConfig;
import dev.provision.engine.report.Masking;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The provision command in this JVM, over real SSH, with what it prints captured and the connections it opened counted. */
public final class InProcessCli {

    /** What one command left: its exit code, what it printed, and the hosts it connected to. */
    public record Outcome(int exitCode, String out, String err, List<String> connected) {

        public String printed() {
            return out + err;
        }
    }

    private final Path cache;

    /** @param cache the folder for playbooks compiled from sources */
    public InProcessCli(Path cache) {
        this.cache = cache;
    }

    public Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> connected = new ArrayList<>();
        CliContext context = new CliContext(settings -> connect(settings, connected), utf8(out), utf8(err), false, false,
                SshConfig::none, cache, Path.of("/nonexistent", DemoContainers.JAR), new Masking());
        int exitCode = ProvisionCommand.commandLine(context).execute(args);
        return new Outcome(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), List.copyOf(connected));
    }

    private static synchronized Connection connect(ConnectionSettings settings, List<String> connected) {
        connected.add(settings.describe());
        return Connections.open(settings);
    }

    private static PrintStream utf8(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
