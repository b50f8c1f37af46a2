package io.stillwater.fetch;

import io.stillwater.config.StillwaterProperties;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.DefaultRedirectStrategy;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.Timeout;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP client that fetches URL sources (the {@code download-source} step of
 * {@code routes/fetch.camel.yaml}): its connections resolve names through the {@link SourcePolicy}, so
 * every address connected to has been checked; each redirect is checked before it is followed; it
 * never retries on its own; and it sends no cookies or credentials and uses no proxy.
 */
@Configuration(proxyBeanMethods = false)
public class SourceFetching {

    /** Where the redirect count of one fetch is kept in its HTTP context. */
    private static final String REDIRECTS = "stillwater.redirects";

    @Bean
    SourcePolicy sourcePolicy(StillwaterProperties properties) {
        return new SourcePolicy(properties.fetch().allowHosts(), properties.fetch().denyHosts());
    }

    @Bean
    HttpClientConfigurer sourceHttpClient(SourcePolicy policy, StillwaterProperties properties) {
        StillwaterProperties.Fetch fetch = properties.fetch();
        return builder -> builder
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new CheckingResolver(policy))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(fetch.connectTimeout()))
                                .setSocketTimeout(Timeout.of(fetch.readTimeout()))
                                .build())
                        .build())
                .setRedirectStrategy(new CheckedRedirects(policy, fetch.maxRedirects()))
                // Retries are the job's failure policy's to count and space (routes/job-failures.camel.yaml).
                .disableAutomaticRetries()
                // The body is read raw, so the byte limit counts what was sent (images do not compress).
                .disableContentCompression()
                .disableCookieManagement()
                .disableAuthCaching();
    }

    /** Name resolution that only answers with addresses the policy allows for that host and port. */
    private record CheckingResolver(SourcePolicy policy) implements DnsResolver {

        @Override
        public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
            return Arrays.stream(policy.addresses(host, port)).map(address -> new InetSocketAddress(address, port))
                    .toList();
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            return policy.addresses(host, HostPattern.ANY_PORT);
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    }

    /** Redirects followed only to URLs the policy allows, at most {@code max} per fetch. */
    private static final class CheckedRedirects extends DefaultRedirectStrategy {

        private final SourcePolicy policy;
        private final int max;

        CheckedRedirects(SourcePolicy policy, int max) {
            this.policy = policy;
            this.max = max;
        }

        @Override
        public URI getLocationURI(HttpRequest request, HttpResponse response, HttpContext context)
                throws HttpException {
            URI location = super.getLocationURI(request, response, context);
            Integer followed = (Integer) context.getAttribute(REDIRECTS);
            int count = followed == null ? 1 : followed + 1;
            if (count > max) {
                throw SourceException.tooManyRedirects(max);
            }
            context.setAttribute(REDIRECTS, count);
            return policy.check(location.toString());
        }
    }
}
