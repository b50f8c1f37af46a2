package io.stillwater.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.stream.Stream;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The operator console: Hawtio at {@value #HAWTIO} and the Jolokia endpoint it reads MBeans through,
 * {@value #JOLOKIA}. Everything there needs the operator role, except what Hawtio's login page itself is
 * made of (its static files and settings) and the login call. Operators log in with Hawtio's own login form,
 * which posts the operator account to {@value #LOGIN} ({@link ConsoleLogin}); the session it opens carries
 * them through the console, and Jolokia's POSTs carry the {@code XSRF-TOKEN} cookie's value in
 * {@code X-XSRF-TOKEN}, as Hawtio's client does. Scripts may instead send HTTP Basic with every request; a
 * request with credentials of its own is not a cross-site forgery, so it needs no CSRF token, unless a browser
 * marks it as coming from another site ({@code Sec-Fetch-Site}).
 *
 * <p>Not logged in: a page of the console redirects to the login form; Jolokia answers {@code 401} with a Basic
 * challenge; the console's own calls answer {@code 403 login-required} (no challenge, so no browser prompt
 * covers Hawtio's form). An API key opens nothing here.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleSecurity {

    /** Hawtio, as an actuator endpoint. */
    public static final String HAWTIO = "/actuator/hawtio";

    /** Jolokia, as an actuator endpoint; Hawtio forwards {@code /actuator/hawtio/jolokia} here. */
    public static final String JOLOKIA = "/actuator/jolokia";

    /** Where Hawtio's login form posts the user name and password, as JSON. */
    public static final String LOGIN = HAWTIO + "/auth/login";

    /** What Hawtio's login page needs before anyone has logged in: nothing in it describes the service. */
    private static final String[] LOGIN_PAGE = {
        HAWTIO + "/login", HAWTIO + "/static/**", HAWTIO + "/img/**", HAWTIO + "/favicon.ico",
        HAWTIO + "/hawtconfig.json", HAWTIO + "/*.worker.js", HAWTIO + "/plugin", HAWTIO + "/auth/config",
        HAWTIO + "/auth/config/**", HAWTIO + "/keycloak/enabled", HAWTIO + "/proxy/enabled"
    };

    @Bean
    @Order(1)
    SecurityFilterChain consoleFilterChain(HttpSecurity http, ObjectMapper json, UserDetailsService operators)
            throws Exception {
        CookieCsrfTokenRepository csrfTokens = CookieCsrfTokenRepository.withHttpOnlyFalse();
        csrfTokens.setCookieCustomizer(cookie -> cookie.sameSite("Strict"));
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        AuthenticationEntryPoint notLoggedIn = (request, response, e) -> notLoggedIn(request, response, json);
        return http
                // Path patterns, not Spring MVC ones: Hawtio's login, user and proxy are servlets of their own.
                .securityMatcher(new OrRequestMatcher(Stream.of(HAWTIO, HAWTIO + "/**", JOLOKIA, JOLOKIA + "/**")
                        .map(paths::matcher).toArray(RequestMatcher[]::new)))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
                .csrf(csrf -> csrf
                        .csrfTokenRepository(csrfTokens)
                        // Hawtio's client sends the cookie's value as it is, not a masked token.
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                        .requireCsrfProtectionMatcher(ConsoleSecurity::needsCsrfToken)
                        // The login form sends no token; a forged login only logs the victim in as the forger.
                        .ignoringRequestMatchers(paths.matcher(HttpMethod.POST, LOGIN)))
                .addFilterAfter(new CsrfCookie(), CsrfFilter.class)
                .addFilterAt(new ConsoleLogin(new ProviderManager(new DaoAuthenticationProvider(operators)), json,
                        csrfTokens), UsernamePasswordAuthenticationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        // Hawtio forwards to its index.html and Jolokia once the original request was let through.
                        .dispatcherTypeMatchers(DispatcherType.FORWARD).permitAll()
                        .requestMatchers(Stream.of(LOGIN_PAGE).map(path -> paths.matcher(HttpMethod.GET, path))
                                .toArray(RequestMatcher[]::new)).permitAll()
                        .anyRequest().hasRole(SecurityConfiguration.OPERATOR))
                .httpBasic(basic -> basic.authenticationEntryPoint(notLoggedIn))
                .logout(logout -> logout
                        .logoutRequestMatcher(paths.matcher(HAWTIO + "/auth/logout"))
                        .logoutSuccessUrl(HAWTIO + "/login"))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(notLoggedIn)
                        .accessDeniedHandler((request, response, e) -> Problems.write(response, json,
                                HttpStatus.FORBIDDEN, "forbidden", e instanceof CsrfException
                                        ? "a POST of the console needs X-XSRF-TOKEN: the value of the XSRF-TOKEN cookie"
                                        : "the console needs the operator role")))
                .build();
    }

    /**
     * A console POST needs the CSRF token when its session cookie authenticates it, or when a browser says it
     * comes from another site (credentials a browser cached would otherwise go with it). A script sending
     * credentials of its own, with no such header, needs none.
     */
    private static boolean needsCsrfToken(HttpServletRequest request) {
        if (!CsrfFilter.DEFAULT_CSRF_MATCHER.matches(request)) {
            return false;
        }
        if (request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
            return true;
        }
        String site = request.getHeader("Sec-Fetch-Site");
        return site != null && !site.equals("same-origin") && !site.equals("none");
    }

    private static void notLoggedIn(HttpServletRequest request, HttpServletResponse response, ObjectMapper json)
            throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith(JOLOKIA)) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"stillwater\"");
            Problems.write(response, json, HttpStatus.UNAUTHORIZED, "unauthorized",
                    "operator credentials are required (HTTP Basic, or log in to the console)");
            return;
        }
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (HttpMethod.GET.matches(request.getMethod()) && accept != null && accept.contains("text/html")) {
            response.sendRedirect(request.getContextPath() + HAWTIO + "/login");
            return;
        }
        Problems.write(response, json, HttpStatus.FORBIDDEN, "login-required",
                "log in to the console with the operator account first");
    }

    /** Writes the CSRF token's cookie on every console answer, so Hawtio's client has it for its POSTs. */
    private static final class CsrfCookie extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
                token.getToken();
            }
            chain.doFilter(request, response);
        }
    }
}
