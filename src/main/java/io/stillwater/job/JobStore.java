package io.stillwater.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stillwater.image.OutputSpec;
import io.stillwater.metrics.JobMetrics;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The job store: every status change is a guarded update (it only applies from the states it may
 * come from) and is written to the job's history in the same transaction. A worker's changes are
 * also guarded by the job's run: a replay starts a new one, and a message of an earlier run (a late
 * worker, a redelivery) finds its job changed by nothing it does. Plain SQL that runs on H2 and
 * PostgreSQL.
 */
@Component("jobStore")
public class JobStore {

    private static final TypeReference<List<OutputSpec>> OUTPUTS = new TypeReference<>() {};
    /** The terminal states a job's callback hears of ({@code job.<status>}). */
    private static final Set<JobStatus> WEBHOOK_EVENTS =
            EnumSet.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.DEAD_LETTERED);
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};

    /** The run of a new job, and of a message that names none (sent before runs were recorded). */
    public static final int FIRST_RUN = 1;

    private final JdbcClient jdbc;
    private final ObjectMapper mapper;
    private final JobMetrics metrics;

    @Autowired
    public JobStore(JdbcClient jdbc, ObjectMapper mapper, JobMetrics metrics) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.metrics = metrics;
    }

    /** A store whose metrics go nowhere, for use outside the service. */
    public JobStore(JdbcClient jdbc, ObjectMapper mapper) {
        this(jdbc, mapper, new JobMetrics(new SimpleMeterRegistry()));
    }

    /** Records an accepted submission as a queued job. */
    @Transactional
    public Job create(Submission submission) {
        OffsetDateTime now = now();
        Job.Source source = submission.source();
        JobRequest request = submission.request();
        jdbc.sql("""
                INSERT INTO jobs (id, status, priority, source_kind, source_url, original_key, source_format,
                    source_width, source_height, source_bytes, source_sha256, source_filename, outputs_spec,
                    callback_url, metadata, idempotency_key, cache_key, attempts, created_at, updated_at, camera_id,
                    capture_due_at)
                VALUES (:id, :status, :priority, :kind, :url, :key, :format, :width, :height, :bytes, :sha256,
                    :filename, :spec, :callback, :metadata, :idempotencyKey, :cacheKey, 0, :now, :now, :cameraId, :dueAt)
                """)
                .param("id", submission.jobId())
                .param("status", JobStatus.QUEUED.id())
                .param("priority", request.priority().id())
                .param("kind", source.kind())
                .param("url", source.url())
                .param("key", source.originalKey())
                .param("format", source.format())
                .param("width", source.width())
                .param("height", source.height())
                .param("bytes", source.bytes())
                .param("sha256", source.sha256())
                .param("filename", source.filename())
                .param("spec", json(request.outputs()))
                .param("callback", request.callbackUrl())
                .param("metadata", json(request.metadata()))
                .param("idempotencyKey", submission.idempotencyKey())
                .param("cacheKey", submission.cacheKey())
                .param("now", now)
                .param("cameraId", source.camera() == null ? null : source.camera().id())
                .param("dueAt", source.camera() == null ? null : source.camera().dueAt())
                .update();
        event(submission.jobId(), JobStatus.QUEUED, now, null);
        // What was just written, without reading it back: intake calls this for every job.
        return new Job(submission.jobId(), JobStatus.QUEUED, request.priority(), source, request.outputs(),
                request.callbackUrl(), request.metadata(), now, now, 0, FIRST_RUN, List.of(), null,
                List.of(new Job.Event(Job.Event.id(submission.jobId(), 1), JobStatus.QUEUED, now, null)));
    }

    /**
     * Records the image a worker fetched for a URL job, once checked and stored: from now on the job's
     * source is known like an upload's, and its result can answer later requests from the cache.
     *
     * @return the job with its source
     */
    @Transactional
    public Job recordSource(Submission fetched) {
        Job job = find(fetched.jobId()).orElseThrow();
        Job.Source source = fetched.source();
        jdbc.sql("""
                UPDATE jobs SET original_key = :key, source_format = :format, source_width = :width,
                    source_height = :height, source_bytes = :bytes, source_sha256 = :sha256, cache_key = :cacheKey,
                    captured_at = COALESCE(CAST(:capturedAt AS TIMESTAMP WITH TIME ZONE), captured_at)
                WHERE id = :id
                """)
                .param("key", source.originalKey())
                .param("format", source.format())
                .param("width", source.width())
                .param("height", source.height())
                .param("bytes", source.bytes())
                .param("sha256", source.sha256())
                .param("cacheKey", CacheKeys.job(source.sha256(), job.outputsSpec()))
                .param("capturedAt", source.camera() == null ? null : source.camera().capturedAt())
                .param("id", fetched.jobId())
                .update();
        event(fetched.jobId(), job.status(), now(), "%s %s, %d x %d, %d bytes".formatted(
                source.camera() == null ? "fetched" : "captured from camera " + source.camera().id() + ":",
                source.format(), source.width(), source.height(), source.bytes()));
        return find(fetched.jobId()).orElseThrow();
    }

    /**
     * The camera job a capture message is for, while the message has work to do: the job is a camera's,
     * queued and of this run. One that already has its still was captured by an earlier delivery whose
     * queueing for processing failed; the capture route then only queues it.
     *
     * @return the job, or {@code null} when it was cancelled, has ended, is being rendered or was
     *     replayed since: the message is acknowledged without a capture
     */
    public Job captureTarget(String id, Integer run) {
        return find(id).filter(job -> job.status() == JobStatus.QUEUED && job.run() == run(run)
                && job.source().camera() != null).orElse(null);
    }

    /** When each camera's last still was captured, by any instance: camera id to time. */
    public Map<String, OffsetDateTime> lastCaptures() {
        Map<String, OffsetDateTime> last = new HashMap<>();
        jdbc.sql("SELECT camera_id, MAX(captured_at) AS last_at FROM jobs WHERE camera_id IS NOT NULL GROUP BY camera_id")
                .query((ResultSet rs) -> {
                    OffsetDateTime at = rs.getObject("last_at", OffsetDateTime.class);
                    if (at != null) {
                        last.put(rs.getString("camera_id"), at);
                    }
                });
        return last;
    }

    /** Notes in a queued camera job's history that a capture failed and when it is tried again. */
    @Transactional
    public void captureFailed(String id, Integer run, String detail) {
        OffsetDateTime now = now();
        int updated = jdbc.sql("UPDATE jobs SET updated_at = :now WHERE id = :id AND run = :run AND status = 'queued'")
                .param("now", now).param("id", id).param("run", run(run)).update();
        if (updated > 0) {
            event(id, JobStatus.QUEUED, now, detail);
        }
    }

    /** Removes a job whose message could not be queued, so no accepted job is left without one. */
    @Transactional
    public void withdraw(String id) {
        jdbc.sql("DELETE FROM jobs WHERE id = :id AND status = 'queued'").param("id", id).update();
    }

    public Optional<Job> find(String id) {
        return single(jdbc.sql("SELECT * FROM jobs WHERE id = :id").param("id", id).query(this::job).list());
    }

    public Optional<Job> findByIdempotencyKey(String key) {
        return single(jdbc.sql("SELECT * FROM jobs WHERE idempotency_key = :key").param("key", key).query(this::job).list());
    }

    /**
     * The job that holds, or will hold, the result with this cache key: a succeeded one if there is
     * one, else the newest queued or processing one. Jobs whose renditions were purged have no key.
     */
    public Optional<Job> findByCacheKey(String cacheKey) {
        return single(jdbc.sql("""
                SELECT * FROM jobs
                WHERE cache_key = :key AND status IN ('succeeded', 'queued', 'processing')
                ORDER BY CASE WHEN status = 'succeeded' THEN 0 ELSE 1 END, created_at DESC, id DESC
                LIMIT 1
                """)
                .param("key", cacheKey)
                .query(this::job)
                .list());
    }

    /**
     * Records that {@code objectKey} holds a rendition of the source with this hash, written for
     * {@code jobId}. Called before the object is stored, so no rendition is ever stored without its
     * lineage; recording the same rendition of the same job again (a retry) changes nothing.
     */
    @Transactional
    public void recordRendition(String sourceSha256, String objectKey, String jobId) {
        jdbc.sql("""
                INSERT INTO renditions (source_sha256, object_key, job_id, created_at)
                SELECT :sha256, :key, :job, :now
                WHERE NOT EXISTS (SELECT 1 FROM renditions
                                  WHERE source_sha256 = :sha256 AND object_key = :key AND job_id = :job)
                """)
                .param("sha256", sourceSha256).param("key", objectKey).param("job", jobId).param("now", now())
                .update();
    }

    /** Every rendition object ever written for the source with this hash, each key once. */
    public List<String> renditionKeys(String sourceSha256) {
        return jdbc.sql("SELECT DISTINCT object_key FROM renditions WHERE source_sha256 = :sha256 ORDER BY object_key")
                .param("sha256", sourceSha256)
                .query(String.class)
                .list();
    }

    /** What a purge removed: rendition objects, and jobs no longer served from the cache. */
    public record Purge(String sourceSha256, int renditions, int jobs) {}

    /**
     * Forgets the renditions of a source once their objects are deleted: its lineage goes, and its
     * jobs lose their cache key (so the next identical request is processed afresh), each with a note
     * in its history. The jobs themselves stay, with outputs that no longer download.
     */
    @Transactional
    public Purge purgeRenditions(String sourceSha256, List<String> deletedKeys) {
        OffsetDateTime now = now();
        // Locked before their notes are written, as for every other history entry (see event()).
        List<String> ids = jdbc.sql("SELECT id FROM jobs WHERE source_sha256 = :sha256 AND cache_key IS NOT NULL FOR UPDATE")
                .param("sha256", sourceSha256).query(String.class).list();
        jdbc.sql("UPDATE jobs SET cache_key = NULL WHERE source_sha256 = :sha256 AND cache_key IS NOT NULL")
                .param("sha256", sourceSha256).update();
        for (String id : ids) {
            find(id).ifPresent(job -> event(id, job.status(), now, "renditions purged"));
        }
        if (!deletedKeys.isEmpty()) {
            jdbc.sql("DELETE FROM renditions WHERE source_sha256 = :sha256 AND object_key IN (:keys)")
                    .param("sha256", sourceSha256).param("keys", deletedKeys).update();
        }
        return new Purge(sourceSha256, deletedKeys.size(), ids.size());
    }

    /**
     * Newest first. The cursor is the {@code (createdAt, id)} of the last job of the previous page; the
     * row comparison lets the database seek in its {@code (created_at, id)} index rather than scan.
     */
    public List<Job> list(JobStatus status, Priority priority, int limit, OffsetDateTime beforeCreated, String beforeId) {
        return withDetails(jdbc.sql("""
                SELECT * FROM jobs
                WHERE (CAST(:status AS VARCHAR(20)) IS NULL OR status = :status)
                  AND (CAST(:priority AS VARCHAR(20)) IS NULL OR priority = :priority)
                  AND (CAST(:before AS TIMESTAMP WITH TIME ZONE) IS NULL OR (created_at, id) < (:before, :beforeId))
                ORDER BY created_at DESC, id DESC
                LIMIT :limit
                """)
                .param("status", status == null ? null : status.id())
                .param("priority", priority == null ? null : priority.id())
                .param("before", beforeCreated)
                .param("beforeId", beforeId)
                .param("limit", limit)
                .query(this::job)
                .list());
    }

    /** Jobs of one priority class waiting for a worker: the depth of that class's queue. */
    public int countQueued(Priority priority) {
        return jdbc.sql("SELECT COUNT(*) FROM jobs WHERE status = 'queued' AND priority = :priority")
                .param("priority", priority.id())
                .query(Integer.class)
                .single();
    }

    /**
     * Marks a job as being worked on by the service instance named {@code worker}. The attempt is
     * counted here, durably, before any expensive step, so a job whose every attempt crashes its worker
     * still shows how often it was tried. A job already {@code processing} is taken over only by a
     * redelivery (its worker died or rolled back); a first delivery finding it so is a second message
     * for the same job (a duplicate), and the delivery working on it is left to finish.
     *
     * @param run the run the message was sent for ({@code null}: {@value #FIRST_RUN})
     * @param delivery the broker's delivery count of the job's message, recorded when above 1
     * @return the job, or {@code null} when it is unknown, cancelled, already ended, being worked on by
     *     another delivery, or of another run: the message is then a duplicate or stale and is
     *     acknowledged without work
     */
    @Transactional
    public Job start(String id, Integer run, int delivery, String worker) {
        OffsetDateTime now = now();
        int updated = jdbc.sql("""
                UPDATE jobs SET status = 'processing', attempts = attempts + 1, updated_at = :now
                WHERE id = :id AND run = :run AND (status = 'queued' OR (status = 'processing' AND :delivery > 1))
                """)
                .param("now", now).param("id", id).param("run", run(run)).param("delivery", delivery)
                .update();
        if (updated == 0) {
            return null;
        }
        event(id, JobStatus.PROCESSING, now, "attempt " + attempts(id) + " on " + worker
                + (delivery > 1 ? " (delivery " + delivery + ")" : ""));
        return find(id).orElseThrow();
    }

    /** Counts one more attempt at a job whose last one failed for a transient reason; it stays processing. */
    @Transactional
    public void retrying(String id, Integer run, String reason) {
        OffsetDateTime now = now();
        int updated = jdbc.sql("""
                UPDATE jobs SET attempts = attempts + 1, updated_at = :now
                WHERE id = :id AND run = :run AND status = 'processing'
                """)
                .param("now", now).param("id", id).param("run", run(run))
                .update();
        if (updated > 0) {
            event(id, JobStatus.PROCESSING, now, "attempt " + attempts(id) + " after: " + reason);
        }
    }

    /**
     * Ends a job {@code dead_lettered}: its transient failures outlasted the retry budget, or its message
     * kept crashing workers. An operator may replay it.
     *
     * @return whether it was dead-lettered now; {@code false} when it had ended already or the message
     *     is of another run, so the message is not a dead letter
     */
    @Transactional
    public boolean deadLetter(String id, Integer run, String code, String message) {
        return end(id, run, JobStatus.DEAD_LETTERED, code, message);
    }

    /**
     * Puts a dead-lettered job back to {@code queued} in a new run for an operator's replay, recording
     * who did it. Of two replays at once, one finds the job dead-lettered and the other does not.
     *
     * @return the job (with its new run), or {@code null} when it is not dead-lettered (unknown, or
     *     already replayed)
     */
    @Transactional
    public Job replay(String id, String operator) {
        return leaveDeadLetter(id, JobStatus.QUEUED, null, null, 1, "replayed by " + operator);
    }

    /**
     * Ends a dead-lettered job {@code failed} with an operator's reason, recording who did it.
     *
     * @return the job, or {@code null} when it is not dead-lettered
     */
    @Transactional
    public Job discard(String id, String operator, String reason) {
        return leaveDeadLetter(id, JobStatus.FAILED, "discarded", reason, 0, "discarded by " + operator + ": " + reason);
    }

    /**
     * An operator's move of a dead-lettered job to {@code status}, with its error (or none), the runs it
     * adds and its history note.
     */
    private Job leaveDeadLetter(String id, JobStatus status, String code, String message, int newRuns, String detail) {
        OffsetDateTime now = now();
        int updated = jdbc.sql("""
                UPDATE jobs SET status = :status, error_code = CAST(:code AS VARCHAR(64)),
                    error_message = CAST(:message AS VARCHAR(2048)), run = run + :newRuns, updated_at = :now
                WHERE id = :id AND status = 'dead_lettered'
                """)
                .param("status", status.id()).param("code", code).param("message", truncate(message))
                .param("newRuns", newRuns).param("now", now).param("id", id)
                .update();
        if (updated == 0) {
            return null;
        }
        event(id, status, now, detail);
        if (status != JobStatus.QUEUED) {
            ended(id, status);
        }
        return find(id).orElseThrow();
    }

    private int attempts(String id) {
        return jdbc.sql("SELECT attempts FROM jobs WHERE id = :id").param("id", id).query(Integer.class).single();
    }

    /** Records the renditions and ends the job {@code succeeded}, if it is processing in this run. */
    @Transactional
    public void succeed(String id, Integer run, List<Job.Output> outputs) {
        OffsetDateTime now = now();
        int updated = jdbc.sql("""
                UPDATE jobs SET status = 'succeeded', error_code = NULL, error_message = NULL, updated_at = :now
                WHERE id = :id AND run = :run AND status = 'processing'
                """)
                .param("now", now).param("id", id).param("run", run(run))
                .update();
        if (updated == 0) {
            return;
        }
        jdbc.sql("DELETE FROM job_outputs WHERE job_id = :id").param("id", id).update();
        for (Job.Output output : outputs) {
            jdbc.sql("""
                    INSERT INTO job_outputs (job_id, name, format, width, height, bytes, object_key)
                    VALUES (:id, :name, :format, :width, :height, :bytes, :key)
                    """)
                    .param("id", id)
                    .param("name", output.name())
                    .param("format", output.format())
                    .param("width", output.width())
                    .param("height", output.height())
                    .param("bytes", output.bytes())
                    .param("key", output.key())
                    .update();
        }
        event(id, JobStatus.SUCCEEDED, now, null);
        ended(id, JobStatus.SUCCEEDED);
    }

    /**
     * Edge role: the job's renditions are rendered and kept locally, waiting for the uplink to copy them
     * to the cloud store. The job stays {@code processing} (it succeeds when they are there, so that its
     * success and callback mean the links work); its history says so.
     *
     * @return whether it is still processing in this run (else nothing is to be sent)
     */
    @Transactional
    public boolean awaitUplink(String id, Integer run, List<Job.Output> outputs) {
        OffsetDateTime now = now();
        int updated = jdbc.sql("""
                UPDATE jobs SET updated_at = :now WHERE id = :id AND run = :run AND status = 'processing'
                """)
                .param("now", now).param("id", id).param("run", run(run))
                .update();
        if (updated == 0) {
            return false;
        }
        long bytes = outputs.stream().mapToLong(Job.Output::bytes).sum();
        event(id, JobStatus.PROCESSING, now, "rendered %d output%s (%d bytes), waiting for the uplink"
                .formatted(outputs.size(), outputs.size() == 1 ? "" : "s", bytes));
        return true;
    }

    /** Whether the job is processing in this run: its renditions may still be uplinked. */
    public boolean awaitingUplink(String id, Integer run) {
        return jdbc.sql("SELECT COUNT(*) FROM jobs WHERE id = :id AND run = :run AND status = 'processing'")
                .param("id", id).param("run", run(run))
                .query(Integer.class)
                .single() > 0;
    }

    /**
     * Edge role: one rendition of the job is in the cloud store. Its history entry is dated when the
     * upload began (as the uplink's rate limit let it go).
     */
    @Transactional
    public void uploaded(String id, Integer run, String name, long bytes, OffsetDateTime startedAt) {
        int updated = jdbc.sql("""
                UPDATE jobs SET updated_at = :now WHERE id = :id AND run = :run AND status = 'processing'
                """)
                .param("now", now()).param("id", id).param("run", run(run))
                .update();
        if (updated > 0) {
            event(id, JobStatus.PROCESSING, startedAt, "uploaded %s (%d bytes) to the cloud store".formatted(name, bytes));
        }
    }

    /** Ends a job {@code failed}: a permanent problem that no retry can mend. */
    @Transactional
    public void fail(String id, Integer run, String code, String message) {
        end(id, run, JobStatus.FAILED, code, message);
    }

    /** Ends a job of this run that has not ended yet with an error, and records why in its history. */
    private boolean end(String id, Integer run, JobStatus status, String code, String message) {
        OffsetDateTime now = now();
        int updated = jdbc.sql("""
                UPDATE jobs SET status = :status, error_code = :code, error_message = :message, updated_at = :now
                WHERE id = :id AND run = :run AND status IN ('queued', 'processing')
                """)
                .param("status", status.id()).param("code", code).param("message", truncate(message))
                .param("now", now).param("id", id).param("run", run(run))
                .update();
        if (updated > 0) {
            event(id, status, now, code + ": " + message);
            ended(id, status);
        }
        return updated > 0;
    }

    /** Counts a job that has just ended, once its transaction commits ({@link JobMetrics}). */
    private void ended(String id, JobStatus status) {
        jdbc.sql("SELECT priority, source_kind, idempotency_key, created_at FROM jobs WHERE id = :id")
                .param("id", id)
                .query((rs, n) -> {
                    metrics.ended(status.id(), rs.getString("priority"),
                            JobMetrics.source(rs.getString("source_kind"), rs.getString("idempotency_key")),
                            rs.getObject("created_at", OffsetDateTime.class));
                    return null;
                })
                .list();
    }

    /** What a cancellation did. */
    public enum CancelOutcome { CANCELLED, TOO_LATE, NOT_FOUND }

    /** Cancels a job that no worker has started. */
    @Transactional
    public CancelOutcome cancel(String id) {
        OffsetDateTime now = now();
        int updated = jdbc.sql("""
                UPDATE jobs SET status = 'cancelled', updated_at = :now WHERE id = :id AND status = 'queued'
                """)
                .param("now", now).param("id", id)
                .update();
        if (updated > 0) {
            event(id, JobStatus.CANCELLED, now, null);
            return CancelOutcome.CANCELLED;
        }
        return find(id).isPresent() ? CancelOutcome.TOO_LATE : CancelOutcome.NOT_FOUND;
    }

    /**
     * Appends an event to a job's history under the next number of that job. Every caller has locked
     * the job's row by updating (or inserting) it in the same transaction, so numbers never collide.
     */
    private void event(String id, JobStatus status, OffsetDateTime at, String detail) {
        jdbc.sql("""
                INSERT INTO job_events (job_id, seq, status, at, detail)
                VALUES (:id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM job_events WHERE job_id = :id), :status, :at, :detail)
                """)
                .param("id", id).param("status", status.id()).param("at", at).param("detail", truncate(detail))
                .update();
        if (WEBHOOK_EVENTS.contains(status)) {
            // The job's notification, in the same transaction as the state it announces (an outbox). Its id
            // is the history entry's, so a receiver can match it with the job's history.
            jdbc.sql("""
                    INSERT INTO webhook_events (id, job_id, event, callback_url, status, created_at)
                    SELECT id || '.' || (SELECT MAX(seq) FROM job_events WHERE job_id = :id), id, :event, callback_url,
                        'pending', :at
                    FROM jobs WHERE id = :id AND callback_url IS NOT NULL
                    """)
                    .param("event", "job." + status.id()).param("at", at).param("id", id)
                    .update();
        }
    }

    private Job job(ResultSet rs, int row) throws SQLException {
        String id = rs.getString("id");
        String errorCode = rs.getString("error_code");
        String cameraId = rs.getString("camera_id");
        Job.Camera camera = cameraId == null ? null : new Job.Camera(cameraId,
                rs.getObject("capture_due_at", OffsetDateTime.class), rs.getObject("captured_at", OffsetDateTime.class));
        return new Job(
                id,
                JobStatus.byId(rs.getString("status")).orElseThrow(),
                Priority.byId(rs.getString("priority")).orElseThrow(),
                new Job.Source(rs.getString("source_kind"), rs.getString("source_url"), rs.getString("original_key"),
                        rs.getString("source_format"),
                        rs.getInt("source_width"), rs.getInt("source_height"), rs.getLong("source_bytes"),
                        rs.getString("source_sha256"), rs.getString("source_filename"), camera),
                read(rs.getString("outputs_spec"), OUTPUTS),
                rs.getString("callback_url"),
                read(rs.getString("metadata"), STRINGS),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class),
                rs.getInt("attempts"),
                rs.getInt("run"),
                List.of(),
                errorCode == null ? null : new Job.Error(errorCode, rs.getString("error_message")),
                List.of());
    }

    private Optional<Job> single(List<Job> rows) {
        return withDetails(rows).stream().findFirst();
    }

    /**
     * Adds outputs and history to jobs read without them: two queries for any number of jobs, on one
     * connection at a time (reading them per row would hold a second connection for each).
     */
    private List<Job> withDetails(List<Job> jobs) {
        if (jobs.isEmpty()) {
            return jobs;
        }
        List<String> ids = jobs.stream().map(Job::id).toList();
        Map<String, List<Job.Output>> outputs = new HashMap<>();
        jdbc.sql("SELECT * FROM job_outputs WHERE job_id IN (:ids) ORDER BY name").param("ids", ids)
                .query((ResultSet o) -> {
                    outputs.computeIfAbsent(o.getString("job_id"), id -> new ArrayList<>()).add(new Job.Output(
                            o.getString("name"), o.getString("format"), o.getInt("width"), o.getInt("height"),
                            o.getLong("bytes"), o.getString("object_key")));
                });
        Map<String, List<Job.Event>> history = new HashMap<>();
        jdbc.sql("SELECT job_id, seq, status, at, detail FROM job_events WHERE job_id IN (:ids) ORDER BY job_id, seq")
                .param("ids", ids)
                .query((ResultSet e) -> {
                    String jobId = e.getString("job_id");
                    history.computeIfAbsent(jobId, id -> new ArrayList<>()).add(new Job.Event(
                            Job.Event.id(jobId, e.getInt("seq")), JobStatus.byId(e.getString("status")).orElseThrow(),
                            e.getObject("at", OffsetDateTime.class), e.getString("detail")));
                });
        return jobs.stream()
                .map(job -> job.withDetails(outputs.getOrDefault(job.id(), List.of()),
                        history.getOrDefault(job.id(), List.of())))
                .toList();
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String json, TypeReference<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON cannot be read", e);
        }
    }

    private static int run(Integer run) {
        return run == null ? FIRST_RUN : run;
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /** Bounds a message to its column and drops NUL, which PostgreSQL refuses in text. */
    private static String truncate(String text) {
        if (text == null) {
            return null;
        }
        String clean = text.replace('\u0000', '\uFFFD');
        return clean.length() <= 2000 ? clean : clean.substring(0, 2000) + "…";
    }
}
