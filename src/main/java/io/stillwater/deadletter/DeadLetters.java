package io.stillwater.deadletter;

import io.stillwater.config.StillwaterProperties;
import io.stillwater.job.IntakeUnavailableException;
import io.stillwater.job.Job;
import io.stillwater.job.JobStatus;
import io.stillwater.job.JobStore;
import io.stillwater.job.Priority;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What operators do with dead letters, for the API and JMX alike: list them (from the job store, which
 * every instance shares), replay one or many (at a bounded rate, in the background) and discard one.
 * The work itself is the {@code replay-dead-letter} and {@code discard-dead-letter} routes.
 */
@Component
public class DeadLetters implements AutoCloseable {

    /** One dead letter as operators see it. */
    public record Entry(String jobId, String queue, String reasonCode, String reason, int attempts,
            OffsetDateTime failedAt) {}

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    /** Most jobs one bulk replay takes. */
    public static final int MAX_BULK = 10_000;

    private final JobStore store;
    private final ProducerTemplate routes;
    private final String queuePrefix;
    private final String captureQueue;
    private final long pauseNanos;
    private final ExecutorService bulk = Executors.newSingleThreadExecutor(r -> new Thread(r, "dead-letter-replay"));

    public DeadLetters(JobStore store, ProducerTemplate routes, StillwaterProperties properties) {
        this.store = store;
        this.routes = routes;
        this.queuePrefix = properties.jobs().queuePrefix();
        this.captureQueue = properties.cameras().queue();
        this.pauseNanos = (long) (TimeUnit.SECONDS.toNanos(1) / properties.deadLetters().replayPerSecond());
    }

    public Entry entry(Job job) {
        // A camera job whose still was never taken failed on the capture queue, and is replayed there.
        String queue = job.source().camera() != null && !job.source().stored() ? captureQueue
                : queuePrefix + "." + job.priority().id();
        return new Entry(job.id(), queue,
                job.error() == null ? null : job.error().code(), job.error() == null ? null : job.error().message(),
                job.attempts(), job.updatedAt());
    }

    /** Dead-lettered jobs, newest first, optionally of one reason code and one queue's class. */
    public List<Job> list(String reasonCode, Priority priority, int limit, OffsetDateTime beforeCreated, String beforeId) {
        List<Job> page = store.list(JobStatus.DEAD_LETTERED, priority, limit, beforeCreated, beforeId);
        return reasonCode == null ? page
                : page.stream().filter(job -> job.error() != null && reasonCode.equals(job.error().code())).toList();
    }

    /** Replays one job; {@code null} when it is not dead-lettered. */
    public Job replay(String jobId, String operator) {
        return call("direct:replay-dead-letter", jobId, Map.of("StillwaterOperator", operator));
    }

    /** Discards one job with a reason; {@code null} when it is not dead-lettered. */
    public Job discard(String jobId, String operator, String reason) {
        return call("direct:discard-dead-letter", jobId, Map.of("StillwaterOperator", operator, "StillwaterReason", reason));
    }

    /**
     * Replays every dead-lettered job of the reason and class given (either may be {@code null} for
     * all), in the background at {@code stillwater.dead-letters.replay-per-second}.
     *
     * @return how many jobs will be replayed
     */
    public int replayAll(String reasonCode, Priority priority, String operator) {
        List<String> ids = new ArrayList<>();
        OffsetDateTime before = null;
        String beforeId = null;
        while (ids.size() < MAX_BULK) {
            List<Job> page = store.list(JobStatus.DEAD_LETTERED, priority, 100, before, beforeId);
            page.stream().filter(job -> reasonCode == null || (job.error() != null && reasonCode.equals(job.error().code())))
                    .map(Job::id).limit(MAX_BULK - ids.size()).forEach(ids::add);
            if (page.size() < 100) {
                break;
            }
            before = page.get(page.size() - 1).createdAt();
            beforeId = page.get(page.size() - 1).id();
        }
        bulk.submit(() -> {
            for (String id : ids) {
                try {
                    replay(id, operator);
                    TimeUnit.NANOSECONDS.sleep(pauseNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    log.warn("Replay of job {} failed: {}", id, e.getMessage());
                }
            }
            log.info("Replayed {} dead-lettered jobs for {}", ids.size(), operator);
        });
        return ids.size();
    }

    private Job call(String route, String jobId, Map<String, Object> headers) {
        try {
            return routes.requestBodyAndHeaders(route, jobId, headers, Job.class);
        } catch (CamelExecutionException e) {
            if (e.getCause() instanceof IntakeUnavailableException unavailable) {
                throw unavailable;
            }
            throw new IntakeUnavailableException("the dead letter could not be handled", e.getCause());
        }
    }

    @Override
    public void close() {
        bulk.shutdownNow();
    }
}
