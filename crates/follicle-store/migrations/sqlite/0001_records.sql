-- follicle store, schema version 1 (SQLite): clinics, users and the clinic records.
-- The same design as ../postgres/0001_records.sql; only the id and type spellings differ.
CREATE TABLE clinics (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'practitioner', 'front_desk')),
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE clients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    reference TEXT NOT NULL,
    name TEXT NOT NULL,
    date_of_birth TEXT,
    email TEXT,
    phone TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (clinic_id, reference)
);
CREATE INDEX clients_by_name ON clients (clinic_id, name);
CREATE TABLE consultations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    client_id INTEGER NOT NULL REFERENCES clients(id),
    held_on TEXT NOT NULL,
    outcome TEXT NOT NULL,
    intake_json TEXT NOT NULL,
    screening_json TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX consultations_by_client ON consultations (client_id);
CREATE TABLE plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    client_id INTEGER NOT NULL REFERENCES clients(id),
    parent_id INTEGER REFERENCES plans(id),
    label TEXT NOT NULL,
    case_toml TEXT,
    seed INTEGER NOT NULL,
    sessions INTEGER NOT NULL,
    impressions INTEGER NOT NULL,
    plan_json TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX plans_by_client ON plans (client_id);
CREATE TABLE treatment_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    client_id INTEGER NOT NULL REFERENCES clients(id),
    session_index INTEGER NOT NULL,
    held_on TEXT NOT NULL,
    record_json TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    UNIQUE (client_id, session_index)
);
CREATE TABLE pigments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    pigment_key TEXT NOT NULL,
    pigment_json TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (clinic_id, pigment_key)
);
CREATE TABLE lots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    pigment_key TEXT NOT NULL,
    number TEXT NOT NULL,
    expiry TEXT NOT NULL,
    received TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (clinic_id, number)
);
CREATE TABLE consents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    client_id INTEGER NOT NULL REFERENCES clients(id),
    text_id TEXT NOT NULL,
    text_version INTEGER NOT NULL,
    signed_at TEXT NOT NULL,
    signed_json TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE TABLE photos (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    client_id INTEGER NOT NULL REFERENCES clients(id),
    sha256 TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    caption TEXT,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    user_id INTEGER REFERENCES users(id),
    at INTEGER NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    client_id INTEGER,
    detail TEXT NOT NULL
);
CREATE INDEX audit_by_clinic ON audit_log (clinic_id, id);
