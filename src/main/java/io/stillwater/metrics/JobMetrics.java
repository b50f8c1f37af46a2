package io.stillwater.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Jobs as they change state: {@value #JOBS} counts each job accepted and each time one ends
 * ({@code status}: {@code accepted}, {@code succeeded}, {@code failed}, {@code dead_lettered}), by
 * {@code priority} and {@code source} ({@code upload}, {@code url}, {@code batch}, {@code camera}), and
 * {@value #LATENCY} times each ending from the job's acceptance. A job is accepted once intake has recorded and
 * queued it ({@link io.stillwater.job.JobIntake}). The job store reports an ending only when its guarded
 * update applied, and it is counted when that transaction commits: a duplicate message, a redelivery or a late
 * worker changes nothing and counts nothing, and a rolled-back change is not counted. An operator's replay
 * starts the job again without counting it as accepted; its next ending counts again.
 */
@Component
public class JobMetrics {

    /** Prometheus: {@code stillwater_jobs_total}. */
    public static final String JOBS = "stillwater.jobs";
    /** Prometheus: {@code stillwater_job_latency_seconds_*}. */
    public static final String LATENCY = "stillwater.job.latency";

    /** The source of a job a batch created: a URL job whose idempotency key its batch gave. */
    static final String BATCH_KEY_PREFIX = "batch:";

    private final MeterRegistry registry;

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * The {@code source} label of a job: its recorded kind, or {@code batch} for the URL jobs a CSV batch
     * creates (their idempotency key is {@code batch:<batch>:<row>:<index>}).
     */
    public static String source(String kind, String idempotencyKey) {
        if (idempotencyKey != null && idempotencyKey.startsWith(BATCH_KEY_PREFIX)) {
            return "batch";
        }
        return kind == null ? "unknown" : kind;
    }

    /** A new job was recorded and queued. */
    public void accepted(String priority, String source) {
        afterCommit(() -> counter("accepted", priority, source).increment());
    }

    /** A job reached a terminal state ({@code succeeded}, {@code failed}, {@code dead_lettered}). */
    public void ended(String status, String priority, String source, OffsetDateTime acceptedAt) {
        afterCommit(() -> {
            counter(status, priority, source).increment();
            Duration latency = Duration.between(acceptedAt, OffsetDateTime.now(ZoneOffset.UTC));
            Timer.builder(LATENCY)
                    .description("Time from a job's acceptance to its terminal state")
                    .tags("status", status, "priority", priority, "source", source)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(10))
                    .maximumExpectedValue(Duration.ofHours(1))
                    .register(registry)
                    .record(latency.isNegative() ? Duration.ZERO : latency);
        });
    }

    private Counter counter(String status, String priority, String source) {
        return Counter.builder(JOBS)
                .description("Jobs accepted, and jobs that ended, by status, priority and source kind")
                .tags("status", status, "priority", priority, "source", source)
                .register(registry);
    }

    /** Runs {@code action} once the current transaction commits, or at once outside one. */
    private static void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        } else {
            action.run();
        }
    }
}
