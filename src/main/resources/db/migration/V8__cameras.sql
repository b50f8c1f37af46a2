-- Stills captured from the farm's cameras. A camera job names its camera and when its still is due;
-- its original (like a URL job's) is unknown until the capture route has taken and stored the still.
ALTER TABLE jobs ADD COLUMN camera_id VARCHAR(64);
ALTER TABLE jobs ADD COLUMN capture_due_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE jobs ADD COLUMN captured_at TIMESTAMP WITH TIME ZONE;
-- Each camera's last capture, as the cameras list shows it, whichever instance took it.
CREATE INDEX ix_jobs_camera_captured ON jobs (camera_id, captured_at);

-- Each camera's capture slots, shared by every instance: a capture reserves the next free slot (epoch
-- milliseconds) and records when it really asked the camera (last_at), under the row's lock, so the
-- camera's rate holds across consumers and instances.
CREATE TABLE camera_rates (
    camera_id  VARCHAR(64) NOT NULL PRIMARY KEY,
    next_free  BIGINT      NOT NULL,
    last_at    BIGINT      NOT NULL
);

-- Schedule slots already fired: the instance whose insert succeeds creates the slot's capture job,
-- so two instances sharing the database never both fire the same slot.
CREATE TABLE camera_schedule_slots (
    camera_id   VARCHAR(64)  NOT NULL,
    slot_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    instance_id VARCHAR(100) NOT NULL,
    PRIMARY KEY (camera_id, slot_at)
);
