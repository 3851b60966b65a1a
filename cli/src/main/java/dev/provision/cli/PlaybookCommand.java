package dev.provision.cli;

import dev.provision.engine.RunOptions;
import dev.provision.engine.inventory.Inventory;
import dev.provision.engine.inventory.InventoryDeployment;
import dev.provision.engine.inventory.PlaybookLoader;
import dev.provision.engine.report.JsonReport;
import dev.provision.engine.report.RunReport;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;

/** What {@code apply} and {@code plan} share: select hosts from the inventory, run them, report, exit. */
abstract class PlaybookCommand implements Callable<Integer> {

    static final String SOURCES = "Playbook classes come from the classpath and from the *.java files beside the inventory and"
            + " under playbooks/ beside it, compiled when they change (this needs a JDK).";

    private final CliContext context;

    @Mixin
    RunArguments arguments;

    PlaybookCommand(CliContext context) {
        this.context = context;
    }

    final int execute(boolean check, boolean diff) throws IOException {
        RunOptions options = arguments.options(check, diff);
        Inventory inventory = arguments.inventory.load(context);
        PlaybookLoader playbooks = CompiledPlaybooks.of(context).beside(inventory.file());
        Optional<InventoryDeployment> deployment = arguments.deployment(inventory);
        RunReport report = deployment.isPresent()
                ? new Runner(context).deploy(arguments.deploymentTarget(inventory, deployment.get(), playbooks), options, arguments.verbosity())
                : new Runner(context).run(arguments.targets(inventory, playbooks), options, arguments.verbosity());
        if (arguments.json != null) {
            JsonReport.write(report, context.masking(), arguments.json);
        }
        return ExitCodes.of(report, arguments.detailedExitCodes);
    }
}
