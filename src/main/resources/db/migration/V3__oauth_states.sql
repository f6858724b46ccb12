-- One row per OAuth authorization under way: bound to the project, user and integration that started it and
-- to the browser that started it (a hash of its cookie), single use, and short-lived.
CREATE TABLE oauth_states (
    state              VARCHAR(64)  PRIMARY KEY,
    project_id         VARCHAR(64)  NOT NULL,
    user_id            VARCHAR(255) NOT NULL,
    integration        VARCHAR(64)  NOT NULL,
    browser_hash       VARCHAR(64)  NOT NULL,
    code_verifier_enc  TEXT,
    redirect_uri       TEXT         NOT NULL,
    expires_at         BIGINT       NOT NULL
);
