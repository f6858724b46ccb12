-- One row per Idempotency-Key of a user's action run: claimed before the run (outcome NULL), the outcome written
-- after it (sealed, as it holds the vendor's data), kept for 24 hours.
CREATE TABLE idempotency_keys (
    project_id    VARCHAR(64)  NOT NULL,
    user_id       VARCHAR(255) NOT NULL,
    idem_key      VARCHAR(255) NOT NULL,
    request_hash  VARCHAR(64)  NOT NULL,
    outcome_enc   TEXT,
    created_at    BIGINT       NOT NULL,
    PRIMARY KEY (project_id, user_id, idem_key),
    FOREIGN KEY (project_id, user_id) REFERENCES connected_users (project_id, user_id)
);
