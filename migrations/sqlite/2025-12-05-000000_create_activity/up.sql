-- Who did what, when: one row per change, sign-in and email outcome, written
-- in the same transaction as what it records. Append-only: the API has no
-- way to change or delete a row; only the retention command removes old ones.
CREATE TABLE activity (
    id           TEXT NOT NULL PRIMARY KEY,
    occurred_at  TIMESTAMP NOT NULL,
    action       TEXT NOT NULL,
    user_id      TEXT,
    actor_id     TEXT,
    actor_name   TEXT,
    changes      TEXT,
    details      TEXT,
    request_id   TEXT
);
CREATE INDEX activity_order_idx ON activity (occurred_at DESC, id DESC);
CREATE INDEX activity_user_idx ON activity (user_id, occurred_at DESC, id DESC);
CREATE INDEX activity_actor_idx ON activity (actor_id, occurred_at DESC, id DESC);
CREATE INDEX activity_action_idx ON activity (action, occurred_at DESC, id DESC);

CREATE TRIGGER activity_no_update BEFORE UPDATE ON activity
BEGIN
    SELECT RAISE(ABORT, 'activity is append-only');
END;
