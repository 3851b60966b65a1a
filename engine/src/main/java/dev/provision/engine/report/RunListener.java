package dev.provision.engine.report;

/**
 * Follows a run as it happens: the console printer, the JSON report and tests listen here.
 * Called from the host's own thread; hosts run in parallel, so implementations must be thread-safe.
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

    RunListener NONE = new RunListener() {
    };
}
