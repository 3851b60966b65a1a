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
        List<Secret> seen = new ArrayList<>();
        Secret before = Secret.of("created-before");

        Secret during = SecretWitness.watching(seen::add, () -> {
            Secret elsewhere = CompletableFuture.supplyAsync(() -> Secret.of("created-on-another-thread")).join();
            assertThat(elsewhere.reveal()).isNotEmpty();
            return Secret.of("created-during");
        });
        Secret after = Secret.of("created-after");

        assertThat(seen).containsExactly(during);
        assertThat(List.of(before, after)).doesNotContainAnyElementsOf(seen);
    }

    @Test
    void nestedWitnessesBothSeeWhatIsCreatedInside() {
        List<Secret> outer = new ArrayList<>();
        List<Secret> inner = new ArrayList<>();

        SecretWitness.watching(outer::add, () -> {
            Secret first = Secret.of("first-secret");
            SecretWitness.watching(inner::add, () -> Secret.of("second-secret"));
            return first;
        });

        assertThat(outer).extracting(Secret::reveal).containsExactly("first-secret", "second-secret");
        assertThat(inner).extracting(Secret::reveal).containsExactly("second-secret");
    }
}
