package io.stillwater.uplink;

import io.stillwater.storage.ObjectStorageConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/** Whether the cloud store answers; it creates the bucket when it is missing. */
@Component
@ConditionalOnProperty(name = "stillwater.role", havingValue = "edge")
public class CloudStoreProbe {

    private static final Logger LOG = LoggerFactory.getLogger(CloudStoreProbe.class);

    private final CloudStore store;
    /** Whether this outage has been logged: once when it is first seen, once when it ends. */
    private volatile boolean reported;

    public CloudStoreProbe(CloudStore store) {
        this.store = store;
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
