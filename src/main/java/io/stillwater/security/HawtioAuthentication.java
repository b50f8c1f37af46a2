package io.stillwater.security;

import io.hawt.system.ConfigManager;
import io.hawt.web.auth.AuthenticationConfiguration;
import io.hawt.web.auth.RolePrincipal;
import jakarta.servlet.ServletContext;
import java.io.Serializable;
import java.security.Principal;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.ServletContextAware;

/**
 * Hawtio checks every console request itself too (its redirect to the login page, its filter in front of
 * Jolokia, the user it shows), through JAAS in its realm. This gives that realm one login module, which takes
 * the user Spring Security has already authenticated for the request ({@link ConsoleSecurity}), with its roles,
 * and never a password: there is one account store, and Spring Security is the one that checks it. Installed
 * once the servlet context is up, before the server takes requests; Hawtio refuses everything until then.
 */
@Component
class HawtioAuthentication implements ServletContextAware, SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(HawtioAuthentication.class);

    private ServletContext servletContext;

    @Override
    public void setServletContext(ServletContext servletContext) {
        this.servletContext = servletContext;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (servletContext == null || servletContext.getAttribute(ConfigManager.CONFIG_MANAGER) == null) {
            log.info("Hawtio is not running: no console");
            return;
        }
        AuthenticationConfiguration hawtio = AuthenticationConfiguration.getConfiguration(servletContext);
        hawtio.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String realm) {
                return new AppConfigurationEntry[] {new AppConfigurationEntry(SpringSecurityLoginModule.class.getName(),
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of())};
            }
        });
        log.info("Operator console at {}/ (Hawtio; realm '{}', role {}), Jolokia at {}", ConsoleSecurity.HAWTIO,
                hawtio.getRealm(), hawtio.getRoles(), ConsoleSecurity.JOLOKIA);
    }

    /** The JAAS login module of Hawtio's realm: the request's Spring Security user and roles, or no login. */
    public static final class SpringSecurityLoginModule implements LoginModule {

        private Subject subject;
        private Authentication authentication;

        @Override
        public void initialize(Subject subject, CallbackHandler callbacks, Map<String, ?> sharedState,
                Map<String, ?> options) {
            this.subject = subject;
        }

        @Override
        public boolean login() throws LoginException {
            Authentication current = SecurityContextHolder.getContext().getAuthentication();
            if (current == null || !current.isAuthenticated() || current instanceof AnonymousAuthenticationToken) {
                throw new FailedLoginException("not logged in");
            }
            authentication = current;
            return true;
        }

        @Override
        public boolean commit() {
            if (authentication == null) {
                return false;
            }
            subject.getPrincipals().add(new UserPrincipal(authentication.getName()));
            for (GrantedAuthority authority : authentication.getAuthorities()) {
                String role = authority.getAuthority();
                subject.getPrincipals().add(new RolePrincipal(role.startsWith("ROLE_") ? role.substring(5) : role));
            }
            return true;
        }

        @Override
        public boolean abort() {
            authentication = null;
            return true;
        }

        @Override
        public boolean logout() {
            subject.getPrincipals().removeIf(p -> p instanceof UserPrincipal || p instanceof RolePrincipal);
            return true;
        }
    }

    /** The user's name; Hawtio recognises a principal by this simple class name. */
    static final class UserPrincipal implements Principal, Serializable {

        private static final long serialVersionUID = 1L;

        private final String name;

        UserPrincipal(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String toString() {
            return "UserPrincipal[" + name + "]";
        }
    }
}
