package io.stillwater.storage;

import io.stillwater.config.StillwaterProperties;
import io.stillwater.uplink.CloudStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Presigned GET URLs for stored renditions, valid for {@code stillwater.storage.presign-ttl}. In the edge
 * role a job's renditions are only listed once the uplink has put them in the cloud store, so its links
 * point there (valid for {@code stillwater.uplink.store.presign-ttl}).
 */
@Component
public class DownloadLinks {

    private final S3Presigner presigner;
    private final StillwaterProperties.Storage storage;
    private final CloudStore cloud;

    public DownloadLinks(S3Presigner presigner, StillwaterProperties properties, ObjectProvider<CloudStore> cloud) {
        this.presigner = presigner;
        this.storage = properties.storage();
        this.cloud = cloud.getIfAvailable();
    }

    public String forKey(String key) {
        if (cloud != null) {
            return cloud.link(key);
        }
        return presigner.presignGetObject(p -> p
                        .signatureDuration(storage.presignTtl())
                        .getObjectRequest(g -> g.bucket(storage.bucket()).key(key)))
                .url()
                .toString();
    }
}
