package io.stillwater.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stillwater.camera.CameraRegistry;
import io.stillwater.camera.CaptureIntake;
import io.stillwater.config.StillwaterProperties;
import io.stillwater.fetch.SourcePolicy;
import io.stillwater.job.Job;
import io.stillwater.job.JobRequest;
import io.stillwater.job.JobSpecs;
import io.stillwater.job.JobStore;
import io.stillwater.job.Submission;
import io.stillwater.storage.DownloadLinks;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/cameras}: the configured cameras with their live state, and capture requests. A camera
 * is named by its id only; its address and credentials are never shown.
 */
@Tag(name = "Cameras", description = "Underwater cameras: their state, and stills captured on request")
@RestController
@RequestMapping("/api/v1/cameras")
public class CamerasController {

    private final CameraRegistry cameras;
    private final CaptureIntake intake;
    private final JobSpecs specs;
    private final JobStore store;
    private final DownloadLinks links;
    private final SourcePolicy sources;
    private final StillwaterProperties.Cameras settings;
    private final ObjectMapper json;

    public CamerasController(CameraRegistry cameras, CaptureIntake intake, JobSpecs specs, JobStore store,
            DownloadLinks links, SourcePolicy sources, StillwaterProperties properties, ObjectMapper json) {
        this.cameras = cameras;
        this.intake = intake;
        this.specs = specs;
        this.store = store;
        this.links = links;
        this.sources = sources;
        this.settings = properties.cameras();
        this.json = json;
    }

    /** The cameras list, the shape the web page reads. Nulls are written out: a camera never captured has {@code lastCaptureAt: null}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CameraView(String id, String name, String state, OffsetDateTime lastCheckedAt,
            OffsetDateTime lastCaptureAt, CameraRegistry.LastError lastError, int maxCapturesPerMinute,
            Map<String, String> schedule) {}

    public record CameraList(List<CameraView> items) {}

    /**
     * The state and last error are this instance's (its own health checks and captures); the last capture
     * is the latest of any instance, from the job store.
     */
    @Operation(summary = "List the cameras", description = """
            Every configured camera with its live state (`online`, `offline`, or `unknown` before its first health \
            check), when it was last checked and last captured, its last error, its rate and its schedule. \
            Cameras are named by id only: their addresses and credentials are never shown.""",
            security = {@SecurityRequirement(name = OpenApiConfiguration.API_KEY),
                        @SecurityRequirement(name = OpenApiConfiguration.OPERATOR)})
    @ApiResponse(responseCode = "200", description = "The cameras and their state")
    @GetMapping
    public CameraList list() {
        Map<String, OffsetDateTime> captured = store.lastCaptures();
        return new CameraList(cameras.all().stream().map(camera -> {
            CameraRegistry.Status status = cameras.status(camera.id());
            return new CameraView(camera.id(), camera.name(), status.state().id(), status.lastCheckedAt(),
                    latest(status.lastCaptureAt(), captured.get(camera.id())), status.lastError(),
                    camera.maxCapturesPerMinute(), schedule(camera));
        }).toList());
    }

