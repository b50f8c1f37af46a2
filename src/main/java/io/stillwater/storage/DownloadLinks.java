package io.stillwater.storage;

import io.stillwater.config.StillwaterProperties;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Presigned GET URLs for stored objects, valid for {@code stillwater.storage.presign-ttl}. */
@Component
public class DownloadLinks {

    private final S3Presigner presigner;
    private final StillwaterProperties.Storage storage;

    public DownloadLinks(S3Presigner presigner, StillwaterProperties properties) {
        this.presigner = presigner;
        this.storage = properties.storage();
    }

    public String forKey(String key) {
        return presigner.presignGetObject(p -> p
                        .signatureDuration(storage.presignTtl())
                        .getObjectRequest(g -> g.bucket(storage.bucket()).key(key)))
                .url()
                .toString();
    }
}
