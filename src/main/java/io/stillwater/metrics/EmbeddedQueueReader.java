package io.stillwater.metrics;

import org.apache.activemq.artemis.api.core.management.QueueControl;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.core.server.ActiveMQServer;

/**
 * The embedded broker's queues, read from its management controls (what its MBeans and the console show):
 * the exact message count and the head message's timestamp, without moving a message.
 */
public class EmbeddedQueueReader implements QueueReader {

    private final ActiveMQServer server;

    public EmbeddedQueueReader(ActiveMQServer server) {
        this.server = server;
    }

    @Override
    public Reading read(String queue) throws Exception {
        if (!(server.getManagementService().getResource(ResourceNames.QUEUE + queue) instanceof QueueControl control)) {
            throw new IllegalStateException("no queue " + queue + " on the embedded broker");
        }
        long depth = control.getMessageCount();
        Long timestamp = depth == 0 ? null : control.getFirstMessageTimestamp();
        return new Reading(depth, timestamp == null ? 0 : ageSeconds(timestamp));
    }

    static double ageSeconds(long timestampMillis) {
        return Math.max(0, System.currentTimeMillis() - timestampMillis) / 1000.0;
    }
}
