package io.stillwater.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guard's decisions for a table of hostile URLs and addresses. Only literals and {@code localhost}
 * are resolved, so the table needs no network.
 */
class SourcePolicyTest {

    private final SourcePolicy open = new SourcePolicy(List.of(), List.of());

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "file:///etc/passwd", "ftp://example.com/a.jpg", "gopher://example.com:70/", "jar:http://x/!/a",
        "data:image/png;base64,AAAA", "//example.com/a.jpg", "/relative/a.jpg",
        "http://user:secret@example.com/a.jpg", "http://example.com@127.0.0.1/a.jpg",
        "http://0177.0.0.1/", "http://2130706433/", "http://0x7f.0.0.1/", "http://0x7f000001/", "http://127.1/",
        "http://017700000001/", "http://127.0.0.01/", "http://1.2.3.4.5/", "http://[fe80::1%25eth0]/",
        "http:///a.jpg", "http://exa mple.com/"
    })
    void urlsOfOtherSchemesOrOddHostFormsAreRefusedBeforeAnythingIsResolved(String url) {
        assertThatThrownBy(() -> open.check(url)).isInstanceOf(SourceException.class)
                .extracting(e -> ((SourceException) e).code()).isEqualTo("source-not-allowed");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://example.com/a.jpg", "http://EXAMPLE.com./a.jpg", "http://93.184.215.14:8080/x",
        "https://[2606:4700::1111]/a.png", "https://bücher.example/a.jpg"})
    void ordinaryUrlsPassTheFormCheck(String url) {
        assertThatCode(() -> open.check(url)).doesNotThrowAnyException();
    }

    @Test
    void anInternationalisedHostIsCheckedAndFetchedInItsAsciiForm() {
        assertThat(open.check("https://bücher.example:8443/a.jpg?x=1").toString())
                .isEqualTo("https://xn--bcher-kva.example:8443/a.jpg?x=1");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "127.0.0.1, loopback", "127.255.255.254, loopback", "0.0.0.0, unspecified", "10.1.2.3, private",
        "172.16.0.1, private", "172.31.255.255, private", "192.168.1.1, private",
        "169.254.169.254, link-local", "100.64.0.1, carrier-grade NAT", "100.127.255.255, carrier-grade NAT",
        "192.0.0.8, reserved", "198.18.0.1, benchmarking", "224.0.0.1, multicast", "255.255.255.255, broadcast",
        "::1, loopback", "::, unspecified", "fc00::1, unique local", "fd12:3456::1, unique local",
        "fe80::1, link-local", "fec0::1, site-local", "ff02::1, multicast",
        "::ffff:127.0.0.1, loopback", "::ffff:169.254.169.254, link-local", "::127.0.0.1, IPv4-compatible",
        "64:ff9b::a9fe:a9fe, NAT64 link-local", "64:ff9b:1::1, local-use NAT64", "2002:7f00:1::, 6to4 loopback",
        "2002:c0a8:101::1, 6to4 private", "2001:0:4136:e378:8000:63bf:3fff:fdd2, Teredo",
        "2001:db8::1, documentation", "100::1, discard-only"
    })
    void internalAddressesAreNamed(String address, String expected) throws Exception {
        assertThat(InternalAddresses.reason(InetAddress.getByName(address))).hasValueSatisfying(
                reason -> assertThat(reason).contains(expected));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"93.184.215.14", "1.1.1.1", "8.8.8.8", "172.32.0.1", "100.128.0.1", "169.253.1.1",
        "2606:4700::1111", "2a00:1450:4001:82a::200e", "64:ff9b::808:808", "2002:808:808::1"})
    void publicAddressesPass(String address) throws Exception {
        assertThat(InternalAddresses.reason(InetAddress.getByName(address))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"127.0.0.1", "localhost", "169.254.169.254", "::1", "::ffff:10.0.0.1", "0.0.0.0"})
    void aConnectionToAnInternalAddressIsRefused(String host) {
        assertThatThrownBy(() -> open.addresses(host, 80)).isInstanceOf(SourceException.class)
                .hasMessageContaining("not a public address");
    }

    @Test
    void anAllowListedHostAndPortMayReachLoopbackWhileEveryOtherLoopbackTargetStaysRefused() throws Exception {
        SourcePolicy policy = new SourcePolicy(List.of("127.0.0.1:8081", "[::1]:9000"), List.of());

        assertThat(policy.addresses("127.0.0.1", 8081)).containsExactly(InetAddress.getByName("127.0.0.1"));
        assertThat(policy.addresses("::1", 9000)).containsExactly(InetAddress.getByName("::1"));
        assertThatThrownBy(() -> policy.addresses("127.0.0.1", 22)).isInstanceOf(SourceException.class);
        assertThatThrownBy(() -> policy.addresses("localhost", 8081)).isInstanceOf(SourceException.class);
        assertThatThrownBy(() -> policy.addresses("::1", 8081)).isInstanceOf(SourceException.class);
    }

    @Test
    void theDenyListWinsOverTheAllowListAndMatchesSubdomainsAndPorts() {
        SourcePolicy policy = new SourcePolicy(List.of("*.example.com", "127.0.0.1"),
                List.of("internal.example.com", "*.corp.example", "127.0.0.1:5432"));

        assertThatThrownBy(() -> policy.check("https://internal.example.com/a.jpg"))
                .isInstanceOf(SourceException.class).hasMessageContaining("denied");
        assertThatThrownBy(() -> policy.check("https://INTERNAL.example.com./a.jpg"))
                .isInstanceOf(SourceException.class);
        assertThatThrownBy(() -> policy.check("http://db.corp.example/a.jpg"))
                .isInstanceOf(SourceException.class);
        assertThatCode(() -> policy.check("http://corp.example/a.jpg")).doesNotThrowAnyException();
        assertThatThrownBy(() -> policy.addresses("127.0.0.1", 5432)).isInstanceOf(SourceException.class);
        assertThatCode(() -> policy.addresses("127.0.0.1", 8080)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", "host:port", "host:0", "::1", "[::1]:99999"})
    void malformedHostPatternsAreRejectedAtStartUp(String pattern) {
        assertThatThrownBy(() -> new SourcePolicy(List.of(pattern), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
