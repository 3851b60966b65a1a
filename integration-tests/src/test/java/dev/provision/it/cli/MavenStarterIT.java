package dev.provision.it.cli;

import dev.provision.it.cli.ProvisionProcess.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Maven starter as a user gets it: {@code provision init --maven} writes the project, which builds offline against
 * provision's artifacts as {@code mvn install} leaves them, and its test converges MyServer on a container and passes.
 *
 * <p>The artifacts this build made are installed into a local repository of the test's own, never into ~/.m2, and
 * everything else (plugins, libraries) is read from ~/.m2 as a file repository, which offline Maven may use
 * ({@code aether.offline.protocols=file}).
 */
class MavenStarterIT {

    private static final List<String> INSTALLED_MODULES = List.of("dsl", "tasks", "engine", "testbed", "testkit");

    @TempDir
    static Path dir;

    @Test
    void theStartersMavenVerifyPassesAgainstAContainer() throws Exception {
        Path root = ProvisionProcess.jar().getParent().getParent().getParent();
        Path repository = dir.resolve("repository");
        Path settings = Files.writeString(dir.resolve("settings.xml"), settings(Path.of(System.getProperty("user.home"), ".m2", "repository")));
        Path installer = Files.writeString(dir.resolve("installer.xml"), installer(root, version(root)));
        Maven maven = new Maven(settings, repository);

        assertThat(maven.run(dir, "-f", installer.toString(), "validate")).as("installing provision's artifacts").isZero();

        Path project = dir.resolve("ops");
        Result init = new ProvisionProcess(dir, Map.of()).run("init", "--maven", project.toString());
        assertThat(init.exitCode()).as(init.out() + init.err()).isZero();

        assertThat(maven.run(project, "verify")).as(maven.output).isZero();
        assertThat(maven.output).contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0", "BUILD SUCCESS");
        try (Stream<Path> installed = Files.list(repository.resolve("dev/provision"))) {
            assertThat(installed.map(path -> path.getFileName().toString())).contains("provision-bom", "provision-testkit");
        }
    }

    /** {@code mvn -o} with the test's settings and local repository. */
    private static final class Maven {
        private final Path settings;
        private final Path repository;
        String output = "";

        Maven(Path settings, Path repository) {
            this.settings = settings;
            this.repository = repository;
        }

        int run(Path workDir, String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of("mvn", "-o", "-B", "-s", settings.toString(), "-Dmaven.repo.local=" + repository,
                    "-Daether.offline.protocols=file"));
            command.addAll(List.of(args));
            Path log = Files.createTempFile(dir, "mvn-", ".log");
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            if (!process.waitFor(15, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
            output = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println(String.join(" ", command) + "\n" + output);
            return process.isAlive() ? -1 : process.exitValue();
        }
    }

    private static String version(Path root) throws IOException {
        Matcher version = Pattern.compile("<artifactId>provision-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(root.resolve("pom.xml")));
        assertThat(version.find()).as("the parent's version in " + root.resolve("pom.xml")).isTrue();
        return version.group(1);
    }

    /** A pom whose validate phase installs the parent, the BOM and the jars the starter needs, as this build made them. */
    private static String installer(Path root, String version) {
        StringBuilder executions = new StringBuilder(execution("parent", root.resolve("pom.xml"), root.resolve("pom.xml"))
                + execution("bom", root.resolve("bom/pom.xml"), root.resolve("bom/pom.xml")));
        for (String module : INSTALLED_MODULES) {
            Path jar = root.resolve(module + "/target/provision-" + module + "-" + version + ".jar");
            assertThat(jar).as("built by this reactor before the integration tests").isRegularFile();
            executions.append(execution(module, jar, root.resolve(module + "/pom.xml")));
        }
        return """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>it.provision</groupId><artifactId>installer</artifactId><version>1</version><packaging>pom</packaging>
                  <build><plugins><plugin>
                    <groupId>org.apache.maven.plugins</groupId><artifactId>maven-install-plugin</artifactId><version>3.1.3</version>
                    <executions>%s</executions>
                  </plugin></plugins></build>
                </project>
                """.formatted(executions);
    }

    private static String execution(String id, Path file, Path pom) {
        return "<execution><id>" + id + "</id><phase>validate</phase><goals><goal>install-file</goal></goals><configuration><file>" + file
                + "</file><pomFile>" + pom + "</pomFile></configuration></execution>";
    }

    /** ~/.m2 as a file repository for plugins and libraries, read only. */
    private static String settings(Path shared) {
        String repository = "<id>shared</id><url>" + shared.toUri() + "</url>";
        return """
                <settings>
                  <profiles><profile><id>shared</id>
                    <repositories><repository>%1$s</repository></repositories>
                    <pluginRepositories><pluginRepository>%1$s</pluginRepository></pluginRepositories>
                  </profile></profiles>
                  <activeProfiles><activeProfile>shared</activeProfile></activeProfiles>
                </settings>
                """.formatted(repository);
    }
}
