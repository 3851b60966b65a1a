package dev.provision.tasks.net;

import dev.provision.task.Fact;
import dev.provision.task.Shell;

import java.util.Arrays;
import java.util.Optional;

/** What a host's network addresses are: for one host of a deployment to learn where another listens. */
public final class Addresses {

    private Addresses() {
    }

    /** The first IPv4 address of {@code iface} (without its prefix length), empty when it has none; needs iproute2. */
    public static Fact<Optional<String>> ipv4(String iface) {
        return Fact.of("ip -4 -o addr show dev " + Shell.quote(iface) + " 2>/dev/null", result -> result.stdout().lines()
                .map(line -> line.trim().split("\\s+"))
                .filter(words -> words.length > 3 && words[2].equals("inet"))
                .map(words -> words[3].replaceFirst("/.*", ""))
                .findFirst());
    }

    /** The host's first IPv4 address inside {@code cidr} ({@code 10.0.0.0/8}), from {@code hostname -I}; empty when none is. */
    public static Fact<Optional<String>> ipv4In(String cidr) {
        Ipv4Range range = Ipv4Range.parse(cidr);
        return Fact.of("hostname -I", result -> Arrays.stream(result.stdout().trim().split("\\s+"))
                .filter(range::contains).findFirst());
    }

    /** An IPv4 network, {@code 192.168.1.0/24}. */
    record Ipv4Range(long network, int prefix) {

        static Ipv4Range parse(String cidr) {
            String[] parts = cidr.split("/");
            if (parts.length != 2) {
                throw new IllegalArgumentException("'" + cidr + "' is no IPv4 network: write it as 10.0.0.0/8");
            }
            int prefix = Integer.parseInt(parts[1]);
            long address = toLong(parts[0]).orElseThrow(() -> new IllegalArgumentException("'" + cidr + "' is no IPv4 network: write it as 10.0.0.0/8"));
            return new Ipv4Range(address & mask(prefix), prefix);
        }

        boolean contains(String address) {
            return toLong(address).map(value -> (value & mask(prefix)) == network).orElse(false);
        }

        private static long mask(int prefix) {
            return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        }

        private static Optional<Long> toLong(String address) {
            String[] octets = address.split("\\.");
            if (octets.length != 4) {
                return Optional.empty();
            }
            long value = 0;
            for (String octet : octets) {
                if (!octet.matches("\\d{1,3}") || Integer.parseInt(octet) > 255) {
                    return Optional.empty();
                }
                value = value << 8 | Integer.parseInt(octet);
            }
            return Optional.of(value);
        }
    }
}