    private static OffsetDateTime latest(OffsetDateTime a, OffsetDateTime b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    private static Map<String, String> schedule(StillwaterProperties.Cameras.Camera camera) {
        StillwaterProperties.Cameras.Schedule schedule = camera.schedule();
        if (schedule == null || (schedule.every() == null && schedule.cron() == null)) {
            return null;
        }
        return schedule.every() != null ? Map.of("every", schedule.every().toString()) : Map.of("cron", schedule.cron());
    }

    /** The jobs a capture request made: one per still, in the order they are due. */
    public record Captures(String cameraId, List<JobView> jobs) {}

    @Operation(summary = "Ask a camera for stills", description = """
            Queues `count` stills (default 1), `intervalSeconds` apart (default 0), each a job of its own with \
            source kind `camera`. The request waits in a persistent queue; the camera is asked no faster than \
            its configured rate, retried with back-off while it is unreachable, and each still then goes through \
            the same transform, store and notify steps as an upload. The other fields are a job's spec: \
            `priority`, `preset` or `outputs`, `callbackUrl`, `metadata`.""",
            security = @SecurityRequirement(name = OpenApiConfiguration.API_KEY),
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object"),
                    examples = @ExampleObject(value = """
                            {"count": 3, "intervalSeconds": 10, "priority": "normal", "preset": "web", \
                            "callbackUrl": "https://farm.example/hooks/stills"}"""))))
    @ApiResponse(responseCode = "202", description = "Queued: one job per still, in the order they are due",
            headers = @Header(name = "Location", description = "The first still's job: /api/v1/jobs/{id}"))
    @ApiResponse(responseCode = "400", description = "An invalid count, interval or spec; `field` names it")
    @ApiResponse(responseCode = "404", description = "No such camera")
    @ApiResponse(responseCode = "413", description = "The JSON body is over the limit")
    @ApiResponse(responseCode = "422", description = "An Idempotency-Key reused for another request")
    @ApiResponse(responseCode = "429", description = "Over the intake rate limit; Retry-After says when to try again",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"))
    @ApiResponse(responseCode = "503", description = "The priority class's queue is full, or intake is unavailable; Retry-After",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"))
    @PostMapping(path = "/{id}/captures", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Captures> capture(@Parameter(description = "The camera's id") @PathVariable String id,
            @Parameter(hidden = true) HttpServletRequest http,
            @Parameter(description = "Makes a retried request safe: the same key returns the same jobs")
            @RequestHeader(name = JobsController.IDEMPOTENCY_KEY, required = false) String idempotencyKey)
            throws IOException {
        if (cameras.find(id).isEmpty()) {
            throw ApiException.notFound("camera " + id);
        }
        byte[] body;
        try (InputStream input = http.getInputStream()) {
            body = input.readNBytes(JobsController.MAX_JSON_BODY + 1);
        }
        if (body.length > JobsController.MAX_JSON_BODY) {
            throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large",
                    "a capture request is at most %d bytes".formatted(JobsController.MAX_JSON_BODY), "body",
                    (long) JobsController.MAX_JSON_BODY);
        }
        ObjectNode request = parse(body);
        int count = count(request.remove("count"));
        Duration interval = interval(request.remove("intervalSeconds"));
        JobRequest spec = specs.normalise(specs.parse(request.toString()));
        JobsController.checkCallback(sources, spec.callbackUrl());
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw ApiException.badRequest(JobsController.IDEMPOTENCY_KEY, "must be 1 to 200 characters");
        }
        if (idempotencyKey != null) {
            Optional<ResponseEntity<Captures>> repeat = repeat(id, idempotencyKey);
            if (repeat.isPresent()) {
                return repeat.get();
            }
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        List<JobView> jobs = new ArrayList<>();
        try {
            for (int k = 0; k < count; k++) {
                Job job = intake.submit(Submission.ofCamera(id, now.plus(interval.multipliedBy(k)), spec,
                        stillKey(idempotencyKey, k)));
                jobs.add(JobView.of(job, links));
            }
        } catch (DuplicateKeyException raced) {
            return repeat(id, idempotencyKey).orElseThrow(() -> raced);
        }
        return ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + jobs.get(0).id()))
                .body(new Captures(id, jobs));
    }

    /** The first still carries the client's key; the k-th after it the key, {@code #} and k. */
    private static String stillKey(String key, int k) {
        return key == null ? null : k == 0 ? key : key + "#" + k;
    }

    /** The jobs an earlier request with this key made, answered again; 422 if the key was used for something else. */
    private Optional<ResponseEntity<Captures>> repeat(String cameraId, String key) {
        Optional<Job> first = store.findByIdempotencyKey(key);
        if (first.isEmpty()) {
            return Optional.empty();
        }
        Job.Camera camera = first.get().source().camera();
        if (camera == null || !camera.id().equals(cameraId)) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency-key-reused",
                    "this Idempotency-Key was used for a different request", JobsController.IDEMPOTENCY_KEY, null);
        }
        List<JobView> jobs = new ArrayList<>();
        jobs.add(JobView.of(first.get(), links));
        for (int k = 1; k <= settings.maxStills(); k++) {
            Optional<Job> next = store.findByIdempotencyKey(stillKey(key, k));
            if (next.isEmpty()) {
                break;
            }
            jobs.add(JobView.of(next.get(), links));
        }
        return Optional.of(ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + first.get().id()))
                .header("Idempotent-Replayed", "true").body(new Captures(cameraId, jobs)));
    }

    private ObjectNode parse(byte[] body) {
        if (body.length == 0) {
            return json.createObjectNode();
        }
        JsonNode root;
        try {
            root = json.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body", "the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode object)) {
            throw ApiException.badRequest("body", "the body must be a JSON object");
        }
        return object;
    }

    private int count(JsonNode node) {
        if (node == null || node.isNull()) {
            return 1;
        }
        if (!node.isIntegralNumber() || node.asLong() < 1 || node.asLong() > settings.maxStills()) {
            throw ApiException.badRequest("count", "must be a whole number from 1 to %d".formatted(settings.maxStills()));
        }
        return node.asInt();
    }

    private Duration interval(JsonNode node) {
        if (node == null || node.isNull()) {
            return Duration.ZERO;
        }
        long max = settings.maxInterval().toSeconds();
        if (!node.isNumber() || node.decimalValue().compareTo(BigDecimal.ZERO) < 0
                || node.decimalValue().compareTo(BigDecimal.valueOf(max)) > 0) {
            throw ApiException.badRequest("intervalSeconds", "must be a number of seconds from 0 to %d".formatted(max));
        }
        return Duration.ofMillis(node.decimalValue().movePointRight(3).longValue());
    }
}
