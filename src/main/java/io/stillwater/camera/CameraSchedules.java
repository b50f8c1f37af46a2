package io.stillwater.camera;

import io.stillwater.config.StillwaterProperties;
import io.stillwater.job.JobRequest;
import io.stillwater.job.JobSpec;
import io.stillwater.job.JobSpecs;
import io.stillwater.job.Submission;
import io.stillwater.processing.InstanceId;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

/**
 * Cameras' schedules: a still every so often ({@code every}, aligned to the epoch) or on a cron
 * expression (UTC). The {@code camera-schedules} route asks at every tick which slots have come; each
 * slot is claimed in the database first ({@code camera_schedule_slots}), so when several instances
 * share the database exactly one of them makes the slot's job. A slot that passed while no instance
 * ran is not made up for; only the latest slot due is fired.
 */
@Component("cameraSchedules")
public class CameraSchedules {

    private static final Logger log = LoggerFactory.getLogger(CameraSchedules.class);

    private final JdbcClient jdbc;
    private final String instance;
    private final JobRequest request;
    private final Map<String, UnaryOperator<ZonedDateTime>> schedules = new ConcurrentHashMap<>();
    /** Per camera, the time up to which slots have been looked at. */
    private final Map<String, ZonedDateTime> cursors = new ConcurrentHashMap<>();

    public CameraSchedules(JdbcClient jdbc, StillwaterProperties properties, JobSpecs specs, InstanceId instanceId) {
        this.jdbc = jdbc;
        this.instance = instanceId.value();
        // Scheduled stills are background work, rendered with the default preset.
        this.request = specs.normalise(new JobSpec("background", null, null, null, Map.of("schedule", "true")));
        ZonedDateTime start = ZonedDateTime.now(ZoneOffset.UTC);
        for (StillwaterProperties.Cameras.Camera camera : properties.cameras().registry()) {
            StillwaterProperties.Cameras.Schedule schedule = camera.schedule();
            if (schedule == null || (schedule.every() == null && schedule.cron() == null)) {
                continue;
            }
            if (schedule.every() != null && schedule.cron() != null) {
                throw new IllegalStateException("camera " + camera.id() + ": give a schedule `every` or `cron`, not both");
            }
            schedules.put(camera.id(), schedule.every() != null ? every(camera.id(), schedule.every())
                    : CronExpression.parse(schedule.cron())::next);
            cursors.put(camera.id(), start);
        }
    }

    private static UnaryOperator<ZonedDateTime> every(String cameraId, Duration every) {
        if (every.toMillis() < 1000) {
            throw new IllegalStateException("camera " + cameraId + ": a schedule's `every` is at least one second");
        }
        long period = every.toMillis();
        return after -> {
            long next = (Math.floorDiv(after.toInstant().toEpochMilli(), period) + 1) * period;
            return Instant.ofEpochMilli(next).atZone(ZoneOffset.UTC);
        };
    }

    /** The cameras that have a schedule. */
    public boolean any() {
        return !schedules.isEmpty();
    }

    /**
     * The stills whose slots have come since the last tick and that this instance claimed, as capture
     * submissions (background priority, the default preset) due at their slot.
     */
    public List<Submission> due() {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        List<Submission> due = new ArrayList<>();
        schedules.forEach((cameraId, next) -> {
            ZonedDateTime latest = null;
            for (ZonedDateTime slot = next.apply(cursors.get(cameraId)); slot != null && !slot.isAfter(now);
                    slot = next.apply(slot)) {
                latest = slot;
            }
            if (latest == null) {
                return;
            }
            cursors.put(cameraId, latest);
            OffsetDateTime at = latest.toOffsetDateTime();
            if (claim(cameraId, at)) {
                due.add(Submission.ofCamera(cameraId, at, request, null));
            }
        });
        return due;
    }

    /** Whether this instance is the one to fire the camera's slot. */
    private boolean claim(String cameraId, OffsetDateTime slot) {
        try {
            jdbc.sql("INSERT INTO camera_schedule_slots (camera_id, slot_at, instance_id) VALUES (:camera, :slot, :instance)")
                    .param("camera", cameraId).param("slot", slot).param("instance", instance).update();
            return true;
        } catch (DuplicateKeyException taken) {
            log.debug("Schedule slot {} of camera {} was fired by another instance", slot, cameraId);
            return false;
        }
    }
}
