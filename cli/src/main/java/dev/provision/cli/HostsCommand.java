package dev.provision.cli;

import dev.provision.engine.connect.ConnectionSettings;
import dev.provision.engine.inventory.Inventory;
import dev.provision.engine.inventory.InventoryHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code provision hosts}: the inventory as a table. */
@Command(name = "hosts", mixinStandardHelpOptions = true,
        description = "List the inventory's hosts: how each is reached, its playbook class and its groups.")
final class HostsCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    InventoryOption inventory;

    @Parameters(paramLabel = "PATTERN", arity = "0..*", description = "Only the hosts matching these (default: all).")
    List<String> patterns = List.of();

    HostsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Inventory loaded = inventory.load(context);
        List<InventoryHost> hosts = patterns.isEmpty() ? loaded.hosts() : loaded.select(patterns);
        List<String[]> rows = new ArrayList<>();
        boolean deployed = !loaded.deployments().isEmpty();
        rows.add(deployed ? new String[] {"HOST", "CONNECTION", "PLAYBOOK", "GROUPS", "ROLES"}
                : new String[] {"HOST", "CONNECTION", "PLAYBOOK", "GROUPS"});
        for (InventoryHost host : hosts) {
            List<String> roles = roles(loaded, host.name());
            String[] row = {host.name(), connection(host.connection()),
                    host.playbook().map(InventoryHost.PlaybookName::className).orElse("-"),
                    host.groups().isEmpty() ? "-" : String.join(",", host.groups()),
                    roles.isEmpty() ? "-" : String.join(",", roles)};
            rows.add(deployed ? row : Arrays.copyOf(row, 4));
        }
        printTable(rows);
        return ExitCodes.OK;
    }

    /** {@code chat/database}: each deployment role the host takes. */
    private static List<String> roles(Inventory inventory, String host) {
        List<String> roles = new ArrayList<>();
        inventory.deployments().forEach(deployment -> deployment.hostsByRole().forEach((role, hosts) -> {
            if (hosts.contains(host)) {
                roles.add(deployment.name() + "/" + role);
            }
        }));
        return roles;
    }

    private static String connection(ConnectionSettings settings) {
        return settings.describe() + (settings.become() ? " (become)" : "");
    }

    private void printTable(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int column = 0; column < row.length; column++) {
                widths[column] = Math.max(widths[column], row[column].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int column = 0; column < row.length; column++) {
                line.append(column == row.length - 1 ? row[column] : String.format("%-" + (widths[column] + 2) + "s", row[column]));
            }
            context.out().println(line);
        }
    }
}
