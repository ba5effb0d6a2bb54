-- follicle store, schema version 6 (SQLite): a design's versions and the client's chosen design.
-- Saving a design again makes a new row that names the version it follows (previous_id); the design the
-- sessions follow is one row per client. The same design as ../postgres/0006_design_versions.sql.
ALTER TABLE designs ADD COLUMN previous_id INTEGER REFERENCES designs(id);
CREATE TABLE chosen_designs (
    client_id INTEGER PRIMARY KEY REFERENCES clients(id),
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    design_id INTEGER NOT NULL REFERENCES designs(id),
    chosen_by INTEGER NOT NULL REFERENCES users(id),
    chosen_at INTEGER NOT NULL
);
