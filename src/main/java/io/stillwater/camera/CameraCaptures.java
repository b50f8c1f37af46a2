package io.stillwater.camera;

import io.stillwater.config.StillwaterProperties;
import io.stillwater.fetch.SourceDownloads;
import io.stillwater.fetch.SourceException;
import io.stillwater.job.Job;
import io.stillwater.job.Submission;
import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.springframework.stereotype.Component;

/**
 * The capture route's helpers: the still read with the byte limit, when a capture message is due, and
 * the back-off between attempts at a camera that does not answer.
 */
@Component("cameraCaptures")
public class CameraCaptures {

    private final SourceDownloads downloads;
    private final StillwaterProperties.Cameras.CaptureRetry retry;

    public CameraCaptures(SourceDownloads downloads, StillwaterProperties properties) {
        this.downloads = downloads;
        this.retry = properties.cameras().retry();
    }

    /**
     * @param body the camera's answer, as a stream
     * @return the still, to be checked like an upload, with the time it was captured
     * @throws SourceException {@code source-too-large} as soon as the body passes the limit
     */
    public Submission read(InputStream body, Job job) throws IOException {
        OffsetDateTime capturedAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        return Submission.captured(job, downloads.readBounded(body), capturedAt);
    }

    /** When a new job's capture message is to be delivered: its still's due time, 0 for at once. */
    public long deliverAt(Job job) {
        OffsetDateTime due = job.source().camera() == null ? null : job.source().camera().dueAt();
        long at = due == null ? 0 : due.toInstant().toEpochMilli();
        return at > System.currentTimeMillis() ? at : 0;
    }

    /**
     * When to try again after attempt {@code attempt} (1 for the first) failed, in epoch milliseconds;
     * {@code null} when the budget ({@code stillwater.cameras.retry.max-attempts}) is spent.
     */
    public Long retryAt(int attempt) {
        if (attempt >= retry.maxAttempts()) {
            return null;
        }
        double delay = retry.delay().toMillis() * Math.pow(retry.multiplier(), attempt - 1);
        return System.currentTimeMillis() + (long) Math.min(delay, retry.maxDelay().toMillis());
    }

    /** The attempt a capture message is on: its header, 1 when it has none. */
    public int attempt(Object header) {
        if (header == null || header.toString().isBlank()) {
            return 1;
        }
        return Integer.parseInt(header.toString());
    }

    public int nextAttempt(int attempt) {
        return attempt + 1;
    }

    /** The job history's note on a failed attempt. */
    public String retryNote(int attempt, String failure, long retryAt) {
        return "capture attempt %d failed (%s); next attempt at %s".formatted(attempt, failure,
                java.time.Instant.ofEpochMilli(retryAt));
    }

    /** A camera that answered 4xx refuses (bad credentials, no such camera): another attempt will not help. */
    public boolean refused(Exception failure) {
        return failure instanceof HttpOperationFailedException http && http.getStatusCode() >= 400
                && http.getStatusCode() < 500;
    }

    /** A sentence for people about why a capture failed. */
    public String describe(Exception failure) {
        if (failure instanceof HttpOperationFailedException http) {
            return "the camera answered " + http.getStatusCode() + " " + http.getStatusText();
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
