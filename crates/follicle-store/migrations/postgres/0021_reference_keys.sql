-- follicle store, schema version 21 (PostgreSQL): client references unique in a clinic as people read them.
-- The same design as ../sqlite/0021_reference_keys.sql.
-- `AB-12` and `ab-12` are one reference to a receptionist (follicle-clinic's reference_key: spaces at the ends
-- dropped, NFKC, case folded), as user names are since version 17. The store writes each client's key beside the
-- reference, and this unique index refuses a second client with the same key in the clinic even when two requests
-- check at the same instant. Keys of clients made before this version are filled in by the store when it opens,
-- oldest first; a client whose reference reads the same as an earlier one's keeps no key (NULL), so old data
-- still opens, and no new client can take that reference.
ALTER TABLE clients ADD COLUMN reference_key TEXT;
CREATE UNIQUE INDEX clients_reference_key ON clients (clinic_id, reference_key);
