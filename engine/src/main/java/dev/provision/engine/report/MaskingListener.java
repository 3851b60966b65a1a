package dev.provision.engine.report;

import java.util.function.Supplier;

/** A listener that is told everything with the run's secrets masked. */
public final class MaskingListener implements RunListener {

    private final RunListener listener;
    private final Masking masking;

    public MaskingListener(RunListener listener, Masking masking) {
        this.listener = listener;
        this.masking = masking;
    }

    @Override
    public void hostStarted(String host) {
        listener.hostStarted(host);
    }

    @Override
    public void taskStarted(String host, String name) {
        listener.taskStarted(host, masking.mask(name));
    }

    @Override
    public void taskFinished(String host, TaskResult result) {
        listener.taskFinished(host, masking.mask(result));
    }

    @Override
    public void hostFinished(HostReport report) {
        listener.hostFinished(masking.mask(report));
    }

    @Override
    public void hostNotice(String host, String text) {
        listener.hostNotice(host, masking.mask(text));
    }

    @Override
    public void command(String host, Supplier<String> line) {
        listener.command(host, () -> masking.mask(line.get()));
    }
}
