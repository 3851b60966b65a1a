package dev.provision.tasks.postgres;

import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.dsl.Secret;
import dev.provision.task.Shell;

import java.util.List;

/** Where a role's password comes from, how to tell whether the role has it, and how to set it. */
sealed interface RolePassword {

    List<Fact<?>> facts(String role);

    boolean holds(PgCatalog.Role role, Facts facts);

    /** A script that runs {@code sqlBeforePassword || '<password>';} through psql. */
    String script(String sqlBeforePassword);

    /** Known to the controller: checked against the stored verifier, sent inside the script's hidden payload. */
    record Given(Secret secret) implements RolePassword {

        @Override
        public List<Fact<?>> facts(String role) {
            return List.of();
        }

        @Override
        public boolean holds(PgCatalog.Role role, Facts facts) {
            return PasswordVerifier.matches(role, secret.reveal());
        }

        @Override
        public String script(String sqlBeforePassword) {
            return Shell.pipe(sqlBeforePassword + Psql.literal(secret.reveal()) + ";\n", Psql.FROM_STDIN);
        }
    }

    /**
     * Kept in a file on the host and never brought to the controller: the fact logs in with it over
     * 127.0.0.1 (PGPASSWORD is in no process's arguments), and the script reads it on the host.
     * Trailing newlines of the file are not part of the password.
     */
    record FromFile(String path) implements RolePassword {

        @Override
        public List<Fact<?>> facts(String role) {
            return List.of(loginFact(role));
        }

        private Fact<Boolean> loginFact(String role) {
            return Fact.of("f=" + Shell.quote(path) + "; [ -r \"$f\" ] && PGPASSWORD=$(cat \"$f\") PGCONNECT_TIMEOUT=5 "
                    + "psql -X -qAt -w -h 127.0.0.1 -U " + Shell.quote(role) + " -d postgres -c 'select 1' >/dev/null 2>&1",
                    CommandResult::succeeded);
        }

        @Override
        public boolean holds(PgCatalog.Role role, Facts facts) {
            return facts.get(loginFact(role.name()));
        }

        @Override
        public String script(String sqlBeforePassword) {
            return "f=" + Shell.quote(path) + "\n"
                    + "[ -s \"$f\" ] || { echo \"password file $f is missing or empty: create it in an earlier step\" >&2; exit 1; }\n"
                    + "pw=$(sed \"s/'/''/g\" \"$f\") || exit 1\n"
                    + Psql.run("printf \"%s'%s';\\n\" " + Shell.quote(sqlBeforePassword) + " \"$pw\"");
        }
    }
}
