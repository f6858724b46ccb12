-- Pruning deletes runs by age across projects (run-retention-days).
CREATE INDEX runs_by_created_at ON runs (created_at);
