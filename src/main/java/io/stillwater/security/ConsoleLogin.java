package io.stillwater.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AbstractAuthenticationProcessingFilter;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.CompositeSessionAuthenticationStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.csrf.CsrfAuthenticationStrategy;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Hawtio's login form, answered by Spring Security with the operator account: a POST of
 * {@code {"username": …, "password": …}} to {@value ConsoleSecurity#LOGIN}. Success opens a session (a new
 * session id, a new CSRF token) and answers {@code 200}; a wrong name or password answers
 * {@code 403 login-failed}, which the form shows as "Invalid login credentials".
 */
final class ConsoleLogin extends AbstractAuthenticationProcessingFilter {

    private final ObjectMapper json;

    ConsoleLogin(AuthenticationManager operators, ObjectMapper json, CsrfTokenRepository csrfTokens) {
        super(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, ConsoleSecurity.LOGIN), operators);
        this.json = json;
        setSecurityContextRepository(new HttpSessionSecurityContextRepository());
        setSessionAuthenticationStrategy(new CompositeSessionAuthenticationStrategy(List.of(
                new ChangeSessionIdAuthenticationStrategy(), new CsrfAuthenticationStrategy(csrfTokens))));
        setAuthenticationSuccessHandler((request, response, authentication) -> {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            json.writeValue(response.getOutputStream(), Map.of("username", authentication.getName()));
        });
        setAuthenticationFailureHandler((request, response, e) -> Problems.write(response, json, HttpStatus.FORBIDDEN,
                "login-failed", "wrong user name or password"));
    }

    @Override
    public Authentication attemptAuthentication(HttpServletRequest request, HttpServletResponse response)
            throws AuthenticationException, IOException {
        JsonNode body;
        try {
            body = json.readTree(request.getInputStream());
        } catch (IOException e) {
            throw new BadCredentialsException("the login is not JSON", e);
        }
        String username = body == null ? "" : body.path("username").asText("");
        String password = body == null ? "" : body.path("password").asText("");
        return getAuthenticationManager().authenticate(UsernamePasswordAuthenticationToken.unauthenticated(username,
                password));
    }
}
