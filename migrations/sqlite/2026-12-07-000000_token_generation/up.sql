-- A user's tokens are ended by a counter carried in each access token
-- (`gen`), not by comparing UUIDv7 ids minted on different clocks: a token
-- works only while its generation is the user's. Deactivation, deletion, a
-- new role and "sign out everywhere" increment it.
ALTER TABLE users ADD COLUMN token_generation BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users DROP COLUMN tokens_revoked_before;
