package dev.provision.tasks.postgres;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordVerifierTest {

    private final PgCatalog.Role synapse = PgCatalogTest.catalog().role("synapse").orElseThrow();

    @Test
    void recognisesThePasswordPostgresqlHashed() {
        assertThat(PasswordVerifier.matches(synapse, "s3cr'et")).isTrue();
    }

    @Test
    void rejectsAnyOtherPassword() {
        assertThat(PasswordVerifier.matches(synapse, "s3cret")).isFalse();
        assertThat(PasswordVerifier.matches(PgCatalogTest.catalog().role("postgres").orElseThrow(), "")).isFalse();
    }

    @Test
    void checksLegacyMd5Verifiers() {
        // md5 verifier of "pw" for user "old": md5 + md5("pwold")
        String verifier = "md5" + java.util.HexFormat.of().formatHex(md5("pwold"));
        PgCatalog.Role old = new PgCatalog.Role("old", true, "md5", sha256(verifier));
        assertThat(PasswordVerifier.matches(old, "pw")).isTrue();
        assertThat(PasswordVerifier.matches(old, "other")).isFalse();
    }

    private static byte[] md5(String text) {
        try {
            return java.security.MessageDigest.getInstance("MD5").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
