-- follicle store, schema version 5 (SQLite): users can be disabled (NULL = active), and one-time password
-- resets issued by an owner (the token stored only as its SHA-256).
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX password_resets_user ON password_resets (user_id);
