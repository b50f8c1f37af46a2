-- A stable id for every history event: the job id and the event's number within that job's history
-- (1 for `queued`, then 2, 3, ...), exposed as `history[].id` ("<job id>.<seq>"). Unlike the
-- identity column it means the same on every database and instance, so a notification sent for an
-- event can carry it and receivers can drop a second copy. Portable SQL: runs on H2 and PostgreSQL.

ALTER TABLE job_events ADD COLUMN seq INTEGER;

-- Number the events already recorded in the order they were written.
UPDATE job_events SET seq = (SELECT COUNT(*) FROM job_events earlier
                             WHERE earlier.job_id = job_events.job_id AND earlier.id <= job_events.id);

ALTER TABLE job_events ALTER COLUMN seq SET NOT NULL;
-- Every event is written after its job's row is locked by the update it records, so two events of
-- one job never take the same number; the constraint makes sure of it.
ALTER TABLE job_events ADD CONSTRAINT uq_job_events_seq UNIQUE (job_id, seq);
