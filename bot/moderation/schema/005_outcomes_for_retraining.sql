-- Moderators' decisions become data (issue 11, part 4).
-- detected_category: what the detector said about the message ('none' when it did not flag it,
--   e.g. a member report of a message it let through), so a report resolved as crisis counts
--   as a crisis the detector missed.
-- resolved_category: the category the moderator confirmed when resolving ('other' for a report
--   that was none of the detector's categories).
-- training_text: the message's text, kept only under [moderation] keep_text_for_training,
--   cleared with the excerpt (message deleted, retention period, purge of the member).
ALTER TABLE flags ADD COLUMN detected_category TEXT;
ALTER TABLE flags ADD COLUMN resolved_category TEXT;
ALTER TABLE flags ADD COLUMN training_text TEXT
    CHECK (training_text IS NULL OR length(training_text) <= 4000);
UPDATE flags SET detected_category =
    CASE WHEN category = 'member-report' THEN 'none' ELSE category END;
UPDATE flags SET resolved_category =
    CASE WHEN category = 'member-report' THEN 'other' ELSE category END
    WHERE state = 'resolved';
CREATE INDEX flags_created ON flags(created_at);
-- The learned model's load failures moderators were told about: one post per distinct failure.
CREATE TABLE model_notices (
    failure TEXT PRIMARY KEY,
    posted_at TEXT NOT NULL
);
