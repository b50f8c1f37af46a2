package io.stillwater.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The webhook notifications waiting to be sent and what became of them. A job's terminal events are
 * written here by the job store in the transaction that ends the job; batch completions by
 * {@link #recordCompletedBatches()}. Each delivery attempt is counted in {@value #DELIVERIES}
 * ({@code stillwater_webhook_deliveries_total}) by {@code outcome}: {@code delivered} (the receiver answered
 * 2xx), {@code failed} (no answer or not 2xx; the broker delivers it again) or {@code refused} (the callback's
 * address is not allowed; never sent).
 */
@Component
public class WebhookOutbox {

    /** The longest error kept from a failed delivery. */
    private static final int MAX_ERROR = 2048;

    /** The webhook delivery attempts, by outcome. */
    public static final String DELIVERIES = "stillwater.webhook.deliveries";

    private final JdbcClient jdbc;
    private final Counter delivered;
    private final Counter failed;
    private final Counter refused;

    public WebhookOutbox(JdbcClient jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.delivered = deliveries(registry, "delivered");
        this.failed = deliveries(registry, "failed");
        this.refused = deliveries(registry, "refused");
    }

    private static Counter deliveries(MeterRegistry registry, String outcome) {
        return Counter.builder(DELIVERIES).description("Webhook delivery attempts by outcome")
                .tag("outcome", outcome).register(registry);
    }

    /** A notification to send: its event id, event name, callback, and the job or batch it is about. */
    public record Notification(String id, String event, String callbackUrl, String jobId, String batchId) {}

    /** Ids of notifications written but not yet on the queue, oldest first. */
    public List<String> pending(int limit) {
        return jdbc.sql("""
                SELECT id FROM webhook_events WHERE status = 'pending' ORDER BY created_at, id
                FETCH FIRST :limit ROWS ONLY
                """).param("limit", limit).query(String.class).list();
    }

    public void markQueued(String id) {
        jdbc.sql("UPDATE webhook_events SET status = 'queued' WHERE id = :id AND status = 'pending'")
                .param("id", id).update();
    }

    /** The notification to deliver, counting this attempt; empty when it was delivered or refused already. */
    public Optional<Notification> attempt(String id, int attempt) {
        int updated = jdbc.sql("""
                UPDATE webhook_events SET attempts = :attempt WHERE id = :id AND status IN ('pending', 'queued')
                """).param("attempt", attempt).param("id", id).update();
        if (updated == 0) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT id, event, callback_url, job_id, batch_id FROM webhook_events WHERE id = :id")
                .param("id", id)
                .query((rs, n) -> new Notification(rs.getString("id"), rs.getString("event"),
                        rs.getString("callback_url"), rs.getString("job_id"), rs.getString("batch_id")))
                .optional();
    }

    public void delivered(String id) {
        jdbc.sql("""
                UPDATE webhook_events SET status = 'delivered', last_error = NULL, delivered_at = :now WHERE id = :id
                """).param("now", OffsetDateTime.now(ZoneOffset.UTC)).param("id", id).update();
        delivered.increment();
    }

    /** A delivery that failed and will be tried again by the broker: the reason is kept for operators. */
    public void failedAttempt(String id, String error) {
        jdbc.sql("UPDATE webhook_events SET last_error = :error WHERE id = :id")
                .param("error", truncate(error)).param("id", id).update();
        failed.increment();
    }

    /** A callback the guard refuses: never sent, never retried. */
    public void refused(String id, String reason) {
        jdbc.sql("UPDATE webhook_events SET status = 'refused', last_error = :error WHERE id = :id")
                .param("error", truncate(reason)).param("id", id).update();
        refused.increment();
    }

    /**
     * Writes the completion of every batch with a callback whose rows all have jobs and whose jobs
     * have all ended, once per batch (the unique key makes a second writer's insert fail).
     *
     * @return how many were written
     */
    public int recordCompletedBatches() {
        List<String[]> completed = jdbc.sql("""
                SELECT b.id, b.callback_url FROM batches b
                WHERE b.callback_url IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM webhook_events w WHERE w.batch_id = b.id AND w.event = 'batch.completed')
                  AND NOT EXISTS (SELECT 1 FROM batch_rows r WHERE r.batch_id = b.id AND r.expanded = FALSE)
                  AND NOT EXISTS (SELECT 1 FROM batch_jobs bj JOIN jobs j ON j.id = bj.job_id
                                  WHERE bj.batch_id = b.id AND j.status IN ('queued', 'processing'))
                """)
                .query((rs, n) -> new String[] {rs.getString("id"), rs.getString("callback_url")})
                .list();
        int written = 0;
        for (String[] batch : completed) {
            try {
                written += jdbc.sql("""
                        INSERT INTO webhook_events (id, batch_id, event, callback_url, status, created_at)
                        VALUES (:id, :batch, 'batch.completed', :url, 'pending', :now)
                        """)
                        .param("id", UUID.randomUUID().toString()).param("batch", batch[0]).param("url", batch[1])
                        .param("now", OffsetDateTime.now(ZoneOffset.UTC))
                        .update();
            } catch (DuplicateKeyException anotherInstanceWroteIt) {
                // Once per batch is the point.
            }
        }
        return written;
    }

    private static String truncate(String text) {
        return text == null || text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR);
    }
}
