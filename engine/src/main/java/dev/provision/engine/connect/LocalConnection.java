package dev.provision.engine.connect;

import dev.provision.dsl.CommandResult;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** This machine's own {@code sh -s}, for {@code connection: local} and for tests; with become and not root, through sudo. */
public final class LocalConnection implements Connection {

    private final ShellSession session;

    private LocalConnection(ShellSession session) {
        this.session = session;
    }

    public static LocalConnection open(ConnectionSettings settings) {
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
        ShellSession session = ShellSession.start("local", process.getOutputStream(), process.getInputStream(),
                process.getErrorStream(), kill, settings.connectTimeout());
        return new LocalConnection(session);
    }

    @Override
    public List<CommandResult> run(List<String> commands, Duration timeout) {
        return session.run(commands, timeout);
    }

    @Override
    public int roundTrips() {
        return session.roundTrips();
    }

    @Override
    public void logCommands(Consumer<String> logger) {
        session.logCommands(logger);
    }

    @Override
    public String describe() {
        return "local";
    }

    @Override
    public void close() {
        session.close();
    }
}
