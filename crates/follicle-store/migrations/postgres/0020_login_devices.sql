-- follicle store, schema version 20 (PostgreSQL): devices that have logged in to an account (OWASP "device cookies").
-- The same design as ../sqlite/0020_login_devices.sql.
-- A successful login gives the browser a random device token in an HttpOnly cookie; only its SHA-256 is kept here,
-- with the account it logged in to, so every node can tell a browser the account has used before from a stranger.
-- Such a browser is throttled by its own failed logins only: attackers failing on the account from elsewhere cannot
-- keep its owner out. used_at: the device's latest successful login (a device unused for long is forgotten).
-- Rows go when the account's password is changed or reset, or the account is disabled.
CREATE TABLE login_devices (
    token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    used_at BIGINT NOT NULL
);
CREATE INDEX login_devices_user ON login_devices (user_id, used_at);
