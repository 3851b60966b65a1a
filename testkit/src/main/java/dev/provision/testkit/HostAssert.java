package dev.provision.testkit;

import dev.provision.task.CommandResult;
import dev.provision.task.Diff;
import org.assertj.core.api.AbstractAssert;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What an operator checks on a converged host, as AssertJ assertions: {@code assertThat(host).hasActiveUnit("nginx")
 * .listensOn(80).answersHttp("http://localhost/", 200, "hello")}. Each check is one read-only command on the host; a
 * failure says what was expected on which host and what was found there.
 */
public final class HostAssert extends AbstractAssert<HostAssert, HostShell> {

    HostAssert(HostShell host) {
        super(host, HostAssert.class);
    }

    /** {@code systemctl is-active UNIT} says {@code active}. */
    public HostAssert hasActiveUnit(String unit) {
        isNotNull();
        String state = actual.run("systemctl is-active " + quoted(unit)).stdout().strip();
        if (!state.equals("active")) {
            String status = actual.run("systemctl status " + quoted(unit) + " --no-pager --lines=10 2>&1").stdout().strip();
            failWithMessage("%nExpecting unit:%n  \"%s\"%non host %s to be active, but it is:%n  \"%s\"%n%s", unit, actual, state,
                    indented(status));
        }
        return this;
    }

    /** Something listens on TCP {@code port}, on any address, IPv4 or IPv6. */
    public HostAssert listensOn(int port) {
        isNotNull();
        // the kernel's own table: the image needs neither ss nor netstat; state 0A is LISTEN, ports are in hex
        CommandResult table = actual.run("awk 'FNR > 1 && $4 == \"0A\" { split($2, a, \":\"); print a[2] }' /proc/net/tcp /proc/net/tcp6 2>/dev/null");
        TreeSet<Integer> listening = table.stdout().lines().map(String::strip).filter(hex -> !hex.isEmpty())
                .map(hex -> Integer.parseInt(hex, 16)).collect(Collectors.toCollection(TreeSet::new));
        if (!listening.contains(port)) {
            failWithMessage("%nExpecting host %s to listen on TCP port:%n  %d%nbut it listens on:%n  %s", actual, port, listening);
        }
        return this;
    }

    /** The file at {@code path} holds exactly {@code content}. */
    public HostAssert hasFileContent(String path, String content) {
        isNotNull();
        CommandResult file = actual.run("cat -- " + quoted(path));
        if (!file.succeeded()) {
            failWithMessage("%nExpecting file:%n  %s%non host %s to have content:%n  \"%s\"%nbut it cannot be read: %s", path, actual,
                    content, file.errorText());
        } else if (!file.stdout().equals(content)) {
            failWithMessage("%nExpecting file:%n  %s%non host %s to have content:%n  \"%s\"%nbut it has:%n  \"%s\"%n%s", path, actual,
                    content, file.stdout(), indented(new Diff(path, file.stdout(), content).unified().strip()));
        }
        return this;
    }

    /** The file or directory at {@code path} has the octal {@code mode}, such as {@code "0644"} or {@code "750"}. */
    public HostAssert hasFileMode(String path, String mode) {
        isNotNull();
        CommandResult stat = actual.run("stat -c %a -- " + quoted(path));
        if (!stat.succeeded()) {
            failWithMessage("%nExpecting file:%n  %s%non host %s to have mode %s, but it cannot be read: %s", path, actual, mode,
                    stat.errorText());
        } else if (Integer.parseInt(stat.stdout().strip(), 8) != Integer.parseInt(mode, 8)) {
            failWithMessage("%nExpecting file:%n  %s%non host %s to have mode:%n  %s%nbut it has:%n  %04o", path, actual, mode,
                    Integer.parseInt(stat.stdout().strip(), 8));
        }
        return this;
    }

    /** {@code sh -c command}, as root, exits 0. */
    public HostAssert runsSuccessfully(String command) {
        isNotNull();
        CommandResult result = actual.run(command);
        if (!result.succeeded()) {
            failWithMessage("%nExpecting command:%n  %s%non host %s to succeed, but it exited %d%nstdout:%n%s%nstderr:%n%s", command, actual,
                    result.exitCode(), indented(result.stdout().strip()), indented(result.stderr().strip()));
        }
        return this;
    }

    /**
     * A plain-HTTP GET of {@code url} sent from the host itself (bash's {@code /dev/tcp}: the image needs no curl) answers
     * with {@code status}, and its body contains {@code bodyContains}.
     */
    public HostAssert answersHttp(String url, int status, String bodyContains) {
        isNotNull();
        HttpAnswer answer = get(url);
        if (answer.failure() != null) {
            failWithMessage("%nExpecting GET %s%nfrom host %s to answer %d, but %s", url, actual, status, answer.failure());
        } else if (answer.status() != status || !answer.body().contains(bodyContains)) {
            failWithMessage("%nExpecting GET %s%nfrom host %s to answer:%n  %d with a body containing \"%s\"%nbut it answered:%n  %d with"
                    + " the body:%n%s", url, actual, status, bodyContains, answer.status(), indented(answer.body().strip()));
        }
        return this;
    }

    private record HttpAnswer(int status, String body, String failure) {
    }

    private HttpAnswer get(String url) {
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("answersHttp takes a plain http:// URL with a host, not " + url);
        }
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String request = "GET " + path + " HTTP/1.0\r\nHost: " + uri.getHost() + "\r\nConnection: close\r\n\r\n";
        String script = "exec 3<>/dev/tcp/" + quoted(uri.getHost()) + "/" + port + " && printf %s " + quoted(request) + " >&3 && cat <&3";
        CommandResult result = actual.run("timeout 10 bash -c " + quoted(script));
        if (!result.succeeded()) {
            return new HttpAnswer(0, "", "no answer (exit " + result.exitCode() + "): " + result.errorText());
        }
        String response = result.stdout();
        int headerEnd = response.indexOf("\r\n\r\n");
        String[] statusLine = response.lines().findFirst().orElse("").split(" ");
        if (headerEnd < 0 || statusLine.length < 2 || !statusLine[0].startsWith("HTTP/") || !statusLine[1].matches("\\d{3}")) {
            return new HttpAnswer(0, "", "the answer is no HTTP response:\n" + indented(response.strip()));
        }
        return new HttpAnswer(Integer.parseInt(statusLine[1]), response.substring(headerEnd + 4), null);
    }

    /** {@code text} as one word of sh. */
    static String quoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static String indented(String text) {
        List<String> lines = Arrays.asList(text.split("\n", -1));
        return lines.stream().map(line -> "  " + line).collect(Collectors.joining("\n"));
    }
}
