package io.stillwater.fetch;

import io.stillwater.fetch.SourceUrls.Target;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Which URLs Stillwater may fetch sources from and deliver callbacks to. A URL is judged twice: its
 * form and host against the lists before anything is resolved ({@link #check}), and every address its
 * host resolves to at connection time ({@link #addresses}), so that the address connected to is one
 * that was checked and a name that changes its answer between the two cannot slip through.
 *
 * <p>{@code deny-hosts} always wins. A host matching {@code allow-hosts} may reach internal addresses
 * (that is how a loopback test server or a camera on the local network is reached); every other host
 * must resolve to public internet addresses only.
 */
public final class SourcePolicy {

    private final List<HostPattern> allowHosts;
    private final List<HostPattern> denyHosts;

    public SourcePolicy(List<String> allowHosts, List<String> denyHosts) {
        this.allowHosts = allowHosts.stream().map(HostPattern::parse).toList();
        this.denyHosts = denyHosts.stream().map(HostPattern::parse).toList();
    }

    /**
     * Checks a URL's form and host before it is fetched, and before each redirect is followed.
     *
     * @return the URL, parsed
     * @throws SourceException when it may not be fetched
     */
    public URI check(String url) {
        Target target = SourceUrls.parse(url);
        denyHosts.stream().filter(pattern -> pattern.matches(target.host(), target.port())).findFirst()
                .ifPresent(pattern -> {
                    throw SourceException.notAllowed("host " + target.host() + " is denied (" + pattern + ")");
                });
        return target.uri();
    }

    /**
     * Resolves the host a connection is about to be opened to and checks every address it has: one
     * internal address refuses the host.
     *
     * @return the addresses to connect to, all checked
     * @throws SourceException when the host or one of its addresses may not be reached
     * @throws UnknownHostException when the name does not resolve (a transient failure)
     */
    public InetAddress[] addresses(String host, int port) throws UnknownHostException {
        String normalised;
        try {
            normalised = SourceUrls.normaliseHost(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host);
        } catch (IllegalArgumentException e) {
            throw SourceException.notAllowed(e.getMessage());
        }
        for (HostPattern pattern : denyHosts) {
            if (pattern.matches(normalised, port)) {
                throw SourceException.notAllowed("host " + normalised + " is denied (" + pattern + ")");
            }
        }
        InetAddress[] addresses = InetAddress.getAllByName(SourceUrls.resolvable(normalised));
        if (allowHosts.stream().anyMatch(pattern -> pattern.matches(normalised, port))) {
            return addresses;
        }
        for (InetAddress address : addresses) {
            Optional<String> reason = InternalAddresses.reason(address);
            if (reason.isPresent()) {
                throw SourceException.notAllowed("host " + normalised + " resolves to " + address.getHostAddress()
                        + " (" + reason.get() + "), which is not a public address, and is not on the allow list");
            }
        }
        return addresses;
    }
}
