-- Refresh without losing a credential: a version that every refresh increments (so a caller that saw an
-- expired token refreshes only if nobody has since), and a lease that says a refresh is under way, by
-- whom and until when. A lease that outlived its node is the trace of an interrupted refresh.
ALTER TABLE credentials ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE credentials ADD COLUMN refresh_lease VARCHAR(64);
ALTER TABLE credentials ADD COLUMN refresh_lease_until BIGINT;
