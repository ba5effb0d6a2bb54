-- follicle store, schema version 11 (SQLite): breaks within a day and closed dates (holidays).
-- The same design as ../postgres/0011_closures.sql.
-- Breaks: minutes after midnight within a weekday (0 = Monday), several a day (at most 4: follicle-clinic's
-- closures), each inside that day's opening hours (checked by follicle-clinic before storing).
CREATE TABLE opening_breaks (
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    starts INTEGER NOT NULL CHECK (starts BETWEEN 0 AND 1439),
    ends INTEGER NOT NULL CHECK (ends BETWEEN 1 AND 1440),
    CHECK (ends > starts),
    PRIMARY KEY (clinic_id, weekday, starts)
);
-- Closed dates: the clinic's civil day (YYYY-MM-DD) and why (shown on the day view and in refusals).
CREATE TABLE closed_dates (
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    day TEXT NOT NULL CHECK (length(day) = 10),
    reason TEXT NOT NULL,
    PRIMARY KEY (clinic_id, day)
);
