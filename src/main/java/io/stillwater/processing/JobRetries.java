package io.stillwater.processing;

import io.stillwater.config.StillwaterProperties;
import io.stillwater.job.JobStore;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Processor;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the {@code job-failures} dead-letter channel needs from Java: its redelivery policy, built from
 * {@code stillwater.retry.*} (exponential back-off with jitter), and the step that records each retry
 * on the job before it runs, so the job's attempt count is durable.
 */
@Configuration(proxyBeanMethods = false)
public class JobRetries {

    @Bean
    RedeliveryPolicy jobRetryPolicy(StillwaterProperties properties) {
        StillwaterProperties.Retry retry = properties.retry();
        RedeliveryPolicy policy = new RedeliveryPolicy();
        policy.setMaximumRedeliveries(retry.maxRedeliveries());
        policy.setRedeliveryDelay(retry.delay().toMillis());
        policy.setUseExponentialBackOff(true);
        policy.setBackOffMultiplier(retry.multiplier());
        policy.setMaximumRedeliveryDelay(retry.maxDelay().toMillis());
        policy.setUseCollisionAvoidance(true);
        policy.setRetryAttemptedLogLevel(LoggingLevel.WARN);
        policy.setLogRetryStackTrace(false);
        return policy;
    }

    @Bean
    Processor recordRetry(JobStore store) {
        return exchange -> {
            Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            store.retrying(exchange.getMessage().getHeader("StillwaterJobId", String.class),
                    exchange.getMessage().getHeader("StillwaterRun", Integer.class),
                    cause == null ? "unknown failure" : String.valueOf(cause.getMessage()));
        };
    }
}
