package dev.provision.cli;

import dev.provision.engine.HostTarget;
import dev.provision.engine.Provision;
import dev.provision.engine.RunOptions;
import dev.provision.engine.connect.Connection;
import dev.provision.engine.connect.ConnectionSettings;
import dev.provision.engine.report.ConsoleReporter;
import dev.provision.engine.report.RunReport;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Runs hosts with the console following along, and prints the recap. */
final class Runner {

    private final CliContext context;

    Runner(CliContext context) {
        this.context = context;
    }

    RunReport run(List<HostTarget> targets, RunOptions options, int verbosity) {
        ConsoleReporter.Options view = new ConsoleReporter.Options(context.terminal(), context.colour(), options.diff(), verbosity,
                targets.stream().map(target -> target.host().name()).toList());
        try (ConsoleReporter console = new ConsoleReporter(context.out(), view).startProgress()) {
            RunReport report = new Provision(connector(targets, console, verbosity), options, console).run(targets);
            console.recap(report);
            return report;
        }
    }

    /** With -vv, every connection logs its commands to the console under its host's name. */
    private Function<ConnectionSettings, Connection> connector(List<HostTarget> targets, ConsoleReporter console, int verbosity) {
        if (verbosity < 2) {
            return context.connector();
        }
        // Provision hands each target's own settings object to the connector; two hosts may have equal settings
        Map<ConnectionSettings, String> hostBySettings = new IdentityHashMap<>();
        targets.forEach(target -> hostBySettings.put(target.connection(), target.host().name()));
        return settings -> {
            Connection connection = context.connector().apply(settings);
            String host = hostBySettings.get(settings);
            connection.logCommands(command -> console.command(host, command));
            return connection;
        };
    }
}
