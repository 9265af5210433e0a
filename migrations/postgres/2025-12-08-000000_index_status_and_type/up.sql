-- The list filtered by both status and type, in list order. With only the
-- one-filter indexes, SQLite (no statistics) walked the type index and read
-- rows until enough had the status: with few inactive users of the early
-- names, 1.9 s a page at a million users.
CREATE INDEX users_live_status_type_order_idx
    ON users (active, api_user, first_name_key, last_name_key, id) WHERE deleted_at IS NULL;
