-- A purged member's id in other flags' audit trail becomes 0 (a tombstone); only that update
-- is allowed on the otherwise append-only trail.
DROP TRIGGER flag_events_append_only_update;
CREATE TRIGGER flag_events_append_only_update BEFORE UPDATE ON flag_events
WHEN NOT (
    NEW.actor_id = 0 AND OLD.actor_id IS NOT NULL
    AND NEW.id = OLD.id AND NEW.flag_id = OLD.flag_id AND NEW.action = OLD.action
    AND NEW.from_state IS OLD.from_state AND NEW.to_state IS OLD.to_state
    AND NEW.note IS OLD.note AND NEW.at = OLD.at
)
BEGIN SELECT RAISE(ABORT, 'flag_events is append-only'); END;
