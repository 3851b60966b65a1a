package dev.provision.dsl;

import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The one place output is made safe to print. Every secret value created in this JVM is
 * registered here, and the engine passes all text it shows or writes (task lines, diffs, command
 * logs, errors, JSON reports) through {@link #mask}. Payloads of scripts are hidden as well, since
 * base64 would carry a secret past a plain text search.
 */
public final class Redaction {

    public static final String MASK = "********";

    /** Shorter values would mask ordinary words; a secret that short is no secret. */
    private static final int MIN_LENGTH = 4;

    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    private static final Pattern PAYLOAD = Pattern.compile(
            "(<<'" + Shell.PAYLOAD_END + "'[^\\n]*\\n)(.*?)(^" + Shell.PAYLOAD_END + "$)",
            Pattern.DOTALL | Pattern.MULTILINE);

    private Redaction() {
    }

    public static void register(String secret) {
        if (secret.length() >= MIN_LENGTH) {
            SECRETS.add(secret);
        }
    }

    /** Replaces every registered secret value, longest first, with {@link #MASK}. */
    public static String mask(String text) {
        if (text == null || SECRETS.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String secret : SECRETS.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }

    /** A script as it may be shown to a user: secrets masked, here-document payloads elided. */
    public static String forDisplay(String script) {
        return mask(PAYLOAD.matcher(script).replaceAll("$1<payload hidden>\n$3"));
    }
}
