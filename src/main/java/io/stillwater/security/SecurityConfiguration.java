package io.stillwater.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stillwater.api.ProblemHandler;
import io.stillwater.config.StillwaterProperties;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.util.StringUtils;

/**
 * Who may do what over HTTP. Operator endpoints (dead letters, {@code /api/v1/admin/**}) need HTTP Basic credentials with the
 * operator role ({@code stillwater.security.operator.*}); intake, job status and health stay open.
 * Stateless: no session, no CSRF token, since every caller is a program or sends its credentials.
 * Refusals are problem bodies like every other error.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    /** The role operator endpoints require. */
    public static final String OPERATOR = "OPERATOR";

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ObjectMapper json) throws Exception {
        return http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/api/v1/dead-letters", "/api/v1/dead-letters/**", "/api/v1/admin/**")
                                .hasRole(OPERATOR)
                        .anyRequest().permitAll())
                .httpBasic(Customizer.withDefaults())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> {
                            response.setHeader("WWW-Authenticate", "Basic realm=\"stillwater\"");
                            problem(response, json, HttpStatus.UNAUTHORIZED, "unauthorized",
                                    "operator credentials are required (HTTP Basic)");
                        })
                        .accessDeniedHandler((request, response, e) -> problem(response, json, HttpStatus.FORBIDDEN,
                                "forbidden", "this needs the operator role")))
                .build();
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

    private static void problem(HttpServletResponse response, ObjectMapper json, HttpStatus status, String code,
            String detail) throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(ProblemHandler.TYPE_PREFIX + code));
        problem.setTitle(status.getReasonPhrase());
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
