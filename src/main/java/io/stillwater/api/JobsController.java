package io.stillwater.api;

import io.stillwater.config.StillwaterProperties;
import io.stillwater.fetch.SourceException;
import io.stillwater.fetch.SourcePolicy;
import io.stillwater.image.MemoryBudget;
import io.stillwater.job.Job;
import io.stillwater.job.JobIntake;
import io.stillwater.job.JobRequest;
import io.stillwater.job.JobSpec;
import io.stillwater.job.JobSpecs;
import io.stillwater.job.JobStatus;
import io.stillwater.job.JobStore;
import io.stillwater.job.Priority;
import io.stillwater.job.Submission;
import io.stillwater.storage.DownloadLinks;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Encoding;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** {@code /api/v1/jobs}: submit an image, read a job, list jobs, cancel a job. */
@Tag(name = "Jobs", description = "Submit an image to be processed, follow the job, cancel it")
@RestController
@RequestMapping("/api/v1/jobs")
public class JobsController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** The largest JSON job body: a URL and a spec, never an image. */
    static final int MAX_JSON_BODY = 64 * 1024;

    private final JobSpecs specs;
    private final JobIntake intake;
    private final JobStore store;
    private final DownloadLinks links;
    private final StillwaterProperties properties;
    private final SourcePolicy sources;

    private final MemoryBudget memoryBudget;

    public JobsController(JobSpecs specs, JobIntake intake, JobStore store, DownloadLinks links,
            StillwaterProperties properties, MemoryBudget memoryBudget, SourcePolicy sources) {
        this.memoryBudget = memoryBudget;
        this.sources = sources;
        this.specs = specs;
        this.intake = intake;
        this.store = store;
        this.links = links;
        this.properties = properties;
    }

    /**
     * A multipart upload: the file part {@code image} and an optional JSON part {@code spec}. Its bytes
     * are held within the memory budget shared with the renders ({@code stillwater.engine.memory-budget}),
     * as are a raw body's below.
     */
    @SubmitJob
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<JobView> submitMultipart(
            @Parameter(hidden = true) @RequestPart(name = "image", required = false) MultipartFile image,
            @Parameter(hidden = true) @RequestParam(name = "spec", required = false) String spec,
            @Parameter(description = "Makes a retried submission safe: the same key returns the first job (1 to 255 characters)")
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey) throws IOException {
        JobRequest request = specs.normalise(specs.parse(spec));
        if (image == null || image.isEmpty()) {
            throw ApiException.badRequest("image", "the multipart part 'image' with the image file is missing or empty");
        }
        checkSize(image.getSize());
        MemoryBudget.Lease lease = memoryBudget.acquire(image.getSize());
        try {
            return submit(readBounded(image.getInputStream(), image.getSize()), image.getOriginalFilename(), request,
                    idempotencyKey);
        } finally {
            lease.close();
        }
    }

    /** A raw image body; the spec comes from the query. */
    @SubmitJob
    @PostMapping(consumes = "image/*")
    public ResponseEntity<JobView> submitRaw(
            HttpServletRequest http,
            @Parameter(description = "A raw body's preset (a multipart or JSON job gives it in its spec)")
            @RequestParam(required = false) String preset,
            @Parameter(description = "A raw body's priority: urgent, normal (default) or background")
            @RequestParam(required = false) String priority,
            @Parameter(description = "A raw body's callback URL, told of the job's end")
            @RequestParam(required = false) String callbackUrl,
            @Parameter(description = "Makes a retried submission safe: the same key returns the first job (1 to 255 characters)")
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey) throws IOException {
        JobRequest request = specs.normalise(new JobSpec(priority, preset, null, callbackUrl, null));
        if (http.getContentLengthLong() > 0) {
            checkSize(http.getContentLengthLong());
        }
        long declared = http.getContentLengthLong();
        MemoryBudget.Lease lease = memoryBudget.acquire(declared >= 0 ? declared : properties.limits().maxBytes().toBytes());
        try {
            byte[] data = readBounded(http.getInputStream(), declared);
            if (data.length == 0) {
                throw ApiException.badRequest("image", "the request body is empty");
            }
            return submit(data, null, request, idempotencyKey);
        } finally {
            lease.close();
        }
    }

    /** A JSON job naming its image by URL: {@code {"source": {"url": "https://..."}, ...spec}}. */
    @SubmitJob
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<JobView> submitJson(
            HttpServletRequest http,
            @Parameter(description = "Makes a retried submission safe: the same key returns the first job (1 to 255 characters)")
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey) throws IOException {
        byte[] body;
        try (InputStream input = http.getInputStream()) {
            body = input.readNBytes(MAX_JSON_BODY + 1);
        }
        if (body.length > MAX_JSON_BODY) {
            throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large",
                    "a JSON job is at most %d bytes".formatted(MAX_JSON_BODY), "body", (long) MAX_JSON_BODY);
        }
        JobSpecs.UrlJob job = specs.parseUrlJob(new String(body, StandardCharsets.UTF_8));
        JobRequest request = specs.normalise(job.spec());
        URI url;
        try {
            url = sources.check(job.url());
        } catch (SourceException e) {
            throw ApiException.notAllowed("source.url", e);
        }
        return submit(Submission.ofUrl(url, request, idempotencyKey));
    }

    @Operation(summary = "Read a job", description = "Its status, history, outputs (with download URLs once succeeded) "
            + "and error.", security = {@SecurityRequirement(name = OpenApiConfiguration.API_KEY),
                @SecurityRequirement(name = OpenApiConfiguration.OPERATOR)})
    @ApiResponse(responseCode = "200", description = "The job")
    @ApiResponse(responseCode = "404", description = "No such job")
    @GetMapping("/{id}")
    public JobView get(@PathVariable String id) {
        return store.find(id).map(this::view).orElseThrow(() -> ApiException.notFound("job " + id));
    }

    /** The multipart form of an upload, as the OpenAPI document shows it. */
    @Schema(name = "UploadForm")
    record UploadForm(
            @Schema(description = "The image file", format = "binary", requiredMode = Schema.RequiredMode.REQUIRED) String image,
            @Schema(description = "The job's spec (priority, preset or outputs, callbackUrl, metadata), as JSON") JobSpec spec) {}

    /** A JSON job naming its image by URL, as the OpenAPI document shows it: the spec's fields beside {@code source}. */
    @Schema(name = "UrlJob")
    record UrlJob(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Source source,
            @Schema(allowableValues = {"urgent", "normal", "background"}) String priority,
            String preset, List<io.stillwater.image.OutputSpec> outputs, String callbackUrl,
            java.util.Map<String, String> metadata) {

        @Schema(name = "UrlSource")
        record Source(@Schema(description = "http or https URL of the image", requiredMode = Schema.RequiredMode.REQUIRED)
                String url) {}
    }

    /** One page of jobs, newest first, and the cursor of the next page. */
    public record JobPage(List<JobView> items, String nextCursor) {}

    @Operation(summary = "List jobs", description = "Newest first, a page at a time; `nextCursor` asks for the next page.",
            security = {@SecurityRequirement(name = OpenApiConfiguration.API_KEY),
                @SecurityRequirement(name = OpenApiConfiguration.OPERATOR)})
    @ApiResponse(responseCode = "200", description = "A page of jobs")
    @ApiResponse(responseCode = "400", description = "An unknown status or priority, a bad limit or cursor")
    @GetMapping
    public JobPage list(
            @Parameter(description = "queued, processing, succeeded, failed, dead_lettered or cancelled")
            @RequestParam(required = false) String status,
            @Parameter(description = "urgent, normal or background") @RequestParam(required = false) String priority,
            @Parameter(description = "Page size, at most stillwater.jobs.list-limit") @RequestParam(required = false) Integer limit,
            @Parameter(description = "The nextCursor of the previous page") @RequestParam(required = false) String cursor) {
        JobStatus statusFilter = status == null ? null : JobStatus.byId(status)
                .orElseThrow(() -> ApiException.badRequest("status", "unknown status '%s'".formatted(status)));
        Priority priorityFilter = ListParameters.priority("priority", priority);
        int size = ListParameters.pageSize(limit, properties.jobs().listLimit());
        PageCursor after = PageCursor.parse(cursor);
        List<Job> jobs = store.list(statusFilter, priorityFilter, size, after.createdAt(), after.id());
        String next = PageCursor.after(jobs, size);
        return new JobPage(jobs.stream().map(this::view).toList(), next);
    }

    /** Cancels a job no worker has started yet; {@code 409} once one has. */
    @Operation(summary = "Cancel a job", description = "Only while it is queued: once a worker has started it, 409.",
            security = @SecurityRequirement(name = OpenApiConfiguration.API_KEY))
    @ApiResponse(responseCode = "200", description = "The cancelled job")
    @ApiResponse(responseCode = "404", description = "No such job")
    @ApiResponse(responseCode = "409", description = "The job has already started or ended")
    @DeleteMapping("/{id}")
    public JobView cancel(@PathVariable String id) {
        return switch (store.cancel(id)) {
            case CANCELLED -> get(id);
            case NOT_FOUND -> throw ApiException.notFound("job " + id);
            case TOO_LATE -> throw new ApiException(HttpStatus.CONFLICT, "not-cancellable",
                    "job %s has already started or ended".formatted(id), null, null);
        };
    }

    private ResponseEntity<JobView> submit(byte[] data, String filename, JobRequest request, String idempotencyKey) {
        return submit(Submission.of(data, filename, request, idempotencyKey));
    }

    private ResponseEntity<JobView> submit(Submission submission) {
        checkCallback(sources, submission.request().callbackUrl());
        String idempotencyKey = submission.idempotencyKey();
        if (idempotencyKey != null) {
            if (idempotencyKey.isBlank() || idempotencyKey.length() > 255) {
                throw ApiException.badRequest(IDEMPOTENCY_KEY, "must be 1 to 255 characters");
            }
            var existing = store.findByIdempotencyKey(idempotencyKey);
            if (existing.isPresent()) {
                return replay(existing.get(), submission);
            }
        }
        Job job;
        try {
            job = intake.submit(submission);
        } catch (DuplicateKeyException raced) {
            return replay(store.findByIdempotencyKey(idempotencyKey).orElseThrow(), submission);
        }
        if (!job.id().equals(submission.jobId()) && job.status() == JobStatus.SUCCEEDED) {
            // The result cache: this result is already made; nothing was stored or queued.
            return ResponseEntity.ok().location(URI.create("/api/v1/jobs/" + job.id())).body(view(job));
        }
        // A new job, or (coalesced) the queued or running job already making this result.
        return accepted(job).body(view(job));
    }

    private ResponseEntity<JobView> replay(Job job, Submission repeat) {
        boolean same = repeat.url() != null ? repeat.url().toString().equals(job.source().url())
                : job.source().url() == null && Submission.sha256(repeat.data()).equals(job.source().sha256());
        if (!same) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency-key-reused",
                    "this Idempotency-Key was used for a different image", IDEMPOTENCY_KEY, null);
        }
        return accepted(job).header("Idempotent-Replayed", "true").body(view(job));
    }

    /** A callback is called from inside the service, like a source is fetched: the same guard applies. */
    static void checkCallback(SourcePolicy sources, String callbackUrl) {
        if (callbackUrl != null) {
            try {
                sources.check(callbackUrl);
            } catch (SourceException e) {
                throw ApiException.notAllowed("callbackUrl", e);
            }
        }
    }

    private JobView view(Job job) {
        return JobView.of(job, links);
    }

    private static ResponseEntity.BodyBuilder accepted(Job job) {
        return ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + job.id()));
    }

    private void checkSize(long size) {
        long max = properties.limits().maxBytes().toBytes();
        if (size > max) {
            throw ApiException.tooLarge(max);
        }
    }

    /**
     * Reads at most the byte limit, whatever the client declared, and refuses anything beyond it. A
     * declared length within the limit (a multipart part's size, a body's Content-Length) is read into
     * one array of that size; otherwise the bytes are gathered up to the limit, which costs a copy.
     */
    private byte[] readBounded(InputStream input, long declared) throws IOException {
        long max = properties.limits().maxBytes().toBytes();
        try (input) {
            if (declared >= 0 && declared <= max) {
                byte[] data = new byte[(int) declared];
                int read = input.readNBytes(data, 0, data.length);
                if (input.read() != -1) {
                    throw ApiException.badRequest("image", "the image is longer than its declared length");
                }
                return read == data.length ? data : java.util.Arrays.copyOf(data, read);
            }
            byte[] data = input.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            checkSize(data.length);
            return data;
        }
    }

    /** The API document's description of POST /api/v1/jobs, shared by its handlers (multipart, raw image, JSON URL job): springdoc merges them into one operation. */
    @Operation(summary = "Submit an image", description = """
            Accepts an image as a multipart upload (part `image`, optional JSON part or field `spec`), as the raw \
            body (`image/*`, the spec's fields as query parameters), or by URL (JSON `{"source": {"url": ...}, \
            ...spec}`; the worker fetches it). Answers 202 with the queued job and its Location; 200 when an \
            identical request (same bytes, same outputs) has already succeeded (the result cache); with an \
            `Idempotency-Key` seen before, the job of the first request (header `Idempotent-Replayed: true`).""",
            security = @SecurityRequirement(name = OpenApiConfiguration.API_KEY),
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = UploadForm.class),
                        encoding = @Encoding(name = "spec", contentType = MediaType.APPLICATION_JSON_VALUE)),
                @Content(mediaType = "image/*", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = UrlJob.class),
                        examples = @ExampleObject(value = """
                                {"source": {"url": "https://images.example.com/p/1.jpg"}, "priority": "normal",
                                 "preset": "thumbnail", "callbackUrl": "https://example.com/hooks/stillwater"}"""))
            }))
    @ApiResponse(responseCode = "202", description = "Accepted and queued (or an identical job already in progress)",
            headers = @Header(name = "Location", description = "The job: /api/v1/jobs/{id}"))
    @ApiResponse(responseCode = "200", description = "An identical request already succeeded: its job, nothing processed",
            headers = @Header(name = "Location", description = "The job: /api/v1/jobs/{id}"))
    @ApiResponse(responseCode = "400", description = "The spec, the query or a URL is invalid; `field` names it")
    @ApiResponse(responseCode = "413", description = "The image (or JSON body) is over the limit; `limit` says it")
    @ApiResponse(responseCode = "415", description = "Not an image format Stillwater reads, or an unsupported content type")
    @ApiResponse(responseCode = "422", description = "Over the pixel limit, or an Idempotency-Key reused for another image")
    @ApiResponse(responseCode = "429", description = "Over the intake rate limit; Retry-After says when to try again",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"))
    @ApiResponse(responseCode = "503", description = "The priority class's queue is full, or intake is unavailable; Retry-After",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"))
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @interface SubmitJob {}
}
