-- The operator console's sign-ins. A session is stored as a hash keyed by the admin token (never the cookie's value),
-- so a copy of the store signs no one in, and changing the admin token ends every session.
CREATE TABLE console_sessions (
    id_hash    VARCHAR(64) PRIMARY KEY,
    created_at BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL
);
