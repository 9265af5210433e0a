-- Users of the Register of training providers' support interface and API.
-- TEXT compares with the BINARY collation (code point order for UTF-8), the
-- same as PostgreSQL's "C" collation (contract section 8). Timestamps are
-- UTC, stored as text with microseconds.
CREATE TABLE users (
    id                    TEXT NOT NULL PRIMARY KEY CHECK (length(id) = 36),
    first_name            TEXT NOT NULL,
    last_name             TEXT NOT NULL,
    email                 TEXT NOT NULL CHECK (email = lower(email)),
    api_user              BOOLEAN NOT NULL,
    active                BOOLEAN NOT NULL DEFAULT 1,
    first_name_key        TEXT NOT NULL,
    last_name_key         TEXT NOT NULL,
    full_name_key         TEXT NOT NULL,
    dfe_sign_in_subject   TEXT,
    last_signed_in_at     TIMESTAMP,
    tokens_revoked_before TEXT,
    version               BIGINT NOT NULL DEFAULT 1,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL,
    deleted_at            TIMESTAMP,
    deleted_by            TEXT
);

CREATE UNIQUE INDEX users_email_live_key ON users (lower(email)) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX users_dfe_sign_in_subject_key ON users (dfe_sign_in_subject)
    WHERE dfe_sign_in_subject IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX users_live_order_idx ON users (first_name_key, last_name_key, id) WHERE deleted_at IS NULL;
CREATE INDEX users_live_status_order_idx ON users (active, first_name_key, last_name_key, id) WHERE deleted_at IS NULL;
CREATE INDEX users_live_type_order_idx ON users (api_user, first_name_key, last_name_key, id) WHERE deleted_at IS NULL;
CREATE INDEX users_live_full_name_idx ON users (full_name_key) WHERE deleted_at IS NULL;
CREATE INDEX users_live_last_name_idx ON users (last_name_key) WHERE deleted_at IS NULL;
CREATE INDEX users_live_email_idx ON users (email) WHERE deleted_at IS NULL;
CREATE INDEX users_active_support_idx ON users (id) WHERE deleted_at IS NULL AND active AND NOT api_user;
