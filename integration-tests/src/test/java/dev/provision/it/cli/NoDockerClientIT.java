package dev.provision.it.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Testcontainers and docker-java are for {@code provision demo} alone, in provision-demo.jar: provision.jar does not
 * carry them, and neither {@code apply} nor {@code plan} loads a class of theirs, not even in the run that writes the
 * launcher's class-data archive (which loads every class of provision's own). The host is this machine's shell.
 */
class NoDockerClientIT {

    private static final List<String> DOCKER_CLIENT_PACKAGES = List.of("org.testcontainers.", "com.github.dockerjava.");

    @TempDir
    static Path dir;

    private static ProvisionProcess provision;
    private static String inventory;
    private static Path file;

    @BeforeAll
    static void localHostWithOneFile() throws IOException {
        provision = new ProvisionProcess(dir, Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString()));
        Files.writeString(dir.resolve("OneFile.java"), """
                import dev.provision.dsl.Host;
                import dev.provision.dsl.Playbook;
                import dev.provision.tasks.files.Files;

                public class OneFile extends Playbook {
                    @Override
                    protected void define(Host host) {
                        step("the file", Files.file(host.var("path")).content("hello\\n"));
                    }
                }
                """);
        file = dir.resolve("out/hello.txt");
        Files.createDirectories(file.getParent());
        inventory = Files.writeString(dir.resolve("inventory.yaml"), """
                all:
                  hosts:
                    here: { connection: local, playbook: OneFile, vars: { path: %s } }
                """.formatted(file)).toString();
    }

    @Test
    void provisionJarCarriesNoDockerClient() throws IOException {
        try (JarFile jar = new JarFile(ProvisionProcess.jar().toFile())) {
            assertThat(jar.stream().map(JarEntry::getName).map(name -> name.replace('/', '.')))
                    .noneMatch(NoDockerClientIT::ofTheDockerClient);
        }
    }

    @Test
    void applyLoadsNoDockerClient() throws Exception {
        List<String> loaded = provision.classesLoadedBy(List.of(), "apply", "-i", inventory, "here");

        assertThat(file).hasContent("hello\n");
        assertThat(loaded).contains("dev.provision.cli.ApplyCommand").noneMatch(NoDockerClientIT::ofTheDockerClient);
    }

    @Test
    void planLoadsNoDockerClient() throws Exception {
        List<String> loaded = provision.classesLoadedBy(List.of(), "plan", "-i", inventory, "here");

        assertThat(loaded).contains("dev.provision.cli.PlanCommand").noneMatch(NoDockerClientIT::ofTheDockerClient);
    }

    @Test
    void theApplyThatWritesTheClassDataArchiveLoadsNoDockerClient() throws Exception {
        List<String> loaded = provision.classesLoadedBy(List.of("-Dprovision.archive.loadAll=true"), "apply", "-i", inventory, "here");

        assertThat(loaded).as("every class of provision's own, the Synapse playbook's too")
                .contains("dev.provision.playbooks.synapse.SynapseServer").noneMatch(NoDockerClientIT::ofTheDockerClient);
    }

    private static boolean ofTheDockerClient(String className) {
        return DOCKER_CLIENT_PACKAGES.stream().anyMatch(className::startsWith);
    }
}
