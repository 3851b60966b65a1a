package dev.provision.testbed;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Info;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientConfigUtils;
import org.testcontainers.utility.ResourceReaper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one place that talks to the Docker engine outside of a container's life cycle: reachability check,
 * Testcontainers set-up for this environment, image and engine inspection.
 *
 * <p>Testcontainers 2.0.5 reads {@code TESTCONTAINERS_RYUK_DISABLED} and {@code TESTCONTAINERS_HOST_OVERRIDE}
 * only from the process environment ({@code System.getenv}): not from system properties, not from
 * {@code ~/.testcontainers.properties}. {@code checks.disable} is read from the environment or that user file, and
 * in 2.0.5 the checks are only a Docker version comparison (no container), so they are harmless. So that the
 * fixture works from the CLI without exported variables, {@link #client()} first:
 * <ul>
 *   <li>installs Testcontainers' own JVM-shutdown-hook reaper in place of Ryuk (whose image cannot be pulled
 *       without a registry), unless {@code TESTCONTAINERS_RYUK_DISABLED} is set (then Testcontainers obeys it);</li>
 *   <li>unless {@code TESTCONTAINERS_HOST_OVERRIDE} is set, records "no default gateway" in Testcontainers'
 *       gateway cache. On a machine with {@code /.dockerenv} (these VMs) Testcontainers otherwise looks for the
 *       bridge network's gateway, which Debian's Docker 20.10 does not report, then starts an {@code alpine}
 *       container to read the default route; with no registry that hangs two minutes and fails. With the cache
 *       set it answers "localhost", which is what the override would say.</li>
 * </ul>
 * Both use reflection on Testcontainers internals (checked against 2.0.5); if they ever stop working the error says
 * to export the variables instead. The fixture itself never relies on Testcontainers' host address: SSH goes to
 * 127.0.0.1 and the published port.
 */
public final class Docker {
    private static volatile boolean configured;
    private static volatile String cgroupVersion;

    private Docker() {
    }

    /** Where the engine is expected: {@code DOCKER_HOST} or {@code unix:///var/run/docker.sock}. */
    public static String endpoint() {
        String host = System.getenv("DOCKER_HOST");
        return host == null || host.isBlank() ? "unix:///var/run/docker.sock" : host;
    }

    /** True when the engine answers {@code GET /_ping} within 5 s. */
    public static boolean isReachable() {
        return ping().isEmpty();
    }

    /** Throws {@link IllegalStateException} with a clear remedy when the engine does not answer. */
    public static void requireEngine() {
        Optional<String> problem = ping();
        if (problem.isPresent()) {
            String where = endpoint().startsWith("unix://") ? endpoint().substring("unix://".length()) : endpoint();
            throw new IllegalStateException("Docker engine not reachable at " + where
                    + ": start it with `dockerd &` or run .ci/run (" + problem.get() + ")");
        }
    }

    /** Testcontainers' Docker client, after the engine check and the environment set-up described above. */
    public static DockerClient client() {
        requireEngine();
        configureTestcontainers();
        return DockerClientFactory.instance().client();
    }

