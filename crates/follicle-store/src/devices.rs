//! Known devices for the login throttle (OWASP "device cookies"): a browser that has logged in to an account holds
//! a random token in a cookie; the database keeps only its SHA-256 with the account, so every node recognises it.
//! The server throttles such a browser by its own failures only, so attackers failing on the account elsewhere
//! cannot keep its owner out. A device is forgotten when unused for long, when the account keeps too many, and
//! when the account's password is changed or reset or the account is disabled (see `records.rs`).

use crate::driver::{int, text, Conn, Driver};
use crate::records::SqlStore;
use crate::*;

/// Most devices remembered per account; a new login beyond them forgets the one unused the longest.
pub const MAX_DEVICES_PER_USER: i64 = 20;

/// The devices that have logged in to accounts (part of every [`Store`]).
pub trait KnownDevices {
    /// The active account a device (the SHA-256 of its token) logged in to, when it was used since `since`.
    fn device_user(&self, token_hash: &str, since: i64) -> Result<Option<UserId>>;
    /// Remembers a device after a successful login to `user` (a device already known to the account is marked as
    /// used `now`); forgets every device unused since `since` and the account's devices beyond
    /// [`MAX_DEVICES_PER_USER`], the longest unused first.
    fn remember_device(&self, user: UserId, token_hash: &str, now: i64, since: i64) -> Result<()>;
    /// How many devices are remembered (all accounts).
    fn device_rows(&self) -> Result<i64>;
}

/// Forgets every device of `user` (inside the caller's transaction: a password changed or reset, a user disabled).
pub(crate) fn forget_devices(c: &mut dyn Conn, user: UserId) -> Result<()> {
    c.exec("DELETE FROM login_devices WHERE user_id = ?", &[int(user)])
        .map(|_| ())
}

impl<D: Driver> KnownDevices for SqlStore<D> {
    fn device_user(&self, token_hash: &str, since: i64) -> Result<Option<UserId>> {
        self.read_tx(|c| {
            c.query(
                "SELECT d.user_id FROM login_devices d JOIN users u ON u.id = d.user_id WHERE d.token_hash = ? AND d.used_at >= ? AND u.disabled_at IS NULL",
                &[text(token_hash), int(since)],
            )?
            .first()
            .map(|r| r.i(0))
            .transpose()
        })
    }

    fn remember_device(&self, user: UserId, token_hash: &str, now: i64, since: i64) -> Result<()> {
        self.write_tx(|c| {
            c.exec(
                "DELETE FROM login_devices WHERE used_at < ?",
                &[int(since)],
            )?;
            // A token of another account is never taken over: it stays that account's (the caller made a new one).
            c.exec(
                "INSERT INTO login_devices (token_hash, user_id, created_at, used_at) VALUES (?, ?, ?, ?) ON CONFLICT (token_hash) DO UPDATE SET used_at = excluded.used_at WHERE login_devices.user_id = excluded.user_id",
                &[text(token_hash), int(user), int(now), int(now)],
            )?;
            c.exec(
                "DELETE FROM login_devices WHERE user_id = ? AND token_hash NOT IN (SELECT token_hash FROM login_devices WHERE user_id = ? ORDER BY used_at DESC, created_at DESC, token_hash LIMIT ?)",
                &[int(user), int(user), int(MAX_DEVICES_PER_USER)],
            )?;
            Ok(())
        })
    }

    fn device_rows(&self) -> Result<i64> {
        self.read_tx(|c| {
            c.one("count", "SELECT COUNT(*) FROM login_devices", &[])?
                .i(0)
        })
    }
}
