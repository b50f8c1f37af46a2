-- Webhook notifications, written in the same transaction as the terminal state they announce (an
-- outbox): each terminal event of a job with a callback, and each batch's completion, is one row with
-- its own id, which receivers use to drop a repeated delivery. Portable SQL (H2, PostgreSQL).
CREATE TABLE webhook_events (
    -- A job's event: its history entry's id (<job id>.<n>); a batch's completion: a UUID.
    id            VARCHAR(64)   NOT NULL PRIMARY KEY,
    job_id        VARCHAR(36),
    batch_id      VARCHAR(36),
    event         VARCHAR(40)   NOT NULL,
    callback_url  VARCHAR(2048) NOT NULL,
    -- pending (written), queued (on stillwater.webhooks), delivered (2xx), refused (callback not allowed)
    status        VARCHAR(20)   NOT NULL,
    attempts      INTEGER       NOT NULL DEFAULT 0,
    last_error    VARCHAR(2048),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    delivered_at  TIMESTAMP WITH TIME ZONE,
    -- One completion per batch.
    CONSTRAINT uq_webhook_events_batch UNIQUE (batch_id, event)
);

CREATE INDEX ix_webhook_events_status ON webhook_events (status, created_at);
CREATE INDEX ix_webhook_events_job ON webhook_events (job_id);
