-- follicle store, schema version 12 (PostgreSQL): which landmarks of a photo were proposed automatically (the
-- face found in the browser on upload or in the design editor) and not yet confirmed by the practitioner,
-- kept with the marks so another tablet, or a reload, still shows "proposed, please confirm". A JSON array of
-- landmark names, each one also in landmarks_json; the others are confirmed. The same design as
-- ../sqlite/0012_proposed_landmarks.sql. Landmarks stored before this version were all placed or confirmed.
ALTER TABLE photo_landmarks ADD COLUMN proposed_json TEXT NOT NULL DEFAULT '[]';
