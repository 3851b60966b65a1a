package dev.provision.engine.connect;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * The script a {@link ShellSession} writes to a POSIX {@code sh -s}, and nothing else: no I/O. Each
 * command runs as {@code ( eval 'command' ) </dev/null} with stdout and stderr in files of its own
 * ({@code o7}, {@code e7}) in a private temp dir, and the shell then prints a header line: the
 * session's nonce, the command's sequence number and its exit code. After the last command of a
 * batch, one {@code cat} sends every output file of the batch, each followed by a delimiter line
 * holding the nonce (from a file {@code D} written when the session starts), and one {@code rm}
 * removes them. So a command costs one process, its subshell ({@code printf} and {@code [} are
 * builtins). Read-only commands are started in the background a group at a time and awaited in
 * order, so a batch of facts takes about as long as its slowest members rather than their sum.
 *
 * <p>The nonce is 128 random bits, kept by the shell in two halves so that not even a command that
 * prints the shell's variables shows it whole. Because the command is eval'd in a subshell, a syntax
 * error, {@code exit} or {@code cd} in it cannot touch the session. A background process a command
 * leaves behind writes into that command's files, which have been sent already, never into a later
 * answer.
 */
final class ShellScript {

    private static final String DIR = "\"$__provision_d\"";
    private static final String NONCE_ARGS = "\"$__provision_a\" \"$__provision_b\"";
    /** Commands whose outputs one {@code cat} sends; far below any argument limit. */
    private static final int FILES_PER_CAT = 256;
    /**
     * Read-only commands running at once: enough to keep a host's cores busy while one command waits
     * on systemd or PostgreSQL, few enough not to swamp a small host.
     */
    static final int CONCURRENT_READS = 8;

    private final String nonce;
    /** Commands framed so far; the last one's sequence number. */
    private long sent;

    ShellScript(String nonce) {
        this.nonce = nonce;
    }

    static ShellScript withRandomNonce() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return new ShellScript(HexFormat.of().formatHex(bytes));
    }

    String nonce() {
        return nonce;
    }

    /** The temp dir, its removal at exit, the nonce in two halves, and the delimiter file D. */
    String prologue() {
        return "__provision_a=" + nonce.substring(0, 16) + " __provision_b=" + nonce.substring(16) + "\n"
                + "__provision_d=$(mktemp -d) && printf '\\n%s%s\\n' " + NONCE_ARGS + " >" + DIR + "/D || exit 1\n"
                + "trap 'rm -rf " + DIR + "' EXIT\n"
                + "trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 141' PIPE; trap 'exit 143' TERM\n";
    }

    /**
     * {@code inOrder} one after the other, then {@code atOnce} in the background in groups of at most
     * {@link #CONCURRENT_READS}, each group awaited in order; then the outputs of all of them.
     */
    String batch(List<String> inOrder, List<String> atOnce) {
        long first = sent + 1;
        StringBuilder script = new StringBuilder();
        inOrder.forEach(command -> script.append(framed(command)));
        for (int from = 0; from < atOnce.size(); from += CONCURRENT_READS) {
            script.append(framedAtOnce(atOnce.subList(from, Math.min(atOnce.size(), from + CONCURRENT_READS))));
        }
        return script.append(epilogue(first, sent)).toString();
    }

    /** Commands the shell runs on its way out; their answers are never read. */
    String lastWords(List<String> commands) {
        StringBuilder script = new StringBuilder();
        commands.forEach(command -> script.append(framed(command)));
        return script.toString();
    }

    /** One command: its subshell with fresh output files, then its header line with the exit code. */
    private String framed(String command) {
        long n = ++sent;
        return subshell(command, n) + "; " + header(n) + "\n";
    }

    /** Commands started together in the background, then awaited in order, each followed by its header line. */
    private String framedAtOnce(List<String> commands) {
        StringBuilder script = new StringBuilder();
        long first = sent + 1;
        for (String command : commands) {
            long n = ++sent;
            script.append(subshell(command, n)).append(" & __provision_p").append(n - first).append("=$!\n");
        }
        for (long n = first; n <= sent; n++) {
            script.append("wait \"$__provision_p").append(n - first).append("\"; ").append(header(n)).append('\n');
        }
        return script.toString();
    }

    private static String subshell(String command, long n) {
        return "( eval '" + command.replace("'", "'\\''") + "' ) </dev/null >" + file("o", n) + " 2>" + file("e", n);
    }

    /** The header line of command {@code n}, with the exit code of what ran last ({@code $?}). */
    private static String header(long n) {
        return "printf '\\n%s%s " + n + " %s\\n' " + NONCE_ARGS + " $?";
    }

    /**
     * After the batch's last command: the outputs of commands {@code first..last} (stdout, D, stderr,
     * D for each) and the removal of their files. If a command removed D, the shell says so instead.
     */
    private static String epilogue(long first, long last) {
        StringBuilder script = new StringBuilder("if [ -s " + DIR + "/D ]; then printf '\\n%s%s out " + first + " " + last
                + "\\n' " + NONCE_ARGS + "\n");
        for (long from = first; from <= last; from += FILES_PER_CAT) {
            script.append("cat");
            for (long n = from; n <= Math.min(last, from + FILES_PER_CAT - 1); n++) {
                script.append(' ').append(file("o", n)).append(' ').append(DIR).append("/D ")
                        .append(file("e", n)).append(' ').append(DIR).append("/D");
            }
            script.append('\n');
        }
        script.append("else printf '\\n%s%s lost\\n' ").append(NONCE_ARGS).append("; fi\n");
        for (long from = first; from <= last; from += FILES_PER_CAT) {
            script.append("rm -f");
            for (long n = from; n <= Math.min(last, from + FILES_PER_CAT - 1); n++) {
                script.append(' ').append(file("o", n)).append(' ').append(file("e", n));
            }
            script.append('\n');
        }
        return script.toString();
    }

    private static String file(String stream, long sequence) {
        return "\"$__provision_d/" + stream + sequence + "\"";
    }
}
