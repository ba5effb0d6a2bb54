-- follicle store, schema version 4 (SQLite): what several server processes on one database share.
-- The same design as ../postgres/0004_nodes.sql.
-- Photo bytes, content-addressed (one row per SHA-256, however many photos show the same bytes), and files
-- made from them (thumbnails), kept empty: a SQLite studio keeps photo files beside the database (docs/server.md).
CREATE TABLE photo_blobs (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    bytes BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE photo_derived (
    sha256 TEXT NOT NULL REFERENCES photo_blobs(sha256) ON DELETE CASCADE,
    suffix TEXT NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (sha256, suffix)
);
CREATE INDEX photos_by_sha256 ON photos (sha256);
-- Failed-login counters: one row per hashed key (an account or a client address), fixed size whatever was
-- typed, deleted once quiet for the throttle window.
CREATE TABLE login_throttle (
    key_hash TEXT PRIMARY KEY CHECK (length(key_hash) = 64),
    failures INTEGER NOT NULL,
    last_at INTEGER NOT NULL
);
CREATE INDEX login_throttle_by_age ON login_throttle (last_at);
-- One-time set-up tokens (only their SHA-256), valid until expires_at, while the studio has no user.
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    expires_at INTEGER NOT NULL
);
