package io.stillwater.config;

import io.stillwater.image.ImageEngine;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything under {@code stillwater.*}. Defaults live in {@code application.yaml}, where each key is
 * documented; the README's configuration table lists them.
 *
 * @param dataDir where the embedded parts keep their state (journal, objects, database)
 * @param instanceId this instance's name in job histories; empty means {@code <pid>@<host name>}
 * @param limits what intake accepts before any pixel is decoded
 * @param storage the S3 object store for originals and renditions
 * @param jobs defaults applied to a job's spec, and the job queues
 * @param intake how much intake takes before it pushes back
 * @param processing the workers
 * @param retry how transient failures are retried before a job is dead-lettered
 * @param security who may submit and read jobs, and who may use the operator endpoints
 * @param deadLetters how operators' replays run
 * @param cache whether intake answers from finished or running jobs with the same result
 * @param presets named output lists a job selects with {@code preset}
 * @param engine how the image engine decodes and encodes
 * @param fetch how URL sources are fetched, and which hosts may be
 * @param batches how large a CSV batch may be, and how fast its jobs are created
 * @param webhooks how callbacks are signed and sent
 * @param role {@code cloud}: renditions go straight to the object store; {@code edge}: they wait in a
 *     persistent outbox that the uplink drains to the cloud object store
 * @param uplink the edge role's uplink: the cloud store, its rate, and its back-off while the link is down
 * @param cameras the underwater cameras stills are captured from, and the simulator that plays them
 */
