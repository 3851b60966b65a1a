package dev.provision.testkit;

import dev.provision.dsl.InlinePlaybook;
import dev.provision.dsl.Playbook;
import dev.provision.testbed.DebianHost;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The convergence test of a playbook, in one call:
 *
 * <pre>{@code
 * @TestHost
 * static final DebianHost host = DebianHost.bookworm();
 *
 * @Test
 * void converges() {
 *     Converge.playbook(MyServer::new)
 *             .vars(Map.of("greeting", "Hi"))
 *             .drift(host -> host.exec("rm /var/www/html/index.html"))
 *             .on(host);
 * }
 * }</pre>
 *
 * <p>{@link #on} applies the playbook to the host and asserts, failing with the task at fault and its diff:
 * <ol>
 * <li>the first apply succeeds, and changes something (else the test would not see the playbook work);</li>
 * <li>a second apply changes nothing, and check mode plans nothing;</li>
 * <li>after each {@link #drift} made by hand, check mode reports it and changes nothing (a second check reports the
 *     same), apply corrects exactly what check reported, and the host is back to nothing to do;</li>
 * <li>a playbook that is {@link dev.provision.dsl.Verifiable} passes its own checks.</li>
 * </ol>
 * Several hosts (say, on one network: {@link DebianHost#onNetwork}) converge together, each run one run of them all,
 * each host under its hostname with a playbook of its own from the supplier.
 */
public final class Converge {

    /** A change made behind the playbook's back, and how the failure names it. */
    record Drift(String description, Consumer<DebianHost> make) {
    }

    private final Supplier<? extends Playbook> playbooks;
    private final Map<String, Object> vars;
    private final List<Drift> drifts;

    private Converge(Supplier<? extends Playbook> playbooks, Map<String, Object> vars, List<Drift> drifts) {
        this.playbooks = playbooks;
        this.vars = vars;
        this.drifts = drifts;
    }

    /** A playbook class: {@code Converge.playbook(MyServer::new)}; every run gets a fresh instance, as the engine's do. */
    public static Converge playbook(Supplier<? extends Playbook> playbooks) {
        return new Converge(playbooks, Map.of(), List.of());
    }

    /** A playbook written in the test: {@code Converge.inline(p -> p.step("nginx", Apt.present("nginx")))}. */
    public static Converge inline(Consumer<InlinePlaybook> body) {
        return playbook(() -> InlinePlaybook.of(body));
    }

    /** The host variables the playbook gets. */
    public Converge vars(Map<String, ?> vars) {
        return new Converge(playbooks, new LinkedHashMap<>(vars), drifts);
    }

    /** A drift made by a shell command on each host, as root; it must succeed. */
    public Converge drift(String shellCommand) {
        return drift(new Drift("`" + shellCommand + "`", host -> host.exec(shellCommand).requireSuccess()));
    }

    /** A drift made by the test on each host, e.g. {@code host -> host.exec("chmod 0600 /etc/app.conf")}. */
    public Converge drift(Consumer<DebianHost> drift) {
        return drift(new Drift("drift " + (drifts.size() + 1), drift));
    }

    private Converge drift(Drift drift) {
        List<Drift> all = new ArrayList<>(drifts);
        all.add(drift);
        return new Converge(playbooks, vars, List.copyOf(all));
    }

    /** The whole cycle on started hosts; throws an {@link AssertionError} at the first step that does not hold. */
    public ConvergenceCycle on(DebianHost... hosts) {
        ConvergenceCycle cycle = cycle(hosts).converges();
        drifts.forEach(cycle::correctsDrift);
        return cycle.verifies();
    }

    /** The cycle's steps one by one, for tests that look at the host between them. */
    public ConvergenceCycle cycle(DebianHost... hosts) {
        return new ConvergenceCycle(List.of(hosts), HostRuns.on(hosts).withVars(vars), playbooks);
    }
}
