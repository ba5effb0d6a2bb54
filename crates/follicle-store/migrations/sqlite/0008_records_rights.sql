-- follicle store, schema version 8 (SQLite): records management and client rights.
-- The same design as ../postgres/0008_records_rights.sql.
-- The clinic's own settings: its address and logo for client documents, and how many years medical records
-- are kept after the last treatment (erasure on request keeps treatment records, under a pseudonym, that long).
CREATE TABLE clinic_settings (
    clinic_id INTEGER PRIMARY KEY REFERENCES clinics(id),
    address TEXT NOT NULL DEFAULT '',
    retention_years INTEGER NOT NULL DEFAULT 10 CHECK (retention_years BETWEEN 1 AND 100),
    logo BLOB,
    logo_type TEXT,
    updated_at INTEGER NOT NULL
);
-- A client erased on request: identity gone, treatment records kept under a pseudonym until retain_until.
ALTER TABLE clients ADD COLUMN erased_at INTEGER;
ALTER TABLE clients ADD COLUMN retain_until TEXT;
-- Consultations are medical records: deleting one hides it and keeps it (who, when, why) until erasure.
ALTER TABLE consultations ADD COLUMN deleted_at INTEGER;
ALTER TABLE consultations ADD COLUMN deleted_by INTEGER REFERENCES users(id);
ALTER TABLE consultations ADD COLUMN deleted_reason TEXT;
-- The version a record had before each edit, with the written reason for the edit.
CREATE TABLE record_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    client_id INTEGER,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    previous_json TEXT NOT NULL,
    reason TEXT NOT NULL,
    changed_by INTEGER REFERENCES users(id),
    changed_at INTEGER NOT NULL
);
CREATE INDEX record_versions_by_client ON record_versions (clinic_id, client_id);
