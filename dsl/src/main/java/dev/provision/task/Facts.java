package dev.provision.task;

/** The gathered facts a task plans against. */
public interface Facts {

    /** The value of a fact the task declared in {@link Task#facts()}. */
    <T> T get(Fact<T> fact);
}