    /** Whether a local image with this reference exists. */
    public static boolean imageExists(String image) {
        try {
            client().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Labels of a local image; empty when the image does not exist. */
    public static Map<String, String> imageLabels(String image) {
        try {
            var config = client().inspectImageCmd(image).exec().getConfig();
            Map<String, String> labels = config == null ? null : config.getLabels();
            return labels == null ? Map.of() : labels;
        } catch (NotFoundException e) {
            return Map.of();
        }
    }

    /** The engine's cgroup version ("1" or "2"), as {@code docker info} reports it. */
    public static String cgroupVersion() {
        String v = cgroupVersion;
        if (v == null) {
            Info info = client().infoCmd().exec();
            v = info.getCGroupVersion();
            if (v == null || v.isBlank()) {
                v = Files.isDirectory(Path.of("/sys/fs/cgroup/unified")) ? "1" : "2";
            }
            cgroupVersion = v;
        }
        return v;
    }

    /**
     * The engine host's cgroup2 tree to bind onto the container's /sys/fs/cgroup: /sys/fs/cgroup/unified on a
     * v1/v2 hybrid host, /sys/fs/cgroup itself on a pure cgroup v2 host.
     */
    public static String hostCgroup2Tree() {
        return "2".equals(cgroupVersion()) ? "/sys/fs/cgroup" : "/sys/fs/cgroup/unified";
    }

    static synchronized void configureTestcontainers() {
        if (configured) {
            return;
        }
        if (System.getenv("TESTCONTAINERS_RYUK_DISABLED") == null) {
            synchronized (ResourceReaper.class) { // ResourceReaper.instance() is static synchronized
                try {
                    Field instance = ResourceReaper.class.getDeclaredField("instance");
                    instance.setAccessible(true);
                    if (instance.get(null) == null) {
                        Class<?> hook = Class.forName("org.testcontainers.utility.JVMHookResourceReaper");
                        Constructor<?> ctor = hook.getDeclaredConstructor();
                        ctor.setAccessible(true);
                        instance.set(null, ctor.newInstance());
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("Cannot disable Testcontainers' Ryuk reaper in-process "
                            + "(Testcontainers internals changed?): export TESTCONTAINERS_RYUK_DISABLED=true", e);
                }
            }
        }
        String override = System.getenv("TESTCONTAINERS_HOST_OVERRIDE");
        if (override == null || override.isBlank()) {
            try {
                Field gateway = DockerClientConfigUtils.class.getDeclaredField("defaultGateway");
                gateway.setAccessible(true);
                @SuppressWarnings("unchecked")
                AtomicReference<Object> cache = (AtomicReference<Object>) gateway.get(null);
                cache.compareAndSet(null, Optional.empty()); // Testcontainers maps "no gateway" to localhost
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("Cannot preset Testcontainers' host address in-process "
                        + "(Testcontainers internals changed?): export TESTCONTAINERS_HOST_OVERRIDE=localhost", e);
            }
        }
        configured = true;
    }

    private static Optional<String> ping() {
        URI uri;
        try {
            uri = URI.create(endpoint());
        } catch (IllegalArgumentException e) {
            return Optional.of("bad DOCKER_HOST: " + endpoint());
        }
        CompletableFuture<Optional<String>> f = CompletableFuture.supplyAsync(() -> pingOnce(uri));
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            return Optional.of("no answer to /_ping within 5 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            return Optional.of(String.valueOf(e.getCause()));
        }
    }

    private static Optional<String> pingOnce(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        String tls = System.getenv("DOCKER_TLS_VERIFY");
        if (!"unix".equals(scheme) && tls != null && !tls.isBlank() && !"0".equals(tls)) {
            return Optional.empty(); // TLS endpoint: leave the check to Testcontainers' own client
        }
        try (SocketChannel ch = switch (scheme) {
            case "unix" -> {
                Path sock = Path.of(uri.getPath());
                if (!Files.exists(sock)) {
                    throw new IOException(sock + " does not exist");
                }
                SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                c.connect(UnixDomainSocketAddress.of(sock));
                yield c;
            }
            case "tcp", "http" -> SocketChannel.open(new InetSocketAddress(uri.getHost(),
                    uri.getPort() > 0 ? uri.getPort() : 2375));
            default -> throw new IOException("unsupported DOCKER_HOST scheme: " + uri);
        }) {
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(1024);
            while (ch.read(buf) > 0 && out.size() < 8192) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            String response = out.toString(StandardCharsets.US_ASCII);
            if (response.startsWith("HTTP/1.") && response.contains(" 200 ")) {
                return Optional.empty();
            }
            return Optional.of("unexpected answer: " + response.lines().findFirst().orElse("(nothing)"));
        } catch (IOException e) {
            return Optional.of(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
