package dev.provision.tasks.apt;

import dev.provision.dsl.CommandResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AptCacheTest {

    static String cache(long ageSeconds, int indexes, String... newer) {
        StringBuilder out = new StringBuilder("now 1000000\nupdated " + (1000000 - ageSeconds) + "\nindexes " + indexes + "\n");
        for (String path : newer) {
            out.append("newer ").append(path).append('\n');
        }
        return out.toString();
    }

    private static AptCache parse(String stdout) {
        return AptCache.parse(new CommandResult(0, stdout, ""));
    }

    @Test
    void freshListsNeedNoUpdate() {
        assertThat(parse(cache(60, 3)).staleness(Optional.of(Duration.ofHours(1)))).isEmpty();
        assertThat(parse(cache(999_999, 3)).staleness(Optional.empty())).isEmpty();
    }

    @Test
    void listsOlderThanTheMaximumAgeAreStale() {
        assertThat(parse(cache(7200, 3)).staleness(Optional.of(Duration.ofHours(1))))
                .containsExactly("package lists are older than 1h");
    }

    @Test
    void neverUpdatedListsAreStaleWhateverTheirAge() {
        assertThat(parse(cache(0, 0)).staleness(Optional.empty())).containsExactly("apt has no package lists yet");
    }

    @Test
    void sourcesChangedSinceTheLastUpdateMakeTheListsStale() {
        assertThat(parse(cache(10, 3, "/etc/apt/sources.list.d/matrix-org.sources")).staleness(Optional.empty()))
                .containsExactly("/etc/apt/sources.list.d/matrix-org.sources changed since the last update");
    }
}
