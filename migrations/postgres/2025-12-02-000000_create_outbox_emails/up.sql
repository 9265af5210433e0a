-- The transactional outbox: an email is written in the same transaction as
-- the change that causes it, then delivered by a worker. A change that rolls
-- back leaves no email; an SMTP outage leaves the email queued.
CREATE TABLE outbox_emails (
    id              TEXT COLLATE "C" PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('invitation', 'removal')),
    user_id         TEXT COLLATE "C" NOT NULL REFERENCES users (id),
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP(6) NOT NULL,
    claimed_by      TEXT,
    claimed_until   TIMESTAMP(6),
    last_error      TEXT,
    created_at      TIMESTAMP(6) NOT NULL,
    updated_at      TIMESTAMP(6) NOT NULL,
    sent_at         TIMESTAMP(6)
);

-- The worker's question: what is due?
CREATE INDEX outbox_emails_due_idx ON outbox_emails (next_attempt_at, id) WHERE status = 'queued';
CREATE INDEX outbox_emails_user_idx ON outbox_emails (user_id, created_at);
