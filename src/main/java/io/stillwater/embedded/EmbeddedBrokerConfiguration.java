package io.stillwater.embedded;

import org.apache.activemq.artemis.core.config.FileDeploymentManager;
import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Artemis broker embedded in the service (Spring Boot starts it when
 * {@code spring.artemis.mode=embedded}). Persistence and the journal directory come from
 * {@code spring.artemis.embedded.*}; the addresses, queues and address settings (dead-letter and expiry
 * addresses, redelivery, paging limits, consumer window) and duplicate detection are read from the
 * standalone broker's own {@code artemis-config/broker.xml}, packaged with the service, so embedded
 * and standalone behave alike. Acceptors, security and journal tuning stay the standalone broker's.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.artemis.mode", havingValue = "embedded")
public class EmbeddedBrokerConfiguration {

    /** The standalone broker's configuration, on the class path. */
    public static final String BROKER_XML = "artemis-config/broker.xml";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedBrokerConfiguration.class);

    @Bean
    ArtemisConfigurationCustomizer stillwaterBrokerSettings(ArtemisProperties artemis) {
        return configuration -> {
            FileConfiguration standalone = readBrokerXml();
            standalone.getAddressSettings().forEach(configuration::addAddressSetting);
            standalone.getAddressConfigurations().forEach(configuration::addAddressConfiguration);
            configuration.setIDCacheSize(standalone.getIDCacheSize());
            configuration.setPersistIDCache(standalone.isPersistIDCache());
            configuration.setPersistDeliveryCountBeforeDelivery(standalone.isPersistDeliveryCountBeforeDelivery());
            configuration.setMaxRedeliveryRecords(standalone.getMaxRedeliveryRecords());
            // Queues, addresses and the broker as MBeans (org.apache.activemq.artemis), for the console.
            configuration.setJMXManagementEnabled(true);
            log.info("Embedded Artemis broker listening in-VM (vm://{}), persistent={}, journal under {}; "
                            + "addresses and their settings from {}",
                    artemis.getEmbedded().getServerId(), configuration.isPersistenceEnabled(),
                    configuration.getJournalLocation().toPath().toAbsolutePath().normalize(), BROKER_XML);
        };
    }

    /** Parses {@value #BROKER_XML} as the standalone broker does (schema-checked, properties resolved). */
    public static FileConfiguration readBrokerXml() {
        FileConfiguration configuration = new FileConfiguration();
        try {
            new FileDeploymentManager(BROKER_XML).addDeployable(configuration).readConfiguration();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + BROKER_XML, e);
        }
        return configuration;
    }
}
