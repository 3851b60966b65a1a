package dev.provision.tasks.files;

import dev.provision.task.Change;
import dev.provision.task.Facts;
import dev.provision.task.Fact;
import dev.provision.task.Plan;
import dev.provision.task.Shell;
import dev.provision.task.Task;

import java.util.List;
import java.util.Optional;

/**
 * A symbolic link pointing at a target, e.g. an nginx site enabled from sites-available; or its absence.
 * A wrong link is replaced atomically; a file or directory in its place is an error, never overwritten.
 */
public final class LinkTask implements Task {

    private final String path;
    private Optional<String> target = Optional.empty();
    private boolean absent;

    LinkTask(String path) {
        if (!path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("'" + path + "' is not an absolute path to a link");
        }
        this.path = path;
    }

    /** What the link points at, stored as given (absolute or relative to the link's directory). */
    public LinkTask to(String target) {
        this.target = Optional.of(target);
        return this;
    }

    public LinkTask absent() {
        this.absent = true;
        return this;
    }

    @Override
    public String describe() {
        return "link " + path;
    }

    @Override
    public List<Fact<?>> facts() {
        return List.of(FileProbe.at(path));
    }

    @Override
    public Plan plan(Facts facts) {
        FileState now = facts.get(FileProbe.at(path));
        if (absent) {
            return switch (now.type()) {
                case ABSENT -> Plan.ok();
                case LINK -> Plan.of(Change.of("remove", "rm -f -- " + Shell.quote(path)));
                default -> Plan.fail(path + " is a " + now.type().noun() + ", not a link: refusing to remove it");
            };
        }
        String wanted = target.orElseThrow(() -> new IllegalStateException(describe() + " needs to(target) or absent()"));
        return switch (now.type()) {
            case ABSENT -> Plan.of(Change.of("create → " + wanted, link(wanted)));
            case LINK -> now.target().equals(wanted) ? Plan.ok() : Plan.of(Change.of("target " + now.target() + " → " + wanted, link(wanted)));
            default -> Plan.fail(path + " is a " + now.type().noun() + ", not a link: remove it in an earlier step");
        };
    }

    /** A new link beside the old one, renamed over it: readers never see the path missing. */
    private String link(String wanted) {
        String directory = path.substring(0, Math.max(1, path.lastIndexOf('/')));
        String name = path.substring(path.lastIndexOf('/') + 1);
        String temporary = Shell.quote(directory.replaceAll("/$", "") + "/." + name + ".provision-link");
        return "ln -sfn -- " + Shell.quote(wanted) + " " + temporary + " && mv -fT -- " + temporary + " " + Shell.quote(path);
    }
}
