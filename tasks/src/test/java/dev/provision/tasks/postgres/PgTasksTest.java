package dev.provision.tasks.postgres;

import dev.provision.task.Change;
import dev.provision.task.Plan;
import dev.provision.task.Shell;
import dev.provision.dsl.Secret;
import dev.provision.task.Task;
import dev.provision.tasks.support.StubFacts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PgTasksTest {

    private static Plan plan(Task task) {
        StubFacts facts = new StubFacts().answer(PgCatalog.FACT, PgCatalogTest.CATALOG);
        return task.plan(facts);
    }

    @Test
    void createsAMissingRoleWithItsSecretPasswordOnStdin() {
        Plan plan = plan(Postgres.role("sliding-sync").password(Secret.of("hunter2!")));
        Change create = plan.changes().get(0);
        assertThat(create.summary()).isEqualTo("create role sliding-sync");
        assertThat(create.script()).startsWith("base64 -d <<'PROVISION_PAYLOAD_END' | (cd / && runuser -u postgres -- psql")
                .contains("VERBOSITY=terse").doesNotContain("hunter2!");
        String sql = new String(java.util.Base64.getMimeDecoder().decode(create.script().split("\n")[1]), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(sql).isEqualTo("CREATE ROLE \"sliding-sync\" LOGIN PASSWORD 'hunter2!';\n");
    }

    @Test
    void aRoleWhoseVerifierMatchesTheSecretIsLeftAlone() {
        assertThat(plan(Postgres.role("synapse").password(Secret.of("s3cr'et"))).isEmpty()).isTrue();
        assertThat(plan(Postgres.role("synapse").password(Secret.of("changed"))).changes())
                .extracting(Change::summary).containsExactly("set the password of role synapse");
    }

    @Test
    void aPasswordFileIsCheckedByLoggingInAndReadOnlyOnTheHost() {
        PgRole role = Postgres.role("synapse").passwordFromFile("/etc/matrix-synapse/secrets/db_password");
        String login = role.facts().get(1).command();
        assertThat(login).contains("PGPASSWORD=$(cat \"$f\")").contains("-h 127.0.0.1 -U synapse -d postgres");
        StubFacts accepted = new StubFacts().answer(PgCatalog.FACT, PgCatalogTest.CATALOG).answer(role.facts().get(1), 0, "");
        assertThat(role.plan(accepted).isEmpty()).isTrue();
        StubFacts rejected = new StubFacts().answer(PgCatalog.FACT, PgCatalogTest.CATALOG).answer(role.facts().get(1), 2, "");
        String script = role.plan(rejected).changes().get(0).script();
        assertThat(script).contains("pw=$(sed \"s/'/''/g\" \"$f\") || exit 1")
                .contains("printf \"%s'%s';\\n\" 'ALTER ROLE \"synapse\" PASSWORD ' \"$pw\" | (cd / && runuser -u postgres -- psql");
    }

    @Test
    void aRoleThatCannotLogInIsAllowedTo() {
        assertThat(plan(Postgres.role("reader")).changes()).extracting(Change::summary).containsExactly("allow role reader to log in");
    }

    @Test
    void createsTheDatabaseSynapseNeedsFromTemplate0() {
        Plan plan = plan(Postgres.database("synapse2").owner("synapse").encoding("UTF8").locale("C"));
        assertThat(plan.changes()).singleElement().satisfies(c -> {
            assertThat(c.summary()).isEqualTo("create database synapse2 owned by synapse, encoding UTF8, locale C");
            assertThat(c.script()).contains("CREATE DATABASE \"synapse2\" OWNER \"synapse\" ENCODING '\\''UTF8'\\'' "
                    + "LC_COLLATE '\\''C'\\'' LC_CTYPE '\\''C'\\'' TEMPLATE template0;");
        });
    }

    @Test
    void anExistingDatabaseIsLeftAloneOrGivenItsOwner() {
        assertThat(plan(Postgres.database("synapse").owner("synapse").encoding("utf-8").locale("C")).isEmpty()).isTrue();
        assertThat(plan(Postgres.database("postgres").owner("synapse")).changes()).extracting(Change::summary)
                .containsExactly("change the owner of database postgres from postgres to synapse");
    }

    @Test
    void aDatabaseWithTheWrongLocaleFailsAndIsNeverDropped() {
        Plan plan = plan(Postgres.database("legacy").encoding("UTF8").locale("C"));
        assertThat(plan.failure()).hasValueSatisfying(message -> assertThat(message)
                .contains("database legacy exists with LC_COLLATE en_US.UTF-8 instead of C, LC_CTYPE en_US.UTF-8 instead of C")
                .contains("not dropped"));
    }

    @Test
    void plansCreationWhenTheServerDoesNotAnswerYet() {
        Plan plan = Postgres.database("synapse").plan(new StubFacts().answer(PgCatalog.FACT, 2, ""));
        assertThat(plan.changes().get(0).summary()).startsWith("create database synapse (PostgreSQL did not answer: failed");
        assertThat(Shell.withoutPayloads(plan.changes().get(0).script())).contains("CREATE DATABASE");
    }
}
