package io.stillwater.fetch;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The form checks of a source or callback URL, before any name is resolved: http or https only, no
 * credentials, a host in one canonical spelling. Numeric hosts that resolvers read differently
 * ({@code 0177.0.0.1}, {@code 2130706433}, {@code 0x7f.1}, {@code 127.1}) are refused rather than
 * interpreted, so what is checked is what a reader of the URL sees.
 */
final class SourceUrls {

    /** A last label that a WHATWG URL parser reads as a number, making the whole host an IPv4 literal. */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("(0x[0-9a-f]*|[0-9]+)");
    private static final Pattern DOTTED_QUAD = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    private SourceUrls() {}

    /** The URL's target, or {@link SourceException} naming what is wrong with its form. */
    static Target parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw SourceException.notAllowed("not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw SourceException.notAllowed("only http and https URLs are fetched, not '" + scheme + "'");
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw SourceException.notAllowed("the URL has no host it can be fetched from");
        }
        if (authority.contains("@")) {
            throw SourceException.notAllowed("URLs with credentials (user@host) are not fetched");
        }
        try {
            if (uri.getHost() == null) {
                // java.net.URI reads no host from an internationalised name: give it the ASCII form.
                uri = internationalHost(uri, authority);
            }
            String host = normaliseHost(uri.getHost());
            int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
            return new Target(uri, host, port);
        } catch (IllegalArgumentException | URISyntaxException e) {
            throw SourceException.notAllowed("the URL's host cannot be read: " + e.getMessage());
        }
    }

    private static URI internationalHost(URI uri, String authority) throws URISyntaxException {
        int colon = authority.lastIndexOf(':');
        String name = colon < 0 ? authority : authority.substring(0, colon);
        int port = colon < 0 ? -1 : Integer.parseInt(authority.substring(colon + 1));
        return new URI(uri.getScheme(), null, IDN.toASCII(name), port, uri.getPath(), uri.getQuery(),
                uri.getFragment());
    }

    /**
     * One spelling per host: lower case, no trailing dot, internationalised names in their ASCII
     * (punycode) form, IPv6 literals in brackets as {@link InetAddress#getHostAddress()} writes them.
     */
    static String normaliseHost(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.startsWith("[") && lower.endsWith("]")) {
            String literal = lower.substring(1, lower.length() - 1);
            if (literal.contains("%")) {
                throw new IllegalArgumentException("IPv6 addresses with a zone are not fetched: " + host);
            }
            try {
                // A literal: parsed, never resolved.
                return "[" + InetAddress.getByName(literal).getHostAddress() + "]";
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IPv6 address: " + host);
            }
        }
        if (lower.endsWith(".")) {
            lower = lower.substring(0, lower.length() - 1);
        }
        if (lower.equals("*") || lower.startsWith("*.")) {
            return lower.equals("*") ? lower : "*." + IDN.toASCII(lower.substring(2)).toLowerCase(Locale.ROOT);
        }
        String ascii = IDN.toASCII(lower).toLowerCase(Locale.ROOT);
        if (ascii.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        String last = ascii.substring(ascii.lastIndexOf('.') + 1);
        if (NUMERIC_LABEL.matcher(last).matches() && !DOTTED_QUAD.matcher(ascii).matches()) {
            throw new IllegalArgumentException("'" + host + "' is not a canonical IPv4 address (four decimal "
                    + "parts, no leading zeros)");
        }
        return ascii;
    }

    /** Where a URL points: its host in canonical form and its port (80 or 443 when none is given). */
    record Target(URI uri, String host, int port) {}

    /** A normalised host as a resolver takes it: IPv6 literals without their brackets. */
    static String resolvable(String normalisedHost) {
        return normalisedHost.startsWith("[") ? normalisedHost.substring(1, normalisedHost.length() - 1)
                : normalisedHost;
    }
}
