package dev.provision.cli;

import dev.provision.engine.connect.Connection;
import dev.provision.engine.connect.ConnectionException;
import dev.provision.engine.connect.ConnectionSettings;
import dev.provision.engine.inventory.InventoryHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code provision facts HOST...}: what a host is, read without changing anything. */
@Command(name = "facts", mixinStandardHelpOptions = true,
        description = "Connect to hosts and show what they are: OS release, kernel, hostname, architecture, memory,"
                + " whether systemd runs, how many packages are installed. Changes nothing.")
final class FactsCommand implements Callable<Integer> {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final CliContext context;

    @Parameters(paramLabel = "HOST", arity = "1..*", description = "Host or group names from the inventory, globs such as 'web*', or all.")
    List<String> hosts;

    @Mixin
    InventoryOption inventory;

    @Mixin
    ConnectionOptions connectionOptions;

    FactsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        boolean allReached = true;
        for (InventoryHost host : inventory.load(context).select(hosts)) {
            allReached &= show(host.name(), connectionOptions.applyTo(host.connection()));
        }
        return allReached ? ExitCodes.OK : ExitCodes.UNREACHABLE;
    }

    private boolean show(String host, ConnectionSettings settings) {
        StringBuilder block = new StringBuilder(host + "  " + settings.describe() + "\n");
        boolean reached;
        try (Connection connection = context.connector().apply(settings)) {
            Map<String, String> facts = HostFacts.gather(connection, TIMEOUT);
            facts.forEach((label, value) -> block.append(String.format("  %-14s%s%n", label, value)));
            reached = true;
        } catch (ConnectionException e) {
            block.append("  unreachable: ").append(e.getMessage()).append('\n');
            reached = false;
        }
        context.out().print(context.masking().mask(block.toString()));
        return reached;
    }
}
