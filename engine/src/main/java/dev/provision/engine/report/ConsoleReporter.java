package dev.provision.engine.report;

import dev.provision.task.Diff;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Prints a run as it happens: a line per finished task ({@code ok}, {@code changed}, {@code failed},
 * {@code skipped}) with what changed or why it failed underneath, unreachable hosts, and the recap.
 * While a task runs, a terminal shows a spinner with the elapsed time on the status line; other
 * outputs get a "still running" line every 30 s. Hosts print in parallel, so every block is written
 * whole under one lock, each line prefixed with its host when the run has several. Everything it
 * prints, the caller's own notes included, has the run's secrets masked.
 */
public final class ConsoleReporter implements RunListener, AutoCloseable {

    /**
     * @param terminal  the output is a terminal: a live status line instead of periodic notices
     * @param colour    ANSI colours
     * @param diff      show the unified diffs of content changes
     * @param verbosity 1 adds each task's resource and why a task was skipped; 2 also each remote command
     * @param hosts     the hosts of the run; with more than one, lines start with the host's name
     */
    public record Options(boolean terminal, boolean colour, boolean diff, int verbosity, List<String> hosts) {

        public Options {
            hosts = List.copyOf(hosts);
        }
    }

    private static final Duration SLOW = Duration.ofSeconds(1);
    private static final Duration NOTICE_INTERVAL = Duration.ofSeconds(30);
    private static final String SPINNER = "|/-\\";
    private static final String CLEAR_LINE = "\r\033[K";
    private static final String INDENT = " ".repeat(9);

    private final PrintStream out;
    private final Options options;
    private final Masking masking;
    private final Ansi ansi;
    private final LongSupplier nanoClock;
    private final int hostWidth;
    private final Map<String, Running> running = new LinkedHashMap<>();
    private ScheduledExecutorService ticker;
    private int frame;
    private boolean statusShown;

    private static final class Running {
        final String task;
        final long started;
        int notices;

        Running(String task, long started) {
            this.task = task;
            this.started = started;
        }
    }

    public ConsoleReporter(PrintStream out, Options options, Masking masking) {
        this(out, options, masking, System::nanoTime);
    }

    ConsoleReporter(PrintStream out, Options options, Masking masking, LongSupplier nanoClock) {
        this.out = out;
        this.options = options;
        this.masking = masking;
        this.ansi = new Ansi(options.colour());
        this.nanoClock = nanoClock;
        this.hostWidth = options.hosts().stream().mapToInt(String::length).max().orElse(0);
    }

