package dev.provision.cli;

import dev.provision.engine.DeploymentTarget;
import dev.provision.engine.HostTarget;
import dev.provision.engine.RunOptions;
import dev.provision.engine.inventory.Inventory;
import dev.provision.engine.inventory.InventoryException;
import dev.provision.engine.inventory.InventoryDeployment;
import dev.provision.engine.inventory.InventoryHost;
import dev.provision.engine.inventory.PlaybookLoader;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.stream.Collectors;

/** The arguments of the commands that run playbooks ({@code apply}, {@code plan}). */
final class RunArguments {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Parameters(paramLabel = "HOST", arity = "1..*",
            description = "Hosts to run on: host or group names from the inventory, globs such as 'web*', or all.")
    List<String> hosts;

    @Mixin
    InventoryOption inventory;

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN",
            description = "Only the hosts that also match PATTERN (same syntax as HOST; comma-separated for several).")
    String limit;

    @Option(names = "-v", description = "More output: -v the resource of each task, why a task was skipped and time per host;"
            + " -vv also every remote command (secrets masked).")
    boolean[] verbose = new boolean[0];

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    Path json;

    @Option(names = {"-f", "--forks"}, paramLabel = "N", defaultValue = "10", description = "Hosts to run at once (default: ${DEFAULT-VALUE}).")
    int forks;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "1200",
            description = "How long one remote command (a batch of facts, or one task's changes) may take (default: ${DEFAULT-VALUE}).")
    long timeout;

    @Option(names = "--lock-wait", paramLabel = "SECONDS", defaultValue = "600",
            description = "How long to wait for a host that another provision run holds locked; 0 fails at once (default: ${DEFAULT-VALUE}).")
    long lockWait;

    @Mixin
    ConnectionOptions connectionOptions;

    @Option(names = "--no-force-handlers", description = "When a task fails, leave the handlers it and earlier tasks notified"
            + " for the next run instead of running them now.")
    boolean noForceHandlers;

    @Option(names = "--detailed-exitcodes", description = "Exit 2 when something changed (0 then means nothing changed).")
    boolean detailedExitCodes;

    int verbosity() {
        return verbose.length;
    }

    RunOptions options(boolean check, boolean diff) {
        if (forks < 1) {
            throw new ParameterException(spec.commandLine(), "--forks must be at least 1, not " + forks);
        }
        if (timeout < 1) {
            throw new ParameterException(spec.commandLine(), "--timeout must be at least 1 second, not " + timeout);
        }
        if (lockWait < 0) {
            throw new ParameterException(spec.commandLine(), "--lock-wait must be 0 or more seconds, not " + lockWait);
        }
        if (json != null && json.toAbsolutePath().getParent() != null && !Files.isDirectory(json.toAbsolutePath().getParent())) {
            throw new ParameterException(spec.commandLine(), "--json " + json + ": the folder " + json.toAbsolutePath().getParent()
                    + " does not exist");
        }
        return RunOptions.apply().withCheck(check).withDiff(diff).withForceHandlers(!noForceHandlers)
                .withCommandTimeout(Duration.ofSeconds(timeout)).withForks(forks).withLockWait(Duration.ofSeconds(lockWait));
    }

    /** The deployment HOST names, if it names one (a deployment is given alone). */
    Optional<InventoryDeployment> deployment(Inventory inventory) {
        return hosts.size() == 1 ? inventory.deployment(hosts.get(0)) : Optional.empty();
    }

    /** The deployment ready to run: its hosts within --limit run, the others are only read; host key policy applied. */
    DeploymentTarget deploymentTarget(Inventory inventory, InventoryDeployment deployment, PlaybookLoader playbooks) {
        DeploymentTarget target = inventory.deploymentTarget(deployment, playbooks);
        Set<String> limited = target.limited();
        if (limit != null) {
            Set<String> matching = inventory.select(List.of(limit)).stream().map(InventoryHost::name).collect(Collectors.toSet());
            limited = limited.stream().filter(matching::contains).collect(Collectors.toSet());
            if (limited.isEmpty()) {
                throw new InventoryException("no host of deployment " + deployment.name() + " matches --limit " + limit
                        + "; its hosts: " + String.join(", ", deployment.hosts()));
            }
        }
        Map<String, List<HostTarget>> hostsByRole = new LinkedHashMap<>();
        target.hostsByRole().forEach((role, targets) -> hostsByRole.put(role, targets.stream()
                .map(host -> new HostTarget(host.host(), connectionOptions.applyTo(host.connection()), host.playbook())).toList()));
        return new DeploymentTarget(target.name(), target.definition(), hostsByRole, limited);
    }

    /** The hosts that match HOST and --limit, playbooks found by {@code playbooks} and checked, host key policy applied. */
    List<HostTarget> targets(Inventory inventory, PlaybookLoader playbooks) {
        List<InventoryHost> selected = inventory.select(hosts);
        if (limit != null) {
            Set<String> limited = inventory.select(List.of(limit)).stream().map(InventoryHost::name).collect(Collectors.toSet());
            selected = selected.stream().filter(host -> limited.contains(host.name())).toList();
            if (selected.isEmpty()) {
                throw new InventoryException("no host matches both " + String.join(" ", hosts) + " and --limit " + limit
                        + " in inventory " + inventory.file());
            }
        }
        return selected.stream().map(host -> inventory.target(host, playbooks))
                .map(target -> new HostTarget(target.host(), connectionOptions.applyTo(target.connection()), target.playbook())).toList();
    }
}
