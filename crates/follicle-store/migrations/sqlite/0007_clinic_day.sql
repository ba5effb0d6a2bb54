-- follicle store, schema version 7 (SQLite): the clinic's day. Appointments (a start and end in UTC seconds, a
-- practitioner, a room), the per-clinic booking lock that makes a clash check and its insert one step on every
-- node, drawn consent signatures (SVG path data) kept with the hash of the exact text shown, and physicians'
-- clearance letters (the file's bytes, in the database so every node serves them) linked to the consultation
-- that recorded the clearance.
CREATE TABLE appointments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    client_id INTEGER NOT NULL REFERENCES clients(id),
    practitioner_id INTEGER NOT NULL REFERENCES users(id),
    room TEXT NOT NULL,
    room_key TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('consultation', 'session', 'touch-up')),
    purpose TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled')),
    cancel_reason TEXT,
    revision INTEGER NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX appointments_by_time ON appointments (clinic_id, starts_at);
CREATE INDEX appointments_by_client ON appointments (clinic_id, client_id, starts_at);
CREATE TABLE booking_locks (
    clinic_id INTEGER PRIMARY KEY REFERENCES clinics(id),
    serial INTEGER NOT NULL
);
CREATE TABLE consent_signatures (
    consent_id INTEGER PRIMARY KEY REFERENCES consents(id),
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    client_id INTEGER NOT NULL REFERENCES clients(id),
    text_sha256 TEXT NOT NULL CHECK (length(text_sha256) = 64),
    pad_width INTEGER NOT NULL,
    pad_height INTEGER NOT NULL,
    path TEXT NOT NULL,
    witness_id INTEGER NOT NULL REFERENCES users(id),
    signed_at INTEGER NOT NULL
);
CREATE TABLE clearance_letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    client_id INTEGER NOT NULL REFERENCES clients(id),
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    content_type TEXT NOT NULL,
    filename TEXT NOT NULL,
    bytes BLOB NOT NULL,
    size INTEGER NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX clearance_letters_by_client ON clearance_letters (clinic_id, client_id);
