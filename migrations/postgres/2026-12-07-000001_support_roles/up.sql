-- Support-user roles (contract section 9): viewer, editor, administrator.
-- API users have none. Every support user there already was could do
-- everything, so each becomes an administrator.
ALTER TABLE users ADD COLUMN support_role TEXT COLLATE "C"
    CHECK (support_role IN ('viewer', 'editor', 'administrator'));

-- The counters gain the role, so a list filtered by role has an exact total
-- from a few rows too. They are rebuilt below; their triggers go first, so
-- the update that gives everyone a role does not count every row it touches.
DROP TRIGGER user_counts_insert ON users;
DROP TRIGGER user_counts_update ON users;
DROP TRIGGER user_counts_delete ON users;
DROP FUNCTION user_counts_inserted_or_deleted();
DROP FUNCTION user_counts_updated();
DROP FUNCTION user_counts_add(BOOLEAN, BOOLEAN, BIGINT);
DROP TABLE user_counts;

UPDATE users SET support_role = 'administrator' WHERE NOT api_user;
ALTER TABLE users ADD CONSTRAINT users_role_of_support_users_only
    CHECK ((api_user AND support_role IS NULL) OR (NOT api_user AND support_role IS NOT NULL));

-- The list filtered by role, in list order, and the last-administrator guard.
CREATE INDEX users_live_role_order_idx ON users (support_role, first_name_key, last_name_key, id)
    WHERE deleted_at IS NULL;

-- As before (2025-12-07), with the role ('' for an API user) in each cell.
CREATE TABLE user_counts (
    active       BOOLEAN  NOT NULL,
    api_user     BOOLEAN  NOT NULL,
    support_role TEXT COLLATE "C" NOT NULL,
    shard        SMALLINT NOT NULL CHECK (shard BETWEEN 0 AND 15),
    live         INTEGER  NOT NULL,
    PRIMARY KEY (active, api_user, support_role, shard)
);

INSERT INTO user_counts (active, api_user, support_role, shard, live)
SELECT a, k, r, s, 0
FROM (VALUES (TRUE), (FALSE)) AS actives (a),
     (VALUES (TRUE), (FALSE)) AS kinds (k),
     (VALUES (''), ('viewer'), ('editor'), ('administrator')) AS roles (r),
     generate_series(0, 15) AS shards (s);

UPDATE user_counts SET live = counted.n
FROM (SELECT active, api_user, coalesce(support_role, '') AS support_role, count(*) AS n
      FROM users WHERE deleted_at IS NULL GROUP BY 1, 2, 3) AS counted
WHERE user_counts.active = counted.active AND user_counts.api_user = counted.api_user
  AND user_counts.support_role = counted.support_role AND user_counts.shard = 0;

CREATE FUNCTION user_counts_add(cell_active BOOLEAN, cell_api_user BOOLEAN, cell_role TEXT, n BIGINT) RETURNS void
LANGUAGE sql AS $$
    UPDATE user_counts SET live = live + n
    WHERE active = cell_active AND api_user = cell_api_user AND support_role = cell_role
      AND shard = pg_backend_pid() % 16;
$$;

CREATE FUNCTION user_counts_inserted_or_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cell RECORD;
    sign BIGINT := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
BEGIN
    FOR cell IN
        SELECT active, api_user, coalesce(support_role, '') AS support_role, count(*) AS n
        FROM changed_rows WHERE deleted_at IS NULL
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    LOOP
        PERFORM user_counts_add(cell.active, cell.api_user, cell.support_role, sign * cell.n);
    END LOOP;
    RETURN NULL;
END;
$$;

CREATE FUNCTION user_counts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cell RECORD;
BEGIN
    FOR cell IN
        SELECT active, api_user, support_role, sum(delta) AS n FROM (
            SELECT active, api_user, coalesce(support_role, '') AS support_role, 1 AS delta
            FROM new_rows WHERE deleted_at IS NULL
            UNION ALL
            SELECT active, api_user, coalesce(support_role, '') AS support_role, -1 AS delta
            FROM old_rows WHERE deleted_at IS NULL
        ) AS changes
        GROUP BY 1, 2, 3 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3
    LOOP
        PERFORM user_counts_add(cell.active, cell.api_user, cell.support_role, cell.n);
    END LOOP;
    RETURN NULL;
END;
$$;

CREATE TRIGGER user_counts_insert AFTER INSERT ON users
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION user_counts_inserted_or_deleted();
CREATE TRIGGER user_counts_update AFTER UPDATE ON users
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION user_counts_updated();
CREATE TRIGGER user_counts_delete AFTER DELETE ON users
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION user_counts_inserted_or_deleted();

ANALYZE users;
