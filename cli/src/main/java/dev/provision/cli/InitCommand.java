package dev.provision.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code provision init [--maven] [DIR]}: a starter playbook with its checks, and an inventory or a Maven project. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Write a starter playbook (MyServer.java: packages, a file, a service, a handler, and the checks provision test"
                + " runs) and an inventory (inventory.yaml) into DIR. With --maven, a Maven project instead: pom.xml importing"
                + " provision-bom, MyServer and its JUnit test on a Debian container. Files that exist are left as they are."})
final class InitCommand implements Callable<Integer> {

    static final List<String> STARTER_FILES = List.of("MyServer.java", "inventory.yaml");

    private static final String MAVEN_PACKAGE = "com.example";

    private final CliContext context;

    @Parameters(paramLabel = "DIR", arity = "0..1", defaultValue = ".", description = "Where to write them (default: the current folder).")
    Path folder;

    @Option(names = "--maven", description = "Write a Maven project whose `mvn verify` tests MyServer in Docker.")
    boolean maven;

    InitCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        if (maven) {
            String source = "src/main/java/" + MAVEN_PACKAGE.replace('.', '/') + "/";
            String test = "src/test/java/" + MAVEN_PACKAGE.replace('.', '/') + "/";
            Map<String, String> files = new LinkedHashMap<>();
            files.put("pom.xml", starter("maven/pom.xml"));
            files.put(source + "MyServer.java", "package " + MAVEN_PACKAGE + ";\n\n" + starter("MyServer.java"));
            files.put(test + "MyServerTest.java", starter("maven/MyServerTest.java"));
            write(files);
            context.out().printf("%nNext: cd %s && mvn verify   (MyServerTest converges MyServer on a Debian container; needs Docker)%n",
                    folder);
            return ExitCodes.OK;
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (String name : STARTER_FILES) {
            files.put(name, starter(name));
        }
        write(files);
        Path inventory = folder.resolve("inventory.yaml");
        context.out().printf("%nNext: set the address of my.server in %s, then%n  provision plan -i %s my.server%n"
                + "  provision apply -i %s my.server%nOr first, on a throwaway Docker container:%n  provision test -i %s my.server%n",
                inventory, inventory, inventory, inventory);
        return ExitCodes.OK;
    }

    private void write(Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> entry : files.entrySet()) {
            Path file = folder.resolve(entry.getKey());
            if (Files.exists(file)) {
                context.out().println("kept    " + file + " (it exists)");
            } else {
                Files.createDirectories(file.getParent());
                Files.writeString(file, entry.getValue(), StandardCharsets.UTF_8);
                context.out().println("wrote   " + file);
            }
        }
    }

    private static String starter(String name) throws IOException {
        try (InputStream starter = InitCommand.class.getResourceAsStream("starter/" + name)) {
            if (starter == null) {
                throw new IllegalStateException("provision.jar lacks its starter file " + name);
            }
            return new String(starter.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
