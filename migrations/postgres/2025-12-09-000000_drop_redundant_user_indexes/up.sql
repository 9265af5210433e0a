-- Two indexes of users that others already answer for (issue 10): every new
-- user was written into eleven indexes, and each one costs a create its
-- share of the write.
--
-- Addresses are stored in lower case (a CHECK says so), so users_email_live_key
-- on lower(email) holds what users_live_email_idx held; the search's address
-- range and the address lookups name lower(email) and use it.
DROP INDEX users_live_email_idx;
-- PostgreSQL keeps no statistics of a partial index's expression for the
-- planner, so without these a search's address range was estimated at 0.5 %
-- of all users and the page walked the whole list index (5.8 s a search).
CREATE STATISTICS users_lower_email_stats ON lower(email) FROM users;
ANALYZE users;
-- The guard that keeps one active support user asks whether another exists,
-- and users_live_status_type_order_idx starts with (active, api_user).
DROP INDEX users_active_support_idx;
