package io.stillwater.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.stillwater.config.StillwaterProperties;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The queue gauges, read from the embedded broker's controls, or by browsing a standalone broker's queues. */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

    @Bean
    QueueMetrics queueMetrics(ObjectProvider<EmbeddedActiveMQ> embedded, ConnectionFactory connections,
            StillwaterProperties properties, MeterRegistry registry) {
        EmbeddedActiveMQ broker = embedded.getIfAvailable();
        QueueReader reader = broker != null ? new EmbeddedQueueReader(broker.getActiveMQServer())
                : new BrowsingQueueReader(connections);
        return new QueueMetrics(reader, properties, registry);
    }
}
