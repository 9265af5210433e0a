ALTER TABLE api_clients DROP COLUMN last_used_ip;
DROP TABLE api_client_usage;
