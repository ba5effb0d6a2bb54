-- follicle store, schema version 9 (SQLite): the clinic's premises and owners' overrides on bookings.
-- The same design as ../postgres/0009_premises.sql.
-- Opening hours: one opening and closing time per weekday (0 = Monday), minutes after midnight; a weekday
-- without a row is closed, a clinic without rows has not entered its hours (nothing is refused for them).
CREATE TABLE opening_hours (
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    opens INTEGER NOT NULL CHECK (opens BETWEEN 0 AND 1439),
    closes INTEGER NOT NULL CHECK (closes BETWEEN 1 AND 1440),
    CHECK (closes > opens),
    PRIMARY KEY (clinic_id, weekday)
);
-- The rooms a clinic books; a room no longer used is retired (kept, so old bookings keep their name).
CREATE TABLE rooms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    name TEXT NOT NULL,
    room_key TEXT NOT NULL,
    retired_at INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (clinic_id, room_key)
);
-- An owner's booking despite the screening gate or the opening hours: who, when and why (also audited).
ALTER TABLE appointments ADD COLUMN override_reason TEXT;
ALTER TABLE appointments ADD COLUMN override_by INTEGER REFERENCES users(id);
ALTER TABLE appointments ADD COLUMN override_at INTEGER;
