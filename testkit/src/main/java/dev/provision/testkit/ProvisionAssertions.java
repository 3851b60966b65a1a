package dev.provision.testkit;

import dev.provision.testbed.DebianHost;

/** The entry point of the host checks, to import statically beside AssertJ's {@code Assertions.assertThat}. */
public final class ProvisionAssertions {

    private ProvisionAssertions() {
    }

    /** Checks of a started test host, run through {@code docker exec} as root. */
    public static HostAssert assertThat(DebianHost host) {
        return new HostAssert(HostShell.of(host));
    }

    /** Checks of any host a {@link HostShell} reaches. */
    public static HostAssert assertThat(HostShell host) {
        return new HostAssert(host);
    }
}
