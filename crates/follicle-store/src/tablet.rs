//! The consent tablet handed to a client (probe s8 N3): a login session marked as handed to one client serves
//! only that client's signing screen (the server's guard reads the mark with the session, `AuthSession::
//! handed_to`) until staff take it back with their password. The mark is a row of `tablet_handovers` (schema
//! 18), so every node sees it; both changes are audited.

use crate::driver::{int, text, Driver};
use crate::records::{audit, live_client, SqlStore};
use crate::*;

/// The schema version that brought `tablet_handovers`.
pub const HANDOVERS: u32 = 18;

/// Handing the tablet over and taking it back (part of every [`Store`]).
pub trait Tablet {
    /// Marks the login session `token_hash` (of `by`, in `clinic`) as handed to `client` for signing; the client
    /// must be the clinic's and not erased. Rows of ended sessions go at the same time. Audited.
    fn hand_over_tablet(
        &self,
        clinic: ClinicId,
        token_hash: &str,
        client: ClientId,
        by: UserId,
    ) -> Result<()>;
    /// Ends the hand-over of the session `token_hash` (the caller has checked the staff's password). Audited.
    fn take_back_tablet(&self, clinic: ClinicId, token_hash: &str, by: UserId) -> Result<()>;
}

impl<D: Driver> Tablet for SqlStore<D> {
    fn hand_over_tablet(
        &self,
        clinic: ClinicId,
        token_hash: &str,
        client: ClientId,
        by: UserId,
    ) -> Result<()> {
        self.write_tx(|c| {
            live_client(c, clinic, client)?;
            c.exec(
                "DELETE FROM tablet_handovers WHERE token_hash = ? OR token_hash NOT IN (SELECT token_hash FROM auth_sessions)",
                &[text(token_hash)],
            )?;
            c.exec(
                "INSERT INTO tablet_handovers (token_hash, clinic_id, client_id, created_at) VALUES (?, ?, ?, ?)",
                &[text(token_hash), int(clinic), int(client), int(now_unix())],
            )?;
            audit(c, clinic, Some(by), "hand over", "tablet", Some(client.0), Some(client), "for signing the consent")
        })
    }

    fn take_back_tablet(&self, clinic: ClinicId, token_hash: &str, by: UserId) -> Result<()> {
        self.write_tx(|c| {
            let rows = c.query(
                "SELECT client_id FROM tablet_handovers WHERE token_hash = ? AND clinic_id = ?",
                &[text(token_hash), int(clinic)],
            )?;
            let Some(r) = rows.first() else {
                return Ok(());
            };
            let client: ClientId = r.i(0)?;
            c.exec(
                "DELETE FROM tablet_handovers WHERE token_hash = ?",
                &[text(token_hash)],
            )?;
            audit(
                c,
                clinic,
                Some(by),
                "take back",
                "tablet",
                Some(client.0),
                Some(client),
                "",
            )
        })
    }
}
