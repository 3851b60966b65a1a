package dev.provision.engine.connect;

import java.io.IOException;
import java.util.List;

/** This machine's own {@code sh -s}, for {@code connection: local} and for tests; with become and not root, through sudo. */
public final class LocalConnection {

    private LocalConnection() {
    }

    public static Connection open(ConnectionSettings settings) {
        boolean sudo = settings.become() && !"root".equals(System.getProperty("user.name"));
        Process process;
        try {
            process = new ProcessBuilder(sudo ? List.of("sh", "-c", Sudo.command(settings.becomePassword())) : List.of("sh", "-s")).start();
        } catch (IOException e) {
            throw new ConnectionException("cannot start sh on this machine: " + e.getMessage(), e);
        }
        Runnable kill = () -> {
            // the shell waits for a hung command before it acts on a signal, so end the command first
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        };
        if (sudo) {
            Sudo.awaitShell(process.getErrorStream(), process.getOutputStream(), settings.becomePassword(),
                    settings.user() + "@localhost", settings.connectTimeout(), kill);
        }
        return ShellSession.start("local", process.getOutputStream(), process.getInputStream(),
                process.getErrorStream(), kill, settings.connectTimeout());
    }
}
