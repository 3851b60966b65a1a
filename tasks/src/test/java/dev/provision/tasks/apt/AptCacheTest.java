package dev.provision.tasks.apt;

import dev.provision.task.CommandResult;
import dev.provision.tasks.files.LocalHost;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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

    @Test
    void readsThisMachineAsStatFindAndWcWould() {
        // this machine's own apt, read once by the fact and once by the plain tools it replaces
        AptCache cache = AptCache.parse(LocalHost.sh(AptCache.FACT.command()));
        String plain = LocalHost.sh("s=" + AptCache.STAMP + "; [ -e \"$s\" ] || s=/var/lib/apt/lists; stat -c %Y \"$s\"; "
                + "find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' | wc -l; "
                + "find /etc/apt/sources.list /etc/apt/sources.list.d /etc/apt/keyrings -type f -newer \"$s\" 2>/dev/null").stdout();
        List<String> lines = plain.lines().toList();
        assertThat(cache.updated()).isEqualTo(Long.parseLong(lines.get(0)));
        assertThat(cache.indexes()).isEqualTo(Integer.parseInt(lines.get(1)));
        assertThat(cache.newerSources()).containsExactlyInAnyOrderElementsOf(lines.subList(2, lines.size()));
        assertThat(cache.now()).isCloseTo(System.currentTimeMillis() / 1000, within(5L));
    }
}
