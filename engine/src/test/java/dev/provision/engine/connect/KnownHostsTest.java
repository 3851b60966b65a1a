package dev.provision.engine.connect;

import net.schmizz.sshj.common.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KnownHostsTest {

    /** Generated with ssh-keygen; fingerprints as {@code ssh-keygen -lf} prints them. */
    private static final String KEY = "AAAAC3NzaC1lZDI1NTE5AAAAIMblqtrlyM2FfXPmEC5LRT1yFntjwUxxaPvpXAJDsGfB";
    private static final String KEY_FINGERPRINT = "SHA256:TGeGirCIm2YSEc9ctTb18FGiQEfKQcy22nSlfQ1hVls";
    private static final String OTHER_KEY = "AAAAC3NzaC1lZDI1NTE5AAAAILjZsZlAY22IEcu70FmODFTH9GLYvGjuspWl64l+Fb0D";
    private static final String OTHER_FINGERPRINT = "SHA256:qLxCd+Fdx48DYUU8m7335TkmMt95jysYbw+QsEYu6Iw";
    /** {@code ssh-keygen -H} of {@code [db1.example]:2222} with KEY. */
    private static final String HASHED_LINE =
            "|1|UlPDAGEthOFn14tqx1IqEUwT6sA=|3XbUhR53wYstphtU8vHfhtfqW+8= ssh-ed25519 " + KEY;

    @TempDir
    Path dir;

    @Test
    void fingerprintsLikeOpenSsh() throws Exception {
        assertThat(KnownHosts.fingerprint(key(KEY))).isEqualTo(KEY_FINGERPRINT);
        assertThat(KnownHosts.fingerprint(key(OTHER_KEY))).isEqualTo(OTHER_FINGERPRINT);
    }

    @Test
    void namesNonStandardPortsInBrackets() {
        assertThat(KnownHosts.hostPattern("DB1.example", 22)).isEqualTo("db1.example");
        assertThat(KnownHosts.hostPattern("db1.example", 2222)).isEqualTo("[db1.example]:2222");
    }

    @Test
    void acceptsAKnownKeyOnlyForItsPort() throws Exception {
        KnownHosts knownHosts = knownHosts("[db1.example]:2222 ssh-ed25519 " + KEY + " comment");

        assertThat(knownHosts.verify("db1.example", 2222, key(KEY))).isTrue();
        assertThat(knownHosts.findExistingAlgorithms("db1.example", 2222)).containsExactly("ssh-ed25519");
        assertThat(knownHosts.verify("db1.example", 22, key(KEY))).isFalse();
        assertThat(knownHosts.refusal()).hasValueSatisfying(message -> assertThat(message).contains("is not known"));
    }

    @Test
    void readsHashedEntries() throws Exception {
        assertThat(knownHosts(HASHED_LINE).verify("db1.example", 2222, key(KEY))).isTrue();
        assertThat(knownHosts(HASHED_LINE).verify("db2.example", 2222, key(KEY))).isFalse();
    }

    @Test
    void refusesAChangedKeyNamingFileAndLine() throws Exception {
        KnownHosts knownHosts = knownHosts("# a comment", "[db1.example]:2222 ssh-ed25519 " + KEY);

        assertThat(knownHosts.verify("db1.example", 2222, key(OTHER_KEY))).isFalse();
        assertThat(knownHosts.refusal().orElseThrow())
                .contains("host key for [db1.example]:2222 has CHANGED")
                .contains(OTHER_FINGERPRINT, KEY_FINGERPRINT)
                .contains(dir.resolve("known_hosts") + " line 2")
                .contains("man-in-the-middle");
    }

    @Test
    void refusesAChangedKeyEvenWhenNewKeysAreAccepted() throws Exception {
        Path file = write("[db1.example]:2222 ssh-ed25519 " + KEY);
        String before = Files.readString(file);

        assertThat(new KnownHosts(List.of(file), true).verify("db1.example", 2222, key(OTHER_KEY))).isFalse();
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void refusesAnUnknownKeySayingHowToAcceptIt() throws Exception {
        KnownHosts knownHosts = knownHosts();

        assertThat(knownHosts.verify("db1.example", 2222, key(KEY))).isFalse();
        assertThat(knownHosts.refusal().orElseThrow())
                .contains("ssh-ed25519 key " + KEY_FINGERPRINT)
                .contains("provision apply --accept-new-host-keys HOST")
                .contains("ssh-keyscan -p 2222 db1.example >> " + dir.resolve("known_hosts"));
    }

    @Test
    void addsAnAcceptedKeyInBracketFormCreatingAPrivateDirectory() throws Exception {
        Path file = dir.resolve("home/.ssh/known_hosts");

        assertThat(new KnownHosts(List.of(file), true).verify("db1.example", 2222, key(KEY))).isTrue();

        assertThat(Files.readString(file)).isEqualTo("[db1.example]:2222 ssh-ed25519 " + KEY + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(new KnownHosts(List.of(file), false).verify("db1.example", 2222, key(KEY))).isTrue();
    }

    @Test
    void appendsOnANewLineWhenTheFileLacksAFinalNewline() throws Exception {
        Path file = dir.resolve("known_hosts");
        Files.writeString(file, "db2.example ssh-ed25519 " + OTHER_KEY);

        new KnownHosts(List.of(file), true).verify("db1.example", 22, key(KEY));

        assertThat(Files.readAllLines(file)).containsExactly(
                "db2.example ssh-ed25519 " + OTHER_KEY, "db1.example ssh-ed25519 " + KEY);
    }

    private KnownHosts knownHosts(String... lines) throws Exception {
        return new KnownHosts(List.of(write(lines)), false);
    }

    private Path write(String... lines) throws Exception {
        Path file = dir.resolve("known_hosts");
        Files.write(file, List.of(lines));
        return file;
    }

    private static PublicKey key(String base64) throws Exception {
        return new Buffer.PlainBuffer(Base64.getDecoder().decode(base64)).readPublicKey();
    }
}
