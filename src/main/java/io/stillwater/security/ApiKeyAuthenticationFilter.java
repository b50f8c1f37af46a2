package io.stillwater.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request carrying {@value IntakeKeys#HEADER} as an intake client (role {@code INTAKE}). A key
 * that is not one of the configured ones is refused at once with {@code 401}; a request without the header is
 * left to the other mechanisms (operator credentials) and to the authorisation rules.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    private final IntakeKeys keys;
    private final ObjectMapper json;

    ApiKeyAuthenticationFilter(IntakeKeys keys, ObjectMapper json) {
        this.keys = keys;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(IntakeKeys.HEADER);
        if (key == null) {
            chain.doFilter(request, response);
            return;
        }
        if (!keys.accepts(key)) {
            SecurityConfiguration.challenge(request, response);
            Problems.write(response, json, HttpStatus.UNAUTHORIZED, "unauthorized",
                    "the API key in " + IntakeKeys.HEADER + " is not valid");
            return;
        }
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("intake-client", null,
                List.of(new SimpleGrantedAuthority("ROLE_" + SecurityConfiguration.INTAKE))));
        SecurityContextHolder.setContext(context);
        chain.doFilter(request, response);
    }
}
