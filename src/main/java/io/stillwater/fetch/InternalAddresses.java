package io.stillwater.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * Which addresses a fetch of a user-supplied URL must never connect to: everything that is not a
 * public unicast address on the internet. Addresses that carry an IPv4 address inside an IPv6 one
 * (mapped, compatible, NAT64, 6to4) are judged by the IPv4 address they carry; Teredo tunnels are
 * refused outright.
 */
public final class InternalAddresses {

    private InternalAddresses() {}

    /** Why {@code address} is not a public internet address, or empty when it is one. */
    public static Optional<String> reason(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return ipv4(bytes);
        }
        if (address instanceof Inet6Address) {
            return ipv6(bytes);
        }
        return Optional.of("not an IP address");
    }

    private static Optional<String> ipv4(byte[] a) {
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        int b2 = a[2] & 0xff;
        if (b0 == 0) {
            return Optional.of("unspecified (0.0.0.0/8)");
        }
        if (b0 == 127) {
            return Optional.of("loopback (127.0.0.0/8)");
        }
        if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)) {
            return Optional.of("private (RFC 1918)");
        }
        if (b0 == 169 && b1 == 254) {
            return Optional.of("link-local (169.254.0.0/16, cloud metadata)");
        }
        if (b0 == 100 && (b1 & 0xc0) == 64) {
            return Optional.of("carrier-grade NAT (100.64.0.0/10)");
        }
        if (b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2)) {
            return Optional.of("reserved (192.0.0.0/24, 192.0.2.0/24)");
        }
        if ((b0 == 198 && b1 == 51 && b2 == 100) || (b0 == 203 && b1 == 0 && b2 == 113)) {
            return Optional.of("documentation range");
        }
        if (b0 == 198 && (b1 & 0xfe) == 18) {
            return Optional.of("benchmarking (198.18.0.0/15)");
        }
        if (b0 >= 224 && b0 <= 239) {
            return Optional.of("multicast (224.0.0.0/4)");
        }
        if (b0 >= 240) {
            return Optional.of("reserved or broadcast (240.0.0.0/4)");
        }
        return Optional.empty();
    }

    private static Optional<String> ipv6(byte[] a) {
        if (startsWithZeros(a, 10) && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff) {
            return embedded("IPv4-mapped", a, 12);
        }
        if (startsWithZeros(a, 12)) {
            if (startsWithZeros(a, 15)) {
                return Optional.of(a[15] == 0 ? "unspecified (::)" : a[15] == 1 ? "loopback (::1)"
                        : "reserved (::/96)");
            }
            return embedded("IPv4-compatible", a, 12);
        }
        int first = ((a[0] & 0xff) << 8) | (a[1] & 0xff);
        int second = ((a[2] & 0xff) << 8) | (a[3] & 0xff);
        if (first == 0x0064 && second == 0xff9b) {
            return startsWithZeros(Arrays.copyOfRange(a, 4, 12), 8) ? embedded("NAT64", a, 12)
                    : Optional.of("local-use NAT64 (64:ff9b:1::/48)");
        }
        if (first == 0x2002) {
            return embedded("6to4", a, 2);
        }
        if (first == 0x2001 && second == 0x0000) {
            return Optional.of("Teredo tunnel (2001::/32)");
        }
        if (first == 0x2001 && second == 0x0db8) {
            return Optional.of("documentation (2001:db8::/32)");
        }
        if (first == 0x0100 && second == 0 && a[4] == 0 && a[5] == 0 && a[6] == 0 && a[7] == 0) {
            return Optional.of("discard-only (100::/64)");
        }
        if ((first & 0xfe00) == 0xfc00) {
            return Optional.of("unique local (fc00::/7)");
        }
        if ((first & 0xffc0) == 0xfe80) {
            return Optional.of("link-local (fe80::/10)");
        }
        if ((first & 0xffc0) == 0xfec0) {
            return Optional.of("site-local (fec0::/10)");
        }
        if ((first & 0xff00) == 0xff00) {
            return Optional.of("multicast (ff00::/8)");
        }
        return Optional.empty();
    }

    private static Optional<String> embedded(String kind, byte[] a, int offset) {
        return ipv4(Arrays.copyOfRange(a, offset, offset + 4)).map(inner -> kind + " " + inner);
    }

    private static boolean startsWithZeros(byte[] a, int count) {
        for (int i = 0; i < count; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
