-- The result cache and the renditions' lineage. Portable SQL: runs on H2 and PostgreSQL.

-- A job's cache key: its source's SHA-256 and the hash of its normalised outputs
-- (io.stillwater.job.CacheKeys). Intake looks for a finished or running job with the same key;
-- purging a source's renditions clears the key of its jobs, so they are not served again.
ALTER TABLE jobs ADD COLUMN cache_key VARCHAR(160);
CREATE INDEX ix_jobs_cache_key ON jobs (cache_key, status);

-- Every rendition object written, by the source it was rendered from: purging a source finds all of
-- its variants here, without listing the bucket. Written before the object is stored, so an object
-- is never in the store without its row.
CREATE TABLE renditions (
    source_sha256  VARCHAR(64)  NOT NULL,
    object_key     VARCHAR(512) NOT NULL,
    job_id         VARCHAR(36)  NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (source_sha256, object_key, job_id)
);
