package dev.provision.cli;

import dev.provision.dsl.engine.Definition;
import dev.provision.dsl.engine.Definition.StepEntry;
import dev.provision.dsl.Host;
import dev.provision.dsl.Playbook;
import dev.provision.dsl.Verifiable;
import dev.provision.engine.inventory.PlaybookLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InitCommandTest {

    @TempDir
    Path dir;

    private final TestCli cli = new TestCli(address -> null, null);

    @Test
    void writesAStarterPlaybookThatCompilesAndAnInventoryNamingIt() throws Exception {
        Path site = dir.resolve("site");
        assertThat(cli.run("init", site.toString())).isEqualTo(ExitCodes.OK);
        assertThat(cli.out()).contains("wrote   " + site.resolve("MyServer.java"), "wrote   " + site.resolve("inventory.yaml"),
                "provision plan -i " + site.resolve("inventory.yaml") + " my.server",
                "provision test -i " + site.resolve("inventory.yaml") + " my.server");

        assertThat(cli.run("hosts", "-i", site.resolve("inventory.yaml").toString())).isEqualTo(ExitCodes.OK);
        assertThat(cli.out()).contains("my.server  root@203.0.113.10:22  MyServer");

        Playbook starter = starterPlaybook(site);
        Definition definition = starter.definition(new Host("my.server", Map.of()));
        assertThat(definition.steps()).extracting(StepEntry::name).containsExactly("packages are installed", "the home page greets",
                "nginx does not show its version", "nginx runs and starts at boot");
        assertThat(definition.handlers()).extracting(handler -> handler.name()).containsExactly("reload nginx");
        assertThat(starter).as("provision test runs its checks").isInstanceOf(Verifiable.class);
    }

    @Test
    void writesAMavenProjectImportingTheBomOfThisVersionWithTheStarterAndItsTest() throws IOException {
        Path project = dir.resolve("ops");

        assertThat(cli.run("init", "--maven", project.toString())).isEqualTo(ExitCodes.OK);

        assertThat(project.resolve("pom.xml")).content().contains("<artifactId>provision-bom</artifactId>", "<scope>import</scope>",
                "<artifactId>provision-testkit</artifactId><scope>test</scope>").doesNotContain("@project.version@")
                .containsPattern("<provision.version>\\d+\\.\\d+\\.\\d+[^<]*</provision.version>");
        assertThat(project.resolve("src/main/java/com/example/MyServer.java")).content()
                .startsWith("package com.example;\n").contains("public class MyServer extends Playbook implements Verifiable");
        assertThat(project.resolve("src/test/java/com/example/MyServerTest.java")).content()
                .contains("Converge.playbook(MyServer::new)", "@TestHost");
        assertThat(cli.out()).contains("cd " + project + " && mvn verify");
    }

    @Test
    void keepsFilesThatExist() throws IOException {
        Files.writeString(dir.resolve("inventory.yaml"), "mine\n");

        assertThat(cli.run("init", dir.toString())).isEqualTo(ExitCodes.OK);
        assertThat(cli.out()).contains("wrote   " + dir.resolve("MyServer.java"), "kept    " + dir.resolve("inventory.yaml") + " (it exists)");
        assertThat(dir.resolve("inventory.yaml")).hasContent("mine");
    }

    private Playbook starterPlaybook(Path site) throws ReflectiveOperationException {
        String classpath = System.getProperty("java.class.path");
        CompiledPlaybooks compiled = new CompiledPlaybooks(dir.resolve("cache"),
                () -> new PlaybookCompiler(javax.tools.ToolProvider.getSystemJavaCompiler(), classpath), classpath,
                new PrintStream(OutputStream.nullOutputStream()));
        PlaybookLoader loader = compiled.beside(site.resolve("inventory.yaml"));
        return (Playbook) Class.forName("MyServer", true, loader.loader()).getConstructor().newInstance();
    }
}
