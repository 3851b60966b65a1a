package dev.provision.playbooks.synapse;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** An IP address literal and whether it is private: RFC 1918 for IPv4, unique local (fc00::/7) for IPv6. */
record PrivateAddress(InetAddress address) {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    /** The address if {@code text} is an IPv4 or IPv6 literal; host names are never resolved. */
    static Optional<PrivateAddress> parse(String text) {
        boolean ipv4 = IPV4.matcher(text).matches();
        if (!ipv4 && !(text.contains(":") && text.matches("[0-9A-Fa-f:.]+"))) {
            return Optional.empty();
        }
        try {
            InetAddress parsed = InetAddress.getByName(text);
            return ipv4 && !parsed.getHostAddress().equals(text) ? Optional.empty() : Optional.of(new PrivateAddress(parsed));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    boolean isIpv6() {
        return address instanceof Inet6Address;
    }

    /** 0.0.0.0 or ::, which bind every interface. */
    boolean isUnspecified() {
        return address.isAnyLocalAddress();
    }

    boolean isPrivate() {
        byte[] bytes = address.getAddress();
        if (isIpv6()) {
            return (bytes[0] & 0xFE) == 0xFC;
        }
        int first = bytes[0] & 0xFF;
        int second = bytes[1] & 0xFF;
        return first == 10 || (first == 172 && second >= 16 && second <= 31) || (first == 192 && second == 168);
    }
}
