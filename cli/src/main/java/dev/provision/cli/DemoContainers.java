package dev.provision.cli;

import dev.provision.dsl.Host;
import dev.provision.dsl.Verifiable;
import dev.provision.engine.connect.ConnectionSettings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * The throwaway Debian containers {@code provision demo} and {@code provision test} run on. They are made with
 * Testcontainers and docker-java, which no other command needs, so the implementation lives in {@value #JAR} beside
 * provision.jar and is loaded only by those two commands.
 */
public interface DemoContainers {

    String JAR = "provision-demo.jar";

    /** The Debian suites a container can run. */
    List<String> SUITES = List.of("bookworm", "trixie", "sid");

    /** Starts a container of one of {@link #SUITES} with systemd and sshd; throws when it cannot. */
    DemoContainer start(String suite);

    /**
     * How one check of a {@link Verifiable} playbook ended.
     *
     * @param failure what was found instead of what was expected; empty when the check passed
     */
    record CheckOutcome(String check, Optional<String> failure) {
    }

    /** Runs a playbook's own checks on a container. */
    interface Checks {

        /** Calls {@code playbook.verify} for {@code host}; each check's outcome goes to {@code listener} as it ends. */
        List<CheckOutcome> verify(Host host, Verifiable playbook, Consumer<CheckOutcome> listener);
    }

    /** A running container that root reaches over SSH with a key; {@link #close()} removes it. */
    record DemoContainer(String name, String sshHost, int sshPort, Path privateKey, Path knownHostsFile, Checks checks, Runnable remove)
            implements AutoCloseable {

        /** How a run reaches it: as root, with the test key, its host key known. */
        public ConnectionSettings connection() {
            return ConnectionSettings.ssh(sshHost, sshPort, "root").toBuilder()
                    .identityFiles(List.of(privateKey))
                    .knownHosts(List.of(knownHostsFile), false)
                    .build();
        }

        /**
         * Says how to log in, and returns once Enter is pressed (or input ends). The container lives only as long as this
         * process: Testcontainers removes what it started when the JVM exits.
         */
        public void keepUntilEnter(PrintStream out) throws IOException {
            out.printf("%nThe container %s is still running. Log in with:%n  ssh -p %d -i %s -o UserKnownHostsFile=%s root@%s%n"
                    + "Press Enter to remove it.%n", name, sshPort, privateKey, knownHostsFile, sshHost);
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }

        @Override
        public void close() {
            remove.run();
        }
    }

    /** The implementation in {@code jar}, or empty when that file does not exist or holds none. */
    static Optional<DemoContainers> loadFrom(Path jar) {
        if (!Files.isRegularFile(jar)) {
            return Optional.empty();
        }
        try {
            // never closed: the containers' JVM shutdown hook still loads classes from it
            URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, DemoContainers.class.getClassLoader());
            return ServiceLoader.load(DemoContainers.class, loader).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The implementation beside provision.jar, or empty once the user is told how to build it. */
    static Optional<DemoContainers> loadOrExplain(CliContext context) {
        Optional<DemoContainers> containers = loadFrom(context.demoJar());
        if (containers.isEmpty()) {
            context.err().println("provision: the demo's containers are missing: " + context.demoJar() + " does not exist or holds"
                    + " none. Build it at the root of the repository with `mvn -B -DskipTests -pl cli,demo -am install`"
                    + " (./provision does when it is missing).");
        }
        return containers;
    }
}
