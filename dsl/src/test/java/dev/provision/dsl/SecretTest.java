package dev.provision.dsl;

import dev.provision.dsl.engine.SecretWitness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class SecretTest {

    @Test
    void aSecretNeverShowsItsValueAsText() {
        Secret secret = Secret.of("correct-horse-battery");
        assertThat(secret.toString()).isEqualTo(Secret.MASK);
        assertThat("" + secret).doesNotContain("horse");
        assertThat(secret.reveal()).isEqualTo("correct-horse-battery");
    }

    @Test
    void aWitnessSeesEverySecretCreatedOnItsThreadWhileItWatchesAndNoOther() throws Exception {
        List<String> seen = new ArrayList<>();
        Secret before = Secret.of("created-before");

        SecretWitness.watching(seen::add, () -> {
            Secret elsewhere = CompletableFuture.supplyAsync(() -> Secret.of("created-on-another-thread")).join();
            assertThat(elsewhere).isNotNull();
            return Secret.of("created-during");
        });
        Secret after = Secret.of("created-after");

        assertThat(seen).containsExactly("created-during");
        assertThat(List.of(before.reveal(), after.reveal())).doesNotContainAnyElementsOf(seen);
    }

    @Test
    void aWitnessSeesASecretMadeBeforeItWatchedOnceItIsRevealed() {
        Secret constant = Secret.of("made-before-watching");
        List<String> seen = new ArrayList<>();

        String value = SecretWitness.watching(seen::add, constant::reveal);

        assertThat(value).isEqualTo("made-before-watching");
        assertThat(seen).containsExactly("made-before-watching");
    }

    @Test
    void nestedWitnessesBothSeeWhatIsCreatedInside() {
        List<String> outer = new ArrayList<>();
        List<String> inner = new ArrayList<>();

        SecretWitness.watching(outer::add, () -> {
            Secret first = Secret.of("first-secret");
            SecretWitness.watching(inner::add, () -> Secret.of("second-secret"));
            return first;
        });

        assertThat(outer).containsExactly("first-secret", "second-secret");
        assertThat(inner).containsExactly("second-secret");
    }
}
