package io.stillwater.uplink;

import io.stillwater.config.StillwaterProperties;
import java.net.URI;
import java.util.List;
import org.apache.camel.throttling.ThrottlingExceptionRoutePolicy;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The edge role's parts ({@code stillwater.role=edge}): the cloud store's client and presigner, and the
 * circuit breaker of the uplink route. In the cloud role none of them exists, and the uplink routes are
 * left out by their precondition.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "stillwater.role", havingValue = "edge")
public class UplinkConfiguration {

    /**
     * The cloud store's client, named by the uplink route ({@code amazonS3Client=#cloudS3Client}). Not
     * primary: every other {@code aws2-s3} endpoint keeps the local store's. No retries of its own: a
     * failed upload pauses the uplink instead. The bucket is not checked here, as the link may be down
     * when the edge starts; the uplink's probe creates it when missing.
     */
    @Bean(destroyMethod = "close")
    S3Client cloudS3Client(StillwaterProperties properties) {
        StillwaterProperties.Uplink.CloudStore store = properties.uplink().store();
        URI endpoint = endpoint(store.endpoint());
        var builder = S3Client.builder()
                .region(region(properties))
                .credentialsProvider(credentials(store))
                // No call timeout: a large rendition on a slow link may take minutes; a dead connection
                // still ends with the HTTP client's socket timeout.
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(b -> b.maxAttempts(1))
                        .build())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(endpoint != null).build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    @Bean(destroyMethod = "close")
    CloudStore cloudStore(StillwaterProperties properties, @Qualifier("cloudS3Client") S3Client cloudS3Client) {
        StillwaterProperties.Uplink.CloudStore store = properties.uplink().store();
        URI publicEndpoint = endpoint(StringUtils.hasText(store.publicEndpoint()) ? store.publicEndpoint() : store.endpoint());
        var presigner = S3Presigner.builder()
                .region(region(properties))
                .credentialsProvider(credentials(store))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(publicEndpoint != null).build());
        if (publicEndpoint != null) {
            presigner.endpointOverride(publicEndpoint);
        }
        return new CloudStore(cloudS3Client, presigner.build(), bucket(properties), store.presignTtl());
    }

    /**
     * The uplink's circuit breaker: the first failed upload opens it, which suspends the outbox consumer
     * (its message rolls back to its place in the queue, so priority order holds and no delivery is
     * spent on a dead link); every {@code stillwater.uplink.retry-interval} the cloud store is probed,
     * and the consumer resumes when it answers.
     */
    @Bean
    ThrottlingExceptionRoutePolicy uplinkCircuit(StillwaterProperties properties, CloudStoreProbe probe) {
        long interval = properties.uplink().retryInterval().toMillis();
        ThrottlingExceptionRoutePolicy policy = new ThrottlingExceptionRoutePolicy(1, interval, interval, List.of());
        policy.setHalfOpenHandler(probe::reachable);
        // Its state after every exchange is for debugging; the probe logs an outage and its end.
        policy.setStateLoggingLevel("DEBUG");
        return policy;
    }

    private static String bucket(StillwaterProperties properties) {
        return properties.uplink().store().bucket();
    }

    private static Region region(StillwaterProperties properties) {
        return Region.of(properties.uplink().store().region());
    }

    private static URI endpoint(String endpoint) {
        return StringUtils.hasText(endpoint) ? URI.create(endpoint) : null;
    }

    private static AwsCredentialsProvider credentials(StillwaterProperties.Uplink.CloudStore store) {
        return StringUtils.hasText(store.accessKey())
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(store.accessKey(), store.secretKey()))
                : DefaultCredentialsProvider.builder().build();
    }
}
