package io.stillwater.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stillwater.config.StillwaterProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.util.StringUtils;

/**
 * Who may do what over the API. Clients submit, read and cancel jobs with an API key ({@code X-Api-Key},
 * role {@code INTAKE}, {@code stillwater.security.intake.*}), and read the presets. Operator endpoints (dead letters,
 * {@code /api/v1/admin/**}) need HTTP Basic credentials with the operator role
 * ({@code stillwater.security.operator.*}), as do the metrics ({@code /actuator/prometheus}); operators may
 * also read jobs, but not submit or cancel them, and an API key opens no operator endpoint. Health (no
 * details) and the API's OpenAPI document and its page stay open; anything else is refused. Stateless:
 * no session, no CSRF token, since every caller is a program that sends its credentials with each request.
 * Refusals are problem bodies like every other error. The console ({@link ConsoleSecurity}) has its own rules.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    /** The role operator endpoints and the console require. */
    public static final String OPERATOR = "OPERATOR";

    /** The role an API key grants: submit, read and cancel jobs and batches. */
    public static final String INTAKE = "INTAKE";

    /** What clients use with an API key: jobs, CSV batches and camera captures. */
    static final String[] JOBS = {"/api/v1/jobs", "/api/v1/jobs/**", "/api/v1/batches", "/api/v1/batches/**",
        "/api/v1/cameras", "/api/v1/cameras/**"};

    /** What clients and operators may read to compose a job: the configured presets. */
    static final String PRESETS = "/api/v1/presets";

    /** The OpenAPI document and its browsable page (Swagger UI and its files): open, they hold no data. */
    static final String[] API_DOCS = {"/api/v1/openapi.json", "/api/v1/openapi.json/**", "/api/v1/docs",
        "/api/v1/docs/**", "/api/v1/swagger-ui/**"};

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    @Order(2)
    SecurityFilterChain apiSecurity(HttpSecurity http, ObjectMapper json, IntakeKeys keys) throws Exception {
        AuthenticationEntryPoint unauthorized = (request, response, e) -> {
            boolean intake = challenge(request, response);
            Problems.write(response, json, HttpStatus.UNAUTHORIZED, "unauthorized", intake
                    ? "an API key is required (header " + IntakeKeys.HEADER + ")"
                    : "operator credentials are required (HTTP Basic)");
        };
        return http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/error").permitAll()
                        .requestMatchers(HttpMethod.GET, API_DOCS).permitAll()
                        .requestMatchers("/actuator/prometheus").hasRole(OPERATOR)
                        .requestMatchers("/api/v1/dead-letters", "/api/v1/dead-letters/**", "/api/v1/admin/**")
                                .hasRole(OPERATOR)
                        .requestMatchers(HttpMethod.GET, JOBS).hasAnyRole(INTAKE, OPERATOR)
                        .requestMatchers(HttpMethod.GET, PRESETS).hasAnyRole(INTAKE, OPERATOR)
                        .requestMatchers(JOBS).hasRole(INTAKE)
                        .anyRequest().denyAll())
                .addFilterBefore(new ApiKeyAuthenticationFilter(keys, json), BasicAuthenticationFilter.class)
                .httpBasic(basic -> basic.authenticationEntryPoint(unauthorized))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler((request, response, e) -> Problems.write(response, json,
                                HttpStatus.FORBIDDEN, "forbidden", isJobs(request)
                                        ? "operators may read jobs; submitting and cancelling need an API key"
                                        : "this needs the operator role")))
                .build();
    }

    /**
     * Says how to authenticate on a {@code 401}: an API key on the jobs endpoints, operator credentials
     * (HTTP Basic) elsewhere.
     *
     * @return whether the request was for the jobs endpoints
     */
    static boolean challenge(HttpServletRequest request, HttpServletResponse response) {
        if (isJobs(request)) {
            response.setHeader("WWW-Authenticate", "ApiKey realm=\"stillwater\", header=\"" + IntakeKeys.HEADER + "\"");
            return true;
        }
        response.setHeader("WWW-Authenticate", "Basic realm=\"stillwater\"");
        return false;
    }

    private static boolean isJobs(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/api/v1/jobs") || path.startsWith("/api/v1/jobs/") || path.equals("/api/v1/batches")
                || path.startsWith("/api/v1/batches/") || path.equals(PRESETS) || path.equals("/api/v1/cameras")
                || path.startsWith("/api/v1/cameras/");
    }

    @Bean
    IntakeKeys intakeKeys(StillwaterProperties properties) {
        return IntakeKeys.from(properties.security().intake());
    }

    @Bean
    UserDetailsService operators(StillwaterProperties properties) {
        StillwaterProperties.Security.Operator operator = properties.security().operator();
        String password = operator.password();
        if (!StringUtils.hasText(password)) {
            byte[] random = new byte[12];
            new SecureRandom().nextBytes(random);
            password = HexFormat.of().formatHex(random);
            log.warn("No operator password configured (STILLWATER_SECURITY_OPERATOR_PASSWORD); generated for this run: "
                    + "user '{}', password '{}'", operator.username(), password);
        }
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        return new InMemoryUserDetailsManager(User.withUsername(operator.username())
                .password(encoder.encode(password)).roles(OPERATOR).build());
    }
}
