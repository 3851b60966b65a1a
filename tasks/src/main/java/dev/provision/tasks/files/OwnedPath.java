package dev.provision.tasks.files;

import dev.provision.task.Change;
import dev.provision.task.Fact;
import dev.provision.task.Shell;
import dev.provision.task.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A file or directory whose owner, group and mode a task may pin. Attributes left unset are left as
 * they are on the host.
 */
public abstract class OwnedPath<SELF extends OwnedPath<SELF>> implements Task {

    protected final String path;
    protected Optional<String> owner = Optional.empty();
    protected Optional<String> group = Optional.empty();
    protected Optional<Mode> mode = Optional.empty();

    protected OwnedPath(String path) {
        if (!path.startsWith("/") || (path.length() > 1 && path.endsWith("/"))) {
            throw new IllegalArgumentException("'" + path + "' is not an absolute path without a trailing slash");
        }
        this.path = path;
    }

    public SELF owner(String user) {
        this.owner = Optional.of(user);
        return self();
    }

    public SELF group(String group) {
        this.group = Optional.of(group);
        return self();
    }

    /** {@code mode(0640)}: a Java octal literal. */
    public SELF mode(int bits) {
        this.mode = Optional.of(Mode.of(bits));
        return self();
    }

    /** {@code mode("0640")}. */
    public SELF mode(String octal) {
        this.mode = Optional.of(Mode.parse(octal));
        return self();
    }

    @SuppressWarnings("unchecked")
    protected final SELF self() {
        return (SELF) this;
    }

    public String path() {
        return path;
    }

    @Override
    public List<Fact<?>> facts() {
        return List.of(FileProbe.at(path));
    }

    /** The pinned attributes of something about to be created: {@code owner redis, mode 0640}. */
    protected List<String> pinnedAttributes() {
        List<String> pinned = new ArrayList<>();
        owner.ifPresent(o -> pinned.add("owner " + o));
        group.ifPresent(g -> pinned.add("group " + g));
        mode.ifPresent(m -> pinned.add("mode " + m));
        return pinned;
    }

    /** One change per pinned attribute that differs, summarised as {@code owner root → redis}. */
    protected List<Change> attributeChanges(FileState now) {
        List<Change> changes = new ArrayList<>();
        String quoted = Shell.quote(path);
        owner.filter(o -> !o.equals(now.owner()))
                .ifPresent(o -> changes.add(Change.of("owner " + now.owner() + " → " + o, "chown -- " + Shell.quote(o) + " " + quoted)));
        group.filter(g -> !g.equals(now.group()))
                .ifPresent(g -> changes.add(Change.of("group " + now.group() + " → " + g, "chgrp -- " + Shell.quote(g) + " " + quoted)));
        mode.filter(m -> !now.mode().equals(Optional.of(m)))
                .ifPresent(m -> changes.add(Change.of("mode " + now.mode().map(Mode::toString).orElse("?") + " → " + m,
                        "chmod -- " + m + " " + quoted)));
        return changes;
    }

    protected List<String> attributeDifferences(FileState now) {
        return attributeChanges(now).stream().map(Change::summary).toList();
    }

    /** Commands that give a freshly created path its pinned attributes, each prefixed with {@code  && }. */
    protected String applyPinned() {
        StringBuilder sh = new StringBuilder();
        String quoted = Shell.quote(path);
        if (owner.isPresent() || group.isPresent()) {
            sh.append(" && chown -- ").append(Shell.quote(owner.orElse("") + group.map(g -> ":" + g).orElse(""))).append(' ').append(quoted);
        }
        mode.ifPresent(m -> sh.append(" && chmod -- ").append(m).append(' ').append(quoted));
        return sh.toString();
    }
}
