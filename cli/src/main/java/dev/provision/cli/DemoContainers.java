package dev.provision.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The throwaway Debian containers {@code provision demo} runs on. They are made with Testcontainers and
 * docker-java, which no other command needs, so the implementation lives in {@value #JAR} beside provision.jar
 * and is loaded only by the demo.
 */
public interface DemoContainers {

    String JAR = "provision-demo.jar";

    /** The Debian suites a container can run. */
    List<String> SUITES = List.of("bookworm", "sid");

    /** Starts a container of one of {@link #SUITES} with systemd and sshd; throws when it cannot. */
    DemoContainer start(String suite);

    /** A running container that root reaches over SSH with a key; {@link #close()} removes it. */
    record DemoContainer(String name, String sshHost, int sshPort, Path privateKey, Path knownHostsFile, Runnable remove)
            implements AutoCloseable {

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
}
