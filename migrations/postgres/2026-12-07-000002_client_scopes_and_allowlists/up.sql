-- API clients for machines (contract section 10): what a client's token may
-- do, as its scope names sorted and separated by spaces, and where it may be
-- used from, as addresses and CIDR ranges separated by spaces ('' is
-- anywhere). Existing clients keep what they could do: read providers, from
-- anywhere.
ALTER TABLE api_clients ADD COLUMN scopes TEXT NOT NULL DEFAULT 'providers:read';
ALTER TABLE api_clients ADD COLUMN allowed_ips TEXT NOT NULL DEFAULT '';
