package dev.provision.cli;

/** {@code java -jar provision.jar}: see {@link ProvisionCommand}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(ProvisionCommand.commandLine(CliContext.system()).execute(args));
    }
}
