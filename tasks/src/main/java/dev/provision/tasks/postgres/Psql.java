package dev.provision.tasks.postgres;

import dev.provision.task.Shell;

/** psql as the {@code postgres} superuser (through runuser: sudo may not be installed). */
final class Psql {

    /**
     * psql running the SQL it reads on stdin. Terse errors never echo the statement back, so a
     * password in it cannot leak through an error message.
     */
    static final String FROM_STDIN = superuser("-q -v VERBOSITY=terse");

    private Psql() {
    }

    /** From {@code /}, which the postgres user can always enter, whatever root's directory is. */
    static String superuser(String options) {
        return "(cd / && runuser -u postgres -- psql -X -d postgres -v ON_ERROR_STOP=1 " + options + ")";
    }

    /** The SQL that {@code producer} prints, run by psql. */
    static String run(String producer) {
        return producer + " | " + FROM_STDIN + "\n";
    }

    /** One statement, on psql's stdin rather than in its arguments. */
    static String statement(String sql) {
        return run("printf '%s\\n' " + Shell.quote(sql));
    }

    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
