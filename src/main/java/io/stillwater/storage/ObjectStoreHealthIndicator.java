package io.stillwater.storage;

import io.stillwater.config.StillwaterProperties;
import java.time.Duration;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code objectStore} in {@code /actuator/health} and its readiness group: up when the bucket answers a HEAD
 * within {@link #TIMEOUT} (one attempt, no retries), so an instance whose object store is gone stops taking
 * traffic instead of failing every upload.
 */
@Component("objectStoreHealthIndicator")
public class ObjectStoreHealthIndicator extends AbstractHealthIndicator {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final S3Client s3;
    private final String bucket;

    public ObjectStoreHealthIndicator(S3Client s3, StillwaterProperties properties) {
        super("object store health check failed");
        this.s3 = s3;
        this.bucket = properties.storage().bucket();
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        s3.headBucket(request -> request.bucket(bucket).overrideConfiguration(call -> call
                .apiCallTimeout(TIMEOUT)
                .apiCallAttemptTimeout(TIMEOUT)));
        health.up().withDetail("bucket", bucket);
    }
}
