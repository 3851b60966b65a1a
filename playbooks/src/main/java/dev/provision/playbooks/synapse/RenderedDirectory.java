package dev.provision.playbooks.synapse;

import dev.provision.tasks.files.Mode;

/** A directory that must exist, with its owner and mode, before the files in it are written. */
public record RenderedDirectory(String path, String owner, String group, int mode) {

    public String octalMode() {
        return Mode.of(mode).toString();
    }
}
