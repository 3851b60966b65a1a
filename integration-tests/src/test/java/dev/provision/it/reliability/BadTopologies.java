package dev.provision.it.reliability;

import dev.provision.playbooks.synapse.Duty;
import dev.provision.playbooks.synapse.PackageSource;
import dev.provision.playbooks.synapse.PostgresDatabase;
import dev.provision.playbooks.synapse.RedisClientPolicy;
import dev.provision.playbooks.synapse.Stream;
import dev.provision.playbooks.synapse.SynapseServer;
import dev.provision.playbooks.synapse.SynapseTopology;
import dev.provision.playbooks.synapse.SynapseWorker;

import java.util.List;

import static dev.provision.playbooks.synapse.SynapseWorker.named;

/** One Synapse server class per rule of the topology validation, each breaking that rule; the catalogue names them in inventories. */
public final class BadTopologies {

    private BadTopologies() {
    }

    private static SynapseTopology.Builder guide() {
        return SynapseTopology.forServer("example.com").packagedBy(PackageSource.DEBIAN);
    }

    private static SynapseTopology.Builder workers(SynapseWorker... workers) {
        return guide().workers(List.of(workers));
    }

    /** A Synapse server as a user's own class would describe it. */
    abstract static class Broken extends SynapseServer {
        Broken(SynapseTopology.Builder topology) {
            super(topology.build(), RedisClientPolicy.stageWorkers());
        }
    }

    public static class DuplicateNames extends Broken {
        public DuplicateNames() {
            super(workers(named("sync").doing(Duty.NORMAL_SYNC), named("sync").doing(Duty.INITIAL_SYNC)));
        }
    }

    public static class ReservedName extends Broken {
        public ReservedName() {
            super(workers(named("main").doing(Duty.PUSHER)));
        }
    }

    public static class InvalidName extends Broken {
        public InvalidName() {
            super(workers(named("a/b").doing(Duty.PUSHER)));
        }
    }

    public static class IdleWorker extends Broken {
        public IdleWorker() {
            super(workers(named("idle")));
        }
    }

    public static class SocketsOutsideRun extends Broken {
        public SocketsOutsideRun() {
            super(guide().socketDirectory("/var/lib/synapse-sockets"));
        }
    }

    public static class SocketPathTooLong extends Broken {
        public SocketPathTooLong() {
            super(workers(named("w".repeat(71)).writing(Stream.TYPING)));
        }
    }

    public static class TwoWritersOfOneStream extends Broken {
        public TwoWritersOfOneStream() {
            super(workers(named("t1").writing(Stream.TYPING), named("t2").writing(Stream.TYPING)));
        }
    }

    public static class WriterWithoutReplication extends Broken {
        public WriterWithoutReplication() {
            super(workers(named("typing").writing(Stream.TYPING).withoutReplicationListener()));
        }
    }

    public static class SingleInstanceDutyTwice extends Broken {
        public SingleInstanceDutyTwice() {
            super(workers(named("dir1").doing(Duty.USER_DIRECTORY), named("dir2").doing(Duty.USER_DIRECTORY)));
        }
    }

    public static class WorkersWithoutPostgres extends Broken {
        public WorkersWithoutPostgres() {
            super(guide().withoutPostgres());
        }
    }

    public static class WorkersWithoutRedis extends Broken {
        public WorkersWithoutRedis() {
            super(guide().withoutRedis());
        }
    }

    public static class DatabaseSocketForeignRole extends Broken {
        public DatabaseSocketForeignRole() {
            super(guide().database(PostgresDatabase.named("synapse").on("/var/run/postgresql", 5432)));
        }
    }

    public static class WorkerOnAnotherMachine extends Broken {
        public WorkerOnAnotherMachine() {
            super(guide().machine("hs1").workers(List.of(named("pusher").doing(Duty.PUSHER).on("hs2"))));
        }
    }

    public static class MediaOnTwoMachines extends Broken {
        public MediaOnTwoMachines() {
            super(workers(named("media1").doing(Duty.MEDIA), named("media2").doing(Duty.MEDIA).on("hs2")));
        }
    }

    public static class MediaJobsOnANonMediaWorker extends Broken {
        public MediaJobsOnANonMediaWorker() {
            super(guide().mediaBackgroundJobsOn("login"));
        }
    }
}
