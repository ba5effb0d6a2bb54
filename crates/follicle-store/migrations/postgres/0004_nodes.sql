-- follicle store, schema version 4 (PostgreSQL): what several server processes on one database share.
-- The same design as ../sqlite/0004_nodes.sql.
-- Photo bytes, content-addressed (one row per SHA-256, however many photos show the same bytes), and files
-- made from them (thumbnails), so every node serves every photo; pg_dump includes them.
CREATE TABLE photo_blobs (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    bytes BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE photo_derived (
    sha256 TEXT NOT NULL REFERENCES photo_blobs(sha256) ON DELETE CASCADE,
    suffix TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    PRIMARY KEY (sha256, suffix)
);
CREATE INDEX photos_by_sha256 ON photos (sha256);
-- Failed-login counters: one row per hashed key (an account or a client address), fixed size whatever was
-- typed, deleted once quiet for the throttle window.
CREATE TABLE login_throttle (
    key_hash TEXT PRIMARY KEY CHECK (length(key_hash) = 64),
    failures BIGINT NOT NULL,
    last_at BIGINT NOT NULL
);
CREATE INDEX login_throttle_by_age ON login_throttle (last_at);
-- One-time set-up tokens (only their SHA-256), valid until expires_at, while the studio has no user.
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    expires_at BIGINT NOT NULL
);
