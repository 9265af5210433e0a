-- The statements the API sends for this request (captured from PostgreSQL's
-- statement log), run by pgbench as the database's own ceiling. bench/run.py
-- passes :caller (the support user), :cursor_* and :client_hash with -D.
SELECT "users"."id", "users"."first_name", "users"."last_name", "users"."email", "users"."api_user", "users"."active", "users"."first_name_key", "users"."last_name_key", "users"."dfe_sign_in_subject", "users"."last_signed_in_at", "users"."tokens_revoked_before", "users"."version", "users"."created_at", "users"."updated_at" FROM "users" WHERE (("users"."id" = :caller) AND ("users"."deleted_at" IS NULL)) LIMIT 1;
SELECT "users"."id", "users"."first_name", "users"."last_name", "users"."email", "users"."api_user", "users"."active", "users"."first_name_key", "users"."last_name_key", "users"."dfe_sign_in_subject", "users"."last_signed_in_at", "users"."tokens_revoked_before", "users"."version", "users"."created_at", "users"."updated_at" FROM "users" WHERE ("users"."deleted_at" IS NULL) ORDER BY "users"."first_name_key" ASC, "users"."last_name_key" ASC, "users"."id" ASC LIMIT 26 OFFSET 40000;
SELECT SUM("user_counts"."live") FROM "user_counts";
