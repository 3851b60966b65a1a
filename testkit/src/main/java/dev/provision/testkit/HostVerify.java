package dev.provision.testkit;

import dev.provision.dsl.Verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@link Verify} a {@link dev.provision.dsl.Verifiable} playbook gets on a test host: every check is a
 * {@link HostAssert} assertion; one that fails is recorded and the next still runs, so a report shows every failure.
 */
public final class HostVerify implements Verify {

    private final HostShell host;
    private final Consumer<Check> listener;
    private final List<Check> checks = new ArrayList<>();

    /** @param listener told of each check as it ends */
    public HostVerify(HostShell host, Consumer<Check> listener) {
        this.host = host;
        this.listener = listener;
    }

    /** Every check so far, in order. */
    public List<Check> checks() {
        return List.copyOf(checks);
    }

    public List<Check> failures() {
        return checks.stream().filter(check -> !check.passed()).toList();
    }

    @Override
    public Verify unitActive(String unit) {
        return check("unit " + unit + " is active", () -> assertion().hasActiveUnit(unit));
    }

    @Override
    public Verify listens(int port) {
        return check("TCP port " + port + " listens", () -> assertion().listensOn(port));
    }

    @Override
    public Verify fileContent(String path, String content) {
        return check("file " + path + " has its content", () -> assertion().hasFileContent(path, content));
    }

    @Override
    public Verify fileMode(String path, String mode) {
        return check("file " + path + " has mode " + mode, () -> assertion().hasFileMode(path, mode));
    }

    @Override
    public Verify succeeds(String command) {
        return check("`" + command + "` succeeds", () -> assertion().runsSuccessfully(command));
    }

    @Override
    public Verify http(String url, int status, String bodyContains) {
        return check("GET " + url + " answers " + status, () -> assertion().answersHttp(url, status, bodyContains));
    }

    private HostAssert assertion() {
        return new HostAssert(host);
    }

    private Verify check(String description, Runnable assertion) {
        Check check;
        try {
            assertion.run();
            check = new Check(description, Optional.empty());
        } catch (AssertionError e) {
            check = new Check(description, Optional.of(e.getMessage().strip()));
        }
        checks.add(check);
        listener.accept(check);
        return this;
    }
}
