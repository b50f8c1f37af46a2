-- CSV batches: one row per product, one URL job per image URL of a row. Portable SQL (H2, PostgreSQL).

CREATE TABLE batches (
    id            VARCHAR(36)   NOT NULL PRIMARY KEY,
    -- The spec every job of the batch gets: priority, normalised outputs, callback.
    priority      VARCHAR(20)   NOT NULL,
    outputs_spec  VARCHAR(65536) NOT NULL,
    callback_url  VARCHAR(2048),
    header        VARCHAR(65536) NOT NULL,
    row_count     INTEGER       NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A product row as it came (its cells, as JSON), and whether its jobs exist yet: the batch is accepted
-- at once and its jobs are created in the background (routes/batches.camel.yaml).
CREATE TABLE batch_rows (
    batch_id    VARCHAR(36)   NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    row_number  INTEGER       NOT NULL,
    cells       VARCHAR(65536) NOT NULL,
    urls        VARCHAR(65536) NOT NULL,
    expanded    BOOLEAN       NOT NULL DEFAULT FALSE,
    PRIMARY KEY (batch_id, row_number)
);

CREATE INDEX ix_batch_rows_pending ON batch_rows (expanded, batch_id, row_number);

-- The jobs of a row, in the order of its URLs.
CREATE TABLE batch_jobs (
    batch_id    VARCHAR(36) NOT NULL,
    row_number  INTEGER     NOT NULL,
    url_index   INTEGER     NOT NULL,
    job_id      VARCHAR(36) NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    PRIMARY KEY (batch_id, row_number, url_index),
    FOREIGN KEY (batch_id, row_number) REFERENCES batch_rows (batch_id, row_number) ON DELETE CASCADE
);

CREATE INDEX ix_batch_jobs_job ON batch_jobs (job_id);
