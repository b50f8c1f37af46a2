package io.stillwater.uplink;

import java.time.Duration;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The cloud object store the edge uplinks to: its client (also the bean {@code cloudS3Client} the uplink
 * route's {@code aws2-s3} endpoint names), its bucket, and the presigner of the access links users get.
 */
public record CloudStore(S3Client client, S3Presigner presigner, String bucket, Duration presignTtl)
        implements AutoCloseable {

    /** A presigned GET of the object, valid for the configured time. */
    public String link(String key) {
        return presigner.presignGetObject(p -> p
                        .signatureDuration(presignTtl)
                        .getObjectRequest(g -> g.bucket(bucket).key(key)))
                .url()
                .toString();
    }

    /** The presigner only; the client is a bean of its own and closed as one. */
    @Override
    public void close() {
        presigner.close();
    }
}
