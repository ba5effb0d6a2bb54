-- follicle store, schema version 13 (SQLite): closures as periods (a first and a last day, e.g. two weeks in
-- summer) instead of single closed dates. The same design as ../postgres/0013_closed_periods.sql.
-- Every closed date of schema 11 becomes a one-day period with its reason; the old table goes.
-- follicle-clinic's closures checks that a clinic's periods do not overlap and last at most 366 days.
CREATE TABLE closed_periods (
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    first_day TEXT NOT NULL CHECK (length(first_day) = 10),
    last_day TEXT NOT NULL CHECK (length(last_day) = 10),
    reason TEXT NOT NULL,
    CHECK (last_day >= first_day),
    PRIMARY KEY (clinic_id, first_day)
);
INSERT INTO closed_periods (clinic_id, first_day, last_day, reason)
    SELECT clinic_id, day, day, reason FROM closed_dates;
DROP TABLE closed_dates;
