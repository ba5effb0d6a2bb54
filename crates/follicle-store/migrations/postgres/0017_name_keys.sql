-- follicle store, schema version 17 (PostgreSQL): user and clinic names unique as people read them.
-- The same design as ../sqlite/0017_name_keys.sql.
-- `Alpha` and `alpha` are one user name to people (follicle-clinic's user_name_key: NFKC, then case folded), and
-- ` Studio Nord ` and `STUDIO NORD` one clinic name (clinic_name_key). The store writes each row's key beside the
-- name, and these unique indexes refuse a second row with the same key even when two requests check the names at
-- the same instant. The keys of rows made before this version are filled in by the store when it opens (the
-- folding is Unicode's, written once in Rust); a row that reads the same as an earlier one keeps no key (NULL),
-- so old data still opens, and no new row can take that name.
ALTER TABLE users ADD COLUMN name_key TEXT;
ALTER TABLE clinics ADD COLUMN name_key TEXT;
CREATE UNIQUE INDEX users_name_key ON users (name_key);
CREATE UNIQUE INDEX clinics_name_key ON clinics (name_key);
