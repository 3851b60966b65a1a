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
        return new ConnectionSettings(true, "localhost", 0, System.getProperty("user.name"), List.of(),
                Optional.empty(), false, Optional.empty(), List.of(), false, Duration.ofSeconds(10), Duration.ZERO);
    }

    public static ConnectionSettings ssh(String address, int port, String user) {
        Path home = Path.of(System.getProperty("user.home"));
        return new ConnectionSettings(false, address, port, user, List.of(), Optional.empty(), false,
                Optional.empty(), List.of(home.resolve(".ssh/known_hosts")), false, Duration.ofSeconds(10), Duration.ZERO);
    }

    public ConnectionSettings withIdentityFiles(List<Path> files) {
        return new ConnectionSettings(local, address, port, user, List.copyOf(files), password, become, becomePassword, knownHosts, acceptNewHostKeys, connectTimeout, persist);
    }

    public ConnectionSettings withPassword(Secret secret) {
        return new ConnectionSettings(local, address, port, user, identityFiles, Optional.of(secret), become, becomePassword, knownHosts, acceptNewHostKeys, connectTimeout, persist);
    }

    public ConnectionSettings withBecome(boolean become, Optional<Secret> becomePassword) {
        return new ConnectionSettings(local, address, port, user, identityFiles, password, become, becomePassword, knownHosts, acceptNewHostKeys, connectTimeout, persist);
    }

    public ConnectionSettings withKnownHosts(List<Path> files, boolean acceptNew) {
        return new ConnectionSettings(local, address, port, user, identityFiles, password, become, becomePassword, List.copyOf(files), acceptNew, connectTimeout, persist);
    }

    public ConnectionSettings withConnectTimeout(Duration timeout) {
        return new ConnectionSettings(local, address, port, user, identityFiles, password, become, becomePassword, knownHosts, acceptNewHostKeys, timeout, persist);
    }

    public ConnectionSettings withPersist(Duration keepOpen) {
        return new ConnectionSettings(local, address, port, user, identityFiles, password, become, becomePassword, knownHosts, acceptNewHostKeys, connectTimeout, keepOpen);
    }

    /** {@code user@address:port}, or {@code local}. */
    public String describe() {
        return local ? "local" : user + "@" + address + ":" + port;
    }
}
