package dev.provision.testbed;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A throwaway real Debian host: a local Docker container from {@code provision-debian:SUITE} running systemd as
 * PID 1 and sshd, reachable by SSH on 127.0.0.1 and a published port.
 *
 * <pre>{@code
 * try (DebianHost host = DebianHost.bookworm().start()) {
 *     // ssh root@host.sshHost() -p host.sshPort() -i host.privateKeyPath(), known_hosts line host.hostKeyLine()
 *     host.exec("rm -f /etc/motd").requireSuccess();
 * }
 * }</pre>
 *
 * <p>Users in the image: root (test key only), {@code deploy} / password {@code deploy} (test key too; sudo with
 * password), {@code nopriv} / password {@code nopriv} (no sudo). No python3.
 *
 * <p>In a JUnit 5 test class, {@link dev.provision.testbed.junit.TestHost @TestHost} on a static field starts the host
 * before the class's tests and removes it after them.
 *
 * <p>{@link #close()} removes the container; a JVM shutdown hook removes any host still running at exit. Works
 * without Testcontainers environment variables (see {@link Docker}). Not thread-safe; use one instance per thread
 * or synchronise.
 */
public final class DebianHost implements AutoCloseable {
    /** Users and passwords baked into the test images. */
    public static final String ROOT = "root";
    public static final String DEPLOY_USER = "deploy";
    public static final String DEPLOY_PASSWORD = "deploy";
    public static final String NOPRIV_USER = "nopriv";
    public static final String NOPRIV_PASSWORD = "nopriv";

    /** Label put on every container this fixture creates. */
    public static final String LABEL = "dev.provision.testbed";

    private static final Set<DebianHost> LIVE = ConcurrentHashMap.newKeySet();
    private static final Thread SHUTDOWN_HOOK = new Thread(DebianHost::closeAllLive, "provision-testbed-cleanup");
    private static volatile boolean hookInstalled;

    private final String suite;
    private Duration startupTimeout = Duration.ofSeconds(180);
    private GenericContainer<?> container;
    private String name;
    private int sshPort = -1;
    private String hostKeyLine;
    private Path knownHostsFile;
    private boolean paused;
    private volatile boolean closed;
    private Network network;
    private String hostname;
    private String addressBeforeDisconnect;

    private DebianHost(String suite) {
        this.suite = suite;
    }

    /** A Debian 12 host (not started). */
    public static DebianHost bookworm() {
        return new DebianHost("bookworm");
    }

    /** A Debian 13 host (not started); its image is built the first time one is asked for. */
    public static DebianHost trixie() {
        return new DebianHost("trixie");
    }

    /** A Debian unstable host (not started); its apt ignores the archive snapshot's expired Release date. */
    public static DebianHost sid() {
        return new DebianHost("sid");
    }

    /** A host of one of {@link TestImages#SUITES} (not started). */
    public static DebianHost of(String suite) {
        TestImages.imageName(suite); // validates
        return new DebianHost(suite);
    }

    /**
     * Puts the host on {@code network} (one the test created, e.g. {@code Network.newNetwork()}) under
     * {@code hostname}, by which the other hosts of that network reach it; the host is on no other
     * network, and the controller still reaches it on its port published on 127.0.0.1.
     */
    public DebianHost onNetwork(Network network, String hostname) {
        this.network = network;
        this.hostname = hostname;
        return this;
    }

    /** How long {@link #start()} waits for systemd and sshd (default 180 s). */
    public DebianHost withStartupTimeout(Duration timeout) {
        this.startupTimeout = timeout;
        return this;
    }

    /**
     * Builds the image if needed, starts the container and waits until {@code systemctl is-system-running} says
     * running or degraded and sshd sends its banner on the published port.
     */
    public synchronized DebianHost start() {
        if (container != null) {
            throw new IllegalStateException("already started: " + name);
        }
        long t0 = System.nanoTime();
        String image = TestImages.ensure(suite);
        String cgroupTree = Docker.hostCgroup2Tree();
        name = "provision-" + suite + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL, "true");
        labels.put(LABEL + ".suite", suite);
        labels.put(LABEL + ".pid", Long.toString(ProcessHandle.current().pid()));

        // a host that can be cut off its network keeps its port: Docker would publish another one on reconnect
        Ports.Binding sshBinding = network == null ? Ports.Binding.bindIp("127.0.0.1") : Ports.Binding.bindIpAndPort("127.0.0.1", freePort());
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image));
        c.withImagePullPolicy(img -> false) // local image only: never try a registry
                .withExposedPorts(22)
                .withLabels(labels)
                .withTmpFs(Map.of("/run", "rw,exec,nosuid,nodev,size=256m,mode=755",
                        "/run/lock", "rw,noexec,nosuid,nodev,size=8m"))
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withName(name);
                    if (hostname != null) {
                        cmd.withHostName(hostname);
                    }
                    HostConfig hc = cmd.getHostConfig();
                    List<Bind> binds = new ArrayList<>();
                    if (hc.getBinds() != null) {
                        binds.addAll(List.of(hc.getBinds()));
                    }
                    binds.add(new Bind(cgroupTree, new Volume("/sys/fs/cgroup"), AccessMode.rw));
                    hc.withCapAdd(Capability.ALL)
                            .withCapDrop(Capability.SYS_RESOURCE)
                            .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"))
                            .withCgroupnsMode("host")
                            .withBinds(binds)
                            .withPortBindings(new Ports(new PortBinding(sshBinding, ExposedPort.tcp(22))));
                })
                .waitingFor(new SystemdAndSshReady().withStartupTimeout(startupTimeout));
        if (network != null) {
            c.withNetwork(network).withNetworkAliases(hostname);
        }
        this.container = c;
        installShutdownHook();
        LIVE.add(this);
        System.err.printf("[testbed] starting %s from %s%n", name, image);
        try {
            c.start();
        } catch (RuntimeException e) {
            String logs = tailLogs(c);
            close();
            throw new IllegalStateException("Debian test host " + name + " did not start: " + e.getMessage()
                    + (logs.isEmpty() ? "" : "\n--- container log (tail) ---\n" + logs), e);
        }
        sshPort = c.getMappedPort(22);
        String hostKey = exec("cat /etc/ssh/ssh_host_ed25519_key.pub").requireSuccess().stdout().trim();
        String[] parts = hostKey.split("\\s+");
        hostKeyLine = "[" + sshHost() + "]:" + sshPort + " " + parts[0] + " " + parts[1];
        System.err.printf("[testbed] %s ready: ssh -p %d -i %s root@%s (%.1f s)%n",
                name, sshPort, privateKeyPath(), sshHost(), (System.nanoTime() - t0) / 1e9);
        return this;
    }

    /** The suite: "bookworm" or "sid". */
    public String suite() {
        return suite;
    }

    /** The image the container runs, {@code provision-debian:SUITE}. */
    public String imageName() {
        return TestImages.imageName(suite);
    }

    /** The container's name ({@code provision-SUITE-xxxxxxxx}), valid after {@link #start()}. */
    public String containerName() {
        requireStarted();
        return name;
    }

    /** The name the host goes by: its hostname on its {@link #onNetwork network}, else its container's name. */
    public String hostname() {
        requireStarted();
        return hostname != null ? hostname : name;
    }

    /** Always "127.0.0.1": port 22 is published on loopback only. */
    public String sshHost() {
        return "127.0.0.1";
    }

    /** The host port published for the container's port 22. */
    public int sshPort() {
        requireStarted();
        return sshPort;
    }

    /** The test private key (ed25519, no passphrase), trusted for root and deploy. */
    public Path privateKeyPath() {
        return TestKey.privateKeyPath();
    }

    /** A known_hosts line for this container: {@code [127.0.0.1]:PORT ssh-ed25519 AAAA...}. */
    public String hostKeyLine() {
        requireStarted();
        return hostKeyLine;
    }

    /** A temporary known_hosts file holding only {@link #hostKeyLine()}; deleted on {@link #close()}. */
    public synchronized Path knownHostsFile() {
        requireStarted();
        if (knownHostsFile == null) {
            try {
                knownHostsFile = Files.createTempFile("provision-known_hosts-", "");
                Files.writeString(knownHostsFile, hostKeyLine + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return knownHostsFile;
    }

    /** Runs {@code sh -c shellCommand} as root through {@code docker exec} (not SSH). */
    public ExecResult exec(String shellCommand) {
        requireStarted();
        try {
            Container.ExecResult r = container.execInContainer(StandardCharsets.UTF_8, "sh", "-c", shellCommand);
            return new ExecResult(shellCommand, r.getExitCode(), r.getStdout(), r.getStderr());
        } catch (IOException e) {
            throw new UncheckedIOException("docker exec failed in " + name + ": " + shellCommand, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: docker exec in " + name, e);
        }
    }

    /** Copies a host file or directory into the container (owner root). */
    public void copyFileToContainer(Path source, String containerPath) {
        requireStarted();
        container.copyFileToContainer(MountableFile.forHostPath(source), containerPath);
    }

    /** Writes {@code content} to {@code containerPath} in the container (mode 0644, owner root). */
    public void copyContentToContainer(String content, String containerPath) {
        requireStarted();
        container.copyFileToContainer(Transferable.of(content), containerPath);
    }

    /** The Docker container id. */
    public String containerId() {
        requireStarted();
        return container.getContainerId();
    }

    /** Freezes every process of the host ({@code docker pause}): SSH connections hang, nothing answers. */
    public synchronized void pause() {
        requireStarted();
        Docker.client().pauseContainerCmd(containerId()).exec();
        paused = true;
    }

    /** Undoes {@link #pause()}. */
    public synchronized void unpause() {
        requireStarted();
        Docker.client().unpauseContainerCmd(containerId()).exec();
        paused = false;
    }

    /** The host's address on its {@link #onNetwork network}. */
    public String networkAddress() {
        requireOnNetwork();
        return container.getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
    }

    /** Cuts the host off its network: neither the other hosts nor the controller reach it until {@link #reconnect()}. */
    public synchronized void disconnect() {
        requireOnNetwork();
        addressBeforeDisconnect = networkAddress();
        Docker.client().disconnectFromNetworkCmd().withNetworkId(network.getId()).withContainerId(containerId()).withForce(true).exec();
    }

    /**
     * Puts a host cut off by {@link #disconnect()} back on its network under its hostname, at the address it
     * had when the network has a subnet of its own (Docker assigns fixed addresses only there).
     */
    public synchronized void reconnect() {
        requireOnNetwork();
        ContainerNetwork same = new ContainerNetwork().withAliases(hostname);
        try {
            Docker.client().connectToNetworkCmd().withNetworkId(network.getId()).withContainerId(containerId())
                    .withContainerNetwork(same.withIpamConfig(new ContainerNetwork.Ipam().withIpv4Address(addressBeforeDisconnect))).exec();
        } catch (RuntimeException onlyOnNetworksWithoutASubnetOfTheirOwn) {
            Docker.client().connectToNetworkCmd().withNetworkId(network.getId()).withContainerId(containerId())
                    .withContainerNetwork(new ContainerNetwork().withAliases(hostname)).exec();
        }
    }

    /** Stops the host's container ({@code docker stop}), keeping it for {@link #startAgain()}. */
    public synchronized void stop() {
        requireStarted();
        Docker.client().stopContainerCmd(containerId()).withTimeout(5).exec();
    }

    /** Starts a host {@link #stop() stopped} before; its published port may change. */
    public synchronized void startAgain() {
        requireStarted();
        Docker.client().startContainerCmd(containerId()).exec();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1 for a test host's sshd", e);
        }
    }

    private void requireOnNetwork() {
        requireStarted();
        if (network == null) {
            throw new IllegalStateException(name + " is on no network of the test's: start it with onNetwork(network, hostname)");
        }
    }

    /** Whether the container is running (and not removed); false before start and after close. */
    public boolean isRunning() {
        return container != null && !closed && container.isRunning();
    }

    /** Escape hatch: the underlying Testcontainers container. */
    public GenericContainer<?> container() {
        requireStarted();
        return container;
    }

    /** Removes the container (idempotent). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LIVE.remove(this);
        GenericContainer<?> c = container;
        if (c != null && c.getContainerId() != null) {
            String id = c.getContainerId();
            try {
                if (paused) {
                    Docker.client().unpauseContainerCmd(id).exec();
                }
            } catch (RuntimeException ignored) {
                // removal below uses force anyway
            }
            try {
                c.stop(); // Testcontainers removes the container (force, with volumes)
            } catch (RuntimeException e) {
                forceRemove(id);
            }
            forceRemove(id); // no-op when already gone
        }
        if (knownHostsFile != null) {
            try {
                Files.deleteIfExists(knownHostsFile);
            } catch (IOException ignored) {
                // temp file
            }
        }
    }

    @Override
    public String toString() {
        return "DebianHost[" + suite + (name == null ? "" : ", " + name + ", 127.0.0.1:" + sshPort) + "]";
    }

    private static void forceRemove(String id) {
        try {
            Docker.client().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException ignored) {
            // already gone
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("already in progress")) {
                System.err.println("[testbed] could not remove container " + id + ": " + e.getMessage());
            }
        }
    }

    private static synchronized void installShutdownHook() {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(SHUTDOWN_HOOK);
            hookInstalled = true;
        }
    }

    private static void closeAllLive() {
        for (DebianHost h : List.copyOf(LIVE)) {
            try {
                h.close();
            } catch (RuntimeException e) {
                System.err.println("[testbed] cleanup of " + h + " failed: " + e.getMessage());
            }
        }
    }

    private void requireStarted() {
        if (container == null || container.getContainerId() == null) {
            throw new IllegalStateException("DebianHost(" + suite + ") is not started: call start() first");
        }
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    private static String tailLogs(GenericContainer<?> c) {
        try {
            if (c.getContainerId() == null) {
                return "";
            }
            List<String> lines = c.getLogs().lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** Waits for systemd to finish booting and for sshd's banner on 127.0.0.1:published port. */
    private final class SystemdAndSshReady extends AbstractWaitStrategy {
        @Override
        protected void waitUntilReady() {
            long deadline = System.nanoTime() + startupTimeout.toNanos();
            String state = "(not asked yet)";
            String sshProblem = "(not tried yet)";
            boolean systemdUp = false;
            while (System.nanoTime() < deadline) {
                if (!systemdUp) {
                    state = systemState();
                    systemdUp = state.equals("running") || state.equals("degraded");
                    if (state.equals("degraded")) {
                        String failed = execQuietly("systemctl --failed --no-legend --plain | cut -d' ' -f1 | xargs");
                        System.err.println("[testbed] " + name + " booted degraded, failed units: " + failed);
                    }
                }
                if (systemdUp) {
                    sshProblem = sshBanner();
                    if (sshProblem == null) {
                        return;
                    }
                }
                sleep(200);
            }
            String diag = execQuietly("systemctl --failed --no-pager; systemctl status ssh --no-pager -n 20");
            throw new IllegalStateException("systemd/sshd not ready within " + startupTimeout.toSeconds()
                    + " s: is-system-running=" + state + ", ssh: " + sshProblem + "\n" + diag);
        }

        private String systemState() {
            try {
                Container.ExecResult r = waitStrategyTarget.execInContainer("systemctl", "is-system-running");
                String out = r.getStdout().trim();
                return out.isEmpty() ? "(no answer: " + r.getStderr().trim() + ")" : out;
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                return "(exec failed: " + e.getMessage() + ")";
            }
        }

        private String execQuietly(String cmd) {
            try {
                Container.ExecResult r = waitStrategyTarget.execInContainer("sh", "-c", cmd);
                return (r.getStdout() + r.getStderr()).trim();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return "";
            }
        }

        /** Null when sshd answered with its banner, else the problem. */
        private String sshBanner() {
            int port;
            try {
                port = waitStrategyTarget.getMappedPort(22);
            } catch (RuntimeException e) {
                return "no published port yet";
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                s.setSoTimeout(3000);
                InputStream in = s.getInputStream();
                byte[] buf = new byte[4];
                int n = in.readNBytes(buf, 0, 4);
                String got = new String(buf, 0, n, StandardCharsets.US_ASCII);
                return got.equals("SSH-") ? null : "unexpected banner '" + got + "'";
            } catch (IOException e) {
                return "127.0.0.1:" + port + ": " + e.getMessage();
            }
        }

        private void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
    }

    /** Result of {@link #exec(String)}. */
    public record ExecResult(String command, int exitCode, String stdout, String stderr) {
        public boolean succeeded() {
            return exitCode == 0;
        }

        /** Returns this when the exit code is 0, else throws with the command, code and output. */
        public ExecResult requireSuccess() {
            if (exitCode != 0) {
                throw new IllegalStateException("`" + command + "` exited " + exitCode + "\nstdout: " + stdout
                        + "\nstderr: " + stderr);
            }
            return this;
        }
    }
}
