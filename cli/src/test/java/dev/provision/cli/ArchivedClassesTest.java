package dev.provision.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class ArchivedClassesTest {

    @Test
    void loadsTheClassesOfProvisionsPackagesAndSkipsWhatCannotLoad(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("provision.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             InputStream main = Main.class.getResourceAsStream("Main.class")) {
            put(out, "dev/provision/cli/Main.class", main.readAllBytes());
            put(out, "dev/provision/cli/Broken.class", new byte[] {1, 2, 3});
            put(out, "com/example/Other.class", new byte[] {1, 2, 3});
            put(out, "dev/provision/cli/notes.txt", new byte[] {1});
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertThat(ArchivedClasses.loadAll(jar, loader)).isEqualTo(1);
            assertThat(Class.forName("dev.provision.cli.Main", false, loader).getClassLoader()).isSameAs(loader);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }
}
