package dev.provision.playbooks.synapse;

import dev.provision.task.Change;
import dev.provision.task.Diff;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Task;
import dev.provision.tasks.files.AtomicWrite;
import dev.provision.tasks.files.FileTask;
import dev.provision.tasks.files.Files;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server block nginx answers the public hostname with: the playbook's own {@code conf.d/matrix-synapse.conf} on
 * a host without one, or, when a site already serves the hostname, that site taken over ({@link AdoptedSite}): its
 * certificate, listen directives and own locations stay, the locations proxying to Synapse give way to the routing,
 * and the change says which. The playbook's own server block is then removed, since two blocks for one name and port
 * make nginx ignore the second.
 */
final class NginxSite implements Task {

    private final String hostname;
    private final FileTask rendered;
    private final FileTask ownAbsent;
    private final Fact<ExistingServer> existing;

    NginxSite(SynapseTopology topology, FileTask rendered) {
        this.hostname = topology.publicHostname();
        this.rendered = rendered;
        this.ownAbsent = Files.file(NginxConfig.SITE).absent();
        this.existing = ExistingServer.fact(hostname);
    }

    @Override
    public String describe() {
        return "nginx's server block for " + hostname;
    }

    @Override
    public List<Fact<?>> facts() {
        List<Fact<?>> facts = new ArrayList<>(rendered.facts());
        facts.add(existing);
        return facts;
    }

    @Override
    public Plan plan(Facts facts) {
        List<ExistingServer.Site> sites = facts.get(existing).sites();
        if (sites.isEmpty()) {
            return rendered.plan(facts);
        }
        ExistingServer.Site site = sites.get(0);
        AdoptedSite adopted = AdoptedSite.of(site.content(), hostname);
        Optional<String> problem = adopted.problem();
        if (problem.isPresent()) {
            return Plan.fail(site.path() + ": " + problem.get());
        }
        String content = adopted.content();
        Plan plan = ownAbsent.plan(facts);
        if (content.equals(site.content())) {
            return plan;
        }
        String script = AtomicWrite.of(site.path(), content.getBytes(StandardCharsets.UTF_8)).validateInPlace(Optional.of("nginx -t")).script();
        Change change = Change.of("take over " + site.path() + ": " + (adopted.replaced().isEmpty() ? "add" : "replace location "
                + String.join(", location ", adopted.replaced()) + " (Synapse answered them on port 8008, which main no longer"
                + " listens on) with") + " the playbook's routing (" + AdoptedSite.INCLUDE + "); its listen, certificate"
                + " and other locations stay as they are", script).withDiff(new Diff(site.path(), site.content(), content));
        return new Plan(List.of(change), Optional.empty()).and(plan);
    }
}
