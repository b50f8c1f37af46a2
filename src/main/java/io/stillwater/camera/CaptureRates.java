package io.stillwater.camera;

import io.stillwater.config.StillwaterProperties;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Each camera's capture rate ({@code max-captures-per-minute}), held by every consumer of every
 * instance: a capture reserves the camera's next free slot in the database, under its row's lock. A
 * capture whose slot is later than now is not waited for on the consumer's thread: the route sends its
 * message back to the capture queue, scheduled for that slot, and it proceeds when it comes back.
 */
@Component("captureRates")
public class CaptureRates {

    /** A slot this close is taken at once: scheduled delivery is not more precise than this anyway. */
    static final long TOLERANCE_MILLIS = 25;

    private final JdbcClient jdbc;
    private final CameraRegistry cameras;

    public CaptureRates(JdbcClient jdbc, CameraRegistry cameras) {
        this.jdbc = jdbc;
        this.cameras = cameras;
        cameras.ids().forEach(this::ensureRow);
    }

    /**
     * Reserves a capture of the camera. A capture goes ahead only when its slot has come and the camera's
     * last capture is at least one interval ago; one that comes late (its consumer was busy) pushes the
     * following ones back rather than crowding them, so the camera never sees two requests closer than
     * the interval.
     *
     * @param reserved the slot reserved for this capture earlier (its message was scheduled for it), or
     *     {@code null}
     * @return 0 to capture now, else the epoch millisecond of the slot reserved, to schedule the capture for
     */
    @Transactional
    public long reserve(String cameraId, Long reserved) {
        long now = System.currentTimeMillis();
        StillwaterProperties.Cameras.Camera camera = cameras.find(cameraId).orElseThrow();
        long interval = (60_000L + camera.maxCapturesPerMinute() - 1) / camera.maxCapturesPerMinute();
        Slots slots = jdbc.sql("SELECT next_free, last_at FROM camera_rates WHERE camera_id = :id FOR UPDATE")
                .param("id", cameraId).query((rs, row) -> new Slots(rs.getLong("next_free"), rs.getLong("last_at")))
                .optional().orElse(null);
        if (slots == null) {
            jdbc.sql("INSERT INTO camera_rates (camera_id, next_free, last_at) VALUES (:id, :next, :now)")
                    .param("id", cameraId).param("next", now + interval).param("now", now).update();
            return 0;
        }
        long earliest = slots.lastAt() + interval - TOLERANCE_MILLIS;
        if (reserved != null && reserved > 0 && reserved <= now + TOLERANCE_MILLIS && now >= earliest) {
            return take(cameraId, Math.max(slots.nextFree(), now + interval), now);
        }
        if (reserved != null && reserved > now + TOLERANCE_MILLIS) {
            return reserved;
        }
        long slot = Math.max(Math.max(now, slots.nextFree()), slots.lastAt() + interval);
        if (slot <= now + TOLERANCE_MILLIS) {
            return take(cameraId, slot + interval, now);
        }
        jdbc.sql("UPDATE camera_rates SET next_free = :next WHERE camera_id = :id")
                .param("next", slot + interval).param("id", cameraId).update();
        return slot;
    }

    private record Slots(long nextFree, long lastAt) {}

    /** The capture goes ahead now: the camera's last capture is now. */
    private long take(String cameraId, long nextFree, long now) {
        jdbc.sql("UPDATE camera_rates SET next_free = :next, last_at = :now WHERE camera_id = :id")
                .param("next", nextFree).param("now", now).param("id", cameraId).update();
        return 0;
    }

    /** Every configured camera has its row before the first capture, so reservations only ever lock it. */
    private void ensureRow(String cameraId) {
        try {
            jdbc.sql("""
                    INSERT INTO camera_rates (camera_id, next_free, last_at)
                    SELECT :id, 0, 0 WHERE NOT EXISTS (SELECT 1 FROM camera_rates WHERE camera_id = :id)
                    """).param("id", cameraId).update();
        } catch (DuplicateKeyException raced) {
            // Another instance made it at the same moment.
        }
    }
}
