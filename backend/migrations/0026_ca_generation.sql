-- Renewing the issuing CA (`eoffice pki renew-ca`): a new issuing CA and TSA under the same root.
-- pki_ca holds the current generation; the ones before move to pki_ca_retired with their keys
-- (still encrypted under the master secret), because each generation keeps publishing the CRL
-- of the certificates it issued (at /pki/crl for generation 1, /pki/crl/N after) until they end.
ALTER TABLE pki_ca ADD COLUMN generation BIGINT NOT NULL DEFAULT 1;

CREATE TABLE pki_ca_retired (
    pemda_id TEXT NOT NULL REFERENCES pemda(id),
    generation BIGINT NOT NULL,
    issuing_cert BYTEA NOT NULL,
    issuing_key TEXT NOT NULL,
    tsa_cert BYTEA NOT NULL,
    tsa_key TEXT NOT NULL,
    retired_by TEXT REFERENCES employee(id),
    retired_ms BIGINT NOT NULL,
    PRIMARY KEY (pemda_id, generation)
);

-- The generation of the issuing CA that certified each signing certificate (its CRL lists it).
ALTER TABLE signing_cert ADD COLUMN ca_generation BIGINT NOT NULL DEFAULT 1;
