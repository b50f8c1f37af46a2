package io.stillwater.fetch;

import java.util.Locale;

/**
 * One entry of {@code stillwater.fetch.allow-hosts} or {@code deny-hosts}: {@code host},
 * {@code host:port}, {@code *.example.com} (any subdomain, not the domain itself) or {@code *}; IPv6
 * literals in brackets ({@code [::1]:8080}). Without a port the pattern matches every port.
 */
record HostPattern(String host, int port) {

    static final int ANY_PORT = -1;

    static HostPattern parse(String text) {
        String pattern = text.strip().toLowerCase(Locale.ROOT);
        if (pattern.isEmpty()) {
            throw new IllegalArgumentException("empty host pattern");
        }
        int colon = pattern.lastIndexOf(':');
        boolean bracketed = pattern.startsWith("[");
        if (bracketed ? pattern.endsWith("]") : colon < 0) {
            return new HostPattern(SourceUrls.normaliseHost(pattern), ANY_PORT);
        }
        if (bracketed && pattern.charAt(colon - 1) != ']' || !bracketed && pattern.indexOf(':') != colon) {
            throw new IllegalArgumentException("host pattern '" + text + "': write IPv6 addresses in brackets");
        }
        int port;
        try {
            port = Integer.parseInt(pattern.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("host pattern '" + text + "': the port is not a number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("host pattern '" + text + "': port out of range");
        }
        return new HostPattern(SourceUrls.normaliseHost(pattern.substring(0, colon)), port);
    }

    /** Whether a normalised host (as {@link SourceUrls#normaliseHost} gives it) and port match. */
    boolean matches(String normalisedHost, int targetPort) {
        if (port != ANY_PORT && port != targetPort) {
            return false;
        }
        if (host.equals("*")) {
            return true;
        }
        if (host.startsWith("*.")) {
            return normalisedHost.endsWith(host.substring(1));
        }
        return host.equals(normalisedHost);
    }

    @Override
    public String toString() {
        return port == ANY_PORT ? host : host + ":" + port;
    }
}
