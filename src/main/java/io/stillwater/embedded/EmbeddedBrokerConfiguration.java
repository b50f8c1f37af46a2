package io.stillwater.embedded;

import io.stillwater.config.StillwaterProperties;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Settings for the Artemis broker embedded in the service (Spring Boot starts it when
 * {@code spring.artemis.mode=embedded}). Persistence and the journal directory come from
 * {@code spring.artemis.embedded.*}; this adds what Boot does not set: redelivery back-off and a
 * delivery limit on every address, after which messages move to {@code DLQ} instead of looping.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.artemis.mode", havingValue = "embedded")
public class EmbeddedBrokerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedBrokerConfiguration.class);

    @Bean
    ArtemisConfigurationCustomizer stillwaterBrokerSettings(ArtemisProperties artemis, StillwaterProperties properties) {
        return configuration -> {
            StillwaterProperties.Broker broker = properties.broker();
            configuration.addAddressSetting("#", new AddressSettings()
                    .setDeadLetterAddress(SimpleString.of("DLQ"))
                    .setExpiryAddress(SimpleString.of("ExpiryQueue"))
                    .setRedeliveryDelay(broker.redeliveryDelay().toMillis())
                    .setRedeliveryMultiplier(broker.redeliveryMultiplier())
                    .setMaxRedeliveryDelay(broker.maxRedeliveryDelay().toMillis())
                    .setMaxDeliveryAttempts(broker.maxDeliveryAttempts()));
            log.info("Embedded Artemis broker listening in-VM (vm://{}), persistent={}, journal under {}",
                    artemis.getEmbedded().getServerId(), configuration.isPersistenceEnabled(),
                    configuration.getJournalLocation().toPath().toAbsolutePath().normalize());
        };
    }
}
