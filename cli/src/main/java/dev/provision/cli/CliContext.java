package dev.provision.cli;

import dev.provision.engine.connect.Connection;
import dev.provision.engine.connect.ConnectionSettings;
import dev.provision.engine.connect.Connections;
import dev.provision.engine.inventory.SshConfig;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the commands take from the world, so tests can give them something else.
 *
 * @param connector opens a host's connection
 * @param terminal  stdout is a terminal (live progress)
 * @param colour    ANSI colours on stdout
 * @param sshConfig the OpenSSH client config that fills in what the inventory leaves out
 */
public record CliContext(Function<ConnectionSettings, Connection> connector, PrintStream out, PrintStream err,
                         boolean terminal, boolean colour, Supplier<SshConfig> sshConfig) {

    /** The real thing: SSH and local shells, stdout and stderr in UTF-8, colour on a terminal unless NO_COLOR is set. */
    public static CliContext system() {
        boolean terminal = System.console() != null;
        String noColor = System.getenv("NO_COLOR");
        return new CliContext(Connections::open, utf8(FileDescriptor.out), utf8(FileDescriptor.err), terminal,
                terminal && (noColor == null || noColor.isEmpty()), SshConfig::ofUser);
    }

    private static PrintStream utf8(FileDescriptor descriptor) {
        return new PrintStream(new FileOutputStream(descriptor), true, StandardCharsets.UTF_8);
    }
}
