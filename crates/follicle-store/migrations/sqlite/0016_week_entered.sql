-- follicle store, schema version 16 (SQLite): whether the clinic has entered its week.
-- The same design as ../postgres/0016_week_entered.sql.
-- A week with every day closed (holiday season) has no opening_hours rows, like a clinic that has not entered its
-- hours yet; this says which it is. 1: the hours are entered (a weekday without a row is closed, bookings on it
-- are refused); 0: no hours entered (any time can be booked). Clinics with hours are marked entered.
ALTER TABLE clinics ADD COLUMN week_entered INTEGER NOT NULL DEFAULT 0 CHECK (week_entered IN (0, 1));
UPDATE clinics SET week_entered = 1 WHERE id IN (SELECT clinic_id FROM opening_hours);
