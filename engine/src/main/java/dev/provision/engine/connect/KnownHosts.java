package dev.provision.engine.connect;

import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts.KnownHostEntry;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Host key checking against OpenSSH known_hosts files (hashed entries and {@code [host]:port}
 * included), answering as OpenSSH does: a known key is accepted, a changed key is always refused,
 * an unknown key is refused unless new keys are to be accepted, in which case it is added to the
 * first file. sshj only hears yes or no, so the reason for a no is kept for {@link #refusal()}.
 */
final class KnownHosts implements HostKeyVerifier {

    private final List<Path> files;
    private final boolean acceptNew;
    private final List<Line> lines;
    private volatile String refusal;

    /** One parsed known_hosts line and where it came from. */
    record Line(Path file, int number, KnownHostEntry entry) {

        boolean appliesTo(KeyType type, String hostPattern) {
            try {
                return entry.appliesTo(type, hostPattern);
            } catch (IOException e) {
                return false;
            }
        }

        /** The fingerprint of the key on this line, read back from the line's base64 field. */
        String fingerprint() {
            String[] fields = entry.getLine().trim().split("\\s+");
            String encoded = fields[fields[0].startsWith("@") ? 3 : 2];
            return KnownHosts.fingerprint(Base64.getDecoder().decode(encoded));
        }

        boolean holds(PublicKey key) {
            try {
                return entry.verify(key);
            } catch (IOException e) {
                return false;
            }
        }
    }

    KnownHosts(List<Path> files, boolean acceptNew) {
        this.files = List.copyOf(files);
        this.acceptNew = acceptNew;
        this.lines = parse(files);
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        KeyType type = KeyType.fromKey(key);
        String host = hostPattern(hostname, port);
        List<Line> applicable = lines.stream().filter(line -> line.appliesTo(type, host)).toList();
        if (applicable.stream().anyMatch(line -> line.holds(key))) {
            return true;
        }
        if (!applicable.isEmpty()) {
            refusal = changed(host, type, key, applicable.get(0));
            return false;
        }
        if (!acceptNew) {
            refusal = unknown(hostname, port, host, type, key);
            return false;
        }
        try {
            append(files.get(0), host + " " + type + " " + Base64.getEncoder().encodeToString(blob(key)));
            return true;
        } catch (IOException | RuntimeException e) {
            refusal = "cannot add the host key for " + host + " to " + files.get(0) + ": " + e.getMessage();
            return false;
        }
    }

    /** The key types known for the host, so the server is asked for one of those (as OpenSSH does). */
    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        String host = hostPattern(hostname, port);
        List<String> types = new ArrayList<>();
        for (Line line : lines) {
            KeyType type = line.entry().getType();
            if (line.appliesTo(type, host)) {
                types.add(type.toString());
            }
        }
        return types;
    }

    /** Why the last host key was refused, if it was. */
    Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** How known_hosts names a host: {@code host} on port 22, else {@code [host]:port}. */
    static String hostPattern(String hostname, int port) {
        String host = hostname.toLowerCase();
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    /** As OpenSSH prints it: {@code SHA256:} and the unpadded base64 of the SHA-256 of the key blob. */
    static String fingerprint(PublicKey key) {
        return fingerprint(blob(key));
    }

    private static String fingerprint(byte[] keyBlob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyBlob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static List<Line> parse(List<Path> files) {
        OpenSSHKnownHosts.EntryFactory factory = entryFactory();
        List<Line> lines = new ArrayList<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            List<String> text = readLines(file);
            for (int i = 0; i < text.size(); i++) {
                try {
                    KnownHostEntry entry = factory.parseEntry(text.get(i));
                    if (entry != null) {
                        lines.add(new Line(file, i + 1, entry));
                    }
                } catch (IOException | RuntimeException ignored) {
                    // OpenSSH skips lines it cannot read, and so do we
                }
            }
        }
        return lines;
    }

    private static OpenSSHKnownHosts.EntryFactory entryFactory() {
        try {
            return new OpenSSHKnownHosts(Reader.nullReader()).new EntryFactory();
        } catch (IOException e) {
            throw new IllegalStateException("reading an empty known_hosts cannot fail", e);
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConnectionException("cannot read known_hosts file " + file + ": " + e.getMessage(), e);
        }
    }

    private String changed(String host, KeyType type, PublicKey key, Line known) {
        return "host key for " + host + " has CHANGED: the host now presents " + type + " key " + fingerprint(key)
                + ", but " + known.file() + " line " + known.number() + " holds " + known.entry().getType() + " key "
                + known.fingerprint() + ". Someone may be intercepting the connection (man-in-the-middle attack),"
                + " or the host was reinstalled. Nothing was run on it. If the change is expected, remove the old key"
                + " with `ssh-keygen -R '" + host + "' -f " + known.file() + "` and connect again.";
    }

    private String unknown(String hostname, int port, String host, KeyType type, PublicKey key) {
        Path file = files.isEmpty() ? Path.of("~/.ssh/known_hosts") : files.get(0);
        return "host key for " + host + " is not known: " + type + " key " + fingerprint(key)
                + " (checked " + (files.isEmpty() ? "no known_hosts file" : files) + "). To trust it, run"
                + " `provision apply --accept-new-host-keys HOST` once, or add it with `ssh-keyscan -p " + port + " "
                + hostname + " >> " + file + "` after checking the fingerprint.";
    }

    /** Serialised, since connections to many hosts may learn keys at the same time. */
    private static synchronized void append(Path file, String line) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        String separator = Files.exists(file) && Files.size(file) > 0 && !endsWithNewline(file) ? "\n" : "";
        Files.writeString(file, separator + line + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return bytes[bytes.length - 1] == '\n';
    }

    private static byte[] blob(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }
}
