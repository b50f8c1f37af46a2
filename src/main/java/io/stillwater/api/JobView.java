package io.stillwater.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stillwater.job.Job;
import io.stillwater.job.JobStatus;
import io.stillwater.job.Priority;
import io.stillwater.storage.DownloadLinks;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** A job as clients see it (the contract's job object), with presigned download URLs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(
        String id,
        JobStatus status,
        Priority priority,
        Source source,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        int attempts,
        List<Output> outputs,
        Job.Error error,
        String callbackUrl,
        Map<String, String> metadata,
        List<Job.Event> history) {

    /**
     * Where the image came from and, once it is stored, what its header said; for a camera's still, the
     * camera, when the still is due and when it was captured.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Source(String kind, String url, String format, Integer width, Integer height, Long bytes,
            String filename, String cameraId, OffsetDateTime dueAt, OffsetDateTime capturedAt) {

        static Source of(Job.Source source) {
            Job.Camera camera = source.camera();
            String cameraId = camera == null ? null : camera.id();
            OffsetDateTime dueAt = camera == null ? null : camera.dueAt();
            OffsetDateTime capturedAt = camera == null ? null : camera.capturedAt();
            if (!source.stored()) {
                return new Source(source.kind(), source.url(), null, null, null, null, source.filename(), cameraId,
                        dueAt, capturedAt);
            }
            return new Source(source.kind(), source.url(), source.format(), source.width(), source.height(),
                    source.bytes(), source.filename(), cameraId, dueAt, capturedAt);
        }
    }

    /** A rendition and a link to download it. */
    public record Output(String name, String url, String format, int width, int height, long bytes, String key) {}

    public static JobView of(Job job, DownloadLinks links) {
        return new JobView(
                job.id(),
                job.status(),
                job.priority(),
                Source.of(job.source()),
                job.createdAt(),
                job.updatedAt(),
                job.attempts(),
                job.outputs().stream()
                        .map(o -> new Output(o.name(), links.forKey(o.key()), o.format(), o.width(), o.height(),
                                o.bytes(), o.key()))
                        .toList(),
                job.status() == JobStatus.SUCCEEDED ? null : job.error(),
                job.callbackUrl(),
                job.metadata(),
                job.history());
    }
}
