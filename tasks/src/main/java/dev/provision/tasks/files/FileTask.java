package dev.provision.tasks.files;

import dev.provision.dsl.Received;
import dev.provision.dsl.Secret;
import dev.provision.task.Change;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Shell;

import java.util.Optional;

/**
 * A regular file: its content (text, bytes, a classpath resource, a template, a YAML document), owner,
 * group and mode, or its absence. Without content only the attributes of an existing file are managed.
 *
 * <pre>{@code
 * Files.file("/etc/redis/redis.conf").content(Template.resource("redis.conf.j2").with("port", 0))
 *      .owner("redis").group("redis").mode(0640).validate("redis-server --test-config %s");
 * }</pre>
 */
public final class FileTask extends ManagedFile<FileTask> {

    private Optional<Content> content = Optional.empty();
    private Optional<Received<Secret>> received = Optional.empty();
    private boolean absent;

    FileTask(String path) {
        super(path);
    }

    public FileTask content(Content content) {
        this.content = Optional.of(content);
        return this;
    }

    public FileTask content(String text) {
        return content(Content.text(text));
    }

    public FileTask content(byte[] bytes) {
        return content(Content.bytes(bytes));
    }

    /**
     * The secret another host of a deployment made (a key, a shared secret), written as it came. In
     * check mode, before that host has made it, the file is planned as received from there, with no
     * content to show.
     */
    public FileTask content(Received<Secret> value) {
        received = Optional.of(value);
        value.value().ifPresent(secret -> content(secret.reveal()));
        return this;
    }

    /** Content from a resource on the playbook's classpath, copied byte for byte. */
    public FileTask fromResource(String name) {
        return content(Content.resource(name));
    }

    /** The file must not exist. */
    public FileTask absent() {
        this.absent = true;
        return this;
    }

    @Override
    public String describe() {
        return "file " + path;
    }

    @Override
    protected Optional<byte[]> content(FileState now) {
        return content.map(Content::bytes);
    }

    @Override
    public Plan plan(Facts facts) {
        Optional<Received<Secret>> pending = received.filter(value -> !value.isPresent());
        if (pending.isPresent()) {
            return Plan.of(Change.of("content: " + pending.get().describe() + ", once it has made it",
                    "echo '" + path + ": " + pending.get().describe() + " is not there yet' >&2; exit 1"));
        }
        if (!absent) {
            return super.plan(facts);
        }
        FileState now = facts.get(FileProbe.at(path));
        return switch (now.type()) {
            case ABSENT -> Plan.ok();
            case DIRECTORY -> Plan.fail(path + " is a directory: remove it with Files.directory(...).absent()");
            default -> Plan.of(Change.of("remove", "rm -f -- " + Shell.quote(path)));
        };
    }
}
