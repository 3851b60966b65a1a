package dev.provision.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * What the launcher's class-data archive holds. The JVM archives the classes loaded when it exits, so
 * an archive written by a run of one playbook would leave out another playbook's classes, and every run of
 * that one would load and verify them from the jar (the cost is in BENCHMARKS.md). So the run that
 * writes the archive ({@value #PROPERTY}, set by the launcher) also loads, without initializing,
 * every class of provision's own packages, of snakeyaml, whose use depends on the playbook, and of picocli
 * and sshj, whose use depends on the command, its options and the host's algorithms.
 */
final class ArchivedClasses {

    static final String PROPERTY = "provision.archive.loadAll";

    private static final List<String> PACKAGES = List.of("dev/provision/", "org/yaml/snakeyaml/", "picocli/", "net/schmizz/",
            "com/hierynomus/sshj/");

    private ArchivedClasses() {
    }

    static void loadAllIfArchiving() {
        if (!Boolean.getBoolean(PROPERTY)) {
            return;
        }
        try {
            loadAll(Path.of(ArchivedClasses.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
                    ArchivedClasses.class.getClassLoader());
        } catch (IOException | URISyntaxException e) {
            // not run from a jar (tests, an IDE): the archive holds what this run loaded
        }
    }

    /** Loads the jar's classes of {@link #PACKAGES} through {@code loader}; how many it could load. */
    static int loadAll(Path jarFile, ClassLoader loader) throws IOException {
        try (JarFile jar = new JarFile(jarFile.toFile())) {
            return (int) jar.stream().map(JarEntry::getName)
                    .filter(name -> name.endsWith(".class") && PACKAGES.stream().anyMatch(name::startsWith))
                    .filter(name -> load(name.substring(0, name.length() - ".class".length()).replace('/', '.'), loader))
                    .count();
        }
    }

    private static boolean load(String className, ClassLoader loader) {
        try {
            Class.forName(className, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false; // needs an optional dependency the jar leaves out: not archived
        }
    }
}
