package dev.provision.cli;

import dev.provision.engine.HostTarget;
import dev.provision.engine.Provision;
import dev.provision.engine.RunOptions;
import dev.provision.engine.report.ConsoleReporter;
import dev.provision.engine.report.RunReport;

import java.util.List;

/** Runs hosts with the console following along (each remote command too with -vv), and prints the recap. */
final class Runner {

    private final CliContext context;

    Runner(CliContext context) {
        this.context = context;
    }

    RunReport run(List<HostTarget> targets, RunOptions options, int verbosity) {
        ConsoleReporter.Options view = new ConsoleReporter.Options(context.terminal(), context.colour(), options.diff(), verbosity,
                targets.stream().map(target -> target.host().name()).toList());
        try (ConsoleReporter console = new ConsoleReporter(context.out(), view, context.masking()).startProgress()) {
            RunReport report = new Provision(target -> context.connector().apply(target.connection()), options, console,
                    context.masking()).run(targets);
            console.recap(report);
            return report;
        }
    }
}
