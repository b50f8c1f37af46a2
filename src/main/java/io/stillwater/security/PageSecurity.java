package io.stillwater.security;

import java.util.stream.Stream;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The web page at {@code /}: its static files are open to anyone, since nothing in them is secret; every call
 * the page makes goes to the API with the caller's own credentials (an intake API key, the operator account),
 * under the API's rules. The files are served with a Content Security Policy that lets the page run only its
 * own script and style and talk only to this service, while showing renditions from the object store, which
 * may be at another address ({@code stillwater.storage.public-endpoint}).
 */
@Configuration(proxyBeanMethods = false)
public class PageSecurity {

    /** The page's files, as Spring Boot serves them from {@code static/}. */
    static final String[] PAGE = {"/", "/index.html", "/app.js", "/app.css", "/favicon.svg"};

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data: http: https:; form-action 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'";

    /** Before the API's chain, which refuses whatever it does not name; its paths are no other chain's. */
    @Bean
    @Order(0)
    SecurityFilterChain pageFilterChain(HttpSecurity http) throws Exception {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        return http
                .securityMatcher(new OrRequestMatcher(Stream.of(PAGE).map(path -> paths.matcher(HttpMethod.GET, path))
                        .toArray(RequestMatcher[]::new)))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
                .build();
    }
}
