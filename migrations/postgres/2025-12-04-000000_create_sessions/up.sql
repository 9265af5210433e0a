-- Signed-in browser sessions. A session is a family of refresh tokens: each
-- refresh uses one token and issues the next. Only a hash of each token is
-- stored. Presenting a used token again revokes the whole family.
CREATE TABLE sessions (
    id            TEXT COLLATE "C" PRIMARY KEY,
    user_id       TEXT COLLATE "C" NOT NULL REFERENCES users (id),
    method        TEXT NOT NULL CHECK (method IN ('dev', 'oidc')),
    created_at    TIMESTAMP(6) NOT NULL,
    last_used_at  TIMESTAMP(6) NOT NULL,
    expires_at    TIMESTAMP(6) NOT NULL,
    revoked_at    TIMESTAMP(6),
    revoked_why   TEXT
);
CREATE INDEX sessions_live_user_idx ON sessions (user_id) WHERE revoked_at IS NULL;

CREATE TABLE refresh_tokens (
    token_hash  TEXT COLLATE "C" PRIMARY KEY,
    session_id  TEXT COLLATE "C" NOT NULL REFERENCES sessions (id),
    created_at  TIMESTAMP(6) NOT NULL,
    used_at     TIMESTAMP(6)
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);
