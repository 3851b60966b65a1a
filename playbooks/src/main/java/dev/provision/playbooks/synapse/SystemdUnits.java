package dev.provision.playbooks.synapse;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * On each machine running Synapse: the target that groups that machine's Synapse processes, a
 * drop-in that puts the package's main unit into it (main's machine only), and the worker template
 * (machines with workers). Neither package ships a target or a worker template.
 */
final class SystemdUnits {

    private static final String UNIT_DIRECTORY = "/etc/systemd/system/";
    static final String MAIN_DROP_IN_DIRECTORY = UNIT_DIRECTORY + SynapseDeployment.MAIN_SERVICE + ".d";
    static final String MAIN_DROP_IN = MAIN_DROP_IN_DIRECTORY + "/workers.conf";

    /** The sandbox of Debian's matrix-synapse.service, so that workers are confined like main there. */
    private static final String SANDBOX = """
            LockPersonality=yes
            NoNewPrivileges=yes
            PrivateDevices=yes
            PrivateTmp=yes
            ProtectControlGroups=yes
            ProtectHome=read-only
            ProtectKernelLogs=yes
            ProtectKernelModules=yes
            ProtectKernelTunables=yes
            ProtectSystem=yes
            RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
            RestrictRealtime=yes
            SystemCallArchitectures=native
            """;

    private final SynapseTopology topology;
    private final String machine;

    SystemdUnits(SynapseTopology topology, String machine) {
        this.topology = topology;
        this.machine = machine;
    }

    List<RenderedFile> files() {
        ServiceAction daemonReload = new ServiceAction.DaemonReload();
        boolean main = machine.equals(topology.machine());
        List<RenderedFile> files = new ArrayList<>();
        if (!topology.synapseMachines().contains(machine)) {
            return files;
        }
        files.add(unit(UNIT_DIRECTORY + SynapseDeployment.TARGET, target(main), daemonReload));
        if (main) {
            files.add(unit(MAIN_DROP_IN, mainDropIn(), daemonReload,
                    new ServiceAction.Restart(SynapseDeployment.MAIN_SERVICE)));
        }
        if (main || !topology.workersOn(machine).isEmpty()) {
            files.add(unit(UNIT_DIRECTORY + "matrix-synapse-worker@.service", workerTemplate(), daemonReload,
                    new ServiceAction.Restart(SynapseDeployment.TARGET)));
        }
        return files;
    }

    private static RenderedFile unit(String path, String content, ServiceAction... onChange) {
        return new RenderedFile(path, content, "root", "root", 0644, List.of(onChange));
    }

    /**
     * Wants= every process of this machine, so starting the target starts exactly them. Across
     * machines the listeners bind a private address, which must exist first.
     */
    private String target(boolean main) {
        String wants = topology.workersOn(machine).stream()
                .map(worker -> "Wants=" + SynapseDeployment.workerService(worker.name()) + "\n")
                .collect(Collectors.joining("", main ? "Wants=" + SynapseDeployment.MAIN_SERVICE + "\n" : "", ""));
        String network = topology.spansMachines() ? "After=network-online.target\nWants=network-online.target\n" : "After=network.target\n";
        String description = topology.spansMachines() ? "Matrix Synapse's processes on " + machine : "Matrix Synapse with all its workers";
        return "[Unit]\nDescription=" + description + "\n" + network + wants + """

                [Install]
                WantedBy=multi-user.target
                """;
    }

    /**
     * No Before= here: the guide's "Before=matrix-synapse-worker" names no unit, and the workers
     * already order themselves After=matrix-synapse.service. ExecReload is reset first because
     * the matrix.org unit already has one and Debian's has none.
     */
    private String mainDropIn() {
        return """
                [Unit]
                PartOf=matrix-synapse.target
                ReloadPropagatedFrom=matrix-synapse.target

                [Service]
                Group=matrix-synapse
                """ + runtimeDirectory() + """
                ExecReload=
                ExecReload=/bin/kill -HUP $MAINPID
                """;
    }

    private String workerTemplate() {
        return """
                [Unit]
                Description=Synapse worker %i
                AssertPathExists=/etc/matrix-synapse/workers/%i.yaml
                PartOf=matrix-synapse.target
                ReloadPropagatedFrom=matrix-synapse.target
                # Main first: it migrates the database schema on start-up.
                After=matrix-synapse.service

                [Service]
                Type=notify
                NotifyAccess=main
                User=matrix-synapse
                Group=matrix-synapse
                WorkingDirectory=/var/lib/matrix-synapse
                EnvironmentFile=-/etc/default/matrix-synapse
                """ + "ExecStart=" + topology.packageSource().python() + " -m synapse.app.generic_worker"
                + " --config-path=/etc/matrix-synapse/homeserver.yaml --config-path=/etc/matrix-synapse/conf.d/"
                + " --config-path=/etc/matrix-synapse/workers/%i.yaml\n" + """
                ExecReload=/bin/kill -HUP $MAINPID
                Restart=always
                RestartSec=3
                SyslogIdentifier=matrix-synapse-%i
                """ + runtimeDirectory() + SANDBOX;
    }

    /**
     * Every unit declares the shared socket directory, so whichever starts first creates it, and
     * Preserve keeps it (and the other processes' sockets) when one unit stops.
     */
    private String runtimeDirectory() {
        return "RuntimeDirectory=" + topology.socketDirectory().substring("/run/".length()) + "\n"
                + "RuntimeDirectoryMode=0770\n"
                + "RuntimeDirectoryPreserve=yes\n";
    }
}
