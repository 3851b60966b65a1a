package dev.provision.cli;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compiles playbook sources in memory with the JDK's compiler, against the classpath provision runs
 * with (so the DSL and the task library are there). Errors come back the way javac shows them, with
 * the column added: {@code MyServer.java:12:23: error: ...}, the source line, and a caret under the spot.
 */
final class PlaybookCompiler {

    static final String NO_JDK = "compiling playbook sources needs a JDK (javac); run provision with a JDK 17+";

    private final JavaCompiler compiler;
    private final String classpath;

    /** @param compiler the JDK's compiler, or null on a JRE (then compiling fails with {@link #NO_JDK}) */
    PlaybookCompiler(JavaCompiler compiler, String classpath) {
        this.compiler = compiler;
        this.classpath = classpath;
    }

    /**
     * The class files of the sources, by binary class name.
     *
     * @throws PlaybookSourceException when the sources do not compile, or there is no compiler
     */
    Map<String, byte[]> compile(PlaybookSources sources) {
        if (compiler == null) {
            throw new PlaybookSourceException(NO_JDK);
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, ByteArrayOutputStream> classes = new TreeMap<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
             InMemoryClasses output = new InMemoryClasses(files, classes)) {
            boolean compiled = compiler.getTask(null, output, diagnostics,
                    List.of("-classpath", classpath, "-proc:none", "-parameters", "-g", "-encoding", "UTF-8"),
                    null, files.getJavaFileObjectsFromPaths(sources.files())).call();
            if (!compiled) {
                throw new PlaybookSourceException(errors(diagnostics.getDiagnostics()));
            }
        } catch (IOException e) {
            throw new PlaybookSourceException("compiling " + sources.describe() + " failed: " + e);
        }
        Map<String, byte[]> bytes = new TreeMap<>();
        classes.forEach((name, stream) -> bytes.put(name, stream.toByteArray()));
        return bytes;
    }

    private static String errors(List<Diagnostic<? extends JavaFileObject>> diagnostics) {
        List<Diagnostic<? extends JavaFileObject>> errors = diagnostics.stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
        StringBuilder text = new StringBuilder("the playbook sources do not compile (" + errors.size()
                + (errors.size() == 1 ? " error" : " errors") + "):");
        errors.forEach(error -> text.append('\n').append(SourceError.of(error)));
        return text.toString();
    }

    /** Class files written to memory instead of to disk. */
    private static final class InMemoryClasses extends ForwardingJavaFileManager<StandardJavaFileManager> {

        private final Map<String, ByteArrayOutputStream> classes;

        InMemoryClasses(StandardJavaFileManager files, Map<String, ByteArrayOutputStream> classes) {
            super(files);
            this.classes = classes;
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
            return new SimpleJavaFileObject(URI.create("memory:///" + className.replace('.', '/') + kind.extension), kind) {
                @Override
                public OutputStream openOutputStream() {
                    return classes.computeIfAbsent(className, name -> new ByteArrayOutputStream());
                }
            };
        }
    }
}
