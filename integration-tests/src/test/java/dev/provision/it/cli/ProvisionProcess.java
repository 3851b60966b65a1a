package dev.provision.it.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The provision command the way an operator runs it: {@code java -jar cli/target/provision.jar ARGS}, a process
 * of its own, with stdout and stderr captured, or inside a terminal ({@code script} from util-linux gives it a
 * pty) with the screen captured.
 */
final class ProvisionProcess {

    /** What a run left: its exit code, stdout (in a terminal: the whole screen, stderr included) and stderr. */
    record Result(int exitCode, String out, String err) {

        /** The screen with its control characters made visible, for the test log. */
        String visibleOut() {
            return out.replace("\033", "\\e").replaceAll("\r(?!\n)", "\\\\r").replace("\r\n", "\n");
        }
    }

    private static final Duration LIMIT = Duration.ofMinutes(10);

    private final Path jar = jar();
    private final Path workDir;
    private final Map<String, String> environment;

    /** @param environment set for every run, on top of this JVM's environment without NO_COLOR */
    ProvisionProcess(Path workDir, Map<String, String> environment) {
        this.workDir = workDir;
        this.environment = environment;
    }

    /** stdout and stderr are pipes: no terminal. */
    Result run(String... args) throws IOException, InterruptedException {
        return runInJvm(List.of(), args);
    }

    /** As {@link #run}, with {@code jvmOptions} given to java before {@code -jar}. */
    Result runInJvm(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        return execute(command(jvmOptions, args), Map.of());
    }

    /** The names of the classes the JVM loaded for {@code args}, in the order it loaded them; the run must succeed. */
    List<String> classesLoadedBy(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        Path log = Files.createTempFile(workDir, "class-load-", ".log");
        try {
            List<String> options = new ArrayList<>(List.of("-Xlog:class+load:file=" + log));
            options.addAll(jvmOptions);
            Result run = runInJvm(options, args);
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            // a line is "[0.012s][info][class,load] java.lang.Object source: shared objects file"
            try (Stream<String> lines = Files.lines(log)) {
                return lines.map(line -> line.substring(line.indexOf("] ", line.indexOf("[class,load]")) + 2).split(" ", 2)[0]).toList();
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * Starts a run and returns at once: stdin is a pipe the test writes to, stdout and stderr go to {@code output}. The
     * caller waits for it and ends it.
     */
    Process start(Path output, String... args) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(List.of(), args)).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().remove("NO_COLOR");
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** In a terminal; {@code environment} adds to this run's environment (NO_COLOR, say). */
    Result runInTerminal(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        String shellCommand = command(List.of(), args).stream().map(ProvisionProcess::shellQuoted).collect(Collectors.joining(" "));
        return execute(List.of("script", "--quiet", "--return", "--command", shellCommand, "/dev/null"), environment);
    }

    private List<String> command(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private Result execute(List<String> command, Map<String, String> extra) throws IOException, InterruptedException {
        Path out = Files.createTempFile("provision-out-", ".txt");
        Path err = Files.createTempFile("provision-err-", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().remove("NO_COLOR");
            builder.environment().putAll(environment);
            builder.environment().putAll(extra);
            Process process = builder.start();
            if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail("provision did not finish within " + LIMIT.toMinutes() + " min: " + command + "\nstdout so far:\n" + Files.readString(out));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String shellQuoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** cli/target/provision.jar of the repository these tests run in. */
    static Path jar() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("cli/pom.xml"))) {
                Path jar = dir.resolve("cli/target/provision.jar");
                if (!Files.isRegularFile(jar)) {
                    fail(jar + " is missing: build it first (`cd cli && mvn -q install`; `mvn verify` at the root packages cli"
                            + " before these tests run)");
                }
                return jar;
            }
        }
        return fail("no cli/pom.xml in " + Path.of("").toAbsolutePath() + " or above: run the tests inside the provision repository");
    }
}
