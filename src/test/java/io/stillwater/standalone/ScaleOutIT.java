package io.stillwater.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.ServiceClient;
import io.stillwater.TestImages;
import io.stillwater.embedded.EmbeddedObjectStore;
import io.stillwater.image.ImageFormat;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scale-out in the production shape, without Docker: two service processes (the built jar, profile
 * {@code prod}, on loopback on different ports) share one standalone Artemis broker made from
 * {@code artemis-config/}, one PostgreSQL (embedded binaries) and one S3 server (S3Proxy). Jobs are
 * submitted to both; one instance is stopped while work remains; every job must still end
 * {@code succeeded} exactly once, with its rendition stored, and both instances must have done work. The
 * stop is graceful (SIGTERM), so it costs no job a second attempt or a second delivery.
 * Which instance worked on a job is read where an operator would read it: the job's history
 * ({@code attempt N on <stillwater.instance-id>}).
 */
class ScaleOutIT {

    private static final Logger log = LoggerFactory.getLogger(ScaleOutIT.class);

    private static final int JOBS = 300;
    private static final String FIRST = "scale-out-1";
    private static final String SECOND = "scale-out-2";
    /** The prefix of the service's broker addresses (artemis-config/broker.xml secures {@code stillwater.#}). */
    private static final String JOB_ADDRESSES = "stillwater.";
    private static final Pattern ATTEMPT = Pattern.compile("attempt \\d+ on (\\S+)(?: \\(delivery \\d+\\))?");

    private final Deque<AutoCloseable> running = new ArrayDeque<>();

