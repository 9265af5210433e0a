-- OpenID Connect sign-ins in progress, between the redirect to the provider
-- and its redirect back, keyed by the `state` sent to the provider. Kept in
-- the database so that any API process can finish a sign-in another started.
-- `browser_hash` is the SHA-256 of the short-lived cookie set on the browser
-- that started it: a callback from another browser does not match. A row is
-- used once (deleted when the callback reads it) and expires within minutes.
CREATE TABLE oidc_sign_ins (
    state          TEXT PRIMARY KEY,
    nonce          TEXT NOT NULL,
    pkce_verifier  TEXT NOT NULL,
    return_to      TEXT NOT NULL,
    browser_hash   TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    expires_at     TIMESTAMP NOT NULL
);
CREATE INDEX oidc_sign_ins_expires_idx ON oidc_sign_ins (expires_at);
