package io.stillwater.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.ServiceClient;
import io.stillwater.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A crash loses nothing and does nothing twice: the built jar on its embedded defaults (Artemis, S3Proxy
 * and H2, all under its own data directory) is killed with SIGKILL while it works through a backlog; a
 * new process on the same data directory finishes every accepted job, each exactly once.
 */
class CrashIT {

    private static final Logger log = LoggerFactory.getLogger(CrashIT.class);

    private static final int JOBS = 200;
    /**
     * Two outputs per job, so that "one set of renditions" is more than one object; the full-size PNG makes a
     * job cost several times its intake, so that most jobs still wait when the last one has been accepted.
     */
    private static final String SPEC = """
            {"outputs": [
              {"name": "thumb", "ops": [{"op": "resize", "width": 256, "height": 256, "fit": "cover"}]},
              {"name": "full", "format": "png"}]}
            """;
    private static final String FIRST = "crash-1";
    private static final String SECOND = "crash-2";

    @Test
    void aProcessKilledMidBacklogLosesNoJobAndFinishesNoneTwice() throws Exception {
        Path work = LocalProcesses.workDirectory("crash");
        Path data = work.resolve("data");
        List<String> accepted;
        // The jobs are accepted with the workers off, so that the process to be killed starts on a backlog of
        // 200 however fast this machine renders; that process is then stopped gracefully (nothing in flight).
        try (ServiceProcess intake = start(work, data, "crash-intake", "--stillwater.processing.auto-startup=false")) {
            // Each image its own width: distinct sources, so each job has renditions of its own.
            accepted = Jobs.submit(intake.client(), JOBS, n -> TestImages.jpeg(1000 + n, 750), SPEC, "crash");
            assertThat(intake.terminate(Duration.ofSeconds(60))).isEqualTo(ServiceProcess.EXIT_ON_SIGTERM);
        }
        long seenBeforeKill;
        try (ServiceProcess first = start(work, data, FIRST)) {
            ServiceClient client = first.client();
            seenBeforeKill = await("the first jobs done").atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> Jobs.count(Jobs.all(client), "succeeded"), done -> done >= 10);
            assertThat(first.kill(Duration.ofSeconds(30))).as("exit code of %s", FIRST)
                    .isEqualTo(ServiceProcess.EXIT_ON_SIGKILL);
        }
        log.info("{}: {} jobs waiting at its start, {} seen succeeded just before SIGKILL", FIRST, JOBS, seenBeforeKill);

        long restart = System.nanoTime();
        try (ServiceProcess second = start(work, data, SECOND)) {
            long ready = System.nanoTime();
            ServiceClient client = second.client();
            List<JsonNode> atRestart = Jobs.all(client);
            assertThat(atRestart).extracting(Jobs::id).as("every accepted job, listed after the crash")
                    .containsExactlyInAnyOrderElementsOf(accepted);
            // Done before the kill: succeeded with no attempt by the new process.
            long doneAtKill = atRestart.stream()
                    .filter(job -> Jobs.status(job).equals("succeeded") && !workedOnBy(job, SECOND)).count();
            log.info("{} ready {} ms after start; {} of {} jobs had succeeded at the kill, {} were left",
                    SECOND, (ready - restart) / 1_000_000, doneAtKill, JOBS, JOBS - doneAtKill);
            assertThat(doneAtKill).as("jobs done at the kill: some, and many not").isBetween(10L, JOBS - 50L);

            await("every job succeeded").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        List<JsonNode> jobs = Jobs.all(client);
                        assertThat(jobs).noneMatch(job -> Jobs.status(job).equals("failed")
                                || Jobs.status(job).equals("dead_lettered"));
                        return Jobs.count(jobs, "succeeded") == JOBS;
                    });
            long recovered = System.nanoTime();
            log.info("all {} jobs succeeded {} ms after the new process started ({} ms after it was ready)", JOBS,
                    (recovered - restart) / 1_000_000, (recovered - ready) / 1_000_000);

            List<JsonNode> jobs = Jobs.all(client);
            assertThat(jobs).extracting(Jobs::id).containsExactlyInAnyOrderElementsOf(accepted);
            List<String> expectedKeys = new ArrayList<>();
            int redelivered = 0;
            for (JsonNode job : jobs) {
                assertThat(Jobs.events(job, Jobs.withStatus("succeeded"))).as("succeeded events of job %s: %s",
                        Jobs.id(job), job.path("history")).hasSize(1);
                List<String> keys = Jobs.outputKeys(job);
                assertThat(keys).as("outputs of job %s", Jobs.id(job)).hasSize(2);
                expectedKeys.addAll(keys);
                if (workedOnBy(job, FIRST) && workedOnBy(job, SECOND)) {
                    redelivered++;
                    log.info("job {} was in flight at the kill: {}", Jobs.id(job), job.path("history"));
                    // The broker wrote the delivery count before the kill, so the crash counts as a delivery
                    // and the crash-loop guard would stop a job that kills its process every time.
                    assertThat(Jobs.events(job, Jobs.withStatus("processing"))).as("history of job %s", Jobs.id(job))
                            .anyMatch(event -> event.path("detail").asText()
                                    .matches("attempt \\d+ on " + SECOND + " \\(delivery 2\\)"));
                }
            }
            log.info("{} jobs were taken up by both processes (in flight at the kill)", redelivered);
            // One set of renditions per job, and nothing else: no second copy, no half-written object.
            assertThat(Jobs.storedKeys(data, "renditions")).as("rendition objects in the store")
                    .containsExactlyInAnyOrderElementsOf(expectedKeys);
            assertThat(expectedKeys).doesNotHaveDuplicates().hasSize(2 * JOBS);
        }
    }

    private static boolean workedOnBy(JsonNode job, String instance) {
        return Jobs.events(job, Jobs.withStatus("processing")).stream()
                .anyMatch(event -> event.path("detail").asText().matches("attempt \\d+ on " + instance + "\\b.*"));
    }

    /** The built jar on its embedded defaults, on free ports, with state under {@code data}. */
    private static ServiceProcess start(Path work, Path data, String name, String... more) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(
                "--stillwater.instance-id=" + name,
                "--stillwater.data-dir=" + data,
                "--stillwater.storage.embedded.port=0",
                // One client sending 200 requests at once: not what the per-client limit is for.
                "--stillwater.intake.rate-limit.enabled=false",
                "--stillwater.processing.concurrency.normal=2"));
        arguments.addAll(List.of(more));
        ServiceProcess service = ServiceProcess.start(LocalProcesses.buildPath("stillwater.it.jar"), name,
                work.resolve(name + ".log"), Map.of(), arguments.toArray(String[]::new));
        try {
            service.awaitReady(Duration.ofMinutes(6));
        } catch (RuntimeException | Error e) {
            service.close();
            throw e;
        }
        return service;
    }
}
