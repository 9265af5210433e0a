-- Training providers: read-only over the API (GET /providers), written by
-- imports and `users-api seed --providers N`. Writers stamp updated_at while
-- holding the providers write lock, so stamps commit in order and a keyset
-- walk on (updated_at, id) never passes a row that is still to commit.
CREATE TABLE providers (
    id             TEXT NOT NULL PRIMARY KEY CHECK (length(id) = 36),
    ukprn          TEXT NOT NULL CHECK (ukprn GLOB '1[0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
    code           TEXT NOT NULL,
    name           TEXT NOT NULL,
    provider_type  TEXT NOT NULL CHECK (provider_type IN ('hei', 'scitt', 'school', 'other')),
    address_line_1 TEXT NOT NULL,
    address_line_2 TEXT,
    address_line_3 TEXT,
    town           TEXT NOT NULL,
    county         TEXT,
    postcode       TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);

CREATE UNIQUE INDEX providers_ukprn_key ON providers (ukprn);
CREATE UNIQUE INDEX providers_code_key ON providers (code);
-- The change feed's order and keyset cursor.
CREATE INDEX providers_changes_idx ON providers (updated_at, id);
