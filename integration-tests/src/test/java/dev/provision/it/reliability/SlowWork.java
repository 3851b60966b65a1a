package dev.provision.it.reliability;

import dev.provision.dsl.Host;
import dev.provision.dsl.Playbook;
import dev.provision.tasks.command.Command;
import dev.provision.tasks.files.Files;

/**
 * A file, then {@code seconds} of work (marked begun by /root/working, done by /root/worked), then
 * another file: a run with a moment in the middle to break the host in.
 */
public class SlowWork extends Playbook {

    static final String WORKING = "/root/working";

    @Override
    protected void define(Host host) {
        step("before", Files.file("/root/before").content("before\n"));
        step("work", Command.run("touch " + WORKING + "; sleep " + host.var("seconds") + "; touch /root/worked").creates("/root/worked"));
        step("after", Files.file("/root/after").content("after\n"));
    }
}
