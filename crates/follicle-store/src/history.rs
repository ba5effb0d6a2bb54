//! A record's history for the people who correct it: every audit row about one client, consultation, photo,
//! lot or pigment (created, corrected with its reason, deleted with its reason), newest first, with who did it, and the
//! previous versions kept by each correction. Views are left out (they are in the owner's audit log).

use crate::driver::{int, text, Driver};
use crate::records::SqlStore;
use crate::rights::RecordVersion;
use crate::*;
use serde::{Deserialize, Serialize};

/// The record kinds that keep a history (`entity` in the audit log).
pub const HISTORY_ENTITIES: [&str; 5] = ["client", "consultation", "photo", "lot", "pigment"];

/// The most rows one history returns.
pub const MAX_HISTORY: i64 = 200;

/// One change to a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// Unix seconds.
    pub at: i64,
    /// `create`, `update`, `delete`, …
    pub action: String,
    /// Who (their name; `None` for the command line).
    pub by: Option<String>,
    /// What the audit row says (the reason included).
    pub detail: String,
}

/// A record's history and its kept previous versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordHistory {
    /// The changes, newest first.
    pub changes: Vec<HistoryEntry>,
    /// The versions before each correction, newest first.
    pub versions: Vec<RecordVersion>,
}

/// Records' histories (part of every [`Store`]).
pub trait History {
    /// The history of one record of the clinic (`entity` one of [`HISTORY_ENTITIES`]); a record of another
    /// clinic, or one never recorded, has an empty history.
    fn record_history(&self, clinic: ClinicId, entity: &str, id: Id) -> Result<RecordHistory>;
}

impl<D: Driver> History for SqlStore<D> {
    fn record_history(&self, clinic: ClinicId, entity: &str, id: Id) -> Result<RecordHistory> {
        if !HISTORY_ENTITIES.contains(&entity) {
            return Err(StoreError::NotFound(format!("{entity} history")));
        }
        self.read_tx(|c| {
            let changes = c
                .query(
                    "SELECT a.at, a.action, u.display_name, a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE a.clinic_id = ? AND a.entity = ? AND a.entity_id = ? AND a.action <> 'view' ORDER BY a.id DESC LIMIT ?",
                    &[int(clinic), text(entity), int(id), int(MAX_HISTORY)],
                )?
                .iter()
                .map(|r| {
                    Ok(HistoryEntry {
                        at: r.i(0)?,
                        action: r.t(1)?,
                        by: r.ot(2)?,
                        detail: r.t(3)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let versions = c
                .query(
                    "SELECT entity, entity_id, previous_json, reason, changed_by, changed_at FROM record_versions WHERE clinic_id = ? AND entity = ? AND entity_id = ? ORDER BY id DESC LIMIT ?",
                    &[int(clinic), text(entity), int(id), int(MAX_HISTORY)],
                )?
                .iter()
                .map(|r| {
                    Ok(RecordVersion {
                        entity: r.t(0)?,
                        entity_id: r.i(1)?,
                        previous_json: r.t(2)?,
                        reason: r.t(3)?,
                        changed_by: r.oi(4)?,
                        changed_at: r.i(5)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(RecordHistory { changes, versions })
        })
    }
}
