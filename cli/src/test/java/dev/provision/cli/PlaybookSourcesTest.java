package dev.provision.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlaybookSourcesTest {

    @TempDir
    Path dir;

    private final Map<String, MarkerHost> hosts = new HashMap<>();
    private TestCli cli;
    private String inventory;

    @BeforeEach
    void setUp() throws IOException {
        cli = new TestCli(hosts::get, dir.resolve("cache"));
        hosts.put("10.0.0.1", new MarkerHost());
        hosts.put("10.0.0.2", new MarkerHost());
        inventory = Files.writeString(dir.resolve("inventory.yaml"), """
                all:
                  hosts:
                    beside: { address: 10.0.0.1, playbook: Stamp }
                    nested: { address: 10.0.0.2, playbook: com.example.Nested }
                """).toString();
    }

    /** A playbook with one step that sets a {@link MarkerHost} marker. */
    private void playbook(String path, String packageName, String className, String marker) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, (packageName.isEmpty() ? "" : "package " + packageName + ";\n") + """
                import dev.provision.dsl.*; import dev.provision.task.*;
                import java.util.List;

                public class %s extends Playbook {
                    @Override
                    protected void define(Host host) {
                        Fact<Boolean> marked = Fact.succeeds("has %s");
                        step("stamp %s", new Task() {
                            public String describe() { return "marker %s"; }
                            public List<Fact<?>> facts() { return List.of(marked); }
                            public Plan plan(Facts facts) { return facts.get(marked) ? Plan.ok() : Plan.of(Change.of("mark %s", "mark %s")); }
                        });
                    }
                }
                """.formatted(className, marker, marker, marker, marker, marker));
    }

    @Test
    void sourcesBesideTheInventoryAndUnderPlaybooksAreCompiledOnceAndRun() throws IOException {
        playbook("Stamp.java", "", "Stamp", "one");
        playbook("playbooks/com/example/Nested.java", "com.example", "Nested", "two");

        assertThat(cli.run("apply", "-i", inventory, "all")).isEqualTo(ExitCodes.OK);
        assertThat(cli.err()).isEqualTo("provision: compiling Stamp.java, playbooks/com/example/Nested.java in " + dir + "\n");
        assertThat(cli.out()).contains("beside | changed  stamp one", "nested | changed  stamp two");
        assertThat(hosts.get("10.0.0.1").marked).containsExactly("one");
        assertThat(hosts.get("10.0.0.2").marked).containsExactly("two");

        assertThat(cli.run("apply", "-i", inventory, "all")).isEqualTo(ExitCodes.OK);
        assertThat(cli.err()).as("the second run loads the cached classes").isEmpty();

        playbook("Stamp.java", "", "Stamp", "three");
        assertThat(cli.run("apply", "-i", inventory, "beside")).isEqualTo(ExitCodes.OK);
        assertThat(cli.err()).as("a changed source is compiled again").startsWith("provision: compiling");
        assertThat(hosts.get("10.0.0.1").marked).containsExactly("one", "three");
    }

    @Test
    void aCompileErrorShowsFileLineColumnAndTheLineWithACaretAndExitsFour() throws IOException {
        Path source = Files.writeString(dir.resolve("Stamp.java"), """
                import dev.provision.dsl.*; import dev.provision.task.*;

                public class Stamp extends Playbook {
                    @Override
                    protected void define(Host host) {
                \t\tstep("stamp", Nope.task());
                    }
                }
                """);

        assertThat(cli.run("apply", "-i", inventory, "beside")).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).isEqualTo("provision: compiling Stamp.java in " + dir + "\n"
                + "provision: the playbook sources do not compile (1 error):\n"
                + source + ":6:17: error: cannot find symbol\n"
                + "\t\tstep(\"stamp\", Nope.task());\n"
                + "\t\t              ^\n"
                + "  symbol:   variable Nope\n"
                + "  location: class Stamp\n");
        assertThat(cli.connected).isEmpty();
    }

    @Test
    void aClassTheSourcesDoNotDeclareNamesTheSourcesSearched() throws IOException {
        playbook("Stamp.java", "", "Stamp", "one");
        playbook("playbooks/com/example/Nested.java", "com.example", "Nested", "two");
        Files.writeString(Path.of(inventory), "all:\n  hosts:\n    beside: { address: 10.0.0.1, playbook: Stmp }\n");

        assertThat(cli.run("plan", "-i", inventory, "beside")).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains(inventory + ":3:34: playbook class Stmp for host beside not found on the classpath or in the"
                + " playbook sources Stamp.java, playbooks/com/example/Nested.java in " + dir);
    }

    @Test
    void withoutAJdkCompilingSaysWhatIsNeeded() throws IOException {
        playbook("Stamp.java", "", "Stamp", "one");

        assertThatThrownBy(() -> new PlaybookCompiler(null, "").compile(PlaybookSources.beside(Path.of(inventory))))
                .isInstanceOf(PlaybookSourceException.class)
                .hasMessage("compiling playbook sources needs a JDK (javac); run provision with a JDK 17+");
    }
}
