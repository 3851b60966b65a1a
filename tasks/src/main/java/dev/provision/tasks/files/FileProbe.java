package dev.provision.tasks.files;

import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.FactException;
import dev.provision.task.Shell;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The one fact every file task reads: what is at a path, in a single read-only command. It prints
 * {@code key=value} lines: the type, then owner, group and octal mode (files and directories), the size
 * (files), and either the content as base64 (files up to {@link #CONTENT_LIMIT}) or the sha256 (larger
 * files), or the target (links).
 *
 * <p>The content rides along because a diff needs the old text and a line edit needs the whole file; a
 * config file is a few KiB, so one round trip with the content is cheaper than a second one for it, and
 * it lets every task on the same path share one identical command. Larger files are compared by sha256.
 * The probes of one run are gathered together by {@link FileProbeBatch}, which answers in this format.
 */
public final class FileProbe {

    public static final int CONTENT_LIMIT = 256 * 1024;

    private FileProbe() {
    }

    public static Fact<FileState> at(String path) {
        return FileProbeBatch.accepts(path)
                ? Fact.batched(FileProbeBatch.INSTANCE, path, command(path), result -> parse(path, result))
                : Fact.of(command(path), result -> parse(path, result));
    }

    static String command(String path) {
        return "f=" + Shell.quote(path) + "; "
                + "if [ -L \"$f\" ]; then printf 'type=link\\ntarget=%s\\n' \"$(readlink -- \"$f\")\"; "
                + "elif [ -d \"$f\" ]; then echo type=directory; stat --printf='owner=%U\\ngroup=%G\\nmode=%a\\n' -- \"$f\"; "
                + "elif [ -f \"$f\" ]; then echo type=file; stat --printf='owner=%U\\ngroup=%G\\nmode=%a\\nsize=%s\\n' -- \"$f\" && "
                + "if [ \"$(stat -c %s -- \"$f\")\" -le " + CONTENT_LIMIT + " ]; then printf content=; base64 -w0 < \"$f\" && echo; "
                + "else printf sha256=; sha256sum < \"$f\" | cut -c1-64; fi; "
                + "elif [ -e \"$f\" ]; then echo type=other; "
                + "else echo type=absent; fi";
    }

    static FileState parse(String path, CommandResult result) {
        if (!result.succeeded()) {
            throw new FactException("cannot inspect " + path + ": " + result.errorText());
        }
        Map<String, String> values = new HashMap<>();
        for (String line : result.stdout().split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        String type = require(values, "type", path);
        return switch (type) {
            case "absent" -> FileState.absent(path);
            case "link" -> new FileState(path, FileState.Type.LINK, "", "", Optional.empty(), 0, "", Optional.empty(),
                    require(values, "target", path));
            case "other" -> new FileState(path, FileState.Type.OTHER, "", "", Optional.empty(), 0, "", Optional.empty(), "");
            case "directory" -> new FileState(path, FileState.Type.DIRECTORY, require(values, "owner", path),
                    require(values, "group", path), Optional.of(Mode.parse(require(values, "mode", path))), 0, "",
                    Optional.empty(), "");
            case "file" -> regularFile(path, values);
            default -> throw new FactException("unexpected type '" + type + "' for " + path);
        };
    }

    private static FileState regularFile(String path, Map<String, String> values) {
        Optional<byte[]> content = Optional.ofNullable(values.get("content")).map(Base64.getDecoder()::decode);
        String sha256 = content.map(FileProbe::sha256).orElseGet(() -> require(values, "sha256", path));
        return new FileState(path, FileState.Type.FILE, require(values, "owner", path), require(values, "group", path),
                Optional.of(Mode.parse(require(values, "mode", path))), Long.parseLong(require(values, "size", path)),
                sha256, content, "");
    }

    private static String require(Map<String, String> values, String key, String path) {
        String value = values.get(key);
        if (value == null) {
            throw new FactException("no " + key + " in what the host said about " + path + ": " + values.keySet());
        }
        return value;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
