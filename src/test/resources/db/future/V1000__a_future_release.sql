-- Plays a migration of a release after this one (RollingUpgradeTest): it adds, as every migration must.
CREATE TABLE future_feature (id VARCHAR(64) PRIMARY KEY, created_at BIGINT NOT NULL);
ALTER TABLE runs ADD COLUMN future_detail TEXT;
ALTER TABLE credentials ADD COLUMN future_flag VARCHAR(16) NOT NULL DEFAULT 'off';
