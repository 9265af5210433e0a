-- Users of the Register of training providers' support interface and API.
-- Text keys use the "C" collation so that ordering is by code point, the
-- same as SQLite's default BINARY collation (contract section 8).
CREATE TABLE users (
    id                    TEXT COLLATE "C" PRIMARY KEY CHECK (length(id) = 36),
    first_name            TEXT NOT NULL,
    last_name             TEXT NOT NULL,
    email                 TEXT COLLATE "C" NOT NULL CHECK (email = lower(email)),
    api_user              BOOLEAN NOT NULL,
    active                BOOLEAN NOT NULL DEFAULT TRUE,
    first_name_key        TEXT COLLATE "C" NOT NULL,
    last_name_key         TEXT COLLATE "C" NOT NULL,
    full_name_key         TEXT COLLATE "C" NOT NULL,
    dfe_sign_in_subject   TEXT COLLATE "C",
    last_signed_in_at     TIMESTAMP(6),
    tokens_revoked_before TEXT COLLATE "C",
    version               BIGINT NOT NULL DEFAULT 1,
    created_at            TIMESTAMP(6) NOT NULL,
    updated_at            TIMESTAMP(6) NOT NULL,
    deleted_at            TIMESTAMP(6),
    deleted_by            TEXT COLLATE "C"
);

-- One live account per address, whatever its case; a deleted user's address
-- can be used again. Concurrent creates race on this index, not on a SELECT.
CREATE UNIQUE INDEX users_email_live_key ON users (lower(email)) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX users_dfe_sign_in_subject_key ON users (dfe_sign_in_subject)
    WHERE dfe_sign_in_subject IS NOT NULL AND deleted_at IS NULL;

-- The list's order, and its keyset cursor.
CREATE INDEX users_live_order_idx ON users (first_name_key, last_name_key, id) WHERE deleted_at IS NULL;
-- The same order within the status and type filters.
CREATE INDEX users_live_status_order_idx ON users (active, first_name_key, last_name_key, id) WHERE deleted_at IS NULL;
CREATE INDEX users_live_type_order_idx ON users (api_user, first_name_key, last_name_key, id) WHERE deleted_at IS NULL;
-- Prefix search: "first last" (which covers first name), last name, email.
CREATE INDEX users_live_full_name_idx ON users (full_name_key) WHERE deleted_at IS NULL;
CREATE INDEX users_live_last_name_idx ON users (last_name_key) WHERE deleted_at IS NULL;
CREATE INDEX users_live_email_idx ON users (email) WHERE deleted_at IS NULL;
-- The last-active-support-user guard counts these.
CREATE INDEX users_active_support_idx ON users (id) WHERE deleted_at IS NULL AND active AND NOT api_user;
