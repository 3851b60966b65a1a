package dev.provision.engine.report;

/** How a task ended on a host. */
public enum Status {
    /** The host already matched. */
    OK,
    /** The task changed the host (or, in check mode, would change it). */
    CHANGED,
    /** The task could not be planned or applied; the host stops here. */
    FAILED,
    /** The step's condition did not hold. */
    SKIPPED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
