-- Back to the shape before roles: no support_role, and the counters of
-- (active, api_user) rebuilt from the users as they are.
DROP TRIGGER user_counts_insert ON users;
DROP TRIGGER user_counts_update ON users;
DROP TRIGGER user_counts_delete ON users;
DROP FUNCTION user_counts_inserted_or_deleted();
DROP FUNCTION user_counts_updated();
DROP FUNCTION user_counts_add(BOOLEAN, BOOLEAN, TEXT, BIGINT);
DROP TABLE user_counts;
DROP INDEX users_live_role_order_idx;
ALTER TABLE users DROP CONSTRAINT users_role_of_support_users_only;
ALTER TABLE users DROP COLUMN support_role;

CREATE TABLE user_counts (
    active   BOOLEAN  NOT NULL,
    api_user BOOLEAN  NOT NULL,
    shard    SMALLINT NOT NULL CHECK (shard BETWEEN 0 AND 15),
    live     INTEGER  NOT NULL,
    PRIMARY KEY (active, api_user, shard)
);

INSERT INTO user_counts (active, api_user, shard, live)
SELECT a, k, s, 0
FROM (VALUES (TRUE), (FALSE)) AS actives (a),
     (VALUES (TRUE), (FALSE)) AS kinds (k),
     generate_series(0, 15) AS shards (s);

UPDATE user_counts SET live = counted.n
FROM (SELECT active, api_user, count(*) AS n FROM users WHERE deleted_at IS NULL GROUP BY active, api_user) AS counted
WHERE user_counts.active = counted.active AND user_counts.api_user = counted.api_user AND user_counts.shard = 0;

CREATE FUNCTION user_counts_add(cell_active BOOLEAN, cell_api_user BOOLEAN, n BIGINT) RETURNS void
LANGUAGE sql AS $$
    UPDATE user_counts SET live = live + n
    WHERE active = cell_active AND api_user = cell_api_user AND shard = pg_backend_pid() % 16;
$$;

CREATE FUNCTION user_counts_inserted_or_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cell RECORD;
    sign BIGINT := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
BEGIN
    FOR cell IN
        SELECT active, api_user, count(*) AS n FROM changed_rows WHERE deleted_at IS NULL
        GROUP BY active, api_user ORDER BY active, api_user
    LOOP
        PERFORM user_counts_add(cell.active, cell.api_user, sign * cell.n);
    END LOOP;
    RETURN NULL;
END;
$$;

CREATE FUNCTION user_counts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cell RECORD;
BEGIN
    FOR cell IN
        SELECT active, api_user, sum(delta) AS n FROM (
            SELECT active, api_user, 1 AS delta FROM new_rows WHERE deleted_at IS NULL
            UNION ALL
            SELECT active, api_user, -1 AS delta FROM old_rows WHERE deleted_at IS NULL
        ) AS changes
        GROUP BY active, api_user HAVING sum(delta) <> 0 ORDER BY active, api_user
    LOOP
        PERFORM user_counts_add(cell.active, cell.api_user, cell.n);
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
