package dev.provision.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code provision completion bash}: tab completion of commands and options. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print the shell completion script: put `source <(provision completion bash)` in ~/.bashrc.",
                "zsh takes the same script after `autoload -U +X bashcompinit && bashcompinit`."})
final class CompletionCommand implements Callable<Integer> {

    enum Shell { bash }

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "The shell: ${COMPLETION-CANDIDATES}.")
    Shell shell;

    CompletionCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        context.out().print(AutoComplete.bash("provision", spec.root().commandLine()));
        return ExitCodes.OK;
    }
}
