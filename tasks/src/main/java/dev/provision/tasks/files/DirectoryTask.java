package dev.provision.tasks.files;

import dev.provision.task.Change;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Shell;

import java.util.ArrayList;
import java.util.List;

/** A directory, created with its parents, with its owner, group and mode; or removed with everything in it. */
public final class DirectoryTask extends OwnedPath<DirectoryTask> {

    private boolean absent;

    DirectoryTask(String path) {
        super(path);
        if (path.equals("/")) {
            throw new IllegalArgumentException("the root directory cannot be managed");
        }
    }

    /** The directory must not exist; it is removed recursively. */
    public DirectoryTask absent() {
        this.absent = true;
        return this;
    }

    @Override
    public String describe() {
        return "directory " + path;
    }

    @Override
    public Plan plan(Facts facts) {
        FileState now = facts.get(FileProbe.at(path));
        String quoted = Shell.quote(path);
        if (absent) {
            return switch (now.type()) {
                case ABSENT -> Plan.ok();
                case DIRECTORY -> Plan.of(Change.of("remove recursively", "rm -rf -- " + quoted));
                default -> Plan.fail(path + " is a " + now.type().noun() + ", not a directory: refusing to remove it");
            };
        }
        return switch (now.type()) {
            case ABSENT -> {
                List<String> summary = new ArrayList<>(List.of("create"));
                summary.addAll(pinnedAttributes());
                yield Plan.of(Change.of(String.join(", ", summary), "mkdir -p -- " + quoted + applyPinned()));
            }
            case DIRECTORY -> Plan.of(attributeChanges(now));
            default -> Plan.fail(path + " is a " + now.type().noun() + ", not a directory");
        };
    }
}
