package io.stillwater.job;

import io.stillwater.image.OutputSpec;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * A job as the job store holds it.
 *
 * @param id the job id
 * @param status where it is now
 * @param priority how urgent it is
 * @param source what the image came from, and what its header said
 * @param outputsSpec the normalised outputs to render
 * @param callbackUrl where to report the end, if anywhere
 * @param metadata client strings, echoed back
 * @param createdAt when it was accepted
 * @param updatedAt when its status last changed
 * @param attempts how many times a worker has started it
 * @param run 1, and one more at each replay: its messages carry it, and only they may change the job
 * @param outputs the renditions made, once it succeeded
 * @param error why it failed, or why the last attempt failed while it waits for another
 * @param history its status changes, oldest first
 */
public record Job(
        String id,
        JobStatus status,
        Priority priority,
        Source source,
        List<OutputSpec> outputsSpec,
        String callbackUrl,
        Map<String, String> metadata,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        int attempts,
        int run,
        List<Output> outputs,
        Error error,
        List<Event> history) {

    /** This job with its renditions and history, which the job store reads separately. */
    public Job withDetails(List<Output> outputs, List<Event> history) {
        return new Job(id, status, priority, source, outputsSpec, callbackUrl, metadata, createdAt, updatedAt,
                attempts, run, outputs, error, history);
    }

    /**
     * @param kind {@code upload}, {@code url}, {@code camera} or {@code batch}
     * @param url where a {@code url} source is fetched from
     * @param originalKey object key of the stored original; {@code null} until a URL source is fetched
     * @param format the format judged from the bytes (like the fields below it, unknown until stored)
     * @param width stored width from the header
     * @param height stored height from the header
     * @param bytes size of the original
     * @param sha256 hex digest of the original
     * @param filename the client's file name, shown only
     * @param camera for a {@code camera} source: which camera, when the still is due and when it was taken
     */
    public record Source(String kind, String url, String originalKey, String format, int width, int height, long bytes,
            String sha256, String filename, Camera camera) {

        /** A source that is not a camera's. */
        public Source(String kind, String url, String originalKey, String format, int width, int height, long bytes,
                String sha256, String filename) {
            this(kind, url, originalKey, format, width, height, bytes, sha256, filename, null);
        }

        /** Whether the image is in the object store: always for an upload, once fetched for a URL. */
        public boolean stored() {
            return originalKey != null;
        }
    }

    /**
     * The camera a still is (or was) captured from.
     *
     * @param id the camera's id in {@code stillwater.cameras.registry}
     * @param dueAt when the still is to be taken
     * @param capturedAt when the camera answered with it; {@code null} until then
     */
    public record Camera(String id, OffsetDateTime dueAt, OffsetDateTime capturedAt) {}

    /** A stored rendition. */
    public record Output(String name, String format, int width, int height, long bytes, String key) {}

    /** A machine-readable code and a sentence for people. */
    public record Error(String code, String message) {}

    /**
     * One entry of a job's history: a status change, or a note on the status it has (a retry, a purge).
     *
     * @param id stable and unique across jobs: {@code <job id>.<n>}, n counting the job's events from 1;
     *     the same on every instance and after a restart, so a notification of this event can be
     *     recognised by it when it is delivered twice
     */
    public record Event(String id, JobStatus status, OffsetDateTime at, String detail) {

        /** The id of a job's {@code seq}-th event. */
        public static String id(String jobId, int seq) {
            return jobId + "." + seq;
        }
    }
}
