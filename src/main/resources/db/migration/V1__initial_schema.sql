-- One schema for SQLite and PostgreSQL: portable types only; times are epoch milliseconds.

CREATE TABLE projects (
    id          VARCHAR(64)  PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    created_at  BIGINT       NOT NULL
);

CREATE TABLE signing_keys (
    project_id      VARCHAR(64) NOT NULL REFERENCES projects (id),
    kid             VARCHAR(64) NOT NULL,
    public_key_pem  TEXT        NOT NULL,
    created_at      BIGINT      NOT NULL,
    retired_at      BIGINT,
    PRIMARY KEY (project_id, kid)
);

CREATE TABLE integration_configs (
    project_id         VARCHAR(64) NOT NULL REFERENCES projects (id),
    integration        VARCHAR(64) NOT NULL,
    enabled            BOOLEAN     NOT NULL,
    client_id          TEXT,
    client_secret_enc  TEXT,
    scopes             TEXT        NOT NULL,
    urls               TEXT        NOT NULL,
    updated_at         BIGINT      NOT NULL,
    PRIMARY KEY (project_id, integration)
);

CREATE TABLE connected_users (
    project_id  VARCHAR(64)  NOT NULL REFERENCES projects (id),
    user_id     VARCHAR(255) NOT NULL,
    meta        TEXT         NOT NULL,
    created_at  BIGINT       NOT NULL,
    PRIMARY KEY (project_id, user_id)
);

CREATE TABLE credentials (
    id                     VARCHAR(64)  PRIMARY KEY,
    project_id             VARCHAR(64)  NOT NULL,
    user_id                VARCHAR(255) NOT NULL,
    integration            VARCHAR(64)  NOT NULL,
    status                 VARCHAR(16)  NOT NULL,
    status_reason          TEXT,
    access_token_enc       TEXT,
    refresh_token_enc      TEXT,
    api_key_enc            TEXT,
    expires_at             BIGINT,
    provider_id            VARCHAR(255),
    provider_data          TEXT         NOT NULL,
    created_at             BIGINT       NOT NULL,
    refreshed_at           BIGINT,
    refresh_failure_count  INTEGER      NOT NULL DEFAULT 0,
    FOREIGN KEY (project_id, user_id) REFERENCES connected_users (project_id, user_id)
);
CREATE INDEX credentials_by_owner ON credentials (project_id, user_id, integration, created_at);

CREATE TABLE runs (
    id             VARCHAR(64)  PRIMARY KEY,
    project_id     VARCHAR(64)  NOT NULL,
    user_id        VARCHAR(255) NOT NULL,
    action         VARCHAR(128) NOT NULL,
    integration    VARCHAR(64),
    credential_id  VARCHAR(64),
    status         VARCHAR(16)  NOT NULL,
    http_status    INTEGER      NOT NULL,
    error_code     VARCHAR(64),
    duration_ms    BIGINT       NOT NULL,
    request_id     VARCHAR(64)  NOT NULL,
    created_at     BIGINT       NOT NULL
);
CREATE INDEX runs_by_project ON runs (project_id, created_at);
