package dev.provision.tasks.postgres;

import dev.provision.task.Change;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A database with an owner, and optionally a fixed encoding and locale (collation and character
 * type), created from template0 so they can differ from the cluster's. A database that exists with
 * another encoding or locale fails the plan: it holds data, and is never dropped here.
 */
public final class PgDatabase implements Task {

    private final String name;
    private Optional<String> owner = Optional.empty();
    private Optional<String> encoding = Optional.empty();
    private Optional<String> locale = Optional.empty();

    PgDatabase(String name) {
        this.name = name;
    }

    public PgDatabase owner(String role) {
        this.owner = Optional.of(role);
        return this;
    }

    /** Such as {@code UTF8}. */
    public PgDatabase encoding(String encoding) {
        this.encoding = Optional.of(encoding);
        return this;
    }

    /** LC_COLLATE and LC_CTYPE, such as {@code C} (what Synapse requires). */
    public PgDatabase locale(String locale) {
        this.locale = Optional.of(locale);
        return this;
    }

    @Override
    public String describe() {
        return "PostgreSQL database " + name;
    }

    @Override
    public List<Fact<?>> facts() {
        return List.of(PgCatalog.FACT);
    }

    @Override
    public Plan plan(Facts facts) {
        PgCatalog catalog = facts.get(PgCatalog.FACT);
        return catalog.database(name).map(this::planExisting).orElseGet(() -> planCreate(catalog));
    }

    private Plan planCreate(PgCatalog catalog) {
        StringBuilder sql = new StringBuilder("CREATE DATABASE ").append(Psql.identifier(name));
        owner.ifPresent(role -> sql.append(" OWNER ").append(Psql.identifier(role)));
        encoding.ifPresent(e -> sql.append(" ENCODING ").append(Psql.literal(e)));
        locale.ifPresent(l -> sql.append(" LC_COLLATE ").append(Psql.literal(l)).append(" LC_CTYPE ").append(Psql.literal(l)));
        if (encoding.isPresent() || locale.isPresent()) {
            sql.append(" TEMPLATE template0");
        }
        String summary = "create database " + name + owner.map(role -> " owned by " + role).orElse("")
                + encoding.map(e -> ", encoding " + e).orElse("") + locale.map(l -> ", locale " + l).orElse("")
                + catalog.unavailable().map(why -> " (PostgreSQL did not answer: " + why + ")").orElse("");
        return Plan.of(Change.of(summary, Psql.statement(sql + ";")));
    }

    private Plan planExisting(PgCatalog.Database database) {
        List<String> wrong = new ArrayList<>();
        encoding.filter(e -> !normalEncoding(e).equals(normalEncoding(database.encoding())))
                .ifPresent(e -> wrong.add("encoding " + database.encoding() + " instead of " + e));
        locale.filter(l -> !l.equals(database.collate())).ifPresent(l -> wrong.add("LC_COLLATE " + database.collate() + " instead of " + l));
        locale.filter(l -> !l.equals(database.ctype())).ifPresent(l -> wrong.add("LC_CTYPE " + database.ctype() + " instead of " + l));
        if (!wrong.isEmpty()) {
            return Plan.fail("database " + name + " exists with " + String.join(", ", wrong)
                    + ". It is not dropped automatically since it may hold data: dump it, drop it and let this step create it again, then restore.");
        }
        return owner.filter(role -> !role.equals(database.owner()))
                .map(role -> Plan.of(Change.of("change the owner of database " + name + " from " + database.owner() + " to " + role,
                        Psql.statement("ALTER DATABASE " + Psql.identifier(name) + " OWNER TO " + Psql.identifier(role) + ";"))))
                .orElse(Plan.ok());
    }

    /** PostgreSQL accepts UTF8, utf-8, UTF_8 and the like for one encoding. */
    private static String normalEncoding(String encoding) {
        return encoding.toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
    }
}
