-- follicle store, schema version 9 (PostgreSQL): the clinic's premises and owners' overrides on bookings.
-- The same design as ../sqlite/0009_premises.sql.
-- Opening hours: one opening and closing time per weekday (0 = Monday), minutes after midnight; a weekday
-- without a row is closed, a clinic without rows has not entered its hours (nothing is refused for them).
CREATE TABLE opening_hours (
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    weekday BIGINT NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    opens BIGINT NOT NULL CHECK (opens BETWEEN 0 AND 1439),
    closes BIGINT NOT NULL CHECK (closes BETWEEN 1 AND 1440),
    CHECK (closes > opens),
    PRIMARY KEY (clinic_id, weekday)
);
-- The rooms a clinic books; a room no longer used is retired (kept, so old bookings keep their name).
CREATE TABLE rooms (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    name TEXT NOT NULL,
    room_key TEXT NOT NULL,
    retired_at BIGINT,
    created_at BIGINT NOT NULL,
    UNIQUE (clinic_id, room_key)
);
-- An owner's booking despite the screening gate or the opening hours: who, when and why (also audited).
ALTER TABLE appointments ADD COLUMN override_reason TEXT;
ALTER TABLE appointments ADD COLUMN override_by BIGINT REFERENCES users(id);
ALTER TABLE appointments ADD COLUMN override_at BIGINT;
