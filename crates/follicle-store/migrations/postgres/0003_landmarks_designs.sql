-- follicle store, schema version 3 (PostgreSQL): landmarks marked on photos, and saved designs (case files).
-- The same design as ../sqlite/0003_landmarks_designs.sql.
CREATE TABLE photo_landmarks (
    photo_id BIGINT PRIMARY KEY REFERENCES photos(id),
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    client_id BIGINT NOT NULL REFERENCES clients(id),
    landmarks_json TEXT NOT NULL,
    updated_by BIGINT NOT NULL REFERENCES users(id),
    updated_at BIGINT NOT NULL
);
CREATE TABLE designs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    client_id BIGINT NOT NULL REFERENCES clients(id),
    label TEXT NOT NULL,
    case_toml TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX designs_by_client ON designs (client_id);
