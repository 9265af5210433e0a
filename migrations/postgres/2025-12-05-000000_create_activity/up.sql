-- Who did what, when: one row per change, sign-in and email outcome, written
-- in the same transaction as what it records. Append-only: the API has no
-- way to change or delete a row; only the retention command removes old ones.
CREATE TABLE activity (
    id           TEXT COLLATE "C" PRIMARY KEY,
    occurred_at  TIMESTAMP(6) NOT NULL,
    action       TEXT COLLATE "C" NOT NULL,
    user_id      TEXT COLLATE "C",
    actor_id     TEXT COLLATE "C",
    actor_name   TEXT,
    changes      TEXT,
    details      TEXT,
    request_id   TEXT
);
CREATE INDEX activity_order_idx ON activity (occurred_at DESC, id DESC);
CREATE INDEX activity_user_idx ON activity (user_id, occurred_at DESC, id DESC);
CREATE INDEX activity_actor_idx ON activity (actor_id, occurred_at DESC, id DESC);
CREATE INDEX activity_action_idx ON activity (action, occurred_at DESC, id DESC);

-- Append-only, enforced by the database too: rows can be added, and removed
-- only by the retention command (which sets activity.prune for its transaction).
CREATE FUNCTION activity_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('activity.prune', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'activity is append-only';
END;
$$;
CREATE TRIGGER activity_append_only BEFORE UPDATE OR DELETE ON activity
    FOR EACH ROW EXECUTE FUNCTION activity_append_only();
