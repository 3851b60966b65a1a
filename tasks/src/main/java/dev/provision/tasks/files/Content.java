package dev.provision.tasks.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The bytes a file should hold, made on the controller when the task is planned. Text, bytes, a
 * classpath resource, a {@code Template} or a {@code YamlDocument}.
 */
@FunctionalInterface
public interface Content {

    /** The bytes to write; throws {@link ContentException} when they cannot be made. */
    byte[] bytes();

    static Content text(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return () -> bytes.clone();
    }

    static Content bytes(byte[] bytes) {
        byte[] copy = bytes.clone();
        return () -> copy.clone();
    }

    /** A resource on the classpath of the playbook, e.g. {@code nginx/mime.types}. */
    static Content resource(String name) {
        return () -> {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            try (InputStream in = (loader == null ? Content.class.getClassLoader() : loader).getResourceAsStream(name)) {
                if (in == null) {
                    throw new ContentException("resource " + name + " is not on the classpath");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read resource " + name, e);
            }
        };
    }
}
