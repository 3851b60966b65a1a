package dev.provision.engine.connect;

import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A background process that holds SSH connections open between runs, as OpenSSH's ControlPersist
 * does for Ansible: a run asks it over a UNIX socket for a shell on a host, and it opens a session
 * channel on the connection it already has (verified and authenticated once) or connects anew. Each
 * run still gets a fresh {@code sh}; only the handshake is saved. It exits once no run has used it
 * for the time the last run asked for. When a run goes away while its shell still runs (a timeout,
 * Ctrl-C), the keeper drops that connection, as a run of its own would have by disconnecting.
 *
 * <p>It lives in {@link #directory()}, private to the user: {@code keeper.sock}, {@code keeper.lock}
 * (held while it runs, so only one keeper serves the socket) and {@code keeper.log} (connects and
 * drops, never a secret).
 */
public final class ConnectionKeeper {

    static final String SOCKET = "keeper-1.sock";
    static final String LOCK = "keeper.lock";
    static final String LOG = "keeper.log";

    private final Map<String, KeptClient> clients = new ConcurrentHashMap<>();
    private final AtomicInteger runsInProgress = new AtomicInteger();
    private volatile Instant lastUse = Instant.now();
    private volatile Duration idleLimit;

    private ConnectionKeeper(Duration idleLimit) {
        this.idleLimit = idleLimit;
    }

    /** Arguments: the directory, the first idle limit in milliseconds. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        ConnectionKeeper keeper = new ConnectionKeeper(Duration.ofMillis(Long.parseLong(args[1])));
        try (FileChannel lockFile = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                return; // another keeper serves the socket
            }
            Path log = dir.resolve(LOG);
            if (Files.exists(log) && Files.size(log) > 1 << 20) {
                Files.newOutputStream(log, StandardOpenOption.TRUNCATE_EXISTING).close(); // the log is written in append mode
            }
            Path socketPath = dir.resolve(SOCKET);
            Files.deleteIfExists(socketPath);
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(socketPath));
                keeper.serve(server, socketPath);
            }
        }
        // the lock is released first: a run that found no socket may start the next keeper meanwhile,
        // while a run accepted just before the socket closed finishes on its connection here
        keeper.awaitRunsInProgress();
        keeper.clients.values().forEach(KeptClient::disconnect);
        System.exit(0);
    }

    /**
     * The keeper's directory, created private to this user; refused when others could reach into it.
     * The system property {@code provision.keeperDir} moves it (tests keep their keepers apart).
     */
    static Path directory() {
        String moved = System.getProperty("provision.keeperDir");
        Path dir = moved != null ? Path.of(moved) : Path.of(System.getProperty("user.home"), ".cache", "provision", "keeper");
        Set<PosixFilePermission> privateDir = PosixFilePermissions.fromString("rwx------");
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(privateDir));
            }
            if (!Files.getPosixFilePermissions(dir).equals(privateDir)
                    || !Files.getOwner(dir).getName().equals(System.getProperty("user.name"))) {
                throw new ConnectionException("the connection keeper's folder " + dir + " must belong to "
                        + System.getProperty("user.name") + " with mode 700, so no one else can use its connections;"
                        + " remove it (it is made anew) or run without --persist");
            }
            return dir;
        } catch (IOException e) {
            throw new ConnectionException("cannot make the connection keeper's folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private void serve(ServerSocketChannel server, Path socketPath) {
        daemon(() -> exitWhenIdle(server, socketPath));
        log("listening on " + socketPath + ", exits after " + idleLimit.toSeconds() + " s unused");
        while (server.isOpen()) {
            SocketChannel run;
            try {
                run = server.accept();
            } catch (IOException e) {
                break; // closed by the idle watch
            }
            runsInProgress.incrementAndGet();
            daemon(() -> serveRun(run));
        }
    }

    private void awaitRunsInProgress() {
        while (runsInProgress.get() > 0) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void exitWhenIdle(ServerSocketChannel server, Path socketPath) {
        while (true) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            if (runsInProgress.get() == 0 && Instant.now().isAfter(lastUse.plus(idleLimit))) {
                log("unused for " + idleLimit.toSeconds() + " s: closing " + clients.size() + " connection(s) and exiting");
                try {
                    Files.deleteIfExists(socketPath);
                    server.close();
                } catch (IOException ignored) {
                    // exiting either way
                }
                return;
            }
        }
    }

    /** One run: its shell on the host, stdin in, stdout and stderr out, until the shell exits or the run goes. */
    private void serveRun(SocketChannel run) {
        KeeperWire wire = new KeeperWire(run);
        try (run) {
            Optional<KeeperWire.Frame> open = wire.read();
            if (open.isEmpty() || open.get().kind() != KeeperWire.OPEN) {
                return;
            }
            KeeperWire.Request request = KeeperWire.decode(open.get().data());
            idleLimit = request.settings().persist();
            KeptClient host = clients.computeIfAbsent(key(request.settings()), key -> new KeptClient());
            KeptClient.Shell shell;
            try {
                shell = host.startShell(request);
            } catch (ConnectionException e) {
                wire.write(KeeperWire.FAILED, e.getMessage().getBytes(StandardCharsets.UTF_8));
                return;
            }
            wire.write(KeeperWire.OPENED);
            AtomicBoolean exited = new AtomicBoolean();
            Thread stdout = daemon(() -> pump(wire, shell.command().getInputStream(), KeeperWire.STDOUT));
            Thread stderr = daemon(() -> pump(wire, shell.command().getErrorStream(), KeeperWire.STDERR));
            daemon(() -> {
                if (!forwardUntilRunEnds(wire, shell.command().getOutputStream()) && !exited.get()) {
                    host.drop(shell.client(), request.settings().describe() + ": the run went away while its shell was running");
                }
            });
            stdout.join();
            stderr.join();
            exited.set(true);
            wire.write(KeeperWire.EXITED);
            SshConnection.closeQuietly(shell.command());
        } catch (IOException e) {
            log("a run's socket failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lastUse = Instant.now();
            runsInProgress.decrementAndGet();
        }
    }

    /**
     * Copies the run's stdin frames to the shell until the run ends stdin, then reads on until the run
     * closes its socket. False when the socket failed or ended before stdin did.
     */
    private static boolean forwardUntilRunEnds(KeeperWire wire, OutputStream stdin) {
        try {
            boolean stdinEnded = false;
            for (Optional<KeeperWire.Frame> frame = wire.read(); frame.isPresent(); frame = wire.read()) {
                if (frame.get().kind() == KeeperWire.STDIN_END) {
                    stdinEnded = true;
                    stdin.close();
                } else if (!stdinEnded) {
                    stdin.write(frame.get().data());
                    stdin.flush();
                }
            }
            return stdinEnded;
        } catch (IOException e) {
            return false;
        }
    }

    private static void pump(KeeperWire wire, InputStream from, byte kind) {
        try {
            wire.pump(from, kind);
        } catch (IOException ignored) {
            // the run or the connection is gone; serveRun's reader finds out and drops the connection
        }
    }

    private static Thread daemon(Runnable body) {
        Thread thread = new Thread(body, "keeper-run");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Runs share a connection only when they reach the same account the same way. */
    private static String key(ConnectionSettings settings) {
        return settings.describe() + " " + settings.identityFiles() + " " + settings.knownHosts();
    }

    private static void log(String line) {
        System.out.println(Instant.now() + " " + line);
    }

    /** One host's connection, opened on the first run that asks and again whenever it is found broken. */
    private static final class KeptClient {
        record Shell(SSHClient client, Session.Command command) {
        }

        private SSHClient client;

        synchronized Shell startShell(KeeperWire.Request request) {
            ConnectionSettings settings = request.settings();
            if (client != null && client.isConnected() && client.isAuthenticated()) {
                try {
                    return new Shell(client, SshConnection.startShell(client, settings.describe(), request.shellCommand()));
                } catch (RuntimeException e) {
                    log(settings.describe() + ": the kept connection failed (" + e.getMessage() + "); connecting anew");
                    SshConnection.closeQuietly(client);
                }
            }
            client = SshConnection.connectAndAuthenticate(settings);
            client.getConnection().setTimeoutMs((int) settings.connectTimeout().toMillis());
            log(settings.describe() + ": connected");
            try {
                return new Shell(client, SshConnection.startShell(client, settings.describe(), request.shellCommand()));
            } catch (ConnectionException e) {
                SshConnection.closeQuietly(client);
                client = null;
                throw e;
            }
        }

        /** Disconnects {@code which} (as a run of its own disconnects when its shell hangs), unless already replaced. */
        void drop(SSHClient which, String why) {
            synchronized (this) {
                if (client == which) {
                    client = null;
                }
            }
            log("dropping the connection: " + why);
            SshConnection.closeQuietly(which);
        }

        synchronized void disconnect() {
            if (client != null) {
                SshConnection.closeQuietly(client);
            }
        }
    }
}
