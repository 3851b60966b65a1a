package dev.provision.testkit;

import java.util.Optional;

/**
 * One verification of a converged host.
 *
 * @param description what was checked ({@code unit nginx is active})
 * @param failure     what was found instead, in AssertJ's words; empty when the check passed
 */
public record Check(String description, Optional<String> failure) {

    public boolean passed() {
        return failure.isEmpty();
    }
}
