package dev.provision.playbooks.synapse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GuideLayoutTest {

    @Test
    void theGuidesWorkersInTheGuidesOrder() {
        assertThat(GuideLayout.standard().workers()).extracting(SynapseWorker::name).containsExactly(
                "login", "federation_sender", "mediaworker", "userdir", "pusher",
                "push_rules", "typing", "todevice", "accountdata", "presence", "receipts",
                "initial_sync1", "initial_sync2", "normal_sync1", "normal_sync2", "normal_sync3");
    }

    @Test
    void countsNamesAndExtraWorkersAreAdjustable() {
        GuideLayout layout = GuideLayout.standard().initialSyncWorkers(1).normalSyncWorkers(4)
                .rename("mediaworker", "media1").without("userdir").plus(SynapseWorker.named("bg").doing(Duty.BACKGROUND_TASKS));
        assertThat(layout.workers()).extracting(SynapseWorker::name).containsExactly(
                "login", "federation_sender", "media1", "pusher",
                "push_rules", "typing", "todevice", "accountdata", "presence", "receipts",
                "initial_sync1", "normal_sync1", "normal_sync2", "normal_sync3", "normal_sync4", "bg");
    }

    @Test
    void allStreamsOnOneWorker() {
        SynapseWorker writer = GuideLayout.standard().allStreamsOn("streamwriter").workers().stream()
                .filter(w -> w.name().equals("streamwriter")).findFirst().orElseThrow();
        assertThat(writer.streams()).containsExactly(
                Stream.TYPING, Stream.TO_DEVICE, Stream.ACCOUNT_DATA, Stream.RECEIPTS, Stream.PRESENCE, Stream.PUSH_RULES);
        assertThat(writer.hasReplicationListener()).isTrue();
        assertThat(writer.inboundResources()).containsExactly("client");
    }

    @Test
    void listenersFollowRoles() {
        assertThat(SynapseWorker.named("p").doing(Duty.PUSHER).hasInboundListener()).isFalse();
        assertThat(SynapseWorker.named("p").doing(Duty.PUSHER).hasReplicationListener()).isFalse();
        assertThat(SynapseWorker.named("e").writing(Stream.EVENTS).inboundResources()).isEmpty();
        assertThat(SynapseWorker.named("f").doing(Duty.FEDERATION_READER, Duty.CLIENT_READER).inboundResources()).containsExactly("client", "federation");
        assertThat(SynapseWorker.named("m").doing(Duty.MEDIA).inboundResources()).containsExactly("media");
    }

    @Test
    void passfileLineMatchesTheConnection() {
        assertThat(PostgresDatabase.named("synapse").passfileLinePrefix()).isEqualTo("127.0.0.1:5432:synapse:synapse:");
        assertThat(PostgresDatabase.named("syn:apse").ownedBy("matrix-synapse").on("/var/run/postgresql", 5433).passfileLinePrefix())
                .isEqualTo("localhost:5433:syn\\:apse:matrix-synapse:");
    }
}
