package dev.provision.it.tasks;

import dev.provision.dsl.InlinePlaybook;
import dev.provision.task.Shell;
import dev.provision.tasks.edits.BlockInFile;
import dev.provision.tasks.edits.ConfigFile;
import dev.provision.tasks.edits.LineInFile;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import dev.provision.testkit.Converge;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** ConfigFile, LineInFile and BlockInFile editing files that a package would have installed. */
class EditsIT {

    private static final String REDIS_CONF = """
            # Accept connections on the specified port, default is 6379 (IANA #815344).
            # If port 0 is specified Redis will not listen on a TCP socket.
            port 6379

            # Unix socket.
            #
            # unixsocket /run/redis/redis-server.sock
            # unixsocketperm 700

            timeout 0
            """;

    private static final String PG_HBA = """
            # TYPE  DATABASE        USER            ADDRESS                 METHOD
            local   all             postgres                                peer
            local   all             all                                     peer
            host    all             all             127.0.0.1/32            scram-sha-256
            """;

    @TestHost
    private static final DebianHost host = DebianHost.bookworm();

    @BeforeAll
    static void installTheFilesToEdit() {
        host.exec("mkdir -p /etc/redis /etc/postgresql/15/main && groupadd -f redis"
                + " && printf %s " + Shell.quote(REDIS_CONF) + " > /etc/redis/redis.conf"
                + " && printf %s " + Shell.quote(PG_HBA) + " > /etc/postgresql/15/main/pg_hba.conf"
                + " && chown root:redis /etc/redis/redis.conf && chmod 0640 /etc/redis/redis.conf").requireSuccess();
    }

    private static final Consumer<InlinePlaybook> EDITS = p -> {
        p.step("redis on a socket only", ConfigFile.at("/etc/redis/redis.conf")
                .set("port", 0).set("unixsocket", "/run/redis/redis-server.sock").set("unixsocketperm", 770));
        p.step("no root login", LineInFile.at("/etc/ssh/sshd_config").line("PermitRootLogin prohibit-password").matching("^#?PermitRootLogin\\s"));
        p.step("synapse may log in", BlockInFile.at("/etc/postgresql/15/main/pg_hba.conf").named("synapse")
                .content("local   synapse         synapse                                 scram-sha-256").insertBefore("^local\\s+all\\s+all"));
    };

    @Test
    void editsConvergeAndKeepOwnerAndMode() {
        Converge.inline(EDITS).cycle(host).converges()
                .correctsDrift("sed -i 's/^port 0$/port 6379/' /etc/redis/redis.conf")
                .correctsDrift("sed -i 's/^unixsocketperm 770$/# unixsocketperm 700/' /etc/redis/redis.conf")
                .correctsDrift("sed -i 's/^PermitRootLogin .*/PermitRootLogin yes/' /etc/ssh/sshd_config")
                .correctsDrift("sed -i '/provision MANAGED BLOCK synapse/,/provision MANAGED BLOCK synapse/d' /etc/postgresql/15/main/pg_hba.conf");

        assertThat(host.exec("cat /etc/redis/redis.conf").stdout()).isEqualTo(REDIS_CONF
                .replace("port 6379", "port 0")
                .replace("# unixsocket /run/redis/redis-server.sock", "unixsocket /run/redis/redis-server.sock")
                .replace("# unixsocketperm 700", "unixsocketperm 770"));
        assertThat(host.exec("stat -c '%U %G %a' /etc/redis/redis.conf").stdout()).isEqualTo("root redis 640\n");
        assertThat(host.exec("grep -c '^PermitRootLogin prohibit-password$' /etc/ssh/sshd_config").stdout().strip()).isEqualTo("1");
        assertThat(host.exec("sed -n 3,5p /etc/postgresql/15/main/pg_hba.conf").stdout()).isEqualTo("""
                # BEGIN provision MANAGED BLOCK synapse
                local   synapse         synapse                                 scram-sha-256
                # END provision MANAGED BLOCK synapse
                """);
    }
}
