package dev.provision.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The playbook sources of an inventory: the {@code *.java} files in its folder, and those anywhere
 * under a {@code playbooks/} folder beside it. Paths are as the inventory was named, so messages show
 * them the way the user wrote them.
 */
record PlaybookSources(Path folder, List<Path> files) {

    static final String FOLDER = "playbooks";

    static PlaybookSources beside(Path inventory) {
        Path folder = inventory.getParent() == null ? Path.of("") : inventory.getParent();
        List<Path> files = Stream.concat(javaFiles(folder, 1), javaFiles(folder.resolve(FOLDER), Integer.MAX_VALUE)).sorted().toList();
        return new PlaybookSources(folder, files);
    }

    boolean isEmpty() {
        return files.isEmpty();
    }

    /** For messages: {@code MyServer.java, playbooks/Base.java in /srv/ops}. */
    String describe() {
        return String.join(", ", files.stream().map(file -> folder.relativize(file).toString()).toList())
                + " in " + folder.toAbsolutePath().normalize();
    }

    private static Stream<Path> javaFiles(Path folder, int depth) {
        if (!Files.isDirectory(folder)) {
            return Stream.empty();
        }
        try (Stream<Path> found = Files.find(folder, depth, (path, attributes) -> attributes.isRegularFile()
                && path.getFileName().toString().endsWith(".java"))) {
            return found.toList().stream();
        } catch (IOException e) {
            throw new PlaybookSourceException("cannot list the playbook sources in " + folder + ": " + e);
        }
    }
}
