package io.stillwater.api;

import io.stillwater.config.StillwaterProperties;
import io.stillwater.deadletter.DeadLetters;
import io.stillwater.job.Job;
import io.stillwater.job.JobStatus;
import io.stillwater.job.JobStore;
import io.stillwater.storage.DownloadLinks;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/dead-letters}, for operators: list, inspect, replay one or many, discard. The id of
 * a dead letter is its job's id; every replay and discard is recorded on the job's history with the
 * operator's name.
 */
@Tag(name = "Dead letters", description = "Operators: jobs that could not be finished, to replay or discard")
@RestController
@RequestMapping("/api/v1/dead-letters")
public class DeadLettersController {

    private final DeadLetters deadLetters;
    private final JobStore store;
    private final DownloadLinks links;
    private final StillwaterProperties properties;

    public DeadLettersController(DeadLetters deadLetters, JobStore store, DownloadLinks links,
            StillwaterProperties properties) {
        this.deadLetters = deadLetters;
        this.store = store;
        this.links = links;
        this.properties = properties;
    }

    /** One page of dead letters and the cursor of the next. */
    public record DeadLetterPage(List<DeadLetters.Entry> items, String nextCursor) {}

    /** A dead letter with its whole job, history included. */
    public record DeadLetterDetail(DeadLetters.Entry deadLetter, JobView job) {}

    /** A discard needs a reason. */
    public record Discard(String reason) {}

    @Operation(summary = "List dead letters", description = "Newest first, with their reason and queue.", security = @SecurityRequirement(name = OpenApiConfiguration.OPERATOR))
    @ApiResponse(responseCode = "200", description = "A page of dead letters")
    @ApiResponse(responseCode = "400", description = "An unknown queue, a bad limit or cursor")
    @GetMapping
    public DeadLetterPage list(
            @Parameter(description = "A reason code, e.g. retries-exhausted or crash-loop") @RequestParam(required = false) String reason,
            @Parameter(description = "A queue (stillwater.jobs.urgent) or its class (urgent)") @RequestParam(required = false) String queue,
            @Parameter(description = "Page size") @RequestParam(required = false) Integer limit,
            @Parameter(description = "The nextCursor of the previous page") @RequestParam(required = false) String cursor) {
        int size = ListParameters.pageSize(limit, properties.jobs().listLimit());
        PageCursor after = PageCursor.parse(cursor);
        List<Job> page = deadLetters.list(null, ListParameters.priority("queue", queueClass(queue)), size,
                after.createdAt(), after.id());
        return new DeadLetterPage(page.stream()
                .filter(job -> reason == null || (job.error() != null && reason.equals(job.error().code())))
                .map(deadLetters::entry).toList(), PageCursor.after(page, size));
    }

    @Operation(summary = "Inspect a dead letter", description = "The dead letter and its whole job, history included.",
            security = @SecurityRequirement(name = OpenApiConfiguration.OPERATOR))
    @ApiResponse(responseCode = "200", description = "The dead letter")
    @ApiResponse(responseCode = "404", description = "No such job")
    @ApiResponse(responseCode = "409", description = "The job is not dead-lettered")
    @GetMapping("/{id}")
    public DeadLetterDetail get(@PathVariable String id) {
        Job job = deadLettered(id);
        return new DeadLetterDetail(deadLetters.entry(job), JobView.of(job, links));
    }

    @Operation(summary = "Replay a dead letter", description = "The job goes back to its queue in a new run; the "
            + "replay is recorded on its history with the operator's name.", security = @SecurityRequirement(name = OpenApiConfiguration.OPERATOR))
    @ApiResponse(responseCode = "200", description = "The job, queued again")
    @ApiResponse(responseCode = "404", description = "No such job")
    @ApiResponse(responseCode = "409", description = "The job is not dead-lettered")
    @ApiResponse(responseCode = "503", description = "The broker did not take the replayed job; it stays dead-lettered")
    @PostMapping("/{id}/replay")
    public JobView replay(@PathVariable String id, Principal operator) {
        Job job = deadLetters.replay(id, operator.getName());
        if (job == null) {
            throw notDeadLettered(id);
        }
        return JobView.of(job, links);
    }

    /** Replays all dead letters, or those of one reason code and one queue, in the background. */
    @Operation(summary = "Replay many dead letters", description = "All of them, or those of one reason and one "
            + "queue, in the background at stillwater.dead-letters.replay-per-second.", security = @SecurityRequirement(name = OpenApiConfiguration.OPERATOR))
    @ApiResponse(responseCode = "202", description = "How many are being replayed: {\"replaying\": n}")
    @ApiResponse(responseCode = "400", description = "An unknown queue")
    @PostMapping("/replay")
    public ResponseEntity<Map<String, Integer>> replayAll(
            @Parameter(description = "Only dead letters of this reason code") @RequestParam(required = false) String reason,
            @Parameter(description = "Only dead letters of this queue or class") @RequestParam(required = false) String queue,
            Principal operator) {
        int count = deadLetters.replayAll(reason, ListParameters.priority("queue", queueClass(queue)), operator.getName());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("replaying", count));
    }

    @Operation(summary = "Discard a dead letter", description = "The job ends failed with the operator's reason "
            + "(code `discarded`).", security = @SecurityRequirement(name = OpenApiConfiguration.OPERATOR))
    @ApiResponse(responseCode = "200", description = "The job, failed")
    @ApiResponse(responseCode = "400", description = "No reason given")
    @ApiResponse(responseCode = "404", description = "No such job")
    @ApiResponse(responseCode = "409", description = "The job is not dead-lettered")
    @DeleteMapping("/{id}")
    public JobView discard(@PathVariable String id, @RequestBody(required = false) Discard discard, Principal operator) {
        if (discard == null || discard.reason() == null || discard.reason().isBlank()) {
            throw ApiException.badRequest("reason", "a discard needs a reason, e.g. {\"reason\": \"source image lost\"}");
        }
        Job job = deadLetters.discard(id, operator.getName(), discard.reason().strip());
        if (job == null) {
            throw notDeadLettered(id);
        }
        return JobView.of(job, links);
    }

    /** The class a queue name stands for: {@code stillwater.jobs.urgent} or just {@code urgent}. */
    private String queueClass(String queue) {
        String prefix = properties.jobs().queuePrefix() + ".";
        return queue != null && queue.startsWith(prefix) ? queue.substring(prefix.length()) : queue;
    }

    private Job deadLettered(String id) {
        Job job = store.find(id).orElseThrow(() -> ApiException.notFound("job " + id));
        if (job.status() != JobStatus.DEAD_LETTERED) {
            throw notDeadLettered(id);
        }
        return job;
    }

    private ApiException notDeadLettered(String id) {
        return store.find(id).isPresent()
                ? new ApiException(HttpStatus.CONFLICT, "not-dead-lettered", "job %s is not dead-lettered".formatted(id), null, null)
                : ApiException.notFound("job " + id);
    }
}
