package dev.provision.engine.connect;

import dev.provision.dsl.Secret;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How to reach a host. {@code local} runs the shell on this machine; otherwise SSH with sshj.
 *
 * @param address        host name or IP; "localhost" with {@code local} true means no SSH at all
 * @param identityFiles  private keys to try, in order (empty: the agent, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa)
 * @param password       password authentication, tried after keys
 * @param become         run the remote shell as root through sudo
 * @param becomePassword sudo's password, when sudo asks for one
 * @param knownHosts     known_hosts files to verify the host key against (default ~/.ssh/known_hosts)
 * @param acceptNewHostKeys an unknown host key is added to the first known_hosts file instead of refused;
 *                       a changed key is always refused
 * @param persist        how long a {@link ConnectionKeeper} keeps the SSH connection open after the run, for
 *                       the next run to reuse (OpenSSH's ControlPersist); zero closes it with the run
 */
public record ConnectionSettings(
        boolean local,
        String address,
        int port,
        String user,
        List<Path> identityFiles,
        Optional<Secret> password,
        boolean become,
        Optional<Secret> becomePassword,
        List<Path> knownHosts,
        boolean acceptNewHostKeys,
        Duration connectTimeout,
        Duration persist) {

    public static ConnectionSettings localShell() {
        return new Builder(true, "localhost", 0, System.getProperty("user.name"), List.of()).build();
    }

    /** SSH to {@code user@address:port}, host keys checked against ~/.ssh/known_hosts. */
    public static ConnectionSettings ssh(String address, int port, String user) {
        return new Builder(false, address, port, user, List.of(Path.of(System.getProperty("user.home"), ".ssh/known_hosts"))).build();
    }

    /** These settings with some changed: {@code settings.toBuilder().password(secret).build()}. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Settings field by field; what is not set stays as the settings it started from. */
    public static final class Builder {

        private final boolean local;
        private final String address;
        private final int port;
        private final String user;
        private List<Path> identityFiles = List.of();
        private Optional<Secret> password = Optional.empty();
        private boolean become;
        private Optional<Secret> becomePassword = Optional.empty();
        private List<Path> knownHosts;
        private boolean acceptNewHostKeys;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration persist = Duration.ZERO;

        private Builder(boolean local, String address, int port, String user, List<Path> knownHosts) {
            this.local = local;
            this.address = address;
            this.port = port;
            this.user = user;
            this.knownHosts = knownHosts;
        }

        private Builder(ConnectionSettings settings) {
            this(settings.local, settings.address, settings.port, settings.user, settings.knownHosts);
            identityFiles = settings.identityFiles;
            password = settings.password;
            become = settings.become;
            becomePassword = settings.becomePassword;
            acceptNewHostKeys = settings.acceptNewHostKeys;
            connectTimeout = settings.connectTimeout;
            persist = settings.persist;
        }

        public Builder identityFiles(List<Path> files) {
            identityFiles = List.copyOf(files);
            return this;
        }

        public Builder password(Secret secret) {
            password = Optional.of(secret);
            return this;
        }

        public Builder become(boolean viaSudo, Optional<Secret> sudoPassword) {
            become = viaSudo;
            becomePassword = sudoPassword;
            return this;
        }

        public Builder knownHosts(List<Path> files, boolean acceptNew) {
            knownHosts = List.copyOf(files);
            acceptNewHostKeys = acceptNew;
            return this;
        }

        public Builder acceptNewHostKeys(boolean acceptNew) {
            acceptNewHostKeys = acceptNew;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            connectTimeout = timeout;
            return this;
        }

        public Builder persist(Duration keepOpen) {
            persist = keepOpen;
            return this;
        }

        public ConnectionSettings build() {
            return new ConnectionSettings(local, address, port, user, identityFiles, password, become, becomePassword, knownHosts,
                    acceptNewHostKeys, connectTimeout, persist);
        }
    }

    /** {@code user@address:port}, or {@code local}. */
    public String describe() {
        return local ? "local" : user + "@" + address + ":" + port;
    }
}
