DROP TABLE api_client_reminders;
DELETE FROM outbox_emails WHERE kind IN ('api_client_expiring', 'api_client_revoked');
ALTER TABLE outbox_emails DROP CONSTRAINT outbox_emails_kind_check;
ALTER TABLE outbox_emails ADD CONSTRAINT outbox_emails_kind_check CHECK (kind IN ('invitation', 'removal'));
