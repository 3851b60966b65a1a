package dev.provision.testbed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The local test images {@code provision-debian:SUITE}, built by {@code testbed/images/build-images.sh}.
 *
 * <p>{@link #ensure(String)} runs the script once per suite and JVM when it can find it (the script itself
 * decides, from a hash of its inputs, whether anything needs building, in well under a second when not), then
 * checks that the image exists and trusts the current test key.
 */
public final class TestImages {
    /** Suites the build script knows. */
    public static final List<String> SUITES = List.of("bookworm", "trixie", "sid");
    /** Repository part of the image names. */
    public static final String REPOSITORY = "provision-debian";
    /** Relative location of the build script inside the repository. */
    public static final String SCRIPT = "testbed/images/build-images.sh";

    private static final Set<String> ENSURED = ConcurrentHashMap.newKeySet();
    private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();

    private TestImages() {
    }

    /** {@code provision-debian:SUITE}. */
    public static String imageName(String suite) {
        requireKnown(suite);
        return REPOSITORY + ":" + suite;
    }

    /**
     * Makes sure {@code provision-debian:SUITE} exists and is current, building it if needed (output shown on
     * stderr). Returns the image name.
     */
    public static String ensure(String suite) {
        String image = imageName(suite);
        if (ENSURED.contains(suite)) {
            return image;
        }
        synchronized (LOCKS.computeIfAbsent(suite, s -> new Object())) {
            if (ENSURED.contains(suite)) {
                return image;
            }
            Docker.requireEngine();
            Path script = findScript();
            if (script != null) {
                runScript(script, suite);
            }
            String problem = problem(image);
            if (problem != null) {
                throw new IllegalStateException(problem + (script == null
                        ? ". The build script " + SCRIPT + " was not found above " + Path.of("").toAbsolutePath()
                          + ": run it from a checkout of the repository (or point PROVISION_TESTBED_SCRIPT at it)"
                        : ". " + script + " " + suite + " did not produce it"));
            }
            ENSURED.add(suite);
            return image;
        }
    }

    /** Null when the image exists and trusts the current test key, else why not. */
    private static String problem(String image) {
        Map<String, String> labels = Docker.imageLabels(image);
        if (labels.isEmpty() && !Docker.imageExists(image)) {
            return "Docker image " + image + " does not exist";
        }
        String blob = TestKey.publicKeyBlob();
        if (blob == null) {
            return "Test key " + TestKey.privateKeyPath() + " does not exist";
        }
        if (!Objects.equals(blob, labels.get("dev.provision.testkey"))) {
            return "Docker image " + image + " trusts another test key than " + TestKey.publicKeyPath();
        }
        return null;
    }

    /**
     * The build script: {@code PROVISION_TESTBED_SCRIPT} (env) or {@code provision.testbed.script} (system
     * property) if set, else {@value #SCRIPT} in the nearest folder at or above the working directory.
     */
    public static Path findScript() {
        String explicit = System.getenv("PROVISION_TESTBED_SCRIPT");
        if (explicit == null || explicit.isBlank()) {
            explicit = System.getProperty("provision.testbed.script");
        }
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit).toAbsolutePath();
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("PROVISION_TESTBED_SCRIPT / provision.testbed.script points at "
                        + p + ", which is not a file");
            }
            return p;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(SCRIPT);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static void runScript(Path script, String suite) {
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), suite).redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process p = pb.start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    System.err.println(line);
                }
            }
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(script + " " + suite + " did not finish within 30 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(script + " " + suite + " failed with exit code " + p.exitValue()
                        + " (its output is above)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while building " + imageName(suite), e);
        }
    }

    private static void requireKnown(String suite) {
        if (!SUITES.contains(suite)) {
            throw new IllegalArgumentException("Unknown test suite '" + suite + "', expected one of " + SUITES);
        }
    }
}
