package io.agentgateway.a2a;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of IP addresses and CIDR ranges ({@code listeners[].trusted_proxies}), compiled once.
 * Only IP literals are parsed, never host names, so matching never touches DNS. IPv4 peers seen
 * as IPv4-mapped IPv6 addresses match IPv4 ranges.
 *
 * <p>Immutable and thread-safe.
 */
final class CidrSet {
    static final CidrSet EMPTY = new CidrSet(List.of());

    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> ranges;

    private CidrSet(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /**
     * @param entries IP addresses or {@code ADDRESS/PREFIX} ranges, as the config validator accepted them
     * @throws IllegalArgumentException naming the entry that is not a valid address or range
     */
    static CidrSet of(List<String> entries) {
        List<Range> ranges = new ArrayList<>(entries.size());
        for (String entry : entries) {
            String[] parts = entry.split("/", 2);
            byte[] address = literal(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("\"" + entry + "\" is not an IP address or CIDR range");
            }
            int bits = address.length * 8;
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
            if (prefix > bits) {
                throw new IllegalArgumentException("\"" + entry + "\": the prefix is longer than the address (" + bits + " bits)");
            }
            ranges.add(new Range(address, prefix));
        }
        return new CidrSet(ranges);
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Whether {@code ip} (an IP literal, as Vert.x reports a peer) is in the set. */
    boolean contains(String ip) {
        if (ranges.isEmpty() || ip == null) {
            return false;
        }
        byte[] address = literal(ip);
        if (address == null) {
            return false;
        }
        for (Range r : ranges) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The bytes of an IP literal, or null when {@code s} is not one (host names are never resolved). */
    private static byte[] literal(String s) {
        if (s.isEmpty()) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) {
                return null;
            }
        }
        if (s.indexOf(':') < 0 && !s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return null;
        }
        try {
            // An IP literal: InetAddress parses it without a lookup. IPv4-mapped IPv6 comes back as IPv4.
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