    /** Starts the progress display; {@link #close()} stops it. */
    public ConsoleReporter startProgress() {
        ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "provision-progress");
            thread.setDaemon(true);
            return thread;
        });
        long period = options.terminal() ? 150 : 1000;
        ticker.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public synchronized void hostStarted(String host) {
        if (!prefixed()) {
            write(ansi.paint(Ansi.BOLD, "HOST " + host) + "\n");
        }
    }

    @Override
    public synchronized void taskStarted(String host, String name) {
        running.put(host, new Running(name, nanoClock.getAsLong()));
    }

    @Override
    public synchronized void taskFinished(String host, TaskResult result) {
        running.remove(host);
        StringBuilder block = new StringBuilder();
        String label = Recap.pad(result.status().label(), 8);
        StringBuilder headline = new StringBuilder(ansi.paint(Ansi.of(result.status()), label)).append(' ').append(result.name());
        if (result.handler()) {
            headline.append(" (handler)");
        }
        if (options.verbosity() >= 1) {
            headline.append(ansi.paint(Ansi.DIM, " [" + result.resource() + "]"));
        }
        if (result.duration().compareTo(SLOW) >= 0) {
            headline.append(ansi.paint(Ansi.DIM, " (" + duration(result.duration()) + ")"));
        }
        line(block, host, headline.toString());
        result.changes().forEach(change -> line(block, host, INDENT + "~ " + change));
        if (options.diff()) {
            result.diffs().forEach(diff -> diffLines(block, host, diff));
        }
        boolean showMessage = result.status() == Status.FAILED || options.verbosity() >= 1;
        if (showMessage) {
            result.message().ifPresent(message -> message.lines().forEach(text -> line(block, host,
                    INDENT + (result.status() == Status.FAILED ? ansi.paint(Ansi.RED, text) : ansi.paint(Ansi.DIM, text)))));
        }
        write(block.toString());
    }

    @Override
    public synchronized void hostFinished(HostReport report) {
        running.remove(report.label());
        StringBuilder block = new StringBuilder();
        report.unreachable().ifPresent(reason -> {
            line(block, report.label(), ansi.paint(Ansi.RED, "unreachable"));
            reason.lines().forEach(text -> line(block, report.label(), INDENT + ansi.paint(Ansi.RED, text)));
        });
        report.failure().ifPresent(reason -> {
            line(block, report.label(), ansi.paint(Ansi.RED, "failed"));
            reason.lines().forEach(text -> line(block, report.label(), INDENT + ansi.paint(Ansi.RED, text)));
        });
        if (options.verbosity() >= 1) {
            line(block, report.label(), ansi.paint(Ansi.DIM, "done in " + duration(report.duration()) + ", "
                    + report.roundTrips() + (report.roundTrips() == 1 ? " round trip" : " round trips")));
        }
        write(block.toString());
    }

    @Override
    public synchronized void hostNotice(String host, String text) {
        StringBuilder block = new StringBuilder();
        line(block, host, ansi.paint(Ansi.YELLOW, text));
        write(block.toString());
    }

    /** A remote command as the connection logs it ({@code -vv}). */
    @Override
    public synchronized void command(String host, Supplier<String> command) {
        if (options.verbosity() >= 2) {
            StringBuilder block = new StringBuilder();
            command.get().lines().forEach(text -> line(block, host, INDENT + ansi.paint(Ansi.DIM, "$ " + text)));
            write(block.toString());
        }
    }

    /** A line of the caller's own, kept apart from the status line like everything else. */
    public synchronized void note(String text) {
        write(text + "\n");
    }

    public synchronized void recap(RunReport report) {
        write(String.join("\n", Recap.lines(report, options.colour())) + "\n");
    }

    /** Redraws the status line, or on a non-terminal prints the notices that are due. */
    synchronized void tick() {
        long now = nanoClock.getAsLong();
        if (options.terminal()) {
            running.entrySet().stream().findFirst()
                    .filter(oldest -> now - oldest.getValue().started >= SLOW.toNanos())
                    .ifPresent(oldest -> showStatus(oldest.getKey(), oldest.getValue(), now));
            return;
        }
        running.forEach((host, task) -> {
            long elapsed = now - task.started;
            if (elapsed >= (task.notices + 1) * NOTICE_INTERVAL.toNanos()) {
                task.notices++;
                write(prefix(host) + "… " + task.task + " still running (" + TimeUnit.NANOSECONDS.toSeconds(elapsed) + " s)\n");
            }
        });
    }

    private void showStatus(String host, Running task, long now) {
        String more = running.size() > 1 ? " (+" + (running.size() - 1) + " more)" : "";
        String who = prefixed() ? host + ": " : "";
        out.print(masking.mask(CLEAR_LINE + SPINNER.charAt(frame++ % SPINNER.length()) + " " + who + task.task
                + " (" + TimeUnit.NANOSECONDS.toSeconds(now - task.started) + " s)" + more));
        out.flush();
        statusShown = true;
    }

    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        clearStatus();
        out.flush();
    }

    private void write(String text) {
        clearStatus();
        out.print(masking.mask(text));
        out.flush();
    }

    private void clearStatus() {
        if (statusShown) {
            out.print(CLEAR_LINE);
            statusShown = false;
        }
    }

    private void diffLines(StringBuilder block, String host, Diff diff) {
        for (String text : diff.unified().split("\n")) {
            String colour = text.startsWith("+") ? Ansi.GREEN : text.startsWith("-") ? Ansi.RED : text.startsWith("@@") ? Ansi.CYAN : null;
            line(block, host, INDENT + (colour == null ? text : ansi.paint(colour, text)));
        }
    }

    private void line(StringBuilder block, String host, String text) {
        block.append(prefix(host)).append(text).append('\n');
    }

    private boolean prefixed() {
        return options.hosts().size() > 1;
    }

    private String prefix(String host) {
        return prefixed() ? Recap.pad(host, hostWidth) + " | " : "";
    }

    /** {@code 4.2 s}, or {@code 3 min 07 s} from a minute on. */
    static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
        }
        return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }
}
