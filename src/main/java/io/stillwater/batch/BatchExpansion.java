package io.stillwater.batch;

import io.stillwater.config.StillwaterProperties;
import io.stillwater.job.Job;
import io.stillwater.job.JobIntake;
import io.stillwater.job.JobRequest;
import io.stillwater.job.JobStore;
import io.stillwater.job.Submission;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * Turns accepted batch rows into URL jobs, a few rows per call ({@code expand-batches} in
 * {@code routes/batches.camel.yaml}). Each job's Idempotency-Key is its batch, row and URL, so a row
 * expanded twice (a crash between its jobs and its mark, or two instances at once) still has one job
 * per URL. A row whose job cannot be accepted now (queue full, broker down) stays pending for the
 * next call: that is the batch's back-pressure.
 */
@Component
public class BatchExpansion {

    private final BatchStore batches;
    private final JobStore jobs;
    private final JobIntake intake;
    /** Rows taken from each batch per call: batches in progress at once share the expansion. */
    private static final int ROWS_PER_BATCH = 10;

    private final int rowsPerCall;

    public BatchExpansion(BatchStore batches, JobStore jobs, JobIntake intake, StillwaterProperties properties) {
        this.batches = batches;
        this.jobs = jobs;
        this.intake = intake;
        this.rowsPerCall = properties.batches().rowsPerExpansion();
    }

    /** @return how many rows got all their jobs */
    public int expandPending() {
        List<BatchStore.PendingRow> rows = batches.pending(rowsPerCall, ROWS_PER_BATCH);
        for (BatchStore.PendingRow row : rows) {
            BatchStore.Batch batch = batches.find(row.batchId()).orElseThrow();
            for (int index = 0; index < row.urls().size(); index++) {
                String key = "batch:%s:%d:%d".formatted(batch.id(), row.number(), index);
                String url = row.urls().get(index);
                Job job = jobs.findByIdempotencyKey(key).orElseGet(() -> submit(batch, row.number(), url, key));
                batches.link(batch.id(), row.number(), index, job.id());
            }
            batches.markExpanded(row.batchId(), row.number());
        }
        return rows.size();
    }

    /** A row's URL as a job of its own, its batch and row in its metadata; the callback is the batch's. */
    private Job submit(BatchStore.Batch batch, int row, String url, String key) {
        JobRequest request = new JobRequest(batch.request().priority(), batch.request().outputs(), null,
                Map.of("batch", batch.id(), "row", Integer.toString(row)));
        try {
            return intake.submit(Submission.ofUrl(URI.create(url), request, key));
        } catch (DuplicateKeyException raced) {
            return jobs.findByIdempotencyKey(key).orElseThrow();
        }
    }
}
