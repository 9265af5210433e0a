ALTER TABLE users ADD COLUMN tokens_revoked_before TEXT COLLATE "C";
ALTER TABLE users DROP COLUMN token_generation;
