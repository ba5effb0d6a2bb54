//! The retention purge: medical records are kept for the clinic's retention period (clinic setting, default
//! 10 years) after the client's last treatment, and no longer. `purge_retention_ended` deletes every record of
//! each client whose period has ended by the clinic's `today` (clients already erased on request and kept under
//! a pseudonym, and clients never erased alike), in **one transaction** that first takes the clinic's settings
//! row lock, so two nodes purging at once run one after the other and the second finds nothing left to do
//! (idempotent). A client with no treatment record has no retention period and is left alone (erase on request
//! handles them), and so is a client with a booking still ahead (they are coming back: the dry run lists them
//! with the booking instead of deleting the appointment unseen). Every deletion is audited; the list of who
//! would go is available without writing. A purge may be confirmed by the exact list of clients the owner was
//! shown: when the list it would delete (checked under the lock) is not that list, nobody is deleted and the
//! refusal says what changed ([`list_changed`]).

use crate::driver::{int, Conn, Driver};
use crate::records::{audit, SqlStore};
use crate::rights::{
    add_years, clean_reason, delete_everything, ensure_settings_row, last_treatment_day,
    retention_over, settings,
};
use crate::*;
use serde::{Deserialize, Serialize};

/// A client whose retention period has ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionEnded {
    /// The client's id.
    pub client_id: ClientId,
    /// Their reference (a pseudonym when erased on request before).
    pub reference: String,
    /// The last treatment day (YYYY-MM-DD).
    pub last_treatment: String,
    /// The day the period ended (YYYY-MM-DD).
    pub retain_until: String,
    /// Whether the client had been erased on request (kept under a pseudonym).
    pub pseudonymised: bool,
    /// The start (Unix seconds) of the client's first booking still ahead: such a client is coming back, so the
    /// purge keeps them (and the dry run says why); `None` for everyone the purge removes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booked_at: Option<i64>,
}

/// The outcome of a purge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purge {
    /// Who was deleted.
    pub purged: Vec<RetentionEnded>,
    /// Photo contents no photo refers to any more (their files can go).
    pub photos_removed: Vec<String>,
    /// How many clients whose retention has ended are left for another run, counted under the lock.
    pub left: usize,
}

/// The most clients one purge deletes (a purge run again continues with the rest).
pub const MAX_PURGED_AT_ONCE: usize = 500;

/// The retention purge (part of every [`Store`]).
pub trait Retention {
    /// The clients whose retention has ended by `today` (the clinic's day, YYYY-MM-DD), oldest first; writes
    /// nothing (`--dry-run`).
    fn retention_ended(&self, clinic: ClinicId, today: &str) -> Result<Vec<RetentionEnded>>;
    /// The clients whose retention has ended by `today` but who have a booking still ahead (`booked_at`): the
    /// purge keeps them until they have been seen; writes nothing.
    fn retention_held(&self, clinic: ClinicId, today: &str) -> Result<Vec<RetentionEnded>>;
    /// Deletes every record of the clients whose retention has ended by `today` (at most
    /// [`MAX_PURGED_AT_ONCE`]), in one transaction under the clinic's lock, each audited with `reason` under
    /// `by` (`None`: the command line). With `seen` (the clients the owner was shown, in any order), a list
    /// that is not exactly those deletes nobody: `StoreError::Conflict` with [`list_changed`]'s sentence.
    fn purge_retention_ended(
        &self,
        clinic: ClinicId,
        today: &str,
        reason: &str,
        by: Option<UserId>,
        seen: Option<&[ClientId]>,
    ) -> Result<Purge>;
}

/// Why a purge confirmed by `seen` (the clients the owner was shown) would not delete exactly those: the list
/// it would delete now is `due` (at most [`MAX_PURGED_AT_ONCE`]). `None` when they are the same clients.
pub fn list_changed(due: &[RetentionEnded], seen: &[ClientId]) -> Option<String> {
    let mut shown: Vec<ClientId> = seen.to_vec();
    shown.sort_unstable();
    shown.dedup();
    let added: Vec<&str> = due
        .iter()
        .filter(|e| shown.binary_search(&e.client_id).is_err())
        .map(|e| e.reference.as_str())
        .collect();
    let gone = shown
        .iter()
        .filter(|id| !due.iter().any(|e| e.client_id == **id))
        .count();
    if added.is_empty() && gone == 0 {
        return None;
    }
    let mut what = Vec::new();
    if !added.is_empty() {
        const NAMED: usize = 5;
        let more = added.len().saturating_sub(NAMED);
        let names = added[..added.len().min(NAMED)].join(", ");
        what.push(match (added.len(), more) {
            (1, _) => format!("1 client you were not shown is now due ({names})"),
            (n, 0) => format!("{n} clients you were not shown are now due ({names})"),
            (n, m) => format!("{n} clients you were not shown are now due ({names} and {m} more)"),
        });
    }
    match gone {
        0 => {}
        1 => what.push("1 client you were shown is no longer due".into()),
        n => what.push(format!("{n} clients you were shown are no longer due")),
    }
    Some(format!(
        "The list has changed since you looked: {}. Nobody was deleted; please look at the list again before purging.",
        what.join(", and ")
    ))
}

