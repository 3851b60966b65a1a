package dev.provision.it.reliability;

import dev.provision.dsl.Host;
import dev.provision.dsl.Playbook;
import dev.provision.tasks.apt.Apt;
import dev.provision.tasks.command.Command;
import dev.provision.tasks.files.Files;
import dev.provision.tasks.systemd.Systemd;
import dev.provision.tasks.templates.Template;

/**
 * One fault per run, chosen by the host variable {@code fault}, between a step that leaves a trace
 * before it ({@code /root/catalogue/FAULT.before}) and one that would leave a trace after it: the
 * first must be there after the run, the second never.
 */
public class Faults extends Playbook {

    static final String TRACES = "/root/catalogue";
    static final String SMALL_DISK = "/mnt/small";
    static final String YAML_CHECK = "python3 -c 'import sys, yaml; sys.tracebacklimit = 0; yaml.safe_load(open(sys.argv[1]))' %s";

    @Override
    protected void define(Host host) {
        String fault = host.var("fault");
        step("traces", Files.directory(TRACES));
        step("before", Files.file(TRACES + "/" + fault + ".before").content("done\n"));
        switch (fault) {
            case "unknown-package" -> step(fault, Apt.present("provision-no-such-package"));
            case "missing-directory" -> step(fault, Files.file("/nowhere/at/all.conf").content("x\n"));
            case "directory-in-the-way" -> step(fault, Files.file(TRACES).content("x\n"));
            case "disk-full" -> step(fault, Files.file(SMALL_DISK + "/data.bin").content(new byte[256 * 1024]));
            case "command-hangs" -> step(fault, Command.run("sleep 600"));
            case "failing-command" -> step(fault, Command.run("echo 'no such table: users' >&2; exit 3"));
            case "unknown-owner" -> step(fault, Files.file(TRACES + "/owned").content("x\n").owner("no-such-user"));
            case "unknown-service" -> step(fault, Systemd.service("no-such-service").enabled().started());
            case "undefined-template-variable" -> step(fault, Files.file(TRACES + "/greeting")
                    .content(Template.of("greeting.j2", "Hello\n{{ nmae }}\n").with("name", "world")));
            case "invalid-yaml" -> {
                step("a YAML parser", Apt.present("python3-yaml"));
                step(fault, Files.file(TRACES + "/app.yaml").validate(YAML_CHECK)
                        .content(Template.of("app.yaml.j2", "listeners:\n  - port: {{ port }}\n    bind: [{{ bind }}\n")
                                .with("port", 8008).with("bind", "'::1'")));
            }
            default -> throw new IllegalArgumentException("no fault named " + fault);
        }
        step("after", Files.file(TRACES + "/" + fault + ".after").content("done\n"));
    }
}
