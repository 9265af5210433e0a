-- Support-user roles (contract section 9): viewer, editor, administrator.
-- API users have none. Every support user there already was could do
-- everything, so each becomes an administrator. (SQLite cannot add the
-- PostgreSQL check that only support users have a role without rebuilding
-- the table; the service keeps that rule.)
ALTER TABLE users ADD COLUMN support_role TEXT CHECK (support_role IN ('viewer', 'editor', 'administrator'));

-- The counters gain the role, so a list filtered by role has an exact total
-- from a few rows too.
DROP TRIGGER user_counts_insert;
DROP TRIGGER user_counts_update;
DROP TRIGGER user_counts_delete;
DROP TABLE user_counts;

UPDATE users SET support_role = 'administrator' WHERE NOT api_user;

CREATE INDEX users_live_role_order_idx ON users (support_role, first_name_key, last_name_key, id)
    WHERE deleted_at IS NULL;

CREATE TABLE user_counts (
    active       BOOLEAN NOT NULL,
    api_user     BOOLEAN NOT NULL,
    support_role TEXT    NOT NULL,
    shard        INTEGER NOT NULL CHECK (shard = 0),
    live         INTEGER NOT NULL,
    PRIMARY KEY (active, api_user, support_role, shard)
);

INSERT INTO user_counts (active, api_user, support_role, shard, live)
SELECT a.v, k.v, r.v, 0,
       (SELECT count(*) FROM users
        WHERE deleted_at IS NULL AND active = a.v AND api_user = k.v AND coalesce(support_role, '') = r.v)
FROM (SELECT 1 AS v UNION ALL SELECT 0) AS a,
     (SELECT 1 AS v UNION ALL SELECT 0) AS k,
     (SELECT '' AS v UNION ALL SELECT 'viewer' UNION ALL SELECT 'editor' UNION ALL SELECT 'administrator') AS r;

CREATE TRIGGER user_counts_insert AFTER INSERT ON users WHEN NEW.deleted_at IS NULL
BEGIN
    UPDATE user_counts SET live = live + 1
    WHERE active = NEW.active AND api_user = NEW.api_user AND support_role = coalesce(NEW.support_role, '');
END;

CREATE TRIGGER user_counts_update AFTER UPDATE OF active, api_user, support_role, deleted_at ON users
BEGIN
    UPDATE user_counts SET live = live - 1
    WHERE OLD.deleted_at IS NULL AND active = OLD.active AND api_user = OLD.api_user
      AND support_role = coalesce(OLD.support_role, '');
    UPDATE user_counts SET live = live + 1
    WHERE NEW.deleted_at IS NULL AND active = NEW.active AND api_user = NEW.api_user
      AND support_role = coalesce(NEW.support_role, '');
END;

CREATE TRIGGER user_counts_delete AFTER DELETE ON users WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE user_counts SET live = live - 1
    WHERE active = OLD.active AND api_user = OLD.api_user AND support_role = coalesce(OLD.support_role, '');
END;
