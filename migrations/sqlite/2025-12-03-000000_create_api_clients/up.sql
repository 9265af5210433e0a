-- API clients: machine credentials that an API user (or a support user)
-- owns. Only a keyed hash (HMAC-SHA-256) of each token is kept; the token
-- itself is shown once. After a rotation the previous token's hash is kept
-- until the grace period ends.
CREATE TABLE api_clients (
    id                         TEXT NOT NULL PRIMARY KEY CHECK (length(id) = 36),
    owner_id                   TEXT NOT NULL REFERENCES users (id),
    name                       TEXT NOT NULL,
    name_key                   TEXT NOT NULL,
    token_hash                 TEXT NOT NULL CHECK (length(token_hash) = 64),
    previous_token_hash        TEXT CHECK (length(previous_token_hash) = 64),
    previous_token_valid_until TIMESTAMP,
    expires_on                 TEXT NOT NULL CHECK (expires_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    revoked_at                 TIMESTAMP,
    rotated_at                 TIMESTAMP,
    last_used_at               TIMESTAMP,
    created_at                 TIMESTAMP NOT NULL,
    updated_at                 TIMESTAMP NOT NULL,
    deleted_at                 TIMESTAMP
);

CREATE UNIQUE INDEX api_clients_token_hash_key ON api_clients (token_hash);
CREATE INDEX api_clients_previous_token_hash_idx ON api_clients (previous_token_hash)
    WHERE previous_token_hash IS NOT NULL;
CREATE UNIQUE INDEX api_clients_owner_name_live_key ON api_clients (owner_id, name_key) WHERE deleted_at IS NULL;
CREATE INDEX api_clients_live_order_idx ON api_clients (name_key, id) WHERE deleted_at IS NULL;
CREATE INDEX api_clients_owner_live_order_idx ON api_clients (owner_id, name_key, id) WHERE deleted_at IS NULL;

-- Rate-limit counters: one row per key (a client or an IP address) per clock
-- minute, shared by every API process on this database file.
CREATE TABLE rate_limit_buckets (
    bucket_key TEXT NOT NULL,
    minute     BIGINT NOT NULL,
    hits       BIGINT NOT NULL,
    PRIMARY KEY (bucket_key, minute)
) WITHOUT ROWID;
CREATE INDEX rate_limit_buckets_minute_idx ON rate_limit_buckets (minute);
