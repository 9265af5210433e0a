-- The statements the API sends for this request (captured from PostgreSQL's
-- statement log), run by pgbench as the database's own ceiling. Every value
-- the API binds as a parameter is a pgbench variable here (bench/run.py passes
-- them with -D), so that PostgreSQL plans these prepared statements as it
-- plans the API's: a bound value can make it plan again on every call.
SELECT "users"."id", "users"."first_name", "users"."last_name", "users"."email", "users"."api_user", "users"."active", "users"."first_name_key", "users"."last_name_key", "users"."dfe_sign_in_subject", "users"."last_signed_in_at", "users"."tokens_revoked_before", "users"."version", "users"."created_at", "users"."updated_at" FROM "users" WHERE (("users"."id" = :caller) AND ("users"."deleted_at" IS NULL)) LIMIT :one;
SELECT "users"."id", "users"."first_name", "users"."last_name", "users"."email", "users"."api_user", "users"."active", "users"."first_name_key", "users"."last_name_key", "users"."dfe_sign_in_subject", "users"."last_signed_in_at", "users"."tokens_revoked_before", "users"."version", "users"."created_at", "users"."updated_at", (SELECT sum("user_counts"."live") FROM "user_counts" LIMIT :one) FROM "users" WHERE ("users"."deleted_at" IS NULL) ORDER BY "users"."first_name_key" ASC, "users"."last_name_key" ASC, "users"."id" ASC LIMIT :limit OFFSET :deep_offset;
