package dev.provision.engine.report;

import java.util.function.Supplier;

/**
 * Follows a run as it happens: the console printer, the JSON report and tests listen here.
 * Called from the host's own thread; hosts run in parallel, so implementations must be thread-safe.
 * What a listener is told has the run's secrets masked already.
 */
public interface RunListener {

    default void hostStarted(String host) {
    }

    /** A step or handler starts; long ones (package installs) may take minutes. */
    default void taskStarted(String host, String name) {
    }

    default void taskFinished(String host, TaskResult result) {
    }

    default void hostFinished(HostReport report) {
    }

    /** Something the user should know while the host runs, such as a wait for another run's lock. */
    default void hostNotice(String host, String text) {
    }

    /**
     * A command the host's shell ran, with its exit code, for the {@code -vv} log; built only when
     * asked for, so a listener that shows no log costs nothing.
     */
    default void command(String host, Supplier<String> line) {
    }

    RunListener NONE = new RunListener() {
    };
}
