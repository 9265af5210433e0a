-- Emails about API clients (contract section 10): expiry reminders and the
-- notice of a revocation, through the same outbox. SQLite cannot change a
-- CHECK in place, so the table is rebuilt with the same columns and indexes.
CREATE TABLE outbox_emails_rebuilt (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('invitation', 'removal', 'api_client_expiring', 'api_client_revoked')),
    user_id         TEXT NOT NULL REFERENCES users (id),
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_by      TEXT,
    claimed_until   TIMESTAMP,
    last_error      TEXT,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP
);

INSERT INTO outbox_emails_rebuilt SELECT * FROM outbox_emails;
DROP TABLE outbox_emails;
ALTER TABLE outbox_emails_rebuilt RENAME TO outbox_emails;
CREATE INDEX outbox_emails_due_idx ON outbox_emails (next_attempt_at, id) WHERE status = 'queued';
CREATE INDEX outbox_emails_user_idx ON outbox_emails (user_id, created_at);

-- One row per reminder sent: for a client, a day-count and the expiry date it
-- was about. Its key makes a reminder go once, whichever process sends it;
-- a client given a new expiry date is reminded again.
CREATE TABLE api_client_reminders (
    client_id   TEXT      NOT NULL REFERENCES api_clients (id) ON DELETE CASCADE,
    days_before INTEGER   NOT NULL CHECK (days_before > 0),
    expires_on  TEXT      NOT NULL,
    sent_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (client_id, days_before, expires_on)
);
