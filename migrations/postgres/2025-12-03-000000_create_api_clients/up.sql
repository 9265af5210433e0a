-- API clients: machine credentials that an API user (or a support user)
-- owns. Only a keyed hash (HMAC-SHA-256) of each token is kept; the token
-- itself is shown once. After a rotation the previous token's hash is kept
-- until the grace period ends.
CREATE TABLE api_clients (
    id                         TEXT COLLATE "C" PRIMARY KEY CHECK (length(id) = 36),
    owner_id                   TEXT COLLATE "C" NOT NULL REFERENCES users (id),
    name                       TEXT NOT NULL,
    name_key                   TEXT COLLATE "C" NOT NULL,
    token_hash                 TEXT COLLATE "C" NOT NULL CHECK (length(token_hash) = 64),
    previous_token_hash        TEXT COLLATE "C" CHECK (length(previous_token_hash) = 64),
    previous_token_valid_until TIMESTAMP(6),
    expires_on                 TEXT COLLATE "C" NOT NULL CHECK (expires_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    revoked_at                 TIMESTAMP(6),
    rotated_at                 TIMESTAMP(6),
    last_used_at               TIMESTAMP(6),
    created_at                 TIMESTAMP(6) NOT NULL,
    updated_at                 TIMESTAMP(6) NOT NULL,
    deleted_at                 TIMESTAMP(6)
);

-- A presented token is found by its hash (current or previous).
CREATE UNIQUE INDEX api_clients_token_hash_key ON api_clients (token_hash);
CREATE INDEX api_clients_previous_token_hash_idx ON api_clients (previous_token_hash)
    WHERE previous_token_hash IS NOT NULL;
-- Names are unique per owner, ignoring case, among clients not deleted.
CREATE UNIQUE INDEX api_clients_owner_name_live_key ON api_clients (owner_id, name_key) WHERE deleted_at IS NULL;
-- The list's order and keyset cursor, for support users (all) and API users (their own).
CREATE INDEX api_clients_live_order_idx ON api_clients (name_key, id) WHERE deleted_at IS NULL;
CREATE INDEX api_clients_owner_live_order_idx ON api_clients (owner_id, name_key, id) WHERE deleted_at IS NULL;

-- Rate-limit counters: one row per key (a client or an IP address) per clock
-- minute, shared by every API process. UNLOGGED: losing them in a crash only
-- forgives a minute of requests, and it spares the write-ahead log a write
-- per request.
CREATE UNLOGGED TABLE rate_limit_buckets (
    bucket_key TEXT COLLATE "C" NOT NULL,
    minute     BIGINT NOT NULL,
    hits       BIGINT NOT NULL,
    PRIMARY KEY (bucket_key, minute)
);
CREATE INDEX rate_limit_buckets_minute_idx ON rate_limit_buckets (minute);
