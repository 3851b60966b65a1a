package dev.provision.tasks.edits;

import dev.provision.tasks.files.ContentException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlockInFileTest {

    private static final String PG_HBA = "# TYPE DATABASE USER ADDRESS METHOD\nlocal all postgres peer\nlocal all all peer\nhost all all 127.0.0.1/32 scram-sha-256\n";

    private static BlockInFile synapse() {
        return BlockInFile.at("/etc/postgresql/15/main/pg_hba.conf").named("synapse").content("local synapse synapse scram-sha-256\n");
    }

    @Test
    void aNewBlockGoesAtTheEndBetweenMarkers() {
        assertThat(synapse().edit(PG_HBA)).isEqualTo(PG_HBA
                + "# BEGIN provision MANAGED BLOCK synapse\nlocal synapse synapse scram-sha-256\n# END provision MANAGED BLOCK synapse\n");
    }

    @Test
    void aNewBlockCanGoBeforeTheFirstMatch() {
        assertThat(synapse().insertBefore("^local\\s+all\\s+all").edit(PG_HBA)).isEqualTo(
                "# TYPE DATABASE USER ADDRESS METHOD\nlocal all postgres peer\n"
                        + "# BEGIN provision MANAGED BLOCK synapse\nlocal synapse synapse scram-sha-256\n# END provision MANAGED BLOCK synapse\n"
                        + "local all all peer\nhost all all 127.0.0.1/32 scram-sha-256\n");
    }

    @Test
    void anExistingBlockIsRewrittenInPlaceAndOnlyOnce() {
        String once = synapse().insertBefore("^local\\s+all\\s+all").edit(PG_HBA);

        String changed = BlockInFile.at("/x").named("synapse").content("local synapse synapse peer\nhost synapse synapse ::1/128 scram-sha-256")
                .edit(once);

        assertThat(changed).isEqualTo("# TYPE DATABASE USER ADDRESS METHOD\nlocal all postgres peer\n"
                + "# BEGIN provision MANAGED BLOCK synapse\nlocal synapse synapse peer\nhost synapse synapse ::1/128 scram-sha-256\n"
                + "# END provision MANAGED BLOCK synapse\nlocal all all peer\nhost all all 127.0.0.1/32 scram-sha-256\n");
        assertThat(synapse().insertBefore("^local\\s+all\\s+all").edit(once)).isSameAs(once);
    }

    @Test
    void blocksWithOtherNamesAreLeftAlone() {
        String both = BlockInFile.at("/x").named("other").content("x\n").edit(synapse().edit(PG_HBA));

        assertThat(synapse().absent().edit(both)).isEqualTo(PG_HBA
                + "# BEGIN provision MANAGED BLOCK other\nx\n# END provision MANAGED BLOCK other\n");
    }

    @Test
    void absentOrEmptyRemovesTheBlockAndItsMarkers() {
        String with = synapse().edit(PG_HBA);

        assertThat(synapse().absent().edit(with)).isEqualTo(PG_HBA);
        assertThat(synapse().content("").edit(with)).isEqualTo(PG_HBA);
        assertThat(synapse().absent().edit(PG_HBA)).isSameAs(PG_HBA);
    }

    @Test
    void theCommentPrefixIsConfigurable() {
        assertThat(BlockInFile.at("/etc/php/8.2/fpm/php.ini").named("tuning").commentPrefix(";").content("memory_limit = 256M").edit(""))
                .isEqualTo("; BEGIN provision MANAGED BLOCK tuning\nmemory_limit = 256M\n; END provision MANAGED BLOCK tuning\n");
    }

    @Test
    void aBeginMarkerWithoutItsEndIsAnError() {
        assertThatThrownBy(() -> synapse().edit("# BEGIN provision MANAGED BLOCK synapse\nlocal all all peer\n"))
                .isInstanceOf(ContentException.class)
                .hasMessageContaining("no '# END provision MANAGED BLOCK synapse' after it");
    }
}
