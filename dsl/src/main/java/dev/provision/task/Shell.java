package dev.provision.task;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/** Building blocks for the POSIX sh that facts and changes are written in. */
public final class Shell {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    /** The here-document delimiter for payloads; {@link #withoutPayloads} hides what stands before it. */
    public static final String PAYLOAD_END = "PROVISION_PAYLOAD_END";

    private static final Pattern PAYLOAD = Pattern.compile(
            "(<<'" + PAYLOAD_END + "'[^\\n]*\\n)(.*?)(^" + PAYLOAD_END + "$)", Pattern.DOTALL | Pattern.MULTILINE);

    private Shell() {
    }

    /** Quotes a word for sh; plain words stay as they are so scripts remain readable. */
    public static String quote(String word) {
        if (!word.isEmpty() && SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /**
     * A command line whose {@code consumer} reads {@code bytes} on stdin. The bytes travel inside
     * the script as base64 in a here-document, so binary content and any quoting are safe, and the
     * payload never appears in a process list. Example: {@code pipe(bytes, "cat > /tmp/x")}.
     */
    public static String pipe(byte[] bytes, String consumer) {
        String encoded = Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(bytes);
        return "base64 -d <<'" + PAYLOAD_END + "' | " + consumer + "\n"
                + encoded + (encoded.isEmpty() ? "" : "\n") + PAYLOAD_END + "\n";
    }

    /**
     * A script as it may be shown: the payloads of its here-documents are elided, since base64 would
     * carry a secret past a plain text search.
     */
    public static String withoutPayloads(String script) {
        return PAYLOAD.matcher(script).replaceAll("$1<payload hidden>\n$3");
    }

    public static String pipe(String text, String consumer) {
        return pipe(text.getBytes(StandardCharsets.UTF_8), consumer);
    }
}
