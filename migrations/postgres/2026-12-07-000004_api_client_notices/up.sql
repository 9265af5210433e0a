-- Emails about API clients (contract section 10): expiry reminders and the
-- notice of a revocation, through the same outbox.
ALTER TABLE outbox_emails DROP CONSTRAINT outbox_emails_kind_check;
ALTER TABLE outbox_emails ADD CONSTRAINT outbox_emails_kind_check
    CHECK (kind IN ('invitation', 'removal', 'api_client_expiring', 'api_client_revoked'));

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
