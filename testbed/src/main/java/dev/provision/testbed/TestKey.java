package dev.provision.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The SSH key pair the test images trust for root and deploy: {@code ${XDG_CACHE_HOME:-~/.cache}/provision/testkey}
 * (ed25519, no passphrase), generated once by {@code testbed/images/build-images.sh} and reused.
 */
public final class TestKey {
    private TestKey() {
    }

    /** {@code ${XDG_CACHE_HOME:-~/.cache}/provision}: generated test material lives here, outside the tree. */
    public static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("provision");
    }

    /** The private key (OpenSSH format). */
    public static Path privateKeyPath() {
        return cacheDir().resolve("testkey");
    }

    /** The public key ({@code ssh-ed25519 AAAA... provision-testkey}). */
    public static Path publicKeyPath() {
        return cacheDir().resolve("testkey.pub");
    }

    public static boolean exists() {
        return Files.isRegularFile(privateKeyPath()) && Files.isRegularFile(publicKeyPath());
    }

    /** The base64 blob of the public key (second field), or null when the key does not exist. */
    static String publicKeyBlob() {
        if (!Files.isRegularFile(publicKeyPath())) {
            return null;
        }
        try {
            String[] parts = Files.readString(publicKeyPath()).trim().split("\\s+");
            return parts.length >= 2 ? parts[1] : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
