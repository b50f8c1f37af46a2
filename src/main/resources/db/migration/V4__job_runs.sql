-- A job's run: 1 when it is accepted, one more at each operator's replay. Every job message carries
-- the run it was sent for (header StillwaterRun; a message without one is of run 1), and a worker
-- changes a job only while its run is the message's: a delivery left over from before a replay (a
-- late success or failure, a redelivery) cannot start, end or dead-letter the replayed job.
-- Portable SQL: runs on H2 and PostgreSQL.

ALTER TABLE jobs ADD COLUMN run INTEGER DEFAULT 1 NOT NULL;
