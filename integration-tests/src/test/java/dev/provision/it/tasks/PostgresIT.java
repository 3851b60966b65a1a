package dev.provision.it.tasks;

import dev.provision.dsl.InlinePlaybook;
import dev.provision.dsl.Secret;
import dev.provision.engine.report.HostReport;
import dev.provision.tasks.apt.Apt;
import dev.provision.tasks.command.Command;
import dev.provision.tasks.postgres.Postgres;
import dev.provision.tasks.systemd.Systemd;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import dev.provision.testkit.Converge;
import dev.provision.testkit.HostRuns;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresIT {

    private static final String PASSWORD_FILE = "/etc/synapse-db-password";

    @TestHost
    private static final DebianHost host = DebianHost.bookworm();

    @BeforeAll
    static void installPostgresql() {
        assertThat(HostRuns.on(host).apply(p -> p.step("postgresql", Apt.present("postgresql"))).failed()).isZero();
    }

    private static final Consumer<InlinePlaybook> DATABASE = p -> {
        p.step("postgresql", Apt.present("postgresql"));
        p.step("postgresql running", Systemd.service("postgresql").started());
        p.step("password on the host", Command.run("umask 077; head -c 24 /dev/urandom | base64 > " + PASSWORD_FILE).creates(PASSWORD_FILE));
        p.step("synapse role", Postgres.role("synapse").passwordFromFile(PASSWORD_FILE));
        p.step("reporting role", Postgres.role("reporting").password(Secret.of("rep0rting-pw")));
        p.step("synapse database", Postgres.database("synapse").owner("synapse").encoding("UTF8").locale("C"));
    };

    @Test
    void rolesAndDatabasesConverge() {
        Converge.inline(DATABASE).cycle(host).converges()
                .correctsDrift(psql("ALTER ROLE synapse PASSWORD 'other'"))
                .correctsDrift(psql("ALTER ROLE reporting PASSWORD 'other'"))
                .correctsDrift(psql("ALTER DATABASE synapse OWNER TO reporting"));
        assertThat(host.exec("PGPASSWORD=$(cat " + PASSWORD_FILE + ") psql -h 127.0.0.1 -U synapse -d synapse -Atc "
                + "\"select current_user, datcollate, datctype, pg_encoding_to_char(encoding) from pg_database where datname = 'synapse'\"")
                .requireSuccess().stdout().trim()).isEqualTo("synapse|C|C|UTF8");
        assertThat(host.exec("PGPASSWORD=rep0rting-pw psql -h 127.0.0.1 -U reporting -d postgres -Atc 'select 1'").succeeded()).isTrue();
    }

    @Test
    void aDatabaseWithTheWrongCollationFailsAndKeepsItsData() {
        host.exec(psql("CREATE DATABASE legacy TEMPLATE template0 LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")).requireSuccess();
        HostReport report = HostRuns.on(host).apply(p -> {
            p.step("postgresql", Apt.present("postgresql"));
            p.step("legacy", Postgres.database("legacy").encoding("UTF8").locale("C"));
        });
        assertThat(report.failed()).isEqualTo(1);
        assertThat(report.results().get(report.results().size() - 1).message()).hasValueSatisfying(m ->
                assertThat(m).contains("database legacy exists with LC_COLLATE C.UTF-8 instead of C"));
        assertThat(host.exec(psql("select 1 from pg_database where datname = 'legacy'")).stdout()).contains("1");
    }

    private static String psql(String sql) {
        return "cd / && runuser -u postgres -- psql -Atc \"" + sql + "\"";
    }
}
