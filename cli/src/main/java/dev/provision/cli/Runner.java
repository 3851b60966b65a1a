package dev.provision.cli;

import dev.provision.engine.DeploymentTarget;
import dev.provision.engine.HostTarget;
import dev.provision.engine.Provision;
import dev.provision.engine.RunOptions;
import dev.provision.engine.report.ConsoleReporter;
import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.RunReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/** Runs hosts, or a deployment's stages, with the console following along (each remote command too with -vv), and prints the recap. */
final class Runner {

    private final CliContext context;

    Runner(CliContext context) {
        this.context = context;
    }

    RunReport run(List<HostTarget> targets, RunOptions options, int verbosity) {
        return withConsole(targets.stream().map(target -> target.host().name()).toList(), options, verbosity,
                (provision, console) -> provision.run(targets));
    }

    /** A deployment, its stages shown first. */
    RunReport deploy(DeploymentTarget deployment, RunOptions options, int verbosity) {
        List<String> labels = new ArrayList<>();
        deployment.hostsByRole().forEach((role, hosts) -> hosts.forEach(host -> labels.add(HostReport.label(host.host().name(),
                Optional.of(role)))));
        return withConsole(labels, options, verbosity, (provision, console) -> {
            Stages.describe(deployment).forEach(console::note);
            return provision.deploy(deployment);
        });
    }

    private RunReport withConsole(List<String> labels, RunOptions options, int verbosity,
                                  BiFunction<Provision, ConsoleReporter, RunReport> run) {
        ConsoleReporter.Options view = new ConsoleReporter.Options(context.terminal(), context.colour(), options.diff(), verbosity, labels);
        try (ConsoleReporter console = new ConsoleReporter(context.out(), view, context.masking()).startProgress()) {
            Provision provision = new Provision(target -> context.connector().apply(target.connection()), options, console,
                    context.masking());
            RunReport report = run.apply(provision, console);
            console.recap(report);
            return report;
        }
    }
}
