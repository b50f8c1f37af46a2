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

    /** Where the image came from and, once it is stored, what its header said. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Source(String kind, String url, String format, Integer width, Integer height, Long bytes,
            String filename) {

        static Source of(Job.Source source) {
            if (!source.stored()) {
                return new Source(source.kind(), source.url(), null, null, null, null, source.filename());
            }
            return new Source(source.kind(), source.url(), source.format(), source.width(), source.height(),
                    source.bytes(), source.filename());
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
