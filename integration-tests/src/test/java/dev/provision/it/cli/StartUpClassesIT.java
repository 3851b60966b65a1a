package dev.provision.it.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --version} and {@code --help} answer without loading what only a run needs: the engine's run, SSH and
 * its cryptography, the inventory's YAML, templates, or the JDK's compiler. Each of these costs start-up time
 * (BENCHMARKS.md has the phases); a reference that pulls one of them into the command line's start shows here.
 */
class StartUpClassesIT {

    private static final List<String> RUN_ONLY = List.of("dev.provision.engine.Provision", "dev.provision.engine.HostRun",
            "dev.provision.engine.connect.SshConnection", "dev.provision.cli.CompiledPlaybooks", "net.schmizz.", "com.hierynomus.",
            "org.bouncycastle.", "org.yaml.snakeyaml.", "com.hubspot.jinjava.", "com.sun.tools.javac.", "javax.tools.");

    @TempDir
    Path dir;

    @Test
    void versionLoadsNothingARunNeeds() throws IOException, InterruptedException {
        List<String> loaded = process().classesLoadedBy(List.of(), "--version");

        assertThat(loaded).contains("dev.provision.cli.Main").noneMatch(StartUpClassesIT::onlyForARun);
    }

    @Test
    void helpLoadsNothingARunNeeds() throws IOException, InterruptedException {
        for (String[] args : new String[][] {{"--help"}, {"apply", "--help"}}) {
            List<String> loaded = process().classesLoadedBy(List.of(), args);

            assertThat(loaded).as(String.join(" ", args)).contains("dev.provision.cli.ApplyCommand").noneMatch(StartUpClassesIT::onlyForARun);
        }
    }

    private ProvisionProcess process() {
        return new ProvisionProcess(dir, Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString()));
    }

    private static boolean onlyForARun(String className) {
        return RUN_ONLY.stream().anyMatch(className::startsWith);
    }
}
