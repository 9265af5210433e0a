-- The statements the API sends for this request (captured from PostgreSQL's
-- statement log), run by pgbench as the database's own ceiling. bench/run.py
-- passes :caller (the support user), :cursor_* and :client_hash with -D.
-- A new address and id each time, from two random numbers (a clash among
-- the few tens of thousands made in a run has a chance below one in 10^8);
-- ids are UUID-shaped, as the API's are.
\set r1 random(100000000, 999999999)
\set r2 random(100000000, 999999999)
SELECT "users"."id", "users"."first_name", "users"."last_name", "users"."email", "users"."api_user", "users"."active", "users"."first_name_key", "users"."last_name_key", "users"."dfe_sign_in_subject", "users"."last_signed_in_at", "users"."tokens_revoked_before", "users"."version", "users"."created_at", "users"."updated_at" FROM "users" WHERE (("users"."id" = :caller) AND ("users"."deleted_at" IS NULL)) LIMIT 1;
BEGIN;
INSERT INTO "users" ("id", "first_name", "last_name", "email", "api_user", "active", "support_role", "first_name_key", "last_name_key", "full_name_key", "last_signed_in_at", "version", "created_at", "updated_at") VALUES (md5(:r1 || '.' || :r2 || '.user')::uuid::text, 'Bench', 'Writer', 'pgbench.' || :r1 || '.' || :r2 || '@education.gov.uk', false, true, 'viewer', 'bench', 'writer', 'bench writer', DEFAULT, 1, now(), now()) RETURNING "users"."id", "users"."first_name", "users"."last_name", "users"."email", "users"."api_user", "users"."active", "users"."first_name_key", "users"."last_name_key", "users"."dfe_sign_in_subject", "users"."last_signed_in_at", "users"."tokens_revoked_before", "users"."version", "users"."created_at", "users"."updated_at";
INSERT INTO "outbox_emails" ("id", "kind", "user_id", "recipient", "subject", "text_body", "html_body", "next_attempt_at", "created_at", "updated_at") VALUES (md5(:r1 || '.' || :r2 || '.email')::uuid::text, 'invitation', md5(:r1 || '.' || :r2 || '.user')::uuid::text, 'pgbench.' || :r1 || '.' || :r2 || '@education.gov.uk', 'You have been invited to Register of training providers', repeat('t', 560), repeat('h', 1100), now(), now(), now());
INSERT INTO "activity" ("id", "occurred_at", "action", "user_id", "actor_id", "actor_name", "changes", "details", "request_id") VALUES (md5(:r1 || '.' || :r2 || '.activity')::uuid::text, now(), 'user.created', md5(:r1 || '.' || :r2 || '.user')::uuid::text, :caller, 'Bench Support', '{"active":[null,true],"api_user":[null,false],"email":[null,"pgbench@education.gov.uk"],"first_name":[null,"Bench"],"last_name":[null,"Writer"],"support_role":[null,"viewer"]}', NULL, md5(:r1 || '.' || :r2 || '.request')::uuid::text);
COMMIT;
