-- Triggers (ActionKit's Triggers API). Where a project's events are delivered, and the secret that signs them
-- (sealed like every secret). A vendor's own signing secret for the webhooks it pushes (Slack's Events API) is kept
-- with the integration's settings.
ALTER TABLE projects ADD COLUMN trigger_webhook_url TEXT;
ALTER TABLE projects ADD COLUMN trigger_webhook_secret_enc TEXT;
ALTER TABLE integration_configs ADD COLUMN signing_secret_enc TEXT;

-- A user's subscription to one trigger type on one of their accounts. A polling trigger's subscription also holds
-- when it is next polled, what the last polls saw (its cursor), and a node's claim on polling it (a lease).
CREATE TABLE trigger_subscriptions (
    id               VARCHAR(64)  PRIMARY KEY,
    project_id       VARCHAR(64)  NOT NULL,
    user_id          VARCHAR(255) NOT NULL,
    integration      VARCHAR(64)  NOT NULL,
    credential_id    VARCHAR(64)  NOT NULL,
    trigger_type     VARCHAR(128) NOT NULL,
    parameters       TEXT         NOT NULL,
    webhook_override TEXT,
    status           VARCHAR(16)  NOT NULL,
    error            TEXT,
    created_at       BIGINT       NOT NULL,
    updated_at       BIGINT       NOT NULL,
    last_event_at    BIGINT,
    error_kind       VARCHAR(32),
    poll_cursor      TEXT,
    next_poll_at     BIGINT,
    claimed_by       VARCHAR(64),
    claimed_until    BIGINT
);
CREATE INDEX trigger_subscriptions_due ON trigger_subscriptions (status, next_poll_at);
CREATE INDEX trigger_subscriptions_by_user ON trigger_subscriptions (project_id, user_id);
CREATE INDEX trigger_subscriptions_by_type ON trigger_subscriptions (project_id, integration, trigger_type, status);

-- The outbox: each event to deliver, once per (subscription, vendor event), kept after delivery for replay.
-- A node claims a due event by setting claimed_by and claimed_until (a lease another node may take once it ends).
CREATE TABLE trigger_events (
    id              VARCHAR(64)  PRIMARY KEY,
    project_id      VARCHAR(64)  NOT NULL,
    subscription_id VARCHAR(64)  NOT NULL,
    dedupe_key      VARCHAR(255) NOT NULL,
    payload         TEXT         NOT NULL,
    occurred_at     BIGINT       NOT NULL,
    created_at      BIGINT       NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    attempts        INTEGER      NOT NULL,
    next_attempt_at BIGINT       NOT NULL,
    claimed_by      VARCHAR(64),
    claimed_until   BIGINT,
    last_status     INTEGER,
    last_error      TEXT,
    delivered_at    BIGINT,
    UNIQUE (subscription_id, dedupe_key)
);
CREATE INDEX trigger_events_due ON trigger_events (status, next_attempt_at);
CREATE INDEX trigger_events_by_subscription ON trigger_events (subscription_id, created_at);

-- Every delivery attempt: when, the receiver's status or the error, how long it took.
CREATE TABLE trigger_deliveries (
    project_id   VARCHAR(64) NOT NULL,
    event_id     VARCHAR(64) NOT NULL,
    attempt      INTEGER     NOT NULL,
    attempted_at BIGINT      NOT NULL,
    status_code  INTEGER,
    latency_ms   BIGINT      NOT NULL,
    error        TEXT,
    PRIMARY KEY (event_id, attempt)
);
