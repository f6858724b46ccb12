-- Paragon's Connect SDK connects accounts in a popup and learns the outcome by polling a session id of its own
-- choosing: an authorization under way may belong to such a session (and say which window to tell when it fails),
-- and keeps the vendor's authorize URL for the popup's first stop on Switchboard, which binds the browser.
ALTER TABLE oauth_states ADD COLUMN sdk_session VARCHAR(64);
ALTER TABLE oauth_states ADD COLUMN opener_origin VARCHAR(255);
ALTER TABLE oauth_states ADD COLUMN authorize_url TEXT;
-- How each SDK session ended: the credential it connected, or the error that stopped it. Short-lived.
CREATE TABLE sdk_sessions (
    project_id    VARCHAR(64)  NOT NULL,
    session_id    VARCHAR(64)  NOT NULL,
    user_id       VARCHAR(255) NOT NULL,
    credential_id VARCHAR(64),
    error_code    VARCHAR(64),
    created_at    BIGINT       NOT NULL,
    PRIMARY KEY (project_id, session_id)
);
-- A project's Connect page branding: display name, logo URL and accent colour, as JSON.
ALTER TABLE projects ADD COLUMN branding TEXT;
