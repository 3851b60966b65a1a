package dev.provision.cli;

import dev.provision.dsl.engine.DeploymentDefinition.RoleEntry;
import dev.provision.engine.DeploymentTarget;
import dev.provision.engine.HostTarget;

import java.util.ArrayList;
import java.util.List;

/** A deployment's stages as the console shows them before they run. */
final class Stages {

    private Stages() {
    }

    /** {@code DEPLOYMENT chat}, then a line a stage: {@code stage 2: main on app1, after database}. */
    static List<String> describe(DeploymentTarget deployment) {
        List<String> lines = new ArrayList<>();
        lines.add("DEPLOYMENT " + deployment.name() + " (" + deployment.definition().name() + ")");
        List<RoleEntry> roles = deployment.definition().roles();
        for (int i = 0; i < roles.size(); i++) {
            RoleEntry role = roles.get(i);
            List<String> hosts = deployment.hosts(role.name()).stream().map(HostTarget::host).map(host -> host.name()
                    + (deployment.limited().contains(host.name()) ? "" : " (read only, outside --limit)")).toList();
            StringBuilder line = new StringBuilder("  stage " + (i + 1) + ": " + role.name() + " on " + String.join(", ", hosts));
            if (!role.after().isEmpty()) {
                line.append(", after ").append(String.join(", ", role.after()));
            }
            role.rollout().batch().ifPresent(batch -> line.append(", ").append(batch).append(" at a time"));
            role.rollout().tolerated().ifPresent(tolerated -> line.append(", stops when more than ").append(tolerated)
                    .append(" of a batch fail"));
            if (!role.products().isEmpty()) {
                line.append("; makes ").append(String.join(", ", role.products().stream().map(product -> product.name()).toList()));
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
