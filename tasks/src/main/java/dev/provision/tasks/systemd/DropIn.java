package dev.provision.tasks.systemd;

import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Task;
import dev.provision.tasks.AllOf;
import dev.provision.tasks.files.Content;
import dev.provision.tasks.files.FileTask;
import dev.provision.tasks.files.Files;

import java.util.List;

/**
 * A drop-in, {@code /etc/systemd/system/<unit>.d/<name>.conf}, as {@code systemctl edit} writes it.
 * The unit's own step (or {@link Systemd#daemonReload}) reloads systemd after it changed.
 */
public final class DropIn implements Task {

    private final String unit;
    private final FileTask file;
    private final AllOf parts;

    DropIn(String unit, String name) {
        this.unit = unit;
        String directory = UnitFiles.DIRECTORY + "/" + unit + ".d";
        this.file = Files.file(directory + "/" + name + ".conf").mode(0644);
        this.parts = AllOf.of(describe(), Files.directory(directory), file);
    }

    public DropIn content(String text) {
        file.content(text);
        return this;
    }

    public DropIn content(Content content) {
        file.content(content);
        return this;
    }

    @Override
    public String describe() {
        return "drop-in " + file.path().substring(file.path().lastIndexOf('/') + 1) + " for " + unit;
    }

    @Override
    public List<Fact<?>> facts() {
        return parts.facts();
    }

    @Override
    public Plan plan(Facts facts) {
        return parts.plan(facts);
    }
}
