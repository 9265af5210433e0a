DROP STATISTICS users_lower_email_stats;
CREATE INDEX users_active_support_idx ON users (id) WHERE deleted_at IS NULL AND active AND NOT api_user;
CREATE INDEX users_live_email_idx ON users (email) WHERE deleted_at IS NULL;
