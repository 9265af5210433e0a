DROP TRIGGER user_counts_delete ON users;
DROP TRIGGER user_counts_update ON users;
DROP TRIGGER user_counts_insert ON users;
DROP FUNCTION user_counts_updated();
DROP FUNCTION user_counts_inserted_or_deleted();
DROP FUNCTION user_counts_add(BOOLEAN, BOOLEAN, BIGINT);
DROP TABLE user_counts;
