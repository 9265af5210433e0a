DROP TABLE api_client_reminders;
CREATE TABLE outbox_emails_rebuilt (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('invitation', 'removal')),
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

INSERT INTO outbox_emails_rebuilt SELECT * FROM outbox_emails WHERE kind IN ('invitation', 'removal');
DROP TABLE outbox_emails;
ALTER TABLE outbox_emails_rebuilt RENAME TO outbox_emails;
CREATE INDEX outbox_emails_due_idx ON outbox_emails (next_attempt_at, id) WHERE status = 'queued';
CREATE INDEX outbox_emails_user_idx ON outbox_emails (user_id, created_at);
