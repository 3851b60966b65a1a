package dev.provision.tasks.files;

import dev.provision.task.CommandResult;
import dev.provision.task.FactBatch;
import dev.provision.task.Shell;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every {@link FileProbe} of a run in three processes instead of three per path: one {@code find}
 * prints type, owner, group, mode, size and link target of every path; a second concatenates the
 * contents of the regular files up to {@link FileProbe#CONTENT_LIMIT} through one {@code cat}, cut
 * apart again by their sizes; a third hashes the larger ones. Absent paths are named by the shell's
 * own tests. An answer that does not add up (a path in neither list, contents not as long as the
 * sizes said) means the host changed in between, and the probes run alone.
 */
final class FileProbeBatch implements FactBatch<String> {

    static final FileProbeBatch INSTANCE = new FileProbeBatch();

    private static final int LIMIT = FileProbe.CONTENT_LIMIT;
    private static final String CONTENT = "--content--";
    private static final String HASHES = "--sha256--";
    private static final String ABSENT = "--absent--";

    private FileProbeBatch() {
    }

    /** A path the batch can carry: absolute (so find cannot take it for an option), one line, no tab, no backslash (sha256sum escapes such names). */
    static boolean accepts(String path) {
        return path.startsWith("/") && path.indexOf('\n') < 0 && path.indexOf('\t') < 0 && path.indexOf('\\') < 0;
    }

    @Override
    public String command(List<String> paths) {
        String quoted = paths.stream().map(Shell::quote).collect(Collectors.joining(" "));
        return "find " + quoted + " -maxdepth 0 -printf '%y\\t%u\\t%g\\t%m\\t%s\\t%p\\t%l\\n' 2>/dev/null; "
                + "echo " + CONTENT + "; find " + quoted + " -maxdepth 0 -type f -size -" + (LIMIT + 1) + "c -exec cat -- {} + 2>/dev/null | base64 -w0; echo; "
                + "echo " + HASHES + "; find " + quoted + " -maxdepth 0 -type f -size +" + LIMIT + "c -exec sha256sum -- {} + 2>/dev/null; "
                + "echo " + ABSENT + "; for f in " + quoted + "; do [ -e \"$f\" ] || [ -L \"$f\" ] || printf '%s\\n' \"$f\"; done";
    }

    @Override
    public Optional<List<CommandResult>> split(CommandResult result, List<String> paths) {
        String[] sections = result.stdout().split("(?m)^(" + CONTENT + "|" + HASHES + "|" + ABSENT + ")\n", -1);
        if (!result.succeeded() || sections.length != 4) {
            return Optional.empty();
        }
        Map<String, String[]> entries = new HashMap<>();
        for (String line : sections[0].lines().toList()) {
            String[] fields = line.split("\t", 7);
            if (fields.length != 7) {
                return Optional.empty();
            }
            entries.put(fields[5], fields);
        }
        Set<String> absent = Set.copyOf(sections[3].lines().toList());
        Map<String, String> hashes = new HashMap<>();
        for (String line : sections[2].lines().toList()) {
            if (line.length() < 67 || !line.startsWith("  ", 64)) {
                return Optional.empty();
            }
            hashes.put(line.substring(66), line.substring(0, 64));
        }
        byte[] contents;
        try {
            contents = Base64.getDecoder().decode(sections[1].strip());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        List<CommandResult> results = new ArrayList<>();
        int offset = 0;
        for (String path : paths) {
            String[] entry = entries.get(path);
            if ((entry != null) == absent.contains(path)) {
                return Optional.empty(); // listed twice or not at all: the host changed in between
            }
            StringBuilder out = new StringBuilder();
            if (entry == null) {
                out.append("type=absent\n");
            } else {
                String type = entry[0];
                switch (type) {
                    case "l" -> out.append("type=link\ntarget=").append(entry[6]).append('\n');
                    case "d" -> out.append("type=directory\n").append(owned(entry));
                    case "f" -> {
                        long size = Long.parseLong(entry[4]);
                        out.append("type=file\n").append(owned(entry)).append("size=").append(size).append('\n');
                        if (size <= LIMIT) {
                            if (offset + size > contents.length) {
                                return Optional.empty();
                            }
                            byte[] content = new byte[(int) size];
                            System.arraycopy(contents, offset, content, 0, content.length);
                            offset += content.length;
                            out.append("content=").append(Base64.getEncoder().encodeToString(content)).append('\n');
                        } else if (hashes.containsKey(path)) {
                            out.append("sha256=").append(hashes.get(path)).append('\n');
                        } else {
                            return Optional.empty();
                        }
                    }
                    default -> out.append("type=other\n");
                }
            }
            results.add(new CommandResult(0, out.toString(), ""));
        }
        return offset == contents.length ? Optional.of(results) : Optional.empty();
    }

    /** Owner, group and mode as {@code stat} prints them: a user or group without a name is UNKNOWN there. */
    private static String owned(String[] entry) {
        return "owner=" + named(entry[1]) + "\ngroup=" + named(entry[2]) + "\nmode=" + entry[3] + "\n";
    }

    private static String named(String name) {
        return name.chars().allMatch(Character::isDigit) ? "UNKNOWN" : name;
    }
}
