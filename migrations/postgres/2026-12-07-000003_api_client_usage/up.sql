-- How much each API client is used, per UTC day (contract section 10): every
-- request made with its token, and those of them answered 403 or 429. Each
-- process tallies in memory and adds its counts every few seconds with one
-- upsert per client and day, so the token path writes nothing per request.
CREATE TABLE api_client_usage (
    client_id TEXT   NOT NULL REFERENCES api_clients (id) ON DELETE CASCADE,
    day       TEXT   NOT NULL CHECK (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    requests  BIGINT NOT NULL CHECK (requests >= 0),
    refused   BIGINT NOT NULL CHECK (refused >= 0 AND refused <= requests),
    PRIMARY KEY (client_id, day)
);
CREATE INDEX api_client_usage_day_idx ON api_client_usage (day);

-- The address its token was last used from.
ALTER TABLE api_clients ADD COLUMN last_used_ip TEXT;
