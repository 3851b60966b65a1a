package dev.provision.engine.connect;

import dev.provision.dsl.Secret;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AuthKeyboardInteractive;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPassword;
import net.schmizz.sshj.userauth.method.AuthPublickey;
import net.schmizz.sshj.userauth.method.PasswordResponseProvider;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One SSH connection (sshj) with one session channel running {@code sh -s}, or the same through
 * sudo with become, spoken to by {@link ShellSession}; closing the session disconnects. The host
 * key is checked against known_hosts before anything is sent. {@link ConnectionKeeper} reuses its
 * steps to keep a connection open between runs.
 */
public final class SshConnection {

    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");
    private static final int KEEPALIVE_SECONDS = 15;

    private SshConnection() {
    }

    /**
     * One sshj configuration for every connection of the process: building one tries out each of its
     * ciphers. sshj would register BouncyCastle as a security provider, a fifth of a second of class
     * loading per process; the JDK's own providers have every key exchange, host key, signature and cipher
     * OpenSSH offers by default (curve25519, Ed25519, ECDSA, RSA-SHA2, AES-GCM and AES-CTR). Ciphers only
     * BouncyCastle has (chacha20-poly1305 among them) drop out of the offer, as sshj drops any cipher it
     * cannot initialise.
     */
    private static final class SharedConfig {

        static final DefaultConfig CONFIG = create();

        private static DefaultConfig create() {
            SecurityUtils.setRegisterBouncyCastle(false);
            DefaultConfig config = new DefaultConfig();
            config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
            return config;
        }
    }

    /** Connects, verifies the host key, authenticates and starts the shell. */
    public static Connection open(ConnectionSettings settings) {
        SSHClient client = connectAndAuthenticate(settings);
        try {
            Session.Command shell = startShell(client, settings.describe(), shellCommand(settings));
            // closing just the channel would wait for sshd, which waits for the hung command
            return shellSession(settings, shell.getOutputStream(), shell.getInputStream(), shell.getErrorStream(),
                    () -> closeQuietly(client));
        } catch (RuntimeException e) {
            closeQuietly(client);
            throw e;
        }
    }

    /** The protocol on a shell just started: sudo's prompt answered first with become. */
    static Connection shellSession(ConnectionSettings settings, OutputStream stdin, InputStream stdout, InputStream stderr,
                                   Runnable kill) {
        if (settings.become()) {
            Sudo.awaitShell(stderr, stdin, settings.becomePassword(), who(settings), settings.connectTimeout(), kill);
        }
        return ShellSession.start(settings.describe(), stdin, stdout, stderr, kill, settings.connectTimeout());
    }

    /** A connected, authenticated client; closed again when either step fails. */
    static SSHClient connectAndAuthenticate(ConnectionSettings settings) {
        SSHClient client = connect(settings);
        try {
            authenticate(client, settings);
            return client;
        } catch (RuntimeException e) {
            closeQuietly(client);
            throw e;
        }
    }

    private static SSHClient connect(ConnectionSettings settings) {
        SSHClient client = new SSHClient(SharedConfig.CONFIG);
        KnownHosts knownHosts = new KnownHosts(settings.knownHosts(), settings.acceptNewHostKeys());
        client.addHostKeyVerifier(knownHosts);
        client.setConnectTimeout((int) settings.connectTimeout().toMillis());
        client.getConnection().getKeepAlive().setKeepAliveInterval(KEEPALIVE_SECONDS);
        try {
            client.connect(settings.address(), settings.port());
            return client;
        } catch (IOException e) {
            closeQuietly(client);
            throw knownHosts.refusal()
                    .map(ConnectionException::new)
                    .orElseGet(() -> new ConnectionException("cannot connect to " + settings.address() + ":" + settings.port()
                            + ": " + (e instanceof UnknownHostException ? "no address is known for this name (DNS)" : e.getMessage()), e));
        }
    }

    /** Keys first (given, else the default ones that exist), then the password, as OpenSSH orders them. */
    private static void authenticate(SSHClient client, ConnectionSettings settings) {
        List<AuthMethod> methods = new ArrayList<>();
        List<String> tried = new ArrayList<>();
        for (Path key : identityFiles(settings)) {
            try {
                methods.add(new AuthPublickey(client.loadKeys(key.toString())));
                tried.add("key " + key);
            } catch (IOException e) {
                tried.add("key " + key + " (unreadable: " + e.getMessage() + ")");
            }
        }
        if (System.getenv("SSH_AUTH_SOCK") != null) {
            tried.add("not the SSH agent (sshj 0.40 cannot use it without extra libraries; give the key file instead)");
        }
        settings.password().ifPresent(password -> {
            PasswordFinder finder = finder(password);
            methods.add(new AuthPassword(finder));
            methods.add(new AuthKeyboardInteractive(new PasswordResponseProvider(finder)));
            tried.add("password");
        });
        try {
            client.auth(settings.user(), methods);
        } catch (UserAuthException e) {
            throw new ConnectionException("authentication failed for " + who(settings) + " (tried: "
                    + (tried.isEmpty() ? "nothing: no key file found and no password given" : String.join(", ", tried)) + ")");
        } catch (TransportException e) {
            throw new ConnectionException("connection to " + settings.describe() + " broke during authentication: " + e.getMessage(), e);
        }
    }

    private static List<Path> identityFiles(ConnectionSettings settings) {
        if (!settings.identityFiles().isEmpty()) {
            return settings.identityFiles();
        }
        Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
        return DEFAULT_KEYS.stream().map(ssh::resolve).filter(Files::isRegularFile).toList();
    }

    /** {@code sh -s}, or the same through sudo with become. */
    static String shellCommand(ConnectionSettings settings) {
        return settings.become() ? Sudo.command(settings.becomePassword()) : "sh -s";
    }

    static Session.Command startShell(SSHClient client, String host, String command) {
        try {
            return client.startSession().exec(command);
        } catch (IOException e) {
            throw new ConnectionException("cannot start a shell on " + host + ": " + e.getMessage(), e);
        }
    }

    private static PasswordFinder finder(Secret password) {
        return new PasswordFinder() {
            @Override
            public char[] reqPassword(Resource<?> resource) {
                return password.reveal().toCharArray();
            }

            @Override
            public boolean shouldRetry(Resource<?> resource) {
                return false;
            }
        };
    }

    private static String who(ConnectionSettings settings) {
        return settings.user() + "@" + settings.address();
    }

    static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already broken; nothing more to free
        }
    }
}
