package dev.provision.tasks.postgres;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Tells whether a role's stored password verifier was made from a given password, by building the
 * verifier PostgreSQL would store with the same salt and iteration count and comparing digests.
 * Covers SCRAM-SHA-256 (RFC 5802/7677, PostgreSQL's default) and the legacy md5 scheme.
 */
final class PasswordVerifier {

    private PasswordVerifier() {
    }

    static boolean matches(PgCatalog.Role role, String password) {
        if (role.verifier().equals("md5")) {
            return digest(("md5" + hex("MD5", (password + role.name()).getBytes(StandardCharsets.UTF_8))))
                    .equals(role.digest());
        }
        if (!role.verifier().startsWith("scram ")) {
            return false;
        }
        String[] iterationsAndSalt = role.verifier().substring("scram ".length()).split(":", 2);
        if (iterationsAndSalt.length != 2) {
            return false;
        }
        return digest(scram(password, Integer.parseInt(iterationsAndSalt[0]), iterationsAndSalt[1])).equals(role.digest());
    }

    /** {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}, as pg_authid keeps it. */
    static String scram(String password, int iterations, String base64Salt) {
        try {
            // SASLprep's normalisation; plain ASCII passwords are unchanged by it
            char[] prepared = Normalizer.normalize(password, Normalizer.Form.NFKC).toCharArray();
            byte[] salt = Base64.getDecoder().decode(base64Salt);
            byte[] saltedPassword = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(prepared, salt, iterations, 256)).getEncoded();
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(hmac(saltedPassword, "Client Key"));
            byte[] serverKey = hmac(saltedPassword, "Server Key");
            Base64.Encoder b64 = Base64.getEncoder();
            return "SCRAM-SHA-256$" + iterations + ":" + base64Salt + "$" + b64.encodeToString(storedKey) + ":" + b64.encodeToString(serverKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM lacks PBKDF2 with HMAC-SHA-256", e);
        }
    }

    private static byte[] hmac(byte[] key, String message) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    }

    private static String digest(String verifier) {
        return hex("SHA-256", verifier.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }
}
