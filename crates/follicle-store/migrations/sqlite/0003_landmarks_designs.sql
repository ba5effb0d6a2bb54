-- follicle store, schema version 3 (SQLite): landmarks marked on photos, and saved designs (case files).
-- The same design as ../postgres/0003_landmarks_designs.sql.
CREATE TABLE photo_landmarks (
    photo_id INTEGER PRIMARY KEY REFERENCES photos(id),
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    client_id INTEGER NOT NULL REFERENCES clients(id),
    landmarks_json TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES users(id),
    updated_at INTEGER NOT NULL
);
CREATE TABLE designs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    client_id INTEGER NOT NULL REFERENCES clients(id),
    label TEXT NOT NULL,
    case_toml TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX designs_by_client ON designs (client_id);
