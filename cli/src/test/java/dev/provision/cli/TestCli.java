package dev.provision.cli;

import dev.provision.engine.connect.Connection;
import dev.provision.engine.connect.ConnectionException;
import dev.provision.engine.connect.ConnectionSettings;
import dev.provision.engine.inventory.SshConfig;
import dev.provision.engine.report.Masking;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The provision command run in this JVM against fake hosts, with what it prints captured. */
final class TestCli {

    /** Where {@code provision demo} looks for its containers here: nowhere. */
    static final Path NO_DEMO_JAR = Path.of("/nonexistent", DemoContainers.JAR);

    final List<ConnectionSettings> connected = new ArrayList<>();
    private final Function<String, ? extends Connection> hostAt;
    private final Path cache;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /**
     * @param hostAt the host at an address, or null: the connection is refused
     * @param cache  the cache folder (compiled playbook sources)
     */
    TestCli(Function<String, ? extends Connection> hostAt, Path cache) {
        this.hostAt = hostAt;
        this.cache = cache;
    }

    int run(String... args) {
        out.reset();
        err.reset();
        CliContext context = new CliContext(this::connect, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, false, SshConfig::none, cache, NO_DEMO_JAR, new Masking());
        return ProvisionCommand.commandLine(context, args).execute(args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Connection connect(ConnectionSettings settings) {
        connected.add(settings);
        Connection host = hostAt.apply(settings.address());
        if (host == null) {
            throw new ConnectionException("connection refused by " + settings.describe());
        }
        return host;
    }
}
