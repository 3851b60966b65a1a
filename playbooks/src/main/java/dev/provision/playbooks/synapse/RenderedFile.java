package dev.provision.playbooks.synapse;

import dev.provision.tasks.files.Mode;

import java.util.List;

/** A file to write: where, what, who owns it, and what must happen when its content changes. */
public record RenderedFile(String path, String content, String owner, String group, int mode, List<ServiceAction> onChange) {

    public RenderedFile {
        onChange = List.copyOf(onChange);
    }

    /** The mode as chmod takes it, e.g. {@code 0640}. */
    public String octalMode() {
        return Mode.of(mode).toString();
    }
}
