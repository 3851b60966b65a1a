package dev.provision.tasks.nginx;

import dev.provision.task.Change;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Shell;
import dev.provision.task.Task;
import dev.provision.tasks.files.Content;
import dev.provision.tasks.files.FileProbe;
import dev.provision.tasks.files.FileState;
import dev.provision.tasks.files.FileTask;
import dev.provision.tasks.files.Files;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A site: its file in sites-available and the link in sites-enabled that puts it live. A changed
 * file of an enabled site is tested in place; a new link is tested as soon as it exists and removed
 * again when nginx rejects the configuration, so a site that fails the test is never left live.
 */
public final class NginxSite implements Task {

    private final String name;
    private final String available;
    private final String enabled;
    private Optional<FileTask> file = Optional.empty();
    private boolean disabled;

    NginxSite(String name) {
        this.name = name;
        this.available = Nginx.DIRECTORY + "/sites-available/" + name;
        this.enabled = Nginx.DIRECTORY + "/sites-enabled/" + name;
    }

    public NginxSite content(String text) {
        return content(Content.text(text));
    }

    public NginxSite content(Content content) {
        this.file = Optional.of(Files.file(available).mode(0644).validateInPlace(Nginx.CONFIG_TEST).content(content));
        return this;
    }

    /** Not live: the link in sites-enabled is removed; the file in sites-available stays. */
    public NginxSite disabled() {
        this.disabled = true;
        return this;
    }

    @Override
    public String describe() {
        return "nginx site " + name;
    }

    @Override
    public List<Fact<?>> facts() {
        List<Fact<?>> facts = new ArrayList<>(List.of(FileProbe.at(enabled)));
        file.ifPresent(f -> facts.addAll(f.facts()));
        return facts;
    }

    @Override
    public Plan plan(Facts facts) {
        FileState link = facts.get(FileProbe.at(enabled));
        Plan plan = file.map(f -> f.plan(facts)).orElse(Plan.ok());
        if (disabled) {
            return link.exists() ? plan.and(Plan.of(Change.of("disable " + name + " (remove " + enabled + ")",
                    "rm -f -- " + Shell.quote(enabled) + "\n"))) : plan;
        }
        if (link.is(FileState.Type.LINK) && link.target().equals(available)) {
            return plan;
        }
        if (link.exists() && !link.is(FileState.Type.LINK)) {
            return Plan.fail(enabled + " is a " + link.type().name().toLowerCase() + ", not a link to " + available + ": remove it by hand");
        }
        return plan.and(Plan.of(Change.of("enable " + name + " (link " + enabled + " → " + available + ")", enableScript(link))));
    }

    /** Links the site in, tests, and on failure puts back what was there before (no link, or the old one). */
    private String enableScript(FileState before) {
        String link = Shell.quote(enabled);
        String restore = before.exists()
                ? "ln -sfn -- " + Shell.quote(before.target()) + " " + link
                : "rm -f -- " + link;
        return "ln -sfn -- " + Shell.quote(available) + " " + link + " || exit 1\n"
                + "if ! out=$(" + Nginx.CONFIG_TEST + " 2>&1); then\n"
                + "  " + restore + "\n"
                + "  printf '%s\\n' " + Shell.quote("site " + name + " not enabled: " + Nginx.CONFIG_TEST + " rejects it") + " \"$out\" >&2\n"
                + "  exit 1\n"
                + "fi\n";
    }
}