@Validated
@ConfigurationProperties("stillwater")
public record StillwaterProperties(
        @NotNull Path dataDir,
        @Size(max = 100) String instanceId,
        @Valid @NotNull Limits limits,
        @Valid @NotNull Storage storage,
        @Valid @NotNull Jobs jobs,
        @Valid @NotNull Intake intake,
        @Valid @NotNull Processing processing,
        @Valid @NotNull Retry retry,
        @Valid @NotNull Security security,
        @Valid @NotNull DeadLetters deadLetters,
        @Valid @NotNull Cache cache,
        @NotEmpty Map<String, @NotEmpty List<@Valid PresetOutput>> presets,
        @Valid @NotNull Engine engine,
        @Valid @NotNull Fetch fetch,
        @Valid @NotNull Batches batches,
        @Valid @NotNull Webhooks webhooks,
        @NotNull Role role,
        @Valid @NotNull Uplink uplink,
        @Valid @NotNull Cameras cameras) {

    /** Where finished renditions go: straight to the object store, or through the edge's outbox. */
    public enum Role { CLOUD, EDGE }

    /**
     * The edge role's uplink: renditions are kept in the local object store and a persistent message per
     * job waits on {@code queue} (JMS priority from the job's class) until the uplink has copied them to
     * the cloud store.
     *
     * @param queue the outbox queue
     * @param imagesPerSecond most renditions uploaded per second; 0: no limit
     * @param bytesPerSecond most rendition bytes uploaded per second, on average; 0: no limit
     * @param retryInterval while the cloud store cannot be reached, how often it is probed; the outbox
     *     consumer is paused in between
     * @param store the cloud object store
     */
    public record Uplink(
            @NotBlank String queue,
            @Min(0) double imagesPerSecond,
            @NotNull DataSize bytesPerSecond,
            @NotNull Duration retryInterval,
            @Valid @NotNull CloudStore store) {

        /**
         * The cloud object store. The edge's own store ({@code stillwater.storage}, usually the embedded
         * one) keeps originals and the renditions waiting for the uplink.
         *
         * @param bucket the cloud bucket
         * @param endpoint S3 endpoint; empty: AWS's endpoint for the region
         * @param publicEndpoint endpoint named in the access links users get; empty: {@code endpoint}
         * @param region the region
         * @param accessKey access key, from the environment; empty: the AWS default credentials chain
         * @param secretKey secret key, from the environment
         * @param presignTtl how long an access link stays valid
         */
        public record CloudStore(@NotBlank String bucket, String endpoint, String publicEndpoint, @NotBlank String region,
                String accessKey, String secretKey, @NotNull Duration presignTtl) {}
    }

    /**
     * Cameras and their captures ({@code /api/v1/cameras}). A capture request waits on its own queue and
     * is served by capture consumers of its own, so an offline camera never holds a processing worker.
     *
     * @param registry the cameras users address by id; their addresses and credentials are never shown
     * @param queue the Artemis queue capture requests wait on
     * @param concurrency capture consumers in this instance (each waits at most one camera's timeout)
     * @param maxStills most stills one capture request may ask for ({@code count})
     * @param maxInterval longest {@code intervalSeconds} between two stills of one request
     * @param healthInterval how often every camera's {@code /health} is asked
     * @param scheduleTick how often schedules are looked at for a due slot
     * @param retry how a capture that fails is tried again before its job is dead-lettered
     * @param simulator the camera simulator started with the service
     */
    public record Cameras(
            @NotNull List<@Valid Camera> registry,
            @NotBlank String queue,
            @Positive int concurrency,
            @Positive int maxStills,
            @NotNull Duration maxInterval,
            @NotNull Duration healthInterval,
            @NotNull Duration scheduleTick,
            @Valid @NotNull CaptureRetry retry,
            @Valid @NotNull Simulator simulator) {

        public Cameras {
            registry = registry == null ? List.of() : List.copyOf(registry);
        }

        /**
         * One camera.
         *
         * @param id how users address it ({@code [a-z0-9-]}, unique)
         * @param name what people call it
         * @param baseUrl its still-capture API: {@code <base-url>/still.jpg} and {@code <base-url>/health}
         * @param username HTTP Basic user, if the camera wants one
         * @param password HTTP Basic password, from the environment
         * @param maxCapturesPerMinute the fastest the camera is asked for stills, whoever asks
         * @param timeout connect and read timeout of each request to it
         * @param schedule background captures on a schedule, or none
         */
        public record Camera(
                @NotBlank @jakarta.validation.constraints.Pattern(regexp = "[a-z0-9][a-z0-9-]{0,63}") String id,
                @NotBlank String name,
                @NotBlank String baseUrl,
                String username,
                String password,
                @Positive int maxCapturesPerMinute,
                @NotNull Duration timeout,
                @Valid Schedule schedule) {}

        /**
         * @param every a still every this long (ISO-8601 such as {@code PT15M}, or {@code 15m}), aligned to
         *     the epoch so every instance computes the same slots
         * @param cron a Spring cron expression (six fields, seconds first), in UTC
         */
        public record Schedule(Duration every, String cron) {}

        /**
         * @param maxAttempts captures tried per still before its job is dead-lettered ({@code camera-unreachable})
         * @param delay wait before the second attempt
         * @param multiplier growth of the wait per attempt
         * @param maxDelay longest wait
         */
        public record CaptureRetry(@Positive int maxAttempts, @NotNull Duration delay, @Min(1) double multiplier,
                @NotNull Duration maxDelay) {}

        /**
         * @param enabled start the simulator with the service
         * @param host address it binds to
         * @param port port it listens on
         * @param cameras the camera ids it plays
         * @param width width of its frames
         * @param height height of its frames
         * @param latency how long it takes to answer a still
         * @param failureRate share of stills answered 503
         * @param offlineWindows cameras offline for a while at the start of every period, as on a patchy link
         */
        public record Simulator(boolean enabled, @NotBlank String host, @Min(0) int port, @NotNull List<String> cameras,
                @Positive int width, @Positive int height, @NotNull Duration latency,
                @jakarta.validation.constraints.DecimalMin("0") @jakarta.validation.constraints.DecimalMax("1")
                double failureRate, List<@Valid OfflineWindow> offlineWindows) {

            public Simulator {
                offlineWindows = offlineWindows == null ? List.of() : List.copyOf(offlineWindows);
            }

            /**
             * @param camera the simulated camera
             * @param every the period, from the epoch (UTC)
             * @param length how long the camera is offline at the start of each period (less than {@code every})
             */
            public record OfflineWindow(@NotBlank String camera, @NotNull Duration every, @NotNull Duration length) {}
        }
    }

    /**
     * Callbacks on terminal events, sent from their own queue ({@code stillwater.webhooks}, retried by
     * the broker with back-off, then {@code stillwater.webhooks.DLQ}).
     *
     * @param secret the HMAC-SHA256 key of {@code Stillwater-Signature}, from the environment; empty
     *     means one is generated at start-up and logged
     * @param concurrency deliveries in flight at once in this instance
     */
    public record Webhooks(String secret, @Positive int concurrency) {}

    /**
     * CSV batches ({@code POST /api/v1/batches}): accepted whole or refused whole, then one URL job per
     * image URL, created in the background.
     *
     * @param maxBytes largest CSV accepted, counted while reading
     * @param maxRows most product rows in one CSV
     * @param maxUrlsPerRow most image URLs in one row's cell
     * @param rowsPerExpansion rows turned into jobs per step of the background expansion (every 500 ms)
     */
    public record Batches(
            @NotNull DataSize maxBytes,
            @Positive int maxRows,
            @Positive int maxUrlsPerRow,
            @Positive int rowsPerExpansion) {}

    /**
     * Fetching {@code source.url} jobs, in the worker. Every host must resolve to public internet
     * addresses only, checked at connection time and again for every redirect.
     *
     * @param allowHosts {@code host} or {@code host:port} patterns ({@code *.example.com}, {@code *}) that
     *     may also reach internal addresses (loopback, private networks): a camera or image server on the
     *     local network, or a test server
     * @param denyHosts patterns that are never fetched, whatever they resolve to; they win over allowHosts
     * @param connectTimeout longest wait for a connection
     * @param readTimeout longest wait for the answer and between two reads of its body
     * @param maxRedirects redirects followed, each checked like the first URL
     * @param userAgent the {@code User-Agent} sources see
     */
    public record Fetch(
            @NotNull List<String> allowHosts,
            @NotNull List<String> denyHosts,
            @NotNull Duration connectTimeout,
            @NotNull Duration readTimeout,
            @Min(0) int maxRedirects,
            @NotBlank String userAgent) {}

    /**
     * @param turbojpeg {@code auto}: decode ordinary JPEGs and encode JPEG renditions with libjpeg-turbo
     *     ({@code libturbojpeg.so.0}) when it is installed; {@code off}: always the pure-Java path
     * @param memoryBudget the heap the renders running at once in this instance may hold between them,
     *     each estimated from its decoded size before it decodes; a render waits until its share is
     *     free. Empty: half the JVM's maximum heap
     */
    public record Engine(@NotNull ImageEngine.NativeJpeg turbojpeg, DataSize memoryBudget) {

        /** The budget in bytes, half the maximum heap when none is set. */
        public long memoryBudgetBytes() {
            return memoryBudget == null || memoryBudget.toBytes() <= 0
                    ? Runtime.getRuntime().maxMemory() / 2 : memoryBudget.toBytes();
        }
    }

    /**
     * @param maxBytes largest accepted source, in bytes
     * @param maxPixels largest accepted source, width × height
     * @param maxOutputDimension largest width or height an output may ask for
     * @param maxOutputs most outputs one job may ask for
     * @param maxFrames most frames an animated GIF or WebP may declare, counted from its structure
     *     before decoding (only the first frame is rendered)
     */
    public record Limits(
            @NotNull DataSize maxBytes,
            @Positive long maxPixels,
            @Positive int maxOutputDimension,
            @Positive int maxOutputs,
            @Positive int maxFrames) {}

    /**
     * @param bucket bucket for originals and renditions; created at start-up when missing
     * @param endpoint S3 endpoint; empty means AWS's own for the region (ignored when embedded)
     * @param publicEndpoint endpoint that presigned URLs name, when clients reach the store by another address
     * @param region signing region
     * @param accessKey access key; empty means the AWS default credentials chain (generated when embedded)
     * @param secretKey secret key, from the environment
     * @param presignTtl how long a presigned download URL stays valid
     * @param embedded the S3-protocol server started with the service
     */
    public record Storage(
            @NotBlank String bucket,
            String endpoint,
            String publicEndpoint,
            @NotBlank String region,
            String accessKey,
            String secretKey,
            @NotNull Duration presignTtl,
            @Valid @NotNull Embedded embedded) {

        /**
         * @param enabled start S3Proxy inside the service, files under {@code data-dir/objects}
         * @param host address it binds to
         * @param port port it listens on; 0 picks a free one
         */
        public record Embedded(boolean enabled, @NotBlank String host, @Min(0) int port) {}
    }

    /**
     * Back-pressure at the door: a class whose queue is this deep takes no more jobs ({@code 503}), and
     * each client gets a token bucket of requests ({@code 429}).
     *
     * @param maxQueued jobs waiting in one priority class's queue before intake of that class answers 503
     * @param rateLimit requests per client (by remote address)
     */
    public record Intake(@Positive int maxQueued, @Valid @NotNull RateLimit rateLimit) {

        /**
         * @param enabled whether intake counts requests per client at all
         * @param requestsPerSecond the rate a client's bucket refills at
         * @param burst the bucket's size: requests a client may make at once
         */
        public record RateLimit(boolean enabled, @Positive double requestsPerSecond, @Positive int burst) {}
    }

    /**
     * @param concurrency workers per priority class in this instance: each class has its own, so urgent
     *     work never waits for a worker busy with background work, and background always keeps its share
     * @param autoStartup whether the consumer routes start with the service (jobs wait in their queues if not)
     */
    public record Processing(@Valid @NotNull Concurrency concurrency, boolean autoStartup) {

        /** Workers for each priority class. */
        public record Concurrency(@Positive int urgent, @Positive int normal, @Positive int background) {}
    }

    /**
     * Retries of transient failures (object store, database), owned by the worker: exponential
     * back-off with jitter, then the job is dead-lettered. The broker's own delivery limit
     * ({@code artemis-config/broker.xml}) only stops messages that crash their workers.
     *
     * @param maxRedeliveries retries after the first attempt, within one delivery
     * @param delay wait before the first retry
     * @param multiplier growth of the wait per retry
     * @param maxDelay longest wait
     * @param maxDeliveries deliveries of one message (each one a worker that died or rolled back
     *     mid-job) after which the job is dead-lettered without being processed again
     */
    public record Retry(@Min(0) int maxRedeliveries, @NotNull Duration delay, @Min(1) double multiplier,
            @NotNull Duration maxDelay, @Positive int maxDeliveries) {}

    /** @param replayPerSecond how fast a bulk replay re-queues dead-lettered jobs */
    public record DeadLetters(@Positive double replayPerSecond) {}

    /**
     * @param operator the account operator endpoints (dead letters, admin, the console) accept
     * @param intake the API keys clients submit and read jobs with
     */
    public record Security(@Valid @NotNull Operator operator, @Valid @NotNull Intake intake) {

        /**
         * @param apiKeys the keys a client may send in {@code X-Api-Key}; any one of them is accepted
         * @param generateKey when no key is configured: generate one at start-up and log it ({@code true}),
         *     or refuse to start ({@code false}, the {@code prod} profile)
         */
        public record Intake(List<@NotBlank @Size(min = 16, max = 256) String> apiKeys, boolean generateKey) {

            public Intake {
                apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
            }
        }

        /**
         * @param username the operator's user name
         * @param password from the environment; empty means one is generated at start-up and logged
         */
        public record Operator(@NotBlank String username, String password) {}
    }

    /**
     * @param enabled intake answers a request whose source bytes and normalised outputs match a
     *     succeeded job with that job ({@code 200}), and one matching a queued or running job with that
     *     job ({@code 202}, coalesced); when false every request is a job of its own
     */
    public record Cache(boolean enabled) {}

    /**
     * One output of a preset, written as in a job's spec. Operations are maps of their JSON fields
     * (such as {@code op: resize}, {@code width: 256}) and are read and validated like a client's.
     */
    public record PresetOutput(
            @NotBlank String name,
            List<Map<String, String>> ops,
            String format,
            Integer quality,
            Boolean progressive,
            Boolean keepMetadata) {}

    /**
     * @param defaultPreset preset used when a job names neither {@code preset} nor {@code outputs}
     * @param queuePrefix the Artemis queues jobs wait on are this, a dot and the priority class
     *     ({@code stillwater.jobs.urgent}, {@code .normal}, {@code .background})
     * @param deadLetterQueue where dead-lettered job messages go, with the failure in their headers
     * @param listLimit page size cap for {@code GET /api/v1/jobs}
     */
    public record Jobs(@NotBlank String defaultPreset, @NotBlank String queuePrefix, @NotBlank String deadLetterQueue,
            @Positive int listLimit) {}
}
