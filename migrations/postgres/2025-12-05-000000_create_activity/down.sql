DROP TABLE activity;
DROP FUNCTION activity_append_only();
