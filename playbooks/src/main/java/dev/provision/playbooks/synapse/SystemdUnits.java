package dev.provision.playbooks.synapse;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The target that groups every Synapse process, a drop-in that puts the package's main unit into
 * it, and the worker template. Neither package ships a target or a worker template.
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

    SystemdUnits(SynapseTopology topology) {
        this.topology = topology;
    }

    List<RenderedFile> files() {
        ServiceAction daemonReload = new ServiceAction.DaemonReload();
        return List.of(
                unit(UNIT_DIRECTORY + SynapseDeployment.TARGET, target(), daemonReload),
                unit(MAIN_DROP_IN, mainDropIn(), daemonReload,
                        new ServiceAction.Restart(SynapseDeployment.MAIN_SERVICE)),
                unit(UNIT_DIRECTORY + "matrix-synapse-worker@.service", workerTemplate(), daemonReload,
                        new ServiceAction.Restart(SynapseDeployment.TARGET)));
    }

    private static RenderedFile unit(String path, String content, ServiceAction... onChange) {
        return new RenderedFile(path, content, "root", "root", 0644, List.of(onChange));
    }

    /** Wants= every process, so starting the target starts exactly the processes of this topology. */
    private String target() {
        String wants = topology.workers().stream()
                .map(worker -> "Wants=" + SynapseDeployment.workerService(worker.name()) + "\n")
                .collect(Collectors.joining("", "Wants=" + SynapseDeployment.MAIN_SERVICE + "\n", ""));
        return """
                [Unit]
                Description=Matrix Synapse with all its workers
                After=network.target
                """ + wants + """

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
