package io.stillwater.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stillwater.config.StillwaterProperties;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/** Which keys intake accepts, and what happens when none is configured. */
class IntakeKeysTest {

    @Test
    void everyConfiguredKeyIsAcceptedAndNothingElse() {
        IntakeKeys keys = IntakeKeys.from(new StillwaterProperties.Security.Intake(
                List.of("first-key-0123456789", "second-key-0123456789"), false));

        assertThat(keys.accepts("first-key-0123456789")).isTrue();
        assertThat(keys.accepts("second-key-0123456789")).isTrue();
        assertThat(keys.accepts("first-key-012345678")).isFalse();
        assertThat(keys.accepts("FIRST-KEY-0123456789")).isFalse();
        assertThat(keys.accepts("")).isFalse();
    }

    @Test
    void withoutAConfiguredKeyOneIsGeneratedThatAcceptsNoGuess() {
        IntakeKeys keys = IntakeKeys.from(new StillwaterProperties.Security.Intake(List.of(), true));

        assertThat(keys.accepts("")).isFalse();
        assertThat(keys.accepts("first-key-0123456789")).isFalse();
    }

    @Test
    void withoutAConfiguredKeyAndNoneToGenerateTheServiceDoesNotStart() {
        assertThatThrownBy(() -> IntakeKeys.from(new StillwaterProperties.Security.Intake(List.of(), false)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("STILLWATER_SECURITY_INTAKE_API_KEYS");
    }

    @Test
    void theKeysComeCommaSeparatedFromOneVariableAndAnEmptyOneIsNoKey() {
        Binder keys = new Binder(new MapConfigurationPropertySource(Map.of(
                "stillwater.security.intake.api-keys", "first-key-0123456789, second-key-0123456789",
                "stillwater.security.intake.generate-key", "false")));
        Binder empty = new Binder(new MapConfigurationPropertySource(Map.of(
                "stillwater.security.intake.api-keys", "",
                "stillwater.security.intake.generate-key", "true")));

        assertThat(keys.bind("stillwater.security.intake", StillwaterProperties.Security.Intake.class).get().apiKeys())
                .containsExactly("first-key-0123456789", "second-key-0123456789");
        assertThat(empty.bind("stillwater.security.intake", StillwaterProperties.Security.Intake.class).get().apiKeys())
                .isEmpty();
    }

    @Test
    void theProdProfileNeverGeneratesAKey() throws Exception {
        List<PropertySource<?>> prod = new YamlPropertySourceLoader().load("prod",
                new ClassPathResource("application-prod.yaml"));
        List<PropertySource<?>> defaults = new YamlPropertySourceLoader().load("defaults",
                new ClassPathResource("application.yaml"));

        assertThat(prod.get(0).getProperty("stillwater.security.intake.generate-key")).isEqualTo(false);
        assertThat(defaults.get(0).getProperty("stillwater.security.intake.generate-key")).isEqualTo(true);
    }
}
