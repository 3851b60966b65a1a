package dev.provision.playbooks.synapse;

import dev.provision.tasks.files.Mode;

import java.util.List;

/**
 * A secret the host generates once and keeps: a random value written by a task on the host, never
 * sent by the controller. The file holds {@code contentPrefix} + the random value + a newline.
 * A new value takes effect when the listed services restart.
 */
public record SecretFile(String path, String owner, String group, int mode, String contentPrefix, List<ServiceAction> onChange) {

    public SecretFile {
        onChange = List.copyOf(onChange);
    }

    public String octalMode() {
        return Mode.of(mode).toString();
    }
}
