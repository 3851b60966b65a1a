package dev.provision.tasks.postgres;

import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.FactException;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The roles and databases of the local PostgreSQL cluster, from one query that all PostgreSQL tasks
 * share. Passwords are never read: for each role only the salt and iteration count of its SCRAM
 * verifier and a SHA-256 digest of the whole verifier come back, enough to check a known password
 * against it and nothing to log in with. When the server does not answer (not installed yet, not
 * running) the catalog is {@link #unavailable} with psql's message.
 */
public record PgCatalog(Optional<String> unavailable, Map<String, Role> roles, Map<String, Database> databases) {

    public static final Fact<PgCatalog> FACT = Fact.of(Psql.superuser("-qAt") + " <<'SQL'\n"
            + "select concat_ws(E'\\t', 'role', rolname, rolcanlogin::text,\n"
            + "    case when rolpassword like 'SCRAM-SHA-256$%' then 'scram ' || split_part(rolpassword, '$', 2)\n"
            + "         when rolpassword like 'md5%' then 'md5' else '' end,\n"
            + "    coalesce(encode(sha256(convert_to(rolpassword, 'UTF8')), 'hex'), ''))\n"
            + "  from pg_authid\n"
            + "union all\n"
            + "select concat_ws(E'\\t', 'database', datname, pg_get_userbyid(datdba), pg_encoding_to_char(encoding), datcollate, datctype)\n"
            + "  from pg_database;\n"
            + "SQL\n", PgCatalog::parse);

    /**
     * A role as the catalog has it. {@code verifier} is {@code scram ITERATIONS:SALT}, {@code md5} or
     * empty (no password); {@code digest} is the hex SHA-256 of the stored verifier.
     */
    public record Role(String name, boolean login, String verifier, String digest) {
    }

    public record Database(String name, String owner, String encoding, String collate, String ctype) {
    }

    public Optional<Role> role(String name) {
        return Optional.ofNullable(roles.get(name));
    }

    public Optional<Database> database(String name) {
        return Optional.ofNullable(databases.get(name));
    }

    static PgCatalog parse(CommandResult result) {
        if (!result.succeeded()) {
            return new PgCatalog(Optional.of(result.errorText()), Map.of(), Map.of());
        }
        Map<String, Role> roles = new HashMap<>();
        Map<String, Database> databases = new HashMap<>();
        for (String line : result.stdout().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f[0].equals("role") && f.length == 5) {
                roles.put(f[1], new Role(f[1], f[2].equals("true"), f[3], f[4]));
            } else if (f[0].equals("database") && f.length == 6) {
                databases.put(f[1], new Database(f[1], f[2], f[3], f[4], f[5]));
            } else {
                throw new FactException("unexpected line from the PostgreSQL catalog: " + line);
            }
        }
        return new PgCatalog(Optional.empty(), Map.copyOf(roles), Map.copyOf(databases));
    }
}