    @Test
    void twoInstancesShareTheWorkAndStoppingOneMidRunLosesNoJob() throws Exception {
        Path work = LocalProcesses.workDirectory("scale-out");
        try {
            StandaloneBroker broker = startBroker(work);
            ServiceProcess[] instances = startProductionShape(work, broker);
            ServiceProcess first = instances[0];
            ServiceProcess second = instances[1];
            ServiceClient observer = first.client();

            // The jobs arrive as a burst that the workers cannot keep up with, however fast this machine is:
            // the broker holds deliveries (on every stillwater.* address, whatever the queue layout) until all
            // are accepted, so that the second instance will have a backlog in hand when it is stopped.
            assertThat(broker.pause(JOB_ADDRESSES)).as("job addresses on the broker").isNotEmpty();
            long begin = System.nanoTime();
            Map<String, String> acceptedBy = submit(first, second);
            log.info("{} jobs accepted in {} ms", JOBS, (System.nanoTime() - begin) / 1_000_000);
            assertThat(Jobs.all(observer)).allSatisfy(job -> assertThat(Jobs.status(job)).isEqualTo("queued"));
            broker.resume(JOB_ADDRESSES);

            // Stop the second instance once it has taken part, while most jobs are still waiting.
            await("work by " + SECOND).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> count(Jobs.all(observer), job -> workers(job).contains(SECOND)) >= 10);
            assertThat(second.stop(Duration.ofSeconds(90))).as("%s stopped on SIGTERM", SECOND).isTrue();
            List<JsonNode> atStop = Jobs.all(observer);
            Set<String> unfinishedAtStop = atStop.stream().filter(job -> !Jobs.status(job).equals("succeeded"))
                    .map(Jobs::id).collect(Collectors.toSet());
            log.info("{} stopped after {} ms with {} of {} jobs unfinished", SECOND,
                    (System.nanoTime() - begin) / 1_000_000, unfinishedAtStop.size(), JOBS);
            assertThat(unfinishedAtStop).as("jobs not yet done when %s had stopped (else nothing was mid-run)", SECOND)
                    .isNotEmpty();

            await("every job succeeded").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        List<JsonNode> jobs = Jobs.all(observer);
                        assertThat(jobs).noneMatch(job -> Jobs.status(job).equals("failed"));
                        return count(jobs, job -> Jobs.status(job).equals("succeeded")) == JOBS;
                    });
            log.info("all {} jobs succeeded after {} ms", JOBS, (System.nanoTime() - begin) / 1_000_000);
            assertThat(first.isRunning()).isTrue();

            Map<String, Integer> finishedBy = new HashMap<>();
            for (String id : acceptedBy.keySet()) {
                JsonNode job = observer.job(id);
                assertThat(Jobs.status(job)).as("job %s", id).isEqualTo("succeeded");
                assertThat(count(Jobs.events(job), event -> event.path("status").asText().equals("succeeded")))
                        .as("succeeded events of job %s", id).isEqualTo(1);
                // A graceful stop lets the jobs in flight finish where they are: none is taken up twice, and
                // none comes back from the broker with its delivery count raised.
                assertThat(workers(job)).as("instances that took up job %s: %s", id, job.path("history")).hasSize(1);
                assertThat(Jobs.events(job)).as("history of job %s", id)
                        .noneMatch(event -> event.path("detail").asText().contains("(delivery"));
                String finisher = finisher(job);
                finishedBy.merge(finisher, 1, Integer::sum);
                if (unfinishedAtStop.contains(id)) {
                    assertThat(finisher).as("job %s, unfinished when %s stopped", id, SECOND).isEqualTo(FIRST);
                }
                assertRendition(observer, job);
            }
            log.info("jobs finished per instance: {}; accepted per instance: {}", finishedBy,
                    acceptedBy.values().stream().collect(Collectors.groupingBy(name -> name, Collectors.counting())));
            assertThat(finishedBy.keySet()).containsExactlyInAnyOrder(FIRST, SECOND);
            assertThat(Jobs.all(observer)).extracting(Jobs::id)
                    .containsExactlyInAnyOrderElementsOf(acceptedBy.keySet());
        } finally {
            while (!running.isEmpty()) {
                try {
                    running.pop().close();
                } catch (Exception e) {
                    log.warn("could not stop a part of the test set-up", e);
                }
            }
        }
    }

    private StandaloneBroker startBroker(Path work) throws Exception {
        StandaloneBroker broker = StandaloneBroker.start(LocalProcesses.buildPath("stillwater.it.artemis-home"),
                LocalProcesses.buildPath("stillwater.it.broker-xml"), work.resolve("broker"));
        running.push(broker);
        return broker;
    }

    /**
     * The database, the object store and the two instances on {@code broker}. The instances start at the
     * same time, so they also race for the schema migration and the bucket as a real deployment's do.
     */
    private ServiceProcess[] startProductionShape(Path work, StandaloneBroker broker) throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.start();
        running.push(postgres);
        String databasePassword = LocalProcesses.secret();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE stillwater LOGIN PASSWORD '" + databasePassword + "'");
            statement.execute("CREATE DATABASE stillwater OWNER stillwater");
        }

        String accessKey = "stillwater-" + LocalProcesses.secret().substring(0, 8);
        String secretKey = LocalProcesses.secret();
        EmbeddedObjectStore objects = EmbeddedObjectStore.start("127.0.0.1", 0, work.resolve("objects"), accessKey,
                secretKey);
        running.push(objects::close);

        // As docker-compose.yml configures its instances: the prod profile, credentials in the environment.
        Map<String, String> environment = Map.of(
                "SPRING_PROFILES_ACTIVE", "prod",
                "SPRING_ARTEMIS_BROKER_URL", broker.url(),
                "SPRING_ARTEMIS_USER", broker.serviceUser(),
                "SPRING_ARTEMIS_PASSWORD", broker.servicePassword(),
                "SPRING_DATASOURCE_URL", "jdbc:postgresql://localhost:" + postgres.getPort() + "/stillwater",
                "SPRING_DATASOURCE_PASSWORD", databasePassword,
                "STILLWATER_STORAGE_ENDPOINT", objects.endpoint().toString(),
                "STILLWATER_STORAGE_ACCESS_KEY", accessKey,
                "STILLWATER_STORAGE_SECRET_KEY", secretKey,
                "STILLWATER_SECURITY_INTAKE_API_KEYS", "intake-" + LocalProcesses.secret());
        Path jar = LocalProcesses.buildPath("stillwater.it.jar");
        ServiceProcess[] instances = new ServiceProcess[2];
        int i = 0;
        for (String name : List.of(FIRST, SECOND)) {
            ServiceProcess instance = ServiceProcess.start(jar, name, work.resolve(name + ".log"), environment,
                    "--stillwater.instance-id=" + name, "--stillwater.data-dir=" + work.resolve(name),
                    // 300 requests for the same result: each must be a job of its own, not coalesced.
                    "--stillwater.cache.enabled=false");
            running.push(instance);
            instances[i++] = instance;
        }
        for (ServiceProcess instance : instances) {
            // Both JVMs start at once; on two cores shared with other builds each took four and a half minutes.
            instance.awaitReady(Duration.ofMinutes(6));
        }
        return instances;
    }

    /**
     * Submits {@link #JOBS} small JPEGs for thumbnails, alternately to each instance, a few at a time, as a
     * careful client does: each with its own Idempotency-Key, sent again after a 429 or 503 (nothing was
     * queued then) until it is accepted.
     */
    private static Map<String, String> submit(ServiceProcess first, ServiceProcess second) throws Exception {
        byte[] image = TestImages.jpeg(400, 300);
        Map<String, String> acceptedBy = new ConcurrentHashMap<>();
        ServiceClient[] clients = {first.client(), second.client()};
        String[] names = {first.name(), second.name()};
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int n = 0; n < JOBS; n++) {
                int target = n % 2;
                String key = "scale-out-job-" + n;
                sent.add(senders.submit(() -> await("intake of " + key + " at " + names[target])
                        .atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> {
                            ServiceClient.Answer answer = clients[target].upload(image, key + ".jpg", "image/jpeg",
                                    "{\"preset\": \"thumbnail\"}", key);
                            if (answer.status() == 429 || answer.status() == 503) {
                                return false;
                            }
                            assertThat(answer.status()).as("intake at %s: %s", names[target], answer.body())
                                    .isEqualTo(202);
                            acceptedBy.put(answer.body().path("id").asText(), names[target]);
                            return true;
                        })));
            }
            for (Future<?> each : sent) {
                each.get(3, TimeUnit.MINUTES);
            }
        } finally {
            senders.shutdownNow();
        }
        assertThat(acceptedBy).hasSize(JOBS);
        return acceptedBy;
    }

    /** The instances that took up the job, from its history's processing entries. */
    private static List<String> workers(JsonNode job) {
        List<String> workers = new ArrayList<>();
        for (JsonNode event : Jobs.events(job)) {
            if (event.path("status").asText().equals("processing")) {
                Matcher attempt = ATTEMPT.matcher(event.path("detail").asText());
                assertThat(attempt.matches()).as("processing entry %s", event).isTrue();
                workers.add(attempt.group(1));
            }
        }
        return workers;
    }

    /** The instance whose attempt succeeded: the last to take the job up. */
    private static String finisher(JsonNode job) {
        List<String> workers = workers(job);
        assertThat(workers).as("workers of job %s", Jobs.id(job)).isNotEmpty();
        return workers.get(workers.size() - 1);
    }

    private static void assertRendition(ServiceClient client, JsonNode job) {
        assertThat(job.path("outputs")).as("outputs of job %s", Jobs.id(job)).hasSize(1);
        JsonNode output = job.path("outputs").get(0);
        assertThat(output.path("name").asText()).isEqualTo("thumbnail");
        assertThat(output.path("width").asInt()).isEqualTo(256);
        assertThat(output.path("height").asInt()).isEqualTo(256);
        HttpResponse<byte[]> download = client.download(output.path("url").asText());
        assertThat(download.statusCode()).as("download of job %s's rendition", Jobs.id(job)).isEqualTo(200);
        assertThat(download.body()).hasSize(output.path("bytes").asInt());
        assertThat(ImageFormat.sniff(download.body())).contains(ImageFormat.JPEG);
    }

    private static long count(List<JsonNode> nodes, Predicate<JsonNode> which) {
        return nodes.stream().filter(which).count();
    }
}
