package io.stillwater.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stillwater.api.JobView;
import io.stillwater.batch.BatchStore;
import io.stillwater.config.StillwaterProperties;
import io.stillwater.job.JobStore;
import io.stillwater.storage.DownloadLinks;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The requests the {@code deliver-webhook} route sends: the body announcing a terminal event, and its
 * {@code Stillwater-Signature}, {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}.
 */
@Component
public class WebhookDeliveries {

    private static final Logger log = LoggerFactory.getLogger(WebhookDeliveries.class);

    private final WebhookOutbox outbox;
    private final JobStore jobs;
    private final BatchStore batches;
    private final DownloadLinks links;
    private final ObjectMapper mapper;
    private final byte[] secret;
    private final Clock clock;

    public WebhookDeliveries(WebhookOutbox outbox, JobStore jobs, BatchStore batches, DownloadLinks links,
            ObjectMapper mapper, StillwaterProperties properties) {
        this.outbox = outbox;
        this.jobs = jobs;
        this.batches = batches;
        this.links = links;
        this.mapper = mapper;
        this.clock = Clock.systemUTC();
        String configured = properties.webhooks().secret();
        if (configured == null || configured.isBlank()) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            configured = HexFormat.of().formatHex(random);
            log.warn("No webhook secret configured (STILLWATER_WEBHOOKS_SECRET); generated for this run: '{}'",
                    configured);
        }
        this.secret = configured.getBytes(StandardCharsets.UTF_8);
    }

    /** One request: where, what, and its signature header. */
    public record Delivery(String eventId, String url, String body, String signature) {}

    /**
     * @param attempt the broker's delivery count of this notification's message
     * @return the request to send, or {@code null} when the notification was delivered or refused already
     */
    public Delivery prepare(String eventId, int attempt) {
        WebhookOutbox.Notification notification = outbox.attempt(eventId, attempt).orElse(null);
        if (notification == null) {
            return null;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", notification.id());
        body.put("event", notification.event());
        if (notification.jobId() != null) {
            body.put("job", JobView.of(jobs.find(notification.jobId()).orElseThrow(), links));
        } else {
            BatchStore.Batch batch = batches.find(notification.batchId()).orElseThrow();
            body.put("batch", Map.of("id", batch.id(), "rows", batch.rows(), "counts", batches.counts(batch.id()),
                    "output", "/api/v1/batches/" + batch.id() + "/output.csv"));
        }
        String json;
        try {
            json = mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new Delivery(notification.id(), notification.callbackUrl(), json,
                signature(clock.instant().getEpochSecond(), json));
    }

    /** {@code t=<seconds>,v1=<hex HMAC-SHA256 of "<seconds>.<body>">}, as a receiver recomputes it. */
    String signature(long seconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] digest = mac.doFinal((seconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "t=" + seconds + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
