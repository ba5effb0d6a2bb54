-- follicle store, schema version 15 (PostgreSQL): the clinic's time zone, and login attempts in flight.
-- The same design as ../sqlite/0015_zone_and_logins.sql.
-- The clinic's IANA time zone (e.g. Europe/Warsaw): which day "today" is and what wall-clock time a booking,
-- the opening hours, the breaks and the closed dates mean, the same on every node. NULL only for clinics made
-- before this version: the first node started afterwards stores its --tz there.
ALTER TABLE clinics ADD COLUMN time_zone TEXT CHECK (time_zone IS NULL OR length(time_zone) BETWEEN 1 AND 64);
-- Password checks under way on a throttle key (an account or an address), apart from the failures: a failure is
-- counted only once the password check fails, and an attempt that would pass the throttle only if the ones in
-- flight succeed waits for them. pending_at: when the latest one started (a node that died mid-check leaves a
-- count that is ignored after a minute).
ALTER TABLE login_throttle ADD COLUMN pending BIGINT NOT NULL DEFAULT 0 CHECK (pending >= 0);
ALTER TABLE login_throttle ADD COLUMN pending_at BIGINT NOT NULL DEFAULT 0;
