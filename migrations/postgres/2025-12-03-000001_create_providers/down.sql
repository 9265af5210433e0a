DROP TABLE providers;
