package dev.provision.cli;

import dev.provision.engine.inventory.PlaybookLoader;

import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Playbooks compiled from the sources beside an inventory, kept in {@code CACHE/classes/HASH}: the hash
 * covers the sources (paths and contents) and what they were compiled against (provision's version, the
 * classpath's files, the Java version), so a changed source or a rebuilt provision compiles again and
 * anything else loads the cached classes. The classpath's own classes win over compiled ones of the same name.
 */
final class CompiledPlaybooks {

    private final Path cache;
    private final Supplier<PlaybookCompiler> compiler;
    private final String classpath;
    private final PrintStream notes;

    /**
     * @param cache     provision's cache folder ({@code ~/.cache/provision})
     * @param compiler  asked only when the cache lacks the sources' classes: finding the JDK's compiler loads it
     * @param classpath what the sources are compiled against, as {@code java.class.path} gives it
     * @param notes     where "compiling..." goes
     */
    CompiledPlaybooks(Path cache, Supplier<PlaybookCompiler> compiler, String classpath, PrintStream notes) {
        this.cache = cache;
        this.compiler = compiler;
        this.classpath = classpath;
        this.notes = notes;
    }

    /** Compiled with the JDK's compiler against provision's own classpath; "compiling..." on stderr. */
    static CompiledPlaybooks of(CliContext context) {
        String classpath = System.getProperty("java.class.path");
        return new CompiledPlaybooks(context.cache(), () -> new PlaybookCompiler(ToolProvider.getSystemJavaCompiler(), classpath),
                classpath, context.err());
    }

    /** The classpath, plus the classes of the sources beside {@code inventory} if there are any. */
    PlaybookLoader beside(Path inventory) {
        PlaybookSources sources = PlaybookSources.beside(inventory);
        if (sources.isEmpty()) {
            return PlaybookLoader.CLASSPATH;
        }
        Path classes = cache.resolve("classes").resolve(hash(sources));
        if (!Files.isDirectory(classes)) {
            notes.println("provision: compiling " + sources.describe());
            store(compiler.get().compile(sources), classes);
        }
        return new PlaybookLoader(new URLClassLoader(new URL[] {url(classes)}, PlaybookLoader.CLASSPATH.loader()),
                "on the classpath or in the playbook sources " + sources.describe()
                        + " (a class without a package statement is named by its simple name)");
    }

    private String hash(PlaybookSources sources) {
        MessageDigest digest = sha256();
        update(digest, Main.version() + "\0" + Runtime.version().feature());
        for (String entry : classpath.split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath();
            update(digest, path + "\0" + lastModified(path));
        }
        for (Path source : sources.files()) {
            update(digest, sources.folder().relativize(source).toString());
            try {
                digest.update(Files.readAllBytes(source));
            } catch (IOException e) {
                throw new PlaybookSourceException("cannot read the playbook source " + source + ": " + e);
            }
        }
        return HexFormat.of().formatHex(digest.digest()).substring(0, 32);
    }

    private static String lastModified(Path path) {
        try {
            return Files.size(path) + "@" + Files.getLastModifiedTime(path).toMillis();
        } catch (IOException e) {
            return "absent";
        }
    }

    /** Written to a folder of its own, then renamed into place: a run never sees half of it, two runs may race. */
    private static void store(Map<String, byte[]> compiled, Path classes) {
        Path staging = null;
        try {
            Files.createDirectories(classes.getParent());
            staging = Files.createTempDirectory(classes.getParent(), ".staging-");
            for (Map.Entry<String, byte[]> entry : compiled.entrySet()) {
                Path file = staging.resolve(entry.getKey().replace('.', '/') + ".class");
                Files.createDirectories(file.getParent());
                Files.write(file, entry.getValue());
            }
            Files.move(staging, classes, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isDirectory(classes)) { // else another run stored the same classes first
                throw new PlaybookSourceException("cannot store the compiled playbooks in " + classes + ": " + e);
            }
        } finally {
            deleteQuietly(staging);
        }
    }

    private static void deleteQuietly(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a leftover staging folder costs only space
        }
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static URL url(Path folder) {
        try {
            return folder.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(folder + " has no URL", e);
        }
    }
}
