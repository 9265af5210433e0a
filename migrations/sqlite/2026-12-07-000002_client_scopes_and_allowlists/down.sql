ALTER TABLE api_clients DROP COLUMN allowed_ips;
ALTER TABLE api_clients DROP COLUMN scopes;
