package io.stillwater.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.ServiceClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Jobs as a client submits and reads them, for the tests that stop a service process mid-work. */
final class Jobs {

    private Jobs() {}

    /**
     * Submits {@code count} JPEGs ({@code image.apply(n)}) with {@code spec}, a few at a time, each with its own
     * Idempotency-Key, sent again after a 429 or 503 (nothing was queued then) until it is accepted.
     *
     * @return the ids answered 202
     */
    static List<String> submit(ServiceClient client, int count, IntFunction<byte[]> image, String spec,
            String keyPrefix) throws Exception {
        Map<Integer, String> accepted = new ConcurrentHashMap<>();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int n = 0; n < count; n++) {
                int number = n;
                String key = keyPrefix + "-" + n;
                sent.add(senders.submit(() -> {
                    byte[] data = image.apply(number);
                    await("intake of " + key).atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                            .until(() -> {
                                ServiceClient.Answer answer = client.upload(data, key + ".jpg", "image/jpeg", spec, key);
                                if (answer.status() == 429 || answer.status() == 503) {
                                    return false;
                                }
                                assertThat(answer.status()).as("intake of %s: %s", key, answer.body()).isEqualTo(202);
                                accepted.put(number, answer.body().path("id").asText());
                                return true;
                            });
                }));
            }
            for (Future<?> each : sent) {
                each.get(2, TimeUnit.MINUTES);
            }
        } finally {
            senders.shutdownNow();
        }
        assertThat(accepted).hasSize(count);
        assertThat(accepted.values()).as("distinct jobs").doesNotHaveDuplicates();
        return List.copyOf(accepted.values());
    }

    /** Every job, page by page, as a client lists them. */
    static List<JsonNode> all(ServiceClient client) {
        List<JsonNode> jobs = new ArrayList<>();
        String cursor = null;
        do {
            ServiceClient.Answer page = client.get(
                    "/api/v1/jobs?limit=100" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).isEqualTo(200);
            page.body().path("items").forEach(jobs::add);
            cursor = page.body().hasNonNull("nextCursor") ? page.body().path("nextCursor").asText() : null;
        } while (cursor != null);
        return jobs;
    }

    static long count(List<JsonNode> jobs, String status) {
        return jobs.stream().filter(job -> status(job).equals(status)).count();
    }

    static List<JsonNode> events(JsonNode job) {
        List<JsonNode> events = new ArrayList<>();
        job.path("history").forEach(events::add);
        return events;
    }

    static List<JsonNode> events(JsonNode job, Predicate<JsonNode> which) {
        return events(job).stream().filter(which).toList();
    }

    static Predicate<JsonNode> withStatus(String status) {
        return event -> event.path("status").asText().equals(status);
    }

    static String id(JsonNode job) {
        return job.path("id").asText();
    }

    static String status(JsonNode job) {
        return job.path("status").asText();
    }

    /** The object keys of the job's outputs. */
    static List<String> outputKeys(JsonNode job) {
        List<String> keys = new ArrayList<>();
        job.path("outputs").forEach(output -> keys.add(output.path("key").asText()));
        return keys;
    }

    /**
     * Every object under {@code prefix} in the embedded object store's bucket, as keys: S3Proxy's file system
     * store keeps one file per object under {@code <data-dir>/objects/<bucket>/<key>}.
     */
    static List<String> storedKeys(Path dataDirectory, String prefix) {
        Path bucket = dataDirectory.resolve("objects").resolve("stillwater");
        Path under = bucket.resolve(prefix);
        if (!Files.isDirectory(under)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(under)) {
            return files.filter(Files::isRegularFile)
                    .map(file -> bucket.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
