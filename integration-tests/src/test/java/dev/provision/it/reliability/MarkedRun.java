package dev.provision.it.reliability;

import dev.provision.dsl.Host;
import dev.provision.dsl.Playbook;
import dev.provision.tasks.command.Command;

/**
 * A run that leaves its marks on the host: {@code start RUN}, then the command {@code work}, then
 * {@code end RUN}, appended to /root/markers. Two runs that interleave show it there.
 */
public class MarkedRun extends Playbook {

    static final String MARKERS = "/root/markers";

    @Override
    protected void define(Host host) {
        String run = host.var("run");
        step("start marker", Command.run("echo start " + run + " >> " + MARKERS).unless("false"));
        step("work", Command.run(host.var("work")));
        step("end marker", Command.run("echo end " + run + " >> " + MARKERS));
    }
}
