DROP TABLE rate_limit_buckets;
DROP TABLE api_clients;
