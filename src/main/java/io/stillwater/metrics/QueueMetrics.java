package io.stillwater.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.stillwater.config.StillwaterProperties;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * {@value #DEPTH} and {@value #OLDEST_AGE} ({@code stillwater_queue_depth}, {@code
 * stillwater_queue_oldest_age_seconds}) for every queue of the service, dead-letter queues included, tagged
 * {@code queue}. They are read from the broker every {@link #REFRESH_SECONDS} seconds on a thread of their
 * own and kept, so a scrape never waits on the broker. A queue that could not be read shows {@code NaN}
 * until it can again.
 */
public class QueueMetrics implements SmartLifecycle {

    public static final String DEPTH = "stillwater.queue.depth";
    public static final String OLDEST_AGE = "stillwater.queue.oldest.age";
    static final long REFRESH_SECONDS = 5;

    private static final Logger log = LoggerFactory.getLogger(QueueMetrics.class);
    private static final QueueReader.Reading UNKNOWN = new QueueReader.Reading(Double.NaN, Double.NaN);

    private final QueueReader reader;
    private final List<String> queues;
    private final Map<String, QueueReader.Reading> readings = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService refresher;
    private volatile boolean warned;

    public QueueMetrics(QueueReader reader, StillwaterProperties properties, MeterRegistry registry) {
        this.reader = reader;
        this.queues = queues(properties);
        for (String queue : queues) {
            readings.put(queue, UNKNOWN);
            Gauge.builder(DEPTH, () -> readings.get(queue).depth())
                    .description("Messages waiting in the queue (read every " + REFRESH_SECONDS + " s)")
                    .tag("queue", queue).register(registry);
            Gauge.builder(OLDEST_AGE, () -> readings.get(queue).oldestAgeSeconds())
                    .description("Age of the message at the head of the queue; 0 when it is empty (read every "
                            + REFRESH_SECONDS + " s)")
                    .tag("queue", queue).baseUnit("seconds").register(registry);
        }
    }

    /**
     * The job queues of each priority class, the capture queue, the dead-letter queue, the webhook queue and its
     * own, and in the edge role the uplink's outbox.
     */
    static List<String> queues(StillwaterProperties properties) {
        String prefix = properties.jobs().queuePrefix();
        Stream<String> outbox = properties.role() == StillwaterProperties.Role.EDGE
                ? Stream.of(properties.uplink().queue()) : Stream.empty();
        return Stream.concat(Stream.of(prefix + ".urgent", prefix + ".normal", prefix + ".background",
                properties.cameras().queue(), properties.jobs().deadLetterQueue(), "stillwater.webhooks",
                "stillwater.webhooks.DLQ"), outbox).distinct().toList();
    }

    /** Reads every queue now; the refresher calls this. */
    public void refresh() {
        for (String queue : queues) {
            try {
                readings.put(queue, reader.read(queue));
                warned = false;
            } catch (Exception e) {
                readings.put(queue, UNKNOWN);
                if (!warned) {
                    warned = true;
                    log.warn("Queue metrics: could not read queue {} from the broker: {}", queue, e.toString());
                }
            }
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "queue-metrics");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::refresh, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
        refresher = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = refresher;
        refresher = null;
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return refresher != null;
    }
}
