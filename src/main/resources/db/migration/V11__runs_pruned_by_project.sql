-- Pruning walks the projects that have runs and deletes each one's old runs through runs_by_project, so the index on
-- created_at alone served nothing else and cost every run's insert a fourth B-tree (issue 24).
DROP INDEX runs_by_created_at;
