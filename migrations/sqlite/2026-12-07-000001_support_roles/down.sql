-- Back to the shape before roles: no support_role, and the counters of
-- (active, api_user) rebuilt from the users as they are.
DROP TRIGGER user_counts_insert;
DROP TRIGGER user_counts_update;
DROP TRIGGER user_counts_delete;
DROP TABLE user_counts;
DROP INDEX users_live_role_order_idx;
ALTER TABLE users DROP COLUMN support_role;

CREATE TABLE user_counts (
    active   BOOLEAN NOT NULL,
    api_user BOOLEAN NOT NULL,
    shard    INTEGER NOT NULL CHECK (shard = 0),
    live     INTEGER NOT NULL,
    PRIMARY KEY (active, api_user, shard)
);

INSERT INTO user_counts (active, api_user, shard, live)
SELECT a.v, k.v, 0,
       (SELECT count(*) FROM users WHERE deleted_at IS NULL AND active = a.v AND api_user = k.v)
FROM (SELECT 1 AS v UNION ALL SELECT 0) AS a, (SELECT 1 AS v UNION ALL SELECT 0) AS k;

CREATE TRIGGER user_counts_insert AFTER INSERT ON users WHEN NEW.deleted_at IS NULL
BEGIN
    UPDATE user_counts SET live = live + 1 WHERE active = NEW.active AND api_user = NEW.api_user;
END;

CREATE TRIGGER user_counts_update AFTER UPDATE OF active, api_user, deleted_at ON users
BEGIN
    UPDATE user_counts SET live = live - 1
    WHERE OLD.deleted_at IS NULL AND active = OLD.active AND api_user = OLD.api_user;
    UPDATE user_counts SET live = live + 1
    WHERE NEW.deleted_at IS NULL AND active = NEW.active AND api_user = NEW.api_user;
END;

CREATE TRIGGER user_counts_delete AFTER DELETE ON users WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE user_counts SET live = live - 1 WHERE active = OLD.active AND api_user = OLD.api_user;
END;
