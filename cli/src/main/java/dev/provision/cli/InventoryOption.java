package dev.provision.cli;

import dev.provision.engine.inventory.Inventory;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --inventory FILE}, shared by the commands that read one. */
final class InventoryOption {

    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE", defaultValue = "inventory.yaml",
            description = "The inventory: hosts, groups, variables, playbooks (default: ${DEFAULT-VALUE}).")
    Path file;

    Inventory load(CliContext context) {
        return Inventory.load(file, context.sshConfig().get());
    }
}
