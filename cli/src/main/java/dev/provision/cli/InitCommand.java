package dev.provision.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code provision init [DIR]}: a starter playbook and inventory to edit. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Write a starter playbook (MyServer.java: packages, a file, a service, a handler) and an inventory"
                + " (inventory.yaml) into DIR. Files that exist are left as they are."})
final class InitCommand implements Callable<Integer> {

    static final List<String> STARTER_FILES = List.of("MyServer.java", "inventory.yaml");

    private final CliContext context;

    @Parameters(paramLabel = "DIR", arity = "0..1", defaultValue = ".", description = "Where to write them (default: the current folder).")
    Path folder;

    InitCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        Files.createDirectories(folder);
        for (String name : STARTER_FILES) {
            Path file = folder.resolve(name);
            if (Files.exists(file)) {
                context.out().println("kept    " + file + " (it exists)");
            } else {
                try (InputStream starter = InitCommand.class.getResourceAsStream("starter/" + name)) {
                    Files.copy(starter, file);
                }
                context.out().println("wrote   " + file);
            }
        }
        Path inventory = folder.resolve("inventory.yaml");
        context.out().printf("%nNext: set the address of my.server in %s, then%n  provision plan -i %s my.server%n"
                + "  provision apply -i %s my.server%n", inventory, inventory, inventory);
        return ExitCodes.OK;
    }
}
