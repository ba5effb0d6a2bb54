-- follicle store, schema version 22 (PostgreSQL): a client's name, reference, e-mail and phone as a search compares them.
-- The same design as ../sqlite/0022_search_keys.sql.
-- A receptionist types `Lukasz` for Łukasz and `zolk` for Żółkiewski: the store writes beside each client the
-- four fields folded by follicle-clinic's search_fold (compatibility forms made plain, accents dropped, ł → l,
-- ß → ss …, lower case) and a search looks in it as well as in the fields as typed. Keys of clients made before
-- this version are filled in by the store when it opens.
ALTER TABLE clients ADD COLUMN search_key TEXT;
