-- follicle store, schema version 18 (SQLite): the consent tablet handed to a client (probe s8 N3).
-- While a login session's row is here, that session serves only the signing screen of that one client; staff take
-- the tablet back with their password, which deletes the row. In the database, so every node refuses the same
-- requests (a session is not tied to one node). Rows of ended sessions are removed with them or at the next
-- hand-over.
CREATE TABLE tablet_handovers (
    token_hash TEXT PRIMARY KEY,
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    client_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
