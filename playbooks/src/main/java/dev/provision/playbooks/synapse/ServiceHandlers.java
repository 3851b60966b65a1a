package dev.provision.playbooks.synapse;

import dev.provision.task.Task;
import dev.provision.tasks.nginx.Nginx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The handler for each of a deployment's {@link ServiceAction}s, in the order they must run. Restarts
 * and Synapse's reloads are {@link RestartOutdated}: they act only on processes older than the files
 * that asked for them. Two actions get no handler, since they must happen before Synapse first starts:
 * the daemon-reload and Redis's restart are steps.
 */
final class ServiceHandlers {

    /** Membership changes are written to /etc/group; a process started before that lacks the group. */
    static final String GROUPS_FILE = "/etc/group";

    record Planned(ServiceAction action, String name, Task task) {
    }

    private ServiceHandlers() {
    }

    static List<Planned> of(SynapseDeployment deployment) {
        Map<ServiceAction, List<String>> causes = causes(deployment);
        List<String> synapse = new ArrayList<>();
        if (deployment.runsMain()) {
            synapse.add(SynapseDeployment.MAIN_SERVICE);
        }
        deployment.workers().forEach(worker -> synapse.add(SynapseDeployment.workerService(worker.name())));
        List<Planned> handlers = new ArrayList<>();
        for (ServiceAction action : deployment.serviceActions()) {
            List<String> files = causes.getOrDefault(action, List.of());
            planned(action, files, synapse, deployment.topology()).ifPresent(handlers::add);
        }
        return handlers;
    }

    private static Optional<Planned> planned(ServiceAction action, List<String> files, List<String> synapse, SynapseTopology topology) {
        if (action instanceof ServiceAction.Restart restart && restart.unit().equals(SynapseDeployment.TARGET) && !synapse.isEmpty()) {
            return Optional.of(new Planned(action, "restart Synapse processes older than their configuration",
                    RestartOutdated.restart(synapse, files)));
        }
        if (action instanceof ServiceAction.Restart restart && !restart.unit().equals(SynapseDeployment.REDIS)) {
            return Optional.of(new Planned(action, "restart " + process(restart.unit(), topology) + " if older than its configuration",
                    RestartOutdated.restart(List.of(restart.unit()), files)));
        }
        if (action instanceof ServiceAction.Reload reload && reload.unit().equals(SynapseDeployment.NGINX)) {
            return Optional.of(new Planned(action, "reload nginx", Nginx.reload()));
        }
        if (action instanceof ServiceAction.Reload reload) {
            return Optional.of(new Planned(action, "reload " + process(reload.unit(), topology) + " (log configuration) if older than it",
                    RestartOutdated.reload(List.of(reload.unit()), files)));
        }
        return Optional.empty();
    }

    /** {@code main} or {@code worker login} for Synapse's units, else the unit. */
    private static String process(String unit, SynapseTopology topology) {
        if (unit.equals(SynapseDeployment.MAIN_SERVICE)) {
            return "main";
        }
        return topology.workers().stream().map(SynapseWorker::name).filter(name -> SynapseDeployment.workerService(name).equals(unit))
                .findFirst().map(name -> "worker " + name).orElse(unit);
    }

    /** For each action, the files whose change asks for it. */
    private static Map<ServiceAction, List<String>> causes(SynapseDeployment deployment) {
        Map<ServiceAction, List<String>> causes = new LinkedHashMap<>();
        deployment.files().forEach(file -> file.onChange().forEach(action -> add(causes, action, file.path())));
        deployment.secretFiles().forEach(secret -> secret.onChange().forEach(action -> add(causes, action, secret.path())));
        deployment.groupMemberships().forEach(membership -> add(causes, membership.takesEffectAfter(), GROUPS_FILE));
        return causes;
    }

    private static void add(Map<ServiceAction, List<String>> causes, ServiceAction action, String path) {
        List<String> paths = causes.computeIfAbsent(action, key -> new ArrayList<>());
        if (!paths.contains(path)) {
            paths.add(path);
        }
    }
}
