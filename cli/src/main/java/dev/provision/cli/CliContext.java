package dev.provision.cli;

import dev.provision.engine.connect.Connection;
import dev.provision.engine.connect.ConnectionSettings;
import dev.provision.engine.connect.Connections;
import dev.provision.engine.inventory.SshConfig;
import dev.provision.engine.report.Masking;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the commands take from the world, so tests can give them something else.
 *
 * @param connector opens a host's connection
 * @param terminal  stdout is a terminal (live progress)
 * @param colour    ANSI colours on stdout
 * @param sshConfig the OpenSSH client config that fills in what the inventory leaves out
 * @param cache     provision's cache folder (compiled playbook sources)
 * @param demoJar   where {@code provision demo} finds its {@link DemoContainers}
 * @param masking   the secrets of this invocation: every one created while a command runs, masked in all it prints
 */
public record CliContext(Function<ConnectionSettings, Connection> connector, PrintStream out, PrintStream err,
                         boolean terminal, boolean colour, Supplier<SshConfig> sshConfig, Path cache, Path demoJar,
                         Masking masking) {

    /**
     * The real thing: SSH and local shells, stdout and stderr in UTF-8, colour on a terminal unless NO_COLOR is set,
     * the cache in $XDG_CACHE_HOME/provision or ~/.cache/provision, the demo's jar beside provision's.
     */
    public static CliContext system() {
        boolean terminal = System.console() != null;
        return new CliContext(Connections::open, utf8(FileDescriptor.out), utf8(FileDescriptor.err), terminal,
                terminal && isUnset("NO_COLOR"), SshConfig::ofUser, userCache(), besideProvisionJar(DemoContainers.JAR), new Masking());
    }

    private static Path besideProvisionJar(String file) {
        try {
            return Path.of(CliContext.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolveSibling(file);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("provision's own location is no path", e);
        }
    }

    private static Path userCache() {
        Path base = isUnset("XDG_CACHE_HOME") ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(System.getenv("XDG_CACHE_HOME"));
        return base.resolve("provision");
    }

    private static boolean isUnset(String variable) {
        String value = System.getenv(variable);
        return value == null || value.isEmpty();
    }

    private static PrintStream utf8(FileDescriptor descriptor) {
        return new PrintStream(new FileOutputStream(descriptor), true, StandardCharsets.UTF_8);
    }
}
