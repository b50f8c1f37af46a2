package io.stillwater.camera;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.stillwater.config.StillwaterProperties;
import io.stillwater.embedded.CameraSimulator;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The configured cameras ({@code stillwater.cameras.registry}) and what this instance last saw of each:
 * its state from the periodic health checks, its last capture and its last error. Users name cameras by
 * id only; their addresses and credentials stay here. Each camera's state is also the gauge
 * {@code stillwater.camera.online} (tag {@code camera}: 1 online, 0 offline or not yet checked).
 */
@Component("cameras")
public class CameraRegistry {

    /** online, offline, or unknown until the first health check. */
    public enum State {
        ONLINE, OFFLINE, UNKNOWN;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** An error as the registry shows it. */
    public record LastError(String code, String message, OffsetDateTime at) {}

    /** What is known of a camera now. */
    public record Status(State state, OffsetDateTime lastCheckedAt, OffsetDateTime lastCaptureAt, LastError lastError) {}

    private final Map<String, StillwaterProperties.Cameras.Camera> cameras = new LinkedHashMap<>();
    private final Map<String, Status> states = new ConcurrentHashMap<>();

    /** A base URL naming a camera of the simulator started with the service, wherever it listens. */
    public static final String SIMULATOR = "simulator:";

    private final ObjectProvider<CameraSimulator> simulator;

    public CameraRegistry(StillwaterProperties properties, MeterRegistry meters, ObjectProvider<CameraSimulator> simulator) {
        this.simulator = simulator;
        for (StillwaterProperties.Cameras.Camera camera : properties.cameras().registry()) {
            if (cameras.put(camera.id(), camera) != null) {
                throw new IllegalStateException("stillwater.cameras.registry names camera " + camera.id() + " twice");
            }
            states.put(camera.id(), new Status(State.UNKNOWN, null, null, null));
            Gauge.builder("stillwater.camera.online", states, all -> all.get(camera.id()).state() == State.ONLINE ? 1 : 0)
                    .tag("camera", camera.id())
                    .description("1 while the camera answers its health check, 0 while it does not (or is not checked yet)")
                    .register(meters);
        }
    }

    /** The configured cameras, in configuration order. */
    public List<StillwaterProperties.Cameras.Camera> all() {
        return List.copyOf(cameras.values());
    }

    /** The ids of the configured cameras, for the health-check route to split. */
    public List<String> ids() {
        return List.copyOf(cameras.keySet());
    }

    public Optional<StillwaterProperties.Cameras.Camera> find(String id) {
        return Optional.ofNullable(id == null ? null : cameras.get(id));
    }

    public Status status(String id) {
        return states.get(id);
    }

    /** Where the camera's stills are taken. */
    public String stillUrl(String id) {
        return base(id) + "/still.jpg";
    }

    /** Where the camera says whether it is up. */
    public String healthUrl(String id) {
        return base(id) + "/health";
    }

    /** The {@code Authorization} header the camera wants, or {@code null} when it wants none. */
    public String authorization(String id) {
        StillwaterProperties.Cameras.Camera camera = camera(id);
        if (!StringUtils.hasText(camera.username())) {
            return null;
        }
        String pair = camera.username() + ":" + (camera.password() == null ? "" : camera.password());
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** The camera answered its health check with {@code status}: 2xx is online, anything else offline. */
    public void checked(String id, int status) {
        if (status >= 200 && status < 300) {
            states.compute(id, (key, old) -> new Status(State.ONLINE, now(), old.lastCaptureAt(), old.lastError()));
        } else {
            unreachable(id, "camera-unhealthy", "the health check answered " + status);
        }
    }

    /** The camera did not answer its health check at all. */
    public void unreachable(String id, String code, String message) {
        OffsetDateTime now = now();
        states.compute(id, (key, old) -> new Status(State.OFFLINE, now, old.lastCaptureAt(), new LastError(code, message, now)));
    }

    /** The camera answered with a still. */
    public void captured(String id) {
        states.compute(id, (key, old) -> new Status(State.ONLINE, old.lastCheckedAt(), now(), old.lastError()));
    }

    /** A capture failed; the state stays the health check's to judge. */
    public void captureFailed(String id, String code, String message) {
        states.compute(id, (key, old) -> new Status(old.state(), old.lastCheckedAt(), old.lastCaptureAt(),
                new LastError(code, message, now())));
    }

    private String base(String id) {
        String base = camera(id).baseUrl();
        if (base.startsWith(SIMULATOR)) {
            CameraSimulator running = simulator.getIfAvailable();
            if (running == null) {
                throw new IllegalStateException("camera " + id + " is the simulator's (" + base
                        + ") but the simulator is not running (stillwater.cameras.simulator.enabled)");
            }
            return running.url() + "/cameras/" + base.substring(SIMULATOR.length());
        }
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private StillwaterProperties.Cameras.Camera camera(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("no camera " + id + " is configured"));
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }
}
