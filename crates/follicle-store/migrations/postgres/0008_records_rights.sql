-- follicle store, schema version 8 (PostgreSQL): records management and client rights.
-- The same design as ../sqlite/0008_records_rights.sql.
-- The clinic's own settings: its address and logo for client documents, and how many years medical records
-- are kept after the last treatment (erasure on request keeps treatment records, under a pseudonym, that long).
CREATE TABLE clinic_settings (
    clinic_id BIGINT PRIMARY KEY REFERENCES clinics(id),
    address TEXT NOT NULL DEFAULT '',
    retention_years BIGINT NOT NULL DEFAULT 10 CHECK (retention_years BETWEEN 1 AND 100),
    logo BYTEA,
    logo_type TEXT,
    updated_at BIGINT NOT NULL
);
-- A client erased on request: identity gone, treatment records kept under a pseudonym until retain_until.
ALTER TABLE clients ADD COLUMN erased_at BIGINT;
ALTER TABLE clients ADD COLUMN retain_until TEXT;
-- Consultations are medical records: deleting one hides it and keeps it (who, when, why) until erasure.
ALTER TABLE consultations ADD COLUMN deleted_at BIGINT;
ALTER TABLE consultations ADD COLUMN deleted_by BIGINT REFERENCES users(id);
ALTER TABLE consultations ADD COLUMN deleted_reason TEXT;
-- The version a record had before each edit, with the written reason for the edit.
CREATE TABLE record_versions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    client_id BIGINT,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    previous_json TEXT NOT NULL,
    reason TEXT NOT NULL,
    changed_by BIGINT REFERENCES users(id),
    changed_at BIGINT NOT NULL
);
CREATE INDEX record_versions_by_client ON record_versions (clinic_id, client_id);
