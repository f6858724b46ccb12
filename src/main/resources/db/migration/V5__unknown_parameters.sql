-- A project may drop parameters its actions do not declare instead of refusing them (drop-in migration from
-- ActionKit, which drops them silently); each run records what was dropped.
ALTER TABLE projects ADD COLUMN unknown_parameters VARCHAR(16) NOT NULL DEFAULT 'refuse';
ALTER TABLE runs ADD COLUMN ignored_parameters VARCHAR(1000);
