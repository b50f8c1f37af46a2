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
 * A graceful stop costs no delivery attempt: the built jar on its embedded defaults gets SIGTERM while its
 * workers are mid-job; the jobs in flight finish and commit before the process exits, and a new process on
 * the same data directory does the rest, every job in one attempt on its first delivery. A stop that rolled
 * a job's message back would show as a second attempt and a delivery count of 2 in its history, and would
 * bring the job one delivery nearer to the crash-loop guard ({@code stillwater.retry.max-deliveries}).
 */
class GracefulStopIT {

    private static final Logger log = LoggerFactory.getLogger(GracefulStopIT.class);

    /** Slow jobs (a full-size PNG of a 6-megapixel photo): a stop finds some mid-render. */
    private static final int SLOW_JOBS = 24;
    private static final String SLOW_SPEC = """
            {"outputs": [
              {"name": "thumb", "ops": [{"op": "resize", "width": 256, "height": 256, "fit": "cover"}]},
              {"name": "full", "format": "png"}]}
            """;
    /**
     * Quick jobs of their own class: its worker takes a message every few milliseconds, so a stop is likely to
     * find it receiving one, the moment in which Spring's listener container rolls a message back by default.
     */
    private static final int QUICK_JOBS = 150;
    private static final String QUICK_SPEC = """
            {"preset": "thumbnail", "priority": "background"}
            """;
    private static final int JOBS = SLOW_JOBS + QUICK_JOBS;
    private static final String FIRST = "graceful-1";
    private static final String SECOND = "graceful-2";

    @Test
    void sigtermMidJobFinishesTheJobsInFlightAndUsesNoDeliveryAttempt() throws Exception {
        Path work = LocalProcesses.workDirectory("graceful-stop");
        Path data = work.resolve("data");
        List<String> accepted;
        List<String> inFlight;
        try (ServiceProcess first = start(work, data, FIRST)) {
            ServiceClient client = first.client();
            accepted = new ArrayList<>(
                    Jobs.submit(client, SLOW_JOBS, n -> TestImages.jpeg(3000 + n, 2000), SLOW_SPEC, "slow"));
            accepted.addAll(Jobs.submit(client, QUICK_JOBS, n -> TestImages.jpeg(400 + n, 300), QUICK_SPEC, "quick"));
            // Stop once some jobs are done, with slow ones mid-render and quick ones still waiting.
            inFlight = await("jobs mid-render after some done").atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        List<JsonNode> jobs = Jobs.all(client);
                        boolean quickWaiting = jobs.stream().anyMatch(job -> Jobs.status(job).equals("queued")
                                && job.path("priority").asText().equals("background"));
                        return Jobs.count(jobs, "succeeded") >= 2 && quickWaiting
                                ? jobs.stream().filter(job -> Jobs.status(job).equals("processing")).map(Jobs::id).toList()
                                : List.<String>of();
                    }, processing -> !processing.isEmpty());
            long signal = System.nanoTime();
            int exit = first.terminate(Duration.ofSeconds(60));
            log.info("{} exited with {} {} ms after SIGTERM; in flight at the signal: {}", FIRST, exit,
                    (System.nanoTime() - signal) / 1_000_000, inFlight);
            assertThat(exit).as("exit code of %s after SIGTERM", FIRST).isEqualTo(ServiceProcess.EXIT_ON_SIGTERM);
            assertThat(first.log()).as("%s's log", FIRST).doesNotContain("Rejecting received message");
        }

        long restart = System.nanoTime();
        try (ServiceProcess second = start(work, data, SECOND)) {
            ServiceClient client = second.client();
            List<JsonNode> atRestart = Jobs.all(client);
            assertThat(atRestart).extracting(Jobs::id).containsExactlyInAnyOrderElementsOf(accepted);
            // Finished before the exit: succeeded when the new process starts, never taken up by it.
            assertThat(atRestart).filteredOn(job -> inFlight.contains(Jobs.id(job)))
                    .allSatisfy(job -> assertThat(Jobs.status(job)).as("job %s, in flight at the signal: %s",
                            Jobs.id(job), job.path("history")).isEqualTo("succeeded"));
            log.info("{} of {} jobs done before {} exited", Jobs.count(atRestart, "succeeded"), JOBS, FIRST);

            await("every job succeeded").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        List<JsonNode> jobs = Jobs.all(client);
                        assertThat(jobs).noneMatch(job -> Jobs.status(job).equals("failed")
                                || Jobs.status(job).equals("dead_lettered"));
                        return Jobs.count(jobs, "succeeded") == JOBS;
                    });
            log.info("all {} jobs succeeded {} ms after {} started", JOBS, (System.nanoTime() - restart) / 1_000_000,
                    SECOND);
            for (JsonNode job : Jobs.all(client)) {
                List<JsonNode> attempts = Jobs.events(job, Jobs.withStatus("processing"));
                assertThat(attempts).as("attempts at job %s: %s", Jobs.id(job), job.path("history")).hasSize(1)
                        .allSatisfy(attempt -> assertThat(attempt.path("detail").asText())
                                .matches("attempt 1 on (" + FIRST + "|" + SECOND + ")"));
                assertThat(job.path("attempts").asInt()).as("attempts of job %s", Jobs.id(job)).isEqualTo(1);
                assertThat(Jobs.events(job, Jobs.withStatus("succeeded"))).hasSize(1);
            }
        }
    }

    /** The built jar on its embedded defaults, on free ports, with state under {@code data}. */
    private static ServiceProcess start(Path work, Path data, String name) throws Exception {
        ServiceProcess service = ServiceProcess.start(LocalProcesses.buildPath("stillwater.it.jar"), name,
                work.resolve(name + ".log"), Map.of(),
                "--stillwater.instance-id=" + name,
                "--stillwater.data-dir=" + data,
                "--stillwater.storage.embedded.port=0",
                "--stillwater.intake.rate-limit.enabled=false",
                "--stillwater.processing.concurrency.normal=2",
                "--stillwater.processing.concurrency.background=1");
        try {
            service.awaitReady(Duration.ofMinutes(6));
        } catch (RuntimeException | Error e) {
            service.close();
            throw e;
        }
        return service;
    }
}
