package dev.provision.tasks.postgres;

import dev.provision.task.CommandResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PgCatalogTest {

    /** Real output of PostgreSQL 15 for a role whose password is {@code s3cr'et}. */
    static final String CATALOG = """
            role\tpostgres\ttrue\t\t
            role\tpg_monitor\tfalse\t\t
            role\tsynapse\ttrue\tscram 4096:t1B3YcjECF8jNt5b/7MXCg==\t70b07fe24fb7db3b5d9925a081920bfa2aa15d7a09d650bb2c5f5d1d881a7343
            role\treader\tfalse\t\t
            database\tpostgres\tpostgres\tUTF8\tC.UTF-8\tC.UTF-8
            database\tsynapse\tsynapse\tUTF8\tC\tC
            database\tlegacy\tpostgres\tUTF8\ten_US.UTF-8\ten_US.UTF-8
            """;

    static PgCatalog catalog() {
        return PgCatalog.parse(new CommandResult(0, CATALOG, ""));
    }

    @Test
    void readsRolesWithTheirVerifierAndDatabasesWithOwnerEncodingAndLocale() {
        PgCatalog catalog = catalog();
        assertThat(catalog.unavailable()).isEmpty();
        assertThat(catalog.role("synapse").orElseThrow().verifier()).isEqualTo("scram 4096:t1B3YcjECF8jNt5b/7MXCg==");
        assertThat(catalog.role("reader").orElseThrow().login()).isFalse();
        assertThat(catalog.database("synapse").orElseThrow())
                .isEqualTo(new PgCatalog.Database("synapse", "synapse", "UTF8", "C", "C"));
    }

    @Test
    void aServerThatDoesNotAnswerIsNoError() {
        PgCatalog catalog = PgCatalog.parse(new CommandResult(2, "",
                "psql: error: connection to server on socket \"/var/run/postgresql/.s.PGSQL.5432\" failed: No such file or directory"));
        assertThat(catalog.unavailable()).hasValueSatisfying(why -> assertThat(why).contains("No such file or directory"));
        assertThat(catalog.roles()).isEmpty();
    }

    @Test
    void theQueryReadsNoPasswordAndRunsAsPostgresThroughRunuser() {
        assertThat(PgCatalog.FACT.command())
                .startsWith("(cd / && runuser -u postgres -- psql -X -d postgres -v ON_ERROR_STOP=1 -qAt) <<'SQL'\n")
                .contains("sha256(convert_to(rolpassword, 'UTF8'))")
                .endsWith("SQL\n");
    }
}
