package dev.provision.tasks.postgres;

import dev.provision.task.Change;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.dsl.Secret;
import dev.provision.task.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A login role, optionally with a password that is checked on every run and set when it differs. */
public final class PgRole implements Task {

    private final String name;
    private Optional<RolePassword> password = Optional.empty();

    PgRole(String name) {
        this.name = name;
    }

    public PgRole password(Secret secret) {
        this.password = Optional.of(new RolePassword.Given(secret));
        return this;
    }

    /**
     * The password is the content of this file on the host (trailing newlines aside), which never
     * leaves the host. Checking it logs in over 127.0.0.1, which Debian's pg_hba.conf allows with a
     * password.
     */
    public PgRole passwordFromFile(String path) {
        this.password = Optional.of(new RolePassword.FromFile(path));
        return this;
    }

    @Override
    public String describe() {
        return "PostgreSQL role " + name;
    }

    @Override
    public List<Fact<?>> facts() {
        List<Fact<?>> facts = new ArrayList<>(List.of(PgCatalog.FACT));
        password.ifPresent(p -> facts.addAll(p.facts(name)));
        return facts;
    }

    @Override
    public Plan plan(Facts facts) {
        PgCatalog catalog = facts.get(PgCatalog.FACT);
        String role = Psql.identifier(name);
        Optional<PgCatalog.Role> existing = catalog.role(name);
        if (existing.isEmpty()) {
            String summary = "create role " + name + catalog.unavailable().map(why -> " (PostgreSQL did not answer: " + why + ")").orElse("");
            String create = "CREATE ROLE " + role + " LOGIN";
            return Plan.of(Change.of(summary, password.map(p -> p.script(create + " PASSWORD ")).orElse(Psql.statement(create + ";"))));
        }
        List<Change> changes = new ArrayList<>();
        if (!existing.get().login()) {
            changes.add(Change.of("allow role " + name + " to log in", Psql.statement("ALTER ROLE " + role + " LOGIN;")));
        }
        password.filter(p -> !p.holds(existing.get(), facts)).ifPresent(p -> changes.add(
                Change.of("set the password of role " + name, p.script("ALTER ROLE " + role + " PASSWORD "))));
        return Plan.of(changes);
    }
}