/// The clients a purge today removes (retention ended, no booking ahead).
fn ended(c: &mut dyn Conn, clinic: ClinicId, today: &str) -> Result<Vec<RetentionEnded>> {
    let mut all = ended_or_held(c, clinic, today)?;
    all.retain(|e| e.booked_at.is_none());
    Ok(all)
}

/// The first booking still ahead (its start, Unix seconds) of a client.
fn booked_ahead(c: &mut dyn Conn, clinic: ClinicId, client: ClientId) -> Result<Option<i64>> {
    c.one(
        "booking",
        "SELECT MIN(starts_at) FROM appointments WHERE clinic_id = ? AND client_id = ? AND status = 'booked' AND ends_at > ?",
        &[int(clinic), int(client), int(now_unix())],
    )?
    .oi(0)
}

/// Every client whose retention has ended by `today`, with their first booking ahead when they have one.
fn ended_or_held(c: &mut dyn Conn, clinic: ClinicId, today: &str) -> Result<Vec<RetentionEnded>> {
    if add_years(today, 0).is_none() {
        return Err(StoreError::Conflict(format!(
            "`{today}` is not a day (YYYY-MM-DD)"
        )));
    }
    let years = settings(c, clinic)?.retention_years;
    let clients = c.query(
        "SELECT id, reference, erased_at FROM clients WHERE clinic_id = ? ORDER BY id",
        &[int(clinic)],
    )?;
    let mut out = Vec::new();
    for r in clients {
        let id = r.i(0)?;
        let Some(last) = last_treatment_day(c, id)? else {
            continue;
        };
        let Some(until) = add_years(&last, years) else {
            continue;
        };
        if retention_over(&until, today) {
            out.push(RetentionEnded {
                client_id: id,
                reference: r.t(1)?,
                last_treatment: last,
                retain_until: until,
                pseudonymised: r.oi::<i64>(2)?.is_some(),
                booked_at: booked_ahead(c, clinic, id)?,
            });
        }
    }
    out.sort_by(|a, b| (&a.retain_until, a.client_id).cmp(&(&b.retain_until, b.client_id)));
    Ok(out)
}

impl<D: Driver> Retention for SqlStore<D> {
    fn retention_ended(&self, clinic: ClinicId, today: &str) -> Result<Vec<RetentionEnded>> {
        self.read_tx(|c| ended(c, clinic, today))
    }

    fn retention_held(&self, clinic: ClinicId, today: &str) -> Result<Vec<RetentionEnded>> {
        self.read_tx(|c| {
            let mut all = ended_or_held(c, clinic, today)?;
            all.retain(|e| e.booked_at.is_some());
            Ok(all)
        })
    }

    fn purge_retention_ended(
        &self,
        clinic: ClinicId,
        today: &str,
        reason: &str,
        by: Option<UserId>,
        seen: Option<&[ClientId]>,
    ) -> Result<Purge> {
        let reason = clean_reason(reason)?;
        self.write_tx(|c| {
            // The clinic's lock: a second purge (another node) waits here, then sees what this one deleted.
            ensure_settings_row(c, clinic)?;
            c.exec(
                "UPDATE clinic_settings SET updated_at = updated_at WHERE clinic_id = ?",
                &[int(clinic)],
            )?;
            let mut list = ended(c, clinic, today)?;
            let left = list.len().saturating_sub(MAX_PURGED_AT_ONCE);
            list.truncate(MAX_PURGED_AT_ONCE);
            if let Some(why) = seen.and_then(|seen| list_changed(&list, seen)) {
                return Err(StoreError::Conflict(why));
            }
            let years = settings(c, clinic)?.retention_years;
            let mut photos_removed = Vec::new();
            for e in &list {
                photos_removed.extend(delete_everything(c, clinic, e.client_id)?);
                audit(
                    c,
                    clinic,
                    by,
                    "purge",
                    "client",
                    Some(e.client_id),
                    Some(e.client_id),
                    &format!(
                        "every record deleted: the {years}-year retention from the last treatment on {} ended on {}; reason: {reason}",
                        e.last_treatment, e.retain_until
                    ),
                )?;
            }
            if list.is_empty() {
                // Nothing to delete: the run is still on record.
                audit(c, clinic, by, "purge", "clinic", Some(clinic), None, &format!("retention purge on {today}: nobody's retention had ended; reason: {reason}"))?;
            }
            Ok(Purge {
                purged: list,
                photos_removed,
                left,
            })
        })
    }
}
