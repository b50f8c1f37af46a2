package io.stillwater.uplink;

import io.stillwater.config.StillwaterProperties;
import io.stillwater.storage.ObjectStorageConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Whether the cloud store answers (it creates the bucket when it is missing); and the edge role's start-up line. */
@Component
@ConditionalOnProperty(name = "stillwater.role", havingValue = "edge")
public class CloudStoreProbe {

    private static final Logger LOG = LoggerFactory.getLogger(CloudStoreProbe.class);

    private final CloudStore store;
    private final StillwaterProperties properties;
    /** Whether this outage has been logged: once when it is first seen, once when it ends. */
    private volatile boolean reported;

    public CloudStoreProbe(CloudStore store, StillwaterProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    /** Start-up says the service runs at the edge, and where its stills go. */
    @EventListener(ApplicationReadyEvent.class)
    void report() {
        StillwaterProperties.Uplink uplink = properties.uplink();
        String endpoint = properties.uplink().store().endpoint();
        LOG.info("Edge role: renditions wait in the local store and queue {} until the uplink has put them in bucket {} "
                        + "at {} ({} images/s, {} bytes/s; 0: no limit; probed every {} while unreachable)",
                uplink.queue(), store.bucket(), endpoint == null || endpoint.isBlank() ? "AWS S3" : endpoint,
                uplink.imagesPerSecond(), uplink.bytesPerSecond().toBytes(), uplink.retryInterval());
    }

    public boolean reachable() {
        try {
            ObjectStorageConfiguration.ensureBucket(store.client(), store.bucket());
            LOG.info("Uplink: the cloud store answers; the outbox drains");
            reported = false;
            return true;
        } catch (RuntimeException e) {
            if (!reported) {
                LOG.warn("Uplink: the cloud store is unreachable ({}); the outbox holds every still until it answers",
                        e.getMessage());
                reported = true;
            } else {
                LOG.debug("Uplink: the cloud store is still unreachable ({})", e.getMessage());
            }
            return false;
        }
    }
}
