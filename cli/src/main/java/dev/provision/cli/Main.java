package dev.provision.cli;

/** {@code java -jar provision.jar}: see {@link ProvisionCommand}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // answered before picocli builds its command model, the larger part of this command's start
            System.out.println("provision " + version());
            System.exit(ExitCodes.OK);
        }
        int exitCode = ProvisionCommand.commandLine(CliContext.system(), args).execute(args);
        ArchivedClasses.loadAllIfArchiving();
        System.exit(exitCode);
    }

    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }
}
