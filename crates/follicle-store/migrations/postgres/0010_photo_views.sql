-- follicle store, schema version 10 (PostgreSQL): which view of the client's head each photo shows (several
-- photos, one head: front, top, left, right, back; follicle-render's views). The same design as
-- ../sqlite/0010_photo_views.sql. Photos stored before this version are front photos, as they were registered.
ALTER TABLE photos ADD COLUMN view TEXT NOT NULL DEFAULT 'front'
    CHECK (view IN ('front', 'top', 'left', 'right', 'back'));
