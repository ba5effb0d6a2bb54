-- follicle store, schema version 5 (PostgreSQL): users can be disabled (NULL = active), and one-time password
-- resets issued by an owner (the token stored only as its SHA-256).
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX password_resets_user ON password_resets (user_id);
