package dev.provision.cli;

/** {@code java -jar provision.jar}: see {@link ProvisionCommand}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int exitCode = ProvisionCommand.commandLine(CliContext.system(), args).execute(args);
        ArchivedClasses.loadAllIfArchiving();
        System.exit(exitCode);
    }
}
