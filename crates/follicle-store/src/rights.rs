//! Records management and client rights: the clinic's settings (address, logo, how long medical records are
//! kept), edits with a written reason (the previous version is kept in `record_versions`), deletions with a
//! reason (consultations are hidden but kept; a lot used in a session or a pigment with lots cannot go), the
//! client's data gathered for export, and erasure on request.
//!
//! Erasure is one transaction: either everything below happens or nothing does.
//! - A client with no treatment records, or whose retention period has ended, is deleted with every record.
//! - Otherwise the client is pseudonymised: name, reference, date of birth and contact details are replaced or
//!   removed, photos and their landmarks are deleted, and the treatment records (consultations, designs, plans,
//!   sessions, consents) are kept under the pseudonym until `retain_until` (the last treatment day plus the
//!   clinic's retention years); the name, e-mail and phone are scrubbed from the kept records' text and the
//!   intake keeps only the year of birth. Erasing again after `retain_until` deletes what was kept.
//!
//! Every change here appends its audit row in the same transaction.

use crate::driver::{bytes, int, opt_int, opt_text, text, Conn, Driver, Row};
use crate::records::{audit, SqlStore};
use crate::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Years medical records are kept after the last treatment unless the clinic says otherwise.
pub const DEFAULT_RETENTION_YEARS: i64 = 10;
/// Longest reason accepted (characters).
pub const MAX_REASON: usize = 2000;
/// Largest logo accepted (bytes).
pub const LOGO_LIMIT: usize = 512 * 1024;

/// The clinic's settings for client documents and record keeping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClinicSettings {
    /// The clinic's name (shown on client documents).
    pub name: String,
    /// Postal address, one line or several (shown on client documents).
    pub address: String,
    /// Years medical records are kept after the last treatment (1–100).
    pub retention_years: i64,
    /// Whether a logo is stored.
    pub has_logo: bool,
    /// The clinic's IANA time zone (`Europe/Warsaw`): what "today", booking times, opening hours, breaks and
    /// closed dates mean, on every node. `None` only for a clinic made before it was stored and no node has
    /// started since (the node's `--tz` applies).
    pub time_zone: Option<String>,
}

/// A change to the clinic's settings (fields left out stay as they are).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClinicSettingsUpdate {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New address.
    #[serde(default)]
    pub address: Option<String>,
    /// New retention period in years (1–100).
    #[serde(default)]
    pub retention_years: Option<i64>,
    /// New time zone (an IANA name, checked by the caller). Bookings still ahead keep their day and time on the
    /// clinic's clocks (follicle-clinic's `rezone`), in the same transaction.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// The zone the clinic's clocks follow while none is stored (the server's own), from the caller; not
    /// part of a request.
    #[serde(skip)]
    pub zone_in_use: Option<String>,
}

/// A record that can be deleted with a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordRef {
    /// A client with no treatment records (otherwise: erase on request).
    Client(ClientId),
    /// A consultation (hidden, kept until erasure).
    Consultation(ConsultationId),
    /// A photo and its landmarks.
    Photo(PhotoId),
    /// A lot never used in a session.
    Lot(LotId),
    /// A pigment with no lots.
    Pigment(PigmentId),
}

/// A change to one record, with the new content.
#[derive(Debug, Clone, PartialEq)]
pub enum Amendment {
    /// New identity and contact details.
    Client(ClientId, ClientFields),
    /// A corrected consultation: new day, intake and its new screening.
    Consultation(ConsultationId, NewConsultation),
    /// A new caption for a photo.
    PhotoCaption(PhotoId, Option<String>),
    /// A lot's corrected expiry and received days.
    Lot {
        /// The lot.
        id: LotId,
        /// Last day of use.
        expiry: String,
        /// Day it arrived.
        received: Option<String>,
    },
    /// A pigment's corrected description (its key stays).
    Pigment(PigmentId, String),
}

/// A consultation as exported: the record and whether (why, by whom) it was deleted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedConsultation {
    /// The consultation.
    #[serde(flatten)]
    pub consultation: Consultation,
    /// Unix seconds it was deleted, if it was.
    pub deleted_at: Option<i64>,
    /// Why it was deleted.
    pub deleted_reason: Option<String>,
}

/// A plan as exported: its record and its plan.json.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedPlan {
    /// The plan's record.
    #[serde(flatten)]
    pub record: PlanRecord,
    /// plan.json as stored.
    pub plan_json: String,
}

/// A photo as exported: its metadata, landmarks and bytes (the bytes go into the archive as files).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedPhoto {
    /// Metadata.
    #[serde(flatten)]
    pub photo: Photo,
    /// Landmarks marked on it, as JSON.
    pub landmarks_json: Option<String>,
}

/// An earlier version of a record and why it changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordVersion {
    /// `client`, `consultation`, `photo`, `lot`, `pigment`.
    pub entity: String,
    /// The record's id.
    pub entity_id: Id,
    /// The record before the change, as JSON.
    pub previous_json: String,
    /// The reason given.
    pub reason: String,
    /// Who changed it.
    pub changed_by: Option<UserId>,
    /// Unix seconds.
    pub changed_at: i64,
}

/// Everything the clinic holds about one client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientExport {
    /// Identity and contact.
    pub client: Client,
    /// Set when the client was erased on request (pseudonymised).
    pub erased_at: Option<i64>,
    /// Until when treatment records are kept (erased clients).
    pub retain_until: Option<String>,
    /// Consultations, deleted ones included.
    pub consultations: Vec<ExportedConsultation>,
    /// Designs.
    pub designs: Vec<DesignRecord>,
    /// Plans with their plan.json.
    pub plans: Vec<ExportedPlan>,
    /// Treatment sessions.
    pub sessions: Vec<TreatmentSession>,
    /// Signed consents.
    pub consents: Vec<Consent>,
    /// Photos (metadata and landmarks).
    pub photos: Vec<ExportedPhoto>,
    /// Earlier versions of edited records.
    pub versions: Vec<RecordVersion>,
    /// The audit rows about this client.
    pub audit: Vec<AuditEntry>,
}

/// What erasure did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum Erasure {
    /// Every record of the client is gone.
    Deleted {
        /// Photo contents no photo refers to any more (their files can go).
        photos_removed: Vec<String>,
    },
    /// The identity is gone; the treatment records stay under a pseudonym until `retain_until`.
    Pseudonymised {
        /// The pseudonym (the client's new reference).
        pseudonym: String,
        /// The day the kept records may be erased (YYYY-MM-DD).
        retain_until: String,
        /// Photo contents no photo refers to any more (their files can go).
        photos_removed: Vec<String>,
        /// Bookings still ahead that were cancelled (nobody is expected any more).
        bookings_cancelled: i64,
    },
}

impl Erasure {
    /// Photo contents no photo refers to any more.
    pub fn photos_removed(&self) -> &[String] {
        match self {
            Erasure::Deleted { photos_removed } | Erasure::Pseudonymised { photos_removed, .. } => {
                photos_removed
            }
        }
    }
}

/// Records management and client rights, on every store (a supertrait of [`Store`]).
pub trait Rights {
    /// The clinic's settings (defaults until an owner saves some).
    fn clinic_settings(&self, clinic: ClinicId) -> Result<ClinicSettings>;
    /// Changes the clinic's settings. Audited.
    fn set_clinic_settings(
        &self,
        clinic: ClinicId,
        update: &ClinicSettingsUpdate,
        by: UserId,
    ) -> Result<ClinicSettings>;
    /// The clinic's logo (media type, bytes), if one is stored.
    fn clinic_logo(&self, clinic: ClinicId) -> Result<Option<(String, Vec<u8>)>>;
    /// Stores (or with `None` removes) the clinic's logo. Audited.
    fn set_clinic_logo(
        &self,
        clinic: ClinicId,
        logo: Option<(&str, &[u8])>,
        by: UserId,
    ) -> Result<()>;
    /// Changes a record, keeping its previous version with the reason. Audited.
    fn amend_record(
        &self,
        clinic: ClinicId,
        change: &Amendment,
        reason: &str,
        by: UserId,
    ) -> Result<()> {
        self.amend_record_seen(clinic, change, None, reason, by)
    }
    /// [`Rights::amend_record`] made from a copy of the record loaded at revision `seen` (the record's
    /// `revision`): when the record has changed since, nothing is written and the answer is
    /// `StoreError::Stale`, naming who changed it and when. `None`: no loaded copy (the command line).
    fn amend_record_seen(
        &self,
        clinic: ClinicId,
        change: &Amendment,
        seen: Option<&str>,
        reason: &str,
        by: UserId,
    ) -> Result<()>;
    /// Deletes a record with a reason (a consultation is hidden and kept); `Conflict` in plain words when the
    /// record must stay (a client with treatment records, a lot used in a session, a pigment with lots). Returns
    /// the photo contents no photo refers to any more. Audited.
    fn delete_record(
        &self,
        clinic: ClinicId,
        record: RecordRef,
        reason: &str,
        by: UserId,
    ) -> Result<Vec<String>>;
    /// Everything about a client, read in one transaction that also audits the export (`by`: who, or `None`
    /// for the command line, with `how` saying so).
    fn export_client(
        &self,
        clinic: ClinicId,
        client: ClientId,
        by: Option<UserId>,
        how: &str,
    ) -> Result<ClientExport>;
    /// Erases a client on request (see the module documentation), in one transaction; `today` is the clinic's
    /// day (YYYY-MM-DD).
    fn erase_client(
        &self,
        clinic: ClinicId,
        client: ClientId,
        today: &str,
        reason: &str,
        by: Option<UserId>,
    ) -> Result<Erasure>;
}

/// `date` (YYYY-MM-DD) plus whole years; 29 February becomes 28 February in a year that has none.
pub fn add_years(date: &str, years: i64) -> Option<String> {
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = date[..4].parse().ok()?;
    let m: u32 = date[5..7].parse().ok()?;
    let d: u32 = date[8..10].parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(0..=100).contains(&years) {
        return None;
    }
    let ny = y + years;
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let d = if m == 2 && d == 29 && !leap(ny) {
        28
    } else {
        d
    };
    Some(format!("{ny:04}-{m:02}-{d:02}"))
}

/// Whether a retention period that runs until `until` has ended on `today` (both `YYYY-MM-DD`, compared as
/// days, not as text: a year past 9999 — a mistyped record — is later than any four-digit year). A day that
/// cannot be read never ends: records are kept rather than deleted on a doubt.
pub fn retention_over(until: &str, today: &str) -> bool {
    match (day_key(until), day_key(today)) {
        (Some(u), Some(t)) => u <= t,
        _ => false,
    }
}

/// (year, month, day) of a `YYYY-MM-DD` day whose year may have more than four digits.
fn day_key(day: &str) -> Option<(i64, u32, u32)> {
    let mut parts = day.rsplitn(3, '-');
    let d = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let y = parts.next()?.parse().ok()?;
    Some((y, m, d))
}

/// The pseudonym an erased client's records carry: `erased-<id>` (unique in the clinic, meaningless outside it).
pub fn pseudonym(client: ClientId) -> String {
    format!("erased-{client}")
}

pub(crate) fn clean_reason(reason: &str) -> Result<&str> {
    let r = reason.trim();
    if r.is_empty() {
        return Err(StoreError::Conflict(
            "write down why: a reason is required".into(),
        ));
    }
    if r.chars().count() > MAX_REASON || r.chars().any(|c| c.is_control() && c != '\n') {
        return Err(StoreError::Conflict(format!(
            "the reason must be at most {MAX_REASON} characters of text"
        )));
    }
    Ok(r)
}

#[allow(clippy::too_many_arguments)]
fn keep_version(
    c: &mut dyn Conn,
    clinic: ClinicId,
    client: Option<ClientId>,
    entity: &str,
    id: impl Into<i64> + Copy,
    previous: &Value,
    reason: &str,
    by: UserId,
) -> Result<()> {
    c.exec(
        "INSERT INTO record_versions (clinic_id, client_id, entity, entity_id, previous_json, reason, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        &[int(clinic), opt_int(client), text(entity), int(id), text(&previous.to_string()), text(reason), int(by), int(now_unix())],
    )?;
    Ok(())
}

fn row_json(cols: &str, r: &Row) -> Value {
    let mut m = serde_json::Map::new();
    for (i, name) in cols.split(", ").enumerate() {
        let v = match &r.values()[i] {
            crate::driver::Val::I(Some(n)) => Value::from(*n),
            crate::driver::Val::T(Some(s)) => Value::from(s.clone()),
            _ => Value::Null,
        };
        m.insert(name.to_string(), v);
    }
    Value::Object(m)
}

/// How many photo rows (of any clinic) show the bytes with this SHA-256.
pub(crate) fn photos_showing(c: &mut dyn Conn, sha256: &str) -> Result<i64> {
    c.one(
        "count",
        "SELECT COUNT(*) FROM photos WHERE sha256 = ?",
        &[text(sha256)],
    )?
    .i::<i64>(0)
}

/// SHA-256s among `candidates` that no photo row refers to any more; their stored bytes and derived files (the
/// database's copies) are deleted in the caller's transaction.
pub(crate) fn drop_orphan_blobs(c: &mut dyn Conn, candidates: &[String]) -> Result<Vec<String>> {
    let mut gone = Vec::new();
    for sha in candidates {
        if gone.contains(sha) {
            continue;
        }
        if photos_showing(c, sha)? == 0 {
            c.exec("DELETE FROM photo_derived WHERE sha256 = ?", &[text(sha)])?;
            c.exec("DELETE FROM photo_blobs WHERE sha256 = ?", &[text(sha)])?;
            gone.push(sha.clone());
        }
    }
    Ok(gone)
}

/// Deletes photos (and their landmarks) matching `filter` (`id = ?` or `client_id = ?`); returns their SHA-256s.
fn delete_photos(
    c: &mut dyn Conn,
    clinic: ClinicId,
    filter: &str,
    key: impl Into<i64> + Copy,
) -> Result<Vec<String>> {
    let shas: Vec<String> = c
        .query(
            &format!("SELECT sha256 FROM photos WHERE clinic_id = ? AND {filter}"),
            &[int(clinic), int(key)],
        )?
        .iter()
        .map(|r| r.t(0))
        .collect::<Result<Vec<_>>>()?;
    c.exec(&format!("DELETE FROM photo_landmarks WHERE photo_id IN (SELECT id FROM photos WHERE clinic_id = ? AND {filter})"), &[int(clinic), int(key)])?;
    c.exec(
        &format!("DELETE FROM photos WHERE clinic_id = ? AND {filter}"),
        &[int(clinic), int(key)],
    )?;
    drop_orphan_blobs(c, &shas)
}

/// What to take out of a kept record's text: (secret, replacement).
struct Scrub {
    /// Exact string values replaced wherever a JSON string equals them.
    exact: Vec<(String, String)>,
    /// Substrings replaced inside any string (only texts long enough not to hit ordinary words).
    within: Vec<(String, String)>,
    /// Parts of the name ("Zofia" of "Zofia Nowak"), replaced as whole words inside JSON strings (notes such
    /// as "Zofia's sister asked"), never inside case files, whose keys are words too.
    words: Vec<String>,
}

impl Scrub {
    fn string(&self, s: &str) -> Option<String> {
        if let Some((_, to)) = self.exact.iter().find(|(from, _)| from == s) {
            return Some(to.clone());
        }
        let mut out = s.to_string();
        for (from, to) in &self.within {
            if out.contains(from.as_str()) {
                out = out.replace(from.as_str(), to);
            }
        }
        for w in &self.words {
            if out.contains(w.as_str()) {
                out = replace_word(&out, w, "[erased]");
            }
        }
        (out != s).then_some(out)
    }
    fn value(&self, v: &mut Value) {
        match v {
            Value::String(s) => {
                if let Some(n) = self.string(s) {
                    *s = n;
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|x| self.value(x)),
            Value::Object(o) => o.values_mut().for_each(|x| self.value(x)),
            _ => {}
        }
    }
    fn mentions(&self, t: &str) -> bool {
        self.exact
            .iter()
            .chain(&self.within)
            .any(|(from, _)| t.contains(from.as_str()))
            || self.words.iter().any(|w| t.contains(w.as_str()))
    }
    /// A JSON text with the secrets replaced (untouched when it mentions none; kept as is when it is not JSON).
    fn json(&self, t: &str) -> String {
        if !self.mentions(t) {
            return t.to_string();
        }
        match serde_json::from_str::<Value>(t) {
            Ok(mut v) => {
                self.value(&mut v);
                v.to_string()
            }
            Err(_) => self.toml(t),
        }
    }
    /// Any other text (a case file): quoted exact values and long substrings replaced.
    fn toml(&self, t: &str) -> String {
        let mut out = t.to_string();
        for (from, to) in &self.exact {
            let quoted = serde_json::to_string(from).unwrap_or_default();
            out = out.replace(&quoted, &serde_json::to_string(to).unwrap_or_default());
        }
        for (from, to) in &self.within {
            out = out.replace(from.as_str(), to);
        }
        out
    }
}

/// `text` with every whole-word `word` (not inside a longer word) replaced by `to`.
fn replace_word(text: &str, word: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(word) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + word.len()..].chars().next();
        out.push_str(&rest[..i]);
        if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric) {
            out.push_str(word);
        } else {
            out.push_str(to);
        }
        rest = &rest[i + word.len()..];
    }
    out.push_str(rest);
    out
}

/// The parts of names worth replacing on their own: words of three letters or more.
/// An erasure's reason with the client's identity taken out, whatever its letter case: the name's words (and
/// words that start with one, as in the file name "quux-letter.pdf" or "Nowak's"), the reference, e-mail and
/// phone, each replaced by "[erased]". The reason goes into the append-only audit log.
fn reason_without_identity(reason: &str, f: &crate::ClientFields) -> String {
    let parts: Vec<String> = name_words([&f.name])
        .into_iter()
        .map(|w| w.to_lowercase())
        .collect();
    let whole: Vec<String> = [Some(&f.reference), f.email.as_ref(), f.phone.as_ref()]
        .into_iter()
        .flatten()
        .map(|s| s.to_lowercase())
        .filter(|s| s.chars().count() >= 3)
        .collect();
    // Words: runs of letters, digits, '@', '.', '+', '-' and '_' (so an e-mail, a phone or a reference is one).
    let mut out = String::with_capacity(reason.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        let low = word.to_lowercase();
        let trimmed = low.trim_matches(|c: char| c == '.' || c == '-' || c == '_');
        let secret = whole
            .iter()
            .any(|w| trimmed == w || low.contains(w.as_str()))
            || parts.iter().any(|p| {
                trimmed == p
                    || trimmed
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|piece| piece == p)
            });
        out.push_str(if secret { "[erased]" } else { word });
        word.clear();
    };
    for ch in reason.chars() {
        if ch.is_alphanumeric() || matches!(ch, '@' | '.' | '+' | '-' | '_' | '\'') {
            word.push(ch);
        } else {
            flush(&mut word, &mut out);
            out.push(ch);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn name_words<'a>(names: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let mut out: Vec<String> = names
        .into_iter()
        .flat_map(|n| n.split(|c: char| !c.is_alphanumeric() && c != '\''))
        .filter(|w| w.chars().count() >= 3 && w.chars().any(char::is_alphabetic))
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The intake with the client's identity replaced: id and name by the pseudonym, e-mail and phone removed, the
/// date of birth reduced to its year (1 January), so that the age at treatment can still be checked.
fn pseudonymise_intake(t: &str, reference: &str, name: &str, scrub: &Scrub) -> String {
    let Ok(mut v) = serde_json::from_str::<Value>(t) else {
        return scrub.json(t);
    };
    if let Some(c) = v.get_mut("client").and_then(Value::as_object_mut) {
        c.insert("id".into(), Value::from(reference));
        c.insert("name".into(), Value::from(name));
        c.remove("email");
        c.remove("phone");
        if let Some(d) = c.get("date_of_birth").and_then(Value::as_str) {
            let year = d.get(..4).unwrap_or("1900").to_string();
            c.insert("date_of_birth".into(), Value::from(format!("{year}-01-01")));
        }
    }
    scrub.value(&mut v);
    v.to_string()
}

const CLIENT_COLS: &str =
    "id, clinic_id, reference, name, date_of_birth, email, phone, created_at, updated_at";

pub(crate) fn client_row(c: &mut dyn Conn, clinic: ClinicId, id: ClientId) -> Result<Client> {
    let r = c.one(
        "client",
        &format!("SELECT {CLIENT_COLS} FROM clients WHERE id = ? AND clinic_id = ?"),
        &[int(id), int(clinic)],
    )?;
    crate::records::client(&r)
}

/// Refuses a change made from a copy of the record loaded at revision `seen` when the record's revision is now
/// `current` (probe s8 N23): `StoreError::Stale` with who changed it last and when (from the audit log), in the
/// same transaction as the write it stops. No `seen`: the caller edits without a loaded copy (the CLI).
pub(crate) fn check_seen(
    c: &mut dyn Conn,
    clinic: ClinicId,
    entity: &str,
    id: Id,
    what: impl FnOnce() -> String,
    current: &str,
    seen: Option<&str>,
) -> Result<()> {
    match seen {
        Some(seen) if seen != current => {
            let last = c.query(
                "SELECT u.display_name, a.at FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE a.clinic_id = ? AND a.entity = ? AND a.entity_id = ? AND a.action <> 'view' ORDER BY a.id DESC LIMIT 1",
                &[int(clinic), text(entity), int(id)],
            )?;
            let (by, at) = match last.first() {
                Some(r) => (r.ot(0)?, Some(r.i::<i64>(1)?)),
                None => (None, None),
            };
            Err(StoreError::Stale {
                what: what(),
                by,
                at,
            })
        }
        _ => Ok(()),
    }
}

/// Moves the clinic's bookings still ahead to the same day and time on the clocks of zone `to` (probe s8 N10;
/// follicle-clinic's `rezone::keep_wall_clock`), each one's revision raised so calendars take the new time.
/// The zone in use is the stored one, else `in_use` (the server's), else UTC. `Conflict` naming a booking
/// whose time does not exist once in `to`; nothing is written then. Returns how many bookings moved.
fn rezone_bookings(
    c: &mut dyn Conn,
    clinic: ClinicId,
    in_use: Option<&str>,
    to: &str,
) -> Result<usize> {
    use follicle_clinic::{rezone::keep_wall_clock, ClinicZone, DateTime};
    let stored = c
        .one(
            "clinic",
            "SELECT time_zone FROM clinics WHERE id = ?",
            &[int(clinic)],
        )?
        .ot(0)?;
    let zone = |name: Option<&str>| -> Result<ClinicZone> {
        match name {
            Some(n) => ClinicZone::get(n).map_err(StoreError::Conflict),
            None => Ok(ClinicZone::utc()),
        }
    };
    let from = zone(stored.as_deref().or(in_use))?;
    let to = zone(Some(to))?;
    if from == to {
        return Ok(0);
    }
    let now = now_unix();
    let rows = c.query(
        "SELECT a.id, a.starts_at, a.ends_at, k.name FROM appointments a JOIN clients k ON k.id = a.client_id WHERE a.clinic_id = ? AND a.status = 'booked' AND a.starts_at >= ? ORDER BY a.starts_at",
        &[int(clinic), int(now)],
    )?;
    let at = |s: i64| {
        DateTime::from_unix_seconds(s).ok_or_else(|| StoreError::Decode {
            table: "appointments".into(),
            column: "starts_at".into(),
            problem: "is out of range".into(),
        })
    };
    let mut moved = Vec::with_capacity(rows.len());
    for r in &rows {
        let (id, start, end, name) = (r.i::<i64>(0)?, at(r.i(1)?)?, at(r.i(2)?)?, r.t(3)?);
        let (s, e) = keep_wall_clock(start, end, &from, &to).map_err(|why| {
            let (day, h, m) = from.local(start);
            StoreError::Conflict(format!(
                "{name}’s booking at {h:02}:{m:02} on {day} cannot keep its time in {}: {why}. Move that booking first, then change the time zone.",
                to.name()
            ))
        })?;
        moved.push((id, s.to_jiff().as_second(), e.to_jiff().as_second()));
    }
    for (id, s, e) in &moved {
        c.exec(
            "UPDATE appointments SET starts_at = ?, ends_at = ?, revision = revision + 1, updated_at = ? WHERE id = ?",
            &[int(*s), int(*e), int(now), int(*id)],
        )?;
    }
    Ok(moved.len())
}

pub(crate) fn settings(c: &mut dyn Conn, clinic: ClinicId) -> Result<ClinicSettings> {
    let r = c.one(
        "clinic",
        "SELECT name, time_zone FROM clinics WHERE id = ?",
        &[int(clinic)],
    )?;
    let (name, time_zone) = (r.t(0)?, r.ot(1)?);
    let row = c.query(
        "SELECT address, retention_years, logo_type FROM clinic_settings WHERE clinic_id = ?",
        &[int(clinic)],
    )?;
    Ok(match row.first() {
        Some(r) => ClinicSettings {
            name,
            address: r.t(0)?,
            retention_years: r.i(1)?,
            has_logo: r.ot(2)?.is_some(),
            time_zone,
        },
        None => ClinicSettings {
            name,
            address: String::new(),
            retention_years: DEFAULT_RETENTION_YEARS,
            has_logo: false,
            time_zone,
        },
    })
}

pub(crate) fn ensure_settings_row(c: &mut dyn Conn, clinic: ClinicId) -> Result<()> {
    c.exec(
        "INSERT INTO clinic_settings (clinic_id, address, retention_years, updated_at) VALUES (?, '', ?, ?) ON CONFLICT (clinic_id) DO NOTHING",
        &[int(clinic), int(DEFAULT_RETENTION_YEARS), int(now_unix())],
    )?;
    Ok(())
}

/// How many treatment records a client has, by kind (consultations counted deleted or not).
fn treatment_counts(c: &mut dyn Conn, client: ClientId) -> Result<Vec<(&'static str, i64)>> {
    let mut out = Vec::new();
    for (table, what) in [
        ("consultations", "consultation"),
        ("designs", "design"),
        ("plans", "plan"),
        ("treatment_sessions", "treatment session"),
        ("consents", "signed consent"),
    ] {
        let n = c
            .one(
                "count",
                &format!("SELECT COUNT(*) FROM {table} WHERE client_id = ?"),
                &[int(client)],
            )?
            .i(0)?;
        if n > 0 {
            out.push((what, n));
        }
    }
    Ok(out)
}

/// Deletes every record of a client and the client (inside the caller's transaction); returns orphaned photos.
pub(crate) fn delete_everything(
    c: &mut dyn Conn,
    clinic: ClinicId,
    client: ClientId,
) -> Result<Vec<String>> {
    let photos = delete_photos(c, clinic, "client_id = ?", client)?;
    for sql in [
        "DELETE FROM appointments WHERE clinic_id = ? AND client_id = ?",
        "DELETE FROM treatment_sessions WHERE clinic_id = ? AND client_id = ?",
        "DELETE FROM consent_signatures WHERE clinic_id = ? AND client_id = ?",
        "DELETE FROM consents WHERE clinic_id = ? AND client_id = ?",
        "DELETE FROM clearance_letters WHERE clinic_id = ? AND client_id = ?",
        "DELETE FROM chosen_designs WHERE clinic_id = ? AND client_id = ?",
        "UPDATE plans SET parent_id = NULL WHERE clinic_id = ? AND client_id = ?",
        "DELETE FROM plans WHERE clinic_id = ? AND client_id = ?",
        "DELETE FROM designs WHERE clinic_id = ? AND client_id = ?",
        "DELETE FROM consultations WHERE clinic_id = ? AND client_id = ?",
        "DELETE FROM record_versions WHERE clinic_id = ? AND client_id = ?",
    ] {
        c.exec(sql, &[int(clinic), int(client)])?;
    }
    c.exec(
        "DELETE FROM clients WHERE clinic_id = ? AND id = ?",
        &[int(clinic), int(client)],
    )?;
    Ok(photos)
}

/// The last day with a treatment record (consultation, session or consent), YYYY-MM-DD.
pub(crate) fn last_treatment_day(c: &mut dyn Conn, client: ClientId) -> Result<Option<String>> {
    let mut days: Vec<String> = Vec::new();
    for sql in [
        "SELECT MAX(held_on) FROM consultations WHERE client_id = ?",
        "SELECT MAX(held_on) FROM treatment_sessions WHERE client_id = ?",
        "SELECT MAX(signed_at) FROM consents WHERE client_id = ?",
    ] {
        if let Some(d) = c.one("day", sql, &[int(client)])?.ot(0)? {
            days.push(d.chars().take(10).collect());
        }
    }
    let plans = c
        .one(
            "day",
            "SELECT MAX(created_at) FROM plans WHERE client_id = ?",
            &[int(client)],
        )?
        .oi(0)?;
    let designs = c
        .one(
            "day",
            "SELECT MAX(created_at) FROM designs WHERE client_id = ?",
            &[int(client)],
        )?
        .oi(0)?;
    // Planning alone is not treatment: a design or plan dates the record only when nothing else does.
    if days.is_empty() {
        days.extend([plans, designs].into_iter().flatten().map(unix_day));
    }
    Ok(days.into_iter().max())
}

/// The UTC day of a Unix time, YYYY-MM-DD (civil-from-days, Howard Hinnant's algorithm).
pub fn unix_day(t: i64) -> String {
    let z = t.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn pseudonymise(
    c: &mut dyn Conn,
    clinic: ClinicId,
    client: &Client,
    retain_until: &str,
) -> Result<(String, Vec<String>, i64)> {
    let id = client.id;
    let reference = pseudonym(id);
    let name = format!("Erased client {id}");
    let f = &client.fields;
    let mut exact = vec![
        (f.reference.clone(), reference.clone()),
        (f.name.clone(), name.clone()),
    ];
    let mut within = Vec::new();
    for secret in [Some(&f.name), f.email.as_ref(), f.phone.as_ref()]
        .into_iter()
        .flatten()
    {
        exact.push((secret.clone(), "[erased]".into()));
        if secret.chars().count() >= 4 {
            within.push((secret.clone(), "[erased]".into()));
        }
    }
    // The name as typed into intakes and case files, when it differs from the client record's.
    let others = names_in_records(c, id)?;
    for other in others.iter().cloned() {
        if exact.iter().any(|(from, _)| *from == other) {
            continue;
        }
        exact.push((other.clone(), name.clone()));
        if other.chars().count() >= 4 {
            within.push((other, "[erased]".into()));
        }
    }
    // Clearance letters get a neutral file name (the consultation's intake names the file too).
    for r in c.query(
        "SELECT id, filename FROM clearance_letters WHERE clinic_id = ? AND client_id = ?",
        &[int(clinic), int(id)],
    )? {
        let letter: i64 = r.i(0)?;
        let was = r.t(1)?;
        let neutral = letter_file_name(letter, &was);
        c.exec(
            "UPDATE clearance_letters SET filename = ? WHERE id = ?",
            &[text(&neutral), int(letter)],
        )?;
        exact.push((was, neutral));
    }
    exact.dedup_by(|a, b| a.0 == b.0);
    if let Some(d) = &f.date_of_birth {
        exact.push((d.clone(), "[erased]".into()));
    }
    exact.retain(|(from, _)| !from.is_empty());
    within.retain(|(from, _)| !from.is_empty());
    let mut names = vec![f.name.clone()];
    names.extend(others.iter().cloned());
    let words = name_words(&names);
    let scrub = Scrub {
        exact,
        within,
        words,
    };

    let photos = delete_photos(c, clinic, "client_id = ?", id)?;
    c.exec(
        "DELETE FROM record_versions WHERE clinic_id = ? AND client_id = ? AND entity IN ('client', 'photo')",
        &[int(clinic), int(id)],
    )?;
    c.exec(
        "UPDATE clients SET reference = ?, name = ?, date_of_birth = NULL, email = NULL, phone = NULL, updated_at = ?, erased_at = ?, retain_until = ? WHERE clinic_id = ? AND id = ?",
        &[text(&reference), text(&name), int(now_unix()), int(now_unix()), text(retain_until), int(clinic), int(id)],
    )?;
    // Each kept record's text, rewritten without the identity.
    let rows = c.query(
        "SELECT id, intake_json, screening_json FROM consultations WHERE client_id = ?",
        &[int(id)],
    )?;
    for r in rows {
        c.exec(
            "UPDATE consultations SET intake_json = ?, screening_json = ? WHERE id = ?",
            &[
                text(&pseudonymise_intake(&r.t(1)?, &reference, &name, &scrub)),
                text(&scrub.json(&r.t(2)?)),
                int(r.i::<i64>(0)?),
            ],
        )?;
    }
    for (table, col) in [
        ("treatment_sessions", "record_json"),
        ("consents", "signed_json"),
        ("designs", "case_toml"),
        ("plans", "case_toml"),
        ("plans", "plan_json"),
        ("record_versions", "previous_json"),
    ] {
        let rows = c.query(
            &format!("SELECT id, {col} FROM {table} WHERE client_id = ?"),
            &[int(id)],
        )?;
        for r in rows {
            let Some(before) = r.ot(1)? else { continue };
            if !scrub.mentions(&before) {
                continue;
            }
            let after = if col == "case_toml" {
                scrub.toml(&before)
            } else {
                scrub.json(&before)
            };
            c.exec(
                &format!("UPDATE {table} SET {col} = ? WHERE id = ?"),
                &[text(&after), int(r.i::<i64>(0)?)],
            )?;
        }
    }
    // Labels are free text (a plan's defaults to the case's client name): replaced whole, not searched.
    c.exec(
        "UPDATE designs SET label = 'Design ' || CAST(id AS TEXT) WHERE clinic_id = ? AND client_id = ?",
        &[int(clinic), int(id)],
    )?;
    c.exec(
        "UPDATE plans SET label = 'Plan ' || CAST(id AS TEXT) WHERE clinic_id = ? AND client_id = ?",
        &[int(clinic), int(id)],
    )?;
    for table in ["designs", "plans"] {
        for r in c.query(
            &format!(
                "SELECT id, case_toml FROM {table} WHERE client_id = ? AND case_toml IS NOT NULL"
            ),
            &[int(id)],
        )? {
            let before = r.t(1)?;
            let after = pseudonymise_case(&before, &name);
            if after != before {
                c.exec(
                    &format!("UPDATE {table} SET case_toml = ? WHERE id = ?"),
                    &[text(&after), int(r.i::<i64>(0)?)],
                )?;
            }
        }
    }
    // Appointments: the purpose becomes the kind of visit, reasons are removed, and bookings still ahead are
    // cancelled (nobody is expected any more).
    let ahead = c
        .one(
            "count",
            "SELECT COUNT(*) FROM appointments WHERE clinic_id = ? AND client_id = ? AND status = 'booked' AND ends_at > ?",
            &[int(clinic), int(id), int(now_unix())],
        )?
        .i::<i64>(0)?;
    c.exec(
        "UPDATE appointments SET status = 'cancelled', cancel_reason = ?, revision = revision + 1, updated_at = ? WHERE clinic_id = ? AND client_id = ? AND status = 'booked' AND ends_at > ?",
        &[text(ERASED_BOOKING), int(now_unix()), int(clinic), int(id), int(now_unix())],
    )?;
    c.exec(
        "UPDATE appointments SET purpose = kind, cancel_reason = CASE WHEN cancel_reason IS NULL OR cancel_reason = ? THEN cancel_reason ELSE '[erased]' END, override_reason = CASE WHEN override_reason IS NULL THEN NULL ELSE '[erased]' END WHERE clinic_id = ? AND client_id = ?",
        &[text(ERASED_BOOKING), int(clinic), int(id)],
    )?;
    Ok((reference, photos, ahead))
}

/// Why an erased client's future bookings were cancelled.
pub const ERASED_BOOKING: &str = "the client was erased on request";

/// A clearance letter's file name with nothing of the client in it: `clearance-letter-<id>` and the extension.
fn letter_file_name(id: i64, was: &str) -> String {
    let ext = was
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .filter(|e| !e.is_empty() && e.len() <= 5 && e.bytes().all(|b| b.is_ascii_alphanumeric()));
    match ext {
        Some(e) => format!("clearance-letter-{id}.{e}"),
        None => format!("clearance-letter-{id}"),
    }
}

/// The names a client's records give them besides the client record: the intakes' `client.name` and the case
/// files' `[client] name`.
fn names_in_records(c: &mut dyn Conn, client: ClientId) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for r in c.query(
        "SELECT intake_json FROM consultations WHERE client_id = ?",
        &[int(client)],
    )? {
        if let Ok(v) = serde_json::from_str::<Value>(&r.t(0)?) {
            if let Some(n) = v.pointer("/client/name").and_then(Value::as_str) {
                out.push(n.to_string());
            }
        }
    }
    for sql in [
        "SELECT case_toml FROM designs WHERE client_id = ?",
        "SELECT case_toml FROM plans WHERE client_id = ? AND case_toml IS NOT NULL",
    ] {
        for r in c.query(sql, &[int(client)])? {
            out.extend(case_client_name(&r.t(0)?));
        }
    }
    out.retain(|n| !n.trim().is_empty());
    out.sort();
    out.dedup();
    Ok(out)
}

/// The `[client] name = "…"` of a case file (a basic string on its own line), if any.
fn case_client_name(toml: &str) -> Option<String> {
    let mut in_client = false;
    for line in toml.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_client = t == "[client]";
            continue;
        }
        if !in_client {
            continue;
        }
        if let Some(rest) = t.strip_prefix("name") {
            let rest = rest.trim_start();
            if let Some(v) = rest.strip_prefix('=') {
                let v = v.trim();
                if v.starts_with('"') {
                    let mut de = serde_json::Deserializer::from_str(v).into_iter::<String>();
                    if let Some(Ok(s)) = de.next() {
                        return Some(s);
                    }
                }
            }
        }
    }
    None
}

/// A case file for an erased client: its `[client] name` line set to the pseudonym and its comment lines
/// (free text) dropped; everything that shapes the plan stays.
fn pseudonymise_case(toml: &str, name: &str) -> String {
    let mut in_client = false;
    let mut out = String::with_capacity(toml.len());
    for line in toml.lines() {
        let t = line.trim();
        if t.starts_with('#') {
            continue;
        }
        if t.starts_with('[') {
            in_client = t == "[client]";
        } else if in_client
            && t.strip_prefix("name")
                .is_some_and(|r| r.trim_start().starts_with('='))
        {
            out.push_str(&format!(
                "name = {}\n",
                serde_json::to_string(name).unwrap_or_default()
            ));
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

impl<D: Driver> Rights for SqlStore<D> {
    fn clinic_settings(&self, clinic: ClinicId) -> Result<ClinicSettings> {
        self.read_tx(|c| settings(c, clinic))
    }
    fn set_clinic_settings(
        &self,
        clinic: ClinicId,
        u: &ClinicSettingsUpdate,
        by: UserId,
    ) -> Result<ClinicSettings> {
        if let Some(y) = u.retention_years {
            if !(1..=100).contains(&y) {
                return Err(StoreError::Conflict(
                    "the retention period must be 1 to 100 years".into(),
                ));
            }
        }
        self.write_tx(|c| {
            ensure_settings_row(c, clinic)?;
            let mut changed = Vec::new();
            if let Some(n) = &u.name {
                if self.keyed {
                    c.exec(
                        "UPDATE clinics SET name = ?, name_key = ? WHERE id = ?",
                        &[text(n), text(&follicle_clinic::text::clinic_name_key(n)), int(clinic)],
                    )
                    .map_err(|e| crate::records::name_taken(e, Some(n), ""))?;
                } else {
                    c.exec(
                        "UPDATE clinics SET name = ? WHERE id = ?",
                        &[text(n), int(clinic)],
                    )?;
                }
                changed.push("name".to_string());
            }
            if let Some(a) = &u.address {
                c.exec(
                    "UPDATE clinic_settings SET address = ?, updated_at = ? WHERE clinic_id = ?",
                    &[text(a), int(now_unix()), int(clinic)],
                )?;
                changed.push("address".to_string());
            }
            if let Some(y) = u.retention_years {
                c.exec(
                    "UPDATE clinic_settings SET retention_years = ?, updated_at = ? WHERE clinic_id = ?",
                    &[int(y), int(now_unix()), int(clinic)],
                )?;
                changed.push(format!("retention {y} years"));
            }
            if let Some(z) = &u.time_zone {
                let kept = rezone_bookings(c, clinic, u.zone_in_use.as_deref(), z)?;
                c.exec(
                    "UPDATE clinics SET time_zone = ? WHERE id = ?",
                    &[text(z), int(clinic)],
                )?;
                changed.push(format!("time zone {z}"));
                if kept > 0 {
                    changed.push(format!("{kept} bookings ahead kept at their local times"));
                }
            }
            audit(c, clinic, Some(by), "update", "clinic settings", Some(clinic), None, &changed.join(", "))?;
            settings(c, clinic)
        })
    }
    fn clinic_logo(&self, clinic: ClinicId) -> Result<Option<(String, Vec<u8>)>> {
        self.read_tx(|c| {
            let rows = c.query(
                "SELECT logo_type, logo FROM clinic_settings WHERE clinic_id = ? AND logo IS NOT NULL",
                &[int(clinic)],
            )?;
            Ok(match rows.first() {
                Some(r) => r.ot(0)?.zip(r.ob(1)?),
                None => None,
            })
        })
    }
    fn set_clinic_logo(
        &self,
        clinic: ClinicId,
        logo: Option<(&str, &[u8])>,
        by: UserId,
    ) -> Result<()> {
        if logo.is_some_and(|(_, b)| b.len() > LOGO_LIMIT) {
            return Err(StoreError::Conflict(format!(
                "the logo is larger than {} KB",
                LOGO_LIMIT / 1024
            )));
        }
        self.write_tx(|c| {
            ensure_settings_row(c, clinic)?;
            match logo {
                Some((ty, data)) => c.exec(
                    "UPDATE clinic_settings SET logo_type = ?, logo = ?, updated_at = ? WHERE clinic_id = ?",
                    &[text(ty), bytes(data), int(now_unix()), int(clinic)],
                )?,
                None => c.exec(
                    "UPDATE clinic_settings SET logo_type = NULL, logo = NULL, updated_at = ? WHERE clinic_id = ?",
                    &[int(now_unix()), int(clinic)],
                )?,
            };
            let what = if logo.is_some() { "update" } else { "delete" };
            audit(c, clinic, Some(by), what, "clinic logo", Some(clinic), None, "")
        })
    }

    fn amend_record_seen(
        &self,
        clinic: ClinicId,
        change: &Amendment,
        seen: Option<&str>,
        reason: &str,
        by: UserId,
    ) -> Result<()> {
        let reason = clean_reason(reason)?;
        self.write_tx(|c| match change {
            Amendment::Client(id, f) => {
                let before = client_row(c, clinic, *id)?;
                check_seen(c, clinic, "client", id.0, || format!("{}’s record", before.fields.name), &before.revision, seen)?;
                let erased = c.one("client", "SELECT erased_at FROM clients WHERE id = ?", &[int(*id)])?.oi::<i64>(0)?;
                if erased.is_some() {
                    return Err(StoreError::Conflict("this client was erased on request; their details cannot be filled in again".into()));
                }
                keep_version(c, clinic, Some(*id), "client", *id, &serde_json::to_value(&before.fields).unwrap_or_default(), reason, by)?;
                c.exec(
                    "UPDATE clients SET reference = ?, name = ?, date_of_birth = ?, email = ?, phone = ?, updated_at = ? WHERE id = ? AND clinic_id = ?",
                    &[text(&f.reference), text(&f.name), opt_text(f.date_of_birth.as_deref()), opt_text(f.email.as_deref()), opt_text(f.phone.as_deref()), int(now_unix()), int(*id), int(clinic)],
                ).map_err(|e| crate::records::reference_taken(e, &f.reference))?;
                crate::records::set_reference_key(c, self.reference_keyed, *id, &f.reference)?;
                crate::records::refresh_search_key(c, self.search_keyed, *id)?;
                audit(c, clinic, Some(by), "update", "client", Some(*id), Some(*id), &format!("reason: {reason}"))
            }
            Amendment::Consultation(id, n) => {
                let cols = "id, client_id, held_on, outcome, intake_json, screening_json";
                let r = c.one("consultation", &format!("SELECT {cols} FROM consultations WHERE id = ? AND clinic_id = ? AND deleted_at IS NULL"), &[int(*id), int(clinic)])?;
                let client = r.i(1)?;
                let now = crate::records::consultation(&c.one("consultation", &format!("SELECT {} FROM consultations WHERE id = ?", crate::records::CONSULTATION_COLS), &[int(*id)])?)?;
                check_seen(c, clinic, "consultation", id.0, || format!("The consultation of {}", now.held_on), &now.revision, seen)?;
                keep_version(c, clinic, Some(client), "consultation", *id, &row_json(cols, &r), reason, by)?;
                c.exec(
                    "UPDATE consultations SET held_on = ?, outcome = ?, intake_json = ?, screening_json = ? WHERE id = ?",
                    &[text(&n.held_on), text(&n.outcome), text(&n.intake_json), text(&n.screening_json), int(*id)],
                )?;
                audit(c, clinic, Some(by), "update", "consultation", Some(*id), Some(client), &format!("screening: {}; reason: {reason}", n.outcome))
            }
            Amendment::PhotoCaption(id, caption) => {
                let cols = "id, client_id, caption";
                let r = c.one("photo", &format!("SELECT {cols} FROM photos WHERE id = ? AND clinic_id = ?"), &[int(*id), int(clinic)])?;
                let client = r.i(1)?;
                let now = crate::records::photo_by_id(c, *id)?;
                check_seen(c, clinic, "photo", id.0, || "This photo’s caption".into(), &now.revision, seen)?;
                keep_version(c, clinic, Some(client), "photo", *id, &row_json(cols, &r), reason, by)?;
                c.exec("UPDATE photos SET caption = ? WHERE id = ?", &[opt_text(caption.as_deref()), int(*id)])?;
                audit(c, clinic, Some(by), "update", "photo", Some(*id), Some(client), &format!("caption; reason: {reason}"))
            }
            Amendment::Lot { id, expiry, received } => {
                let cols = "id, pigment_key, number, expiry, received";
                let r = c.one("lot", &format!("SELECT {cols} FROM lots WHERE id = ? AND clinic_id = ?"), &[int(*id), int(clinic)])?;
                let now = crate::records::lot_by_id(c, *id)?;
                check_seen(c, clinic, "lot", id.0, || format!("Lot {}", now.lot.number), &now.revision, seen)?;
                keep_version(c, clinic, None, "lot", *id, &row_json(cols, &r), reason, by)?;
                c.exec("UPDATE lots SET expiry = ?, received = ? WHERE id = ?", &[text(expiry), opt_text(received.as_deref()), int(*id)])?;
                audit(c, clinic, Some(by), "update", "lot", Some(*id), None, &format!("{}; reason: {reason}", r.t(2)?))
            }
            Amendment::Pigment(id, json) => {
                let cols = "id, pigment_key, pigment_json";
                let r = c.one("pigment", &format!("SELECT {cols} FROM pigments WHERE id = ? AND clinic_id = ?"), &[int(*id), int(clinic)])?;
                let now = crate::records::pigment_by_id(c, *id)?;
                check_seen(c, clinic, "pigment", id.0, || format!("Pigment {}", now.key), &now.revision, seen)?;
                keep_version(c, clinic, None, "pigment", *id, &row_json(cols, &r), reason, by)?;
                c.exec("UPDATE pigments SET pigment_json = ? WHERE id = ?", &[text(json), int(*id)])?;
                audit(c, clinic, Some(by), "update", "pigment", Some(*id), None, &format!("{}; reason: {reason}", r.t(1)?))
            }
        })
    }

    fn delete_record(
        &self,
        clinic: ClinicId,
        record: RecordRef,
        reason: &str,
        by: UserId,
    ) -> Result<Vec<String>> {
        let reason = clean_reason(reason)?;
        let detail = format!("reason: {reason}");
        self.write_tx(|c| match record {
            RecordRef::Client(id) => {
                client_row(c, clinic, id)?;
                let kept = treatment_counts(c, id)?;
                if !kept.is_empty() {
                    let list: Vec<String> = kept.iter().map(|(w, n)| format!("{n} {w}{}", if *n == 1 { "" } else { "s" })).collect();
                    return Err(StoreError::Conflict(format!(
                        "This client has treatment records ({}), which the clinic must keep. To remove their name, contact details and photos, use “Erase on request”.",
                        list.join(", ")
                    )));
                }
                let photos = delete_everything(c, clinic, id)?;
                audit(c, clinic, Some(by), "delete", "client", Some(id), Some(id), &detail)?;
                Ok(photos)
            }
            RecordRef::Consultation(id) => {
                let client = c.one("consultation", "SELECT client_id FROM consultations WHERE id = ? AND clinic_id = ? AND deleted_at IS NULL", &[int(id), int(clinic)])?.i(0)?;
                c.exec("UPDATE consultations SET deleted_at = ?, deleted_by = ?, deleted_reason = ? WHERE id = ?", &[int(now_unix()), int(by), text(reason), int(id)])?;
                audit(c, clinic, Some(by), "delete", "consultation", Some(id), Some(client), &format!("hidden and kept as a medical record; {detail}"))?;
                Ok(Vec::new())
            }
            RecordRef::Photo(id) => {
                let r = c.one("photo", "SELECT client_id, sha256 FROM photos WHERE id = ? AND clinic_id = ?", &[int(id), int(clinic)])?;
                let photos = delete_photos(c, clinic, "id = ?", id)?;
                audit(c, clinic, Some(by), "delete", "photo", Some(id), Some(r.i(0)?), &format!("{}; {detail}", r.t(1)?))?;
                Ok(photos)
            }
            RecordRef::Lot(id) => {
                let r = c.one("lot", "SELECT number, pigment_key FROM lots WHERE id = ? AND clinic_id = ?", &[int(id), int(clinic)])?;
                let number = r.t(0)?;
                let mut used = 0;
                let mut first: Option<String> = None;
                for s in c.query("SELECT record_json, held_on FROM treatment_sessions WHERE clinic_id = ? ORDER BY held_on", &[int(clinic)])? {
                    let v: Value = serde_json::from_str(&s.t(0)?).unwrap_or(Value::Null);
                    if v.get("lot").and_then(Value::as_str) == Some(number.as_str()) {
                        used += 1;
                        first.get_or_insert(s.t(1)?);
                    }
                }
                if used > 0 {
                    return Err(StoreError::Conflict(format!(
                        "Lot {number} was used in {used} treatment session{} (the first on {}). It stays on record so that each client's ink passport can say which pigment went into their skin. You can still correct its expiry or received date.",
                        if used == 1 { "" } else { "s" },
                        first.unwrap_or_default()
                    )));
                }
                c.exec("DELETE FROM lots WHERE id = ?", &[int(id)])?;
                audit(c, clinic, Some(by), "delete", "lot", Some(id), None, &format!("{number} of {}; {detail}", r.t(1)?))?;
                Ok(Vec::new())
            }
            RecordRef::Pigment(id) => {
                let key = c.one("pigment", "SELECT pigment_key FROM pigments WHERE id = ? AND clinic_id = ?", &[int(id), int(clinic)])?.t(0)?;
                let lots = c.one("count", "SELECT COUNT(*) FROM lots WHERE clinic_id = ? AND pigment_key = ?", &[int(clinic), text(&key)])?.i::<i64>(0)?;
                if lots > 0 {
                    return Err(StoreError::Conflict(format!(
                        "Pigment {key} has {lots} lot{} recorded. Delete those lots first; lots used in treatment stay on record.",
                        if lots == 1 { "" } else { "s" }
                    )));
                }
                c.exec("DELETE FROM pigments WHERE id = ?", &[int(id)])?;
                audit(c, clinic, Some(by), "delete", "pigment", Some(id), None, &format!("{key}; {detail}"))?;
                Ok(Vec::new())
            }
        })
    }

    fn export_client(
        &self,
        clinic: ClinicId,
        id: ClientId,
        by: Option<UserId>,
        how: &str,
    ) -> Result<ClientExport> {
        self.write_tx(|c| {
            let client = client_row(c, clinic, id)?;
            let er = c.one("client", "SELECT erased_at, retain_until FROM clients WHERE id = ?", &[int(id)])?;
            let scope = [int(clinic), int(id)];
            let consultations = c
                .query("SELECT id, clinic_id, client_id, held_on, outcome, intake_json, screening_json, created_by, created_at, deleted_at, deleted_reason FROM consultations WHERE clinic_id = ? AND client_id = ? ORDER BY id", &scope)?
                .iter()
                .map(|r| Ok(ExportedConsultation {
                    consultation: with_revision(Consultation { id: r.i(0)?, clinic_id: r.i(1)?, client_id: r.i(2)?, held_on: r.t(3)?, outcome: r.t(4)?, intake_json: r.t(5)?, screening_json: r.t(6)?, created_by: r.i(7)?, created_at: r.i(8)?, revision: String::new() }, |x| &mut x.revision),
                    deleted_at: r.oi(9)?,
                    deleted_reason: r.ot(10)?,
                }))
                .collect::<Result<Vec<_>>>()?;
            let designs = c
                .query("SELECT d.id, d.clinic_id, d.client_id, d.label, d.case_toml, d.created_by, d.created_at, d.previous_id, (SELECT COUNT(*) FROM chosen_designs x WHERE x.design_id = d.id) FROM designs d WHERE d.clinic_id = ? AND d.client_id = ? ORDER BY d.id", &scope)?
                .iter()
                .map(|r| Ok(DesignRecord { id: r.i(0)?, clinic_id: r.i(1)?, client_id: r.i(2)?, label: r.t(3)?, case_toml: r.t(4)?, created_by: r.i(5)?, created_at: r.i(6)?, previous_id: r.oi(7)?, chosen: r.i::<i64>(8)? > 0 }))
                .collect::<Result<Vec<_>>>()?;
            let plans = c
                .query("SELECT id, clinic_id, client_id, parent_id, label, case_toml, seed, sessions, impressions, created_by, created_at, plan_json FROM plans WHERE clinic_id = ? AND client_id = ? ORDER BY id", &scope)?
                .iter()
                .map(|r| Ok(ExportedPlan {
                    record: PlanRecord { id: r.i(0)?, clinic_id: r.i(1)?, client_id: r.i(2)?, parent_id: r.oi(3)?, label: r.t(4)?, case_toml: r.ot(5)?, seed: r.i(6)?, sessions: r.i(7)?, impressions: r.i(8)?, created_by: r.i(9)?, created_at: r.i(10)? },
                    plan_json: r.t(11)?,
                }))
                .collect::<Result<Vec<_>>>()?;
            let sessions = c
                .query("SELECT id, clinic_id, client_id, session_index, held_on, record_json, created_by, created_at FROM treatment_sessions WHERE clinic_id = ? AND client_id = ? ORDER BY session_index", &scope)?
                .iter()
                .map(|r| Ok(TreatmentSession { id: r.i(0)?, clinic_id: r.i(1)?, client_id: r.i(2)?, index: r.i(3)?, held_on: r.t(4)?, record_json: r.t(5)?, created_by: r.i(6)?, created_at: r.i(7)? }))
                .collect::<Result<Vec<_>>>()?;
            let consents = c
                .query("SELECT id, clinic_id, client_id, text_id, text_version, signed_at, signed_json, created_by, created_at FROM consents WHERE clinic_id = ? AND client_id = ? ORDER BY id", &scope)?
                .iter()
                .map(|r| Ok(Consent { id: r.i(0)?, clinic_id: r.i(1)?, client_id: r.i(2)?, text_id: r.t(3)?, text_version: r.i(4)?, signed_at: r.t(5)?, signed_json: r.t(6)?, created_by: r.i(7)?, created_at: r.i(8)? }))
                .collect::<Result<Vec<_>>>()?;
            let photos = c
                .query("SELECT p.id, p.clinic_id, p.client_id, p.sha256, p.content_type, p.bytes, p.width, p.height, p.caption, p.created_by, p.created_at, l.landmarks_json, p.view FROM photos p LEFT JOIN photo_landmarks l ON l.photo_id = p.id WHERE p.clinic_id = ? AND p.client_id = ? ORDER BY p.id", &scope)?
                .iter()
                .map(|r| Ok(ExportedPhoto {
                    photo: with_revision(Photo { id: r.i(0)?, clinic_id: r.i(1)?, client_id: r.i(2)?, sha256: r.t(3)?, content_type: r.t(4)?, bytes: r.i(5)?, width: r.i(6)?, height: r.i(7)?, caption: r.ot(8)?, created_by: r.i(9)?, created_at: r.i(10)?, view: r.t(12)?, revision: String::new() }, |x| &mut x.revision),
                    landmarks_json: r.ot(11)?,
                }))
                .collect::<Result<Vec<_>>>()?;
            let versions = c
                .query("SELECT entity, entity_id, previous_json, reason, changed_by, changed_at FROM record_versions WHERE clinic_id = ? AND client_id = ? ORDER BY id", &scope)?
                .iter()
                .map(|r| Ok(RecordVersion { entity: r.t(0)?, entity_id: r.i(1)?, previous_json: r.t(2)?, reason: r.t(3)?, changed_by: r.oi(4)?, changed_at: r.i(5)? }))
                .collect::<Result<Vec<_>>>()?;
            let audit_rows = c
                .query("SELECT id, clinic_id, user_id, at, action, entity, entity_id, client_id, detail FROM audit_log WHERE clinic_id = ? AND client_id = ? ORDER BY id", &scope)?
                .iter()
                .map(|r| Ok(AuditEntry { id: r.i(0)?, clinic_id: r.i(1)?, user_id: r.oi(2)?, at: r.i(3)?, action: r.t(4)?, entity: r.t(5)?, entity_id: r.oi(6)?, client_id: r.oi(7)?, detail: r.t(8)? }))
                .collect::<Result<Vec<_>>>()?;
            audit(c, clinic, by, "export", "client", Some(id), Some(id), how)?;
            Ok(ClientExport {
                client,
                erased_at: er.oi(0)?,
                retain_until: er.ot(1)?,
                consultations,
                designs,
                plans,
                sessions,
                consents,
                photos,
                versions,
                audit: audit_rows,
            })
        })
    }

    fn erase_client(
        &self,
        clinic: ClinicId,
        id: ClientId,
        today: &str,
        reason: &str,
        by: Option<UserId>,
    ) -> Result<Erasure> {
        let reason = clean_reason(reason)?;
        if add_years(today, 0).is_none() {
            return Err(StoreError::Conflict(format!(
                "`{today}` is not a day (YYYY-MM-DD)"
            )));
        }
        self.write_tx(|c| {
            let client = client_row(c, clinic, id)?;
            // Staff write the client's name in the reason; the audit log can never be changed (probe s7 N21).
            let reason = reason_without_identity(reason, &client.fields);
            let years = settings(c, clinic)?.retention_years;
            let last = last_treatment_day(c, id)?;
            let retain_until = last.as_deref().and_then(|d| add_years(d, years));
            let outcome = match retain_until {
                Some(until) if !retention_over(&until, today) => {
                    let (pseudonym, photos_removed, cancelled) = pseudonymise(c, clinic, &client, &until)?;
                    if self.reference_keyed {
                        // No key of the erased reference stays behind (it would be a trace of it), and it may be given again.
                        c.exec("UPDATE clients SET reference_key = NULL WHERE id = ?", &[int(client.id)])?;
                    }
                    // The search key says only the pseudonym now.
                    crate::records::refresh_search_key(c, self.search_keyed, client.id)?;
                    audit(c, clinic, by, "erase", "client", Some(id), Some(id), &format!("identity, contact details and photos removed; {cancelled} future booking(s) cancelled; treatment records kept as {pseudonym} until {until} ({years}-year retention from {}); reason: {reason}", last.unwrap_or_default()))?;
                    Erasure::Pseudonymised { pseudonym, retain_until: until, photos_removed, bookings_cancelled: cancelled }
                }
                _ => {
                    let photos_removed = delete_everything(c, clinic, id)?;
                    let why = match last {
                        Some(d) => format!("retention of {years} years from {d} has ended"),
                        None => "no treatment records".into(),
                    };
                    audit(c, clinic, by, "erase", "client", Some(id), Some(id), &format!("every record deleted ({why}); reason: {reason}"))?;
                    Erasure::Deleted { photos_removed }
                }
            };
            Ok(outcome)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_added_to_calendar_days() {
        assert_eq!(add_years("2025-03-01", 10).as_deref(), Some("2035-03-01"));
        assert_eq!(add_years("2024-02-29", 1).as_deref(), Some("2025-02-28"));
        assert_eq!(add_years("2024-02-29", 4).as_deref(), Some("2028-02-29"));
        assert_eq!(add_years("2025-13-01", 1), None);
    }

    #[test]
    fn retention_ends_by_the_calendar_not_by_the_text() {
        assert!(retention_over("2026-11-30", "2026-11-30"));
        assert!(!retention_over("2036-01-01", "2026-11-30"));
        // A consultation mistyped as 9999 keeps the records 10 years past it, never "already ended".
        assert!(!retention_over("10009-12-31", "2026-11-30"));
        assert!(!retention_over("not a day", "2026-11-30"));
        assert_eq!(add_years("2025-3-1", 1), None);
        assert_eq!(add_years("2025-03-01", -1), None);
        assert_eq!(add_years("", 1), None);
    }

    #[test]
    fn unix_days_are_utc_calendar_days() {
        assert_eq!(unix_day(0), "1970-01-01");
        assert_eq!(unix_day(951_782_400), "2000-02-29");
        assert_eq!(unix_day(1_767_225_599), "2025-12-31");
    }

    #[test]
    fn an_erasure_reason_loses_the_identity_in_any_case() {
        let f = crate::ClientFields {
            reference: "ZQ-1".into(),
            name: "Zbigniew Quux".into(),
            date_of_birth: None,
            email: Some("zq@example.org".into()),
            phone: Some("+48 600 100 200".into()),
        };
        assert_eq!(
            reason_without_identity("Zbigniew Quux asked by e-mail (zq@example.org), see quux-letter.pdf; QUUX's wife, ref zq-1", &f),
            "[erased] [erased] asked by e-mail ([erased]), see [erased]; [erased] wife, ref [erased]"
        );
        assert_eq!(
            reason_without_identity("client asked in person at the desk", &f),
            "client asked in person at the desk"
        );
    }

    #[test]
    fn scrubbing_replaces_identity_and_nothing_else() {
        let s = Scrub {
            exact: vec![("c1".into(), "erased-7".into())],
            within: vec![("Daniel Mensah".into(), "[erased]".into())],
            words: name_words(&["Daniel Mensah".to_string()]),
        };
        let t = r#"{"client":"c1","note":"Daniel Mensah's scar","code":"c12","n":1}"#;
        let v: Value = serde_json::from_str(&s.json(t)).unwrap();
        assert_eq!(v["client"], "erased-7");
        assert_eq!(v["note"], "[erased]'s scar");
        assert_eq!(
            v["code"], "c12",
            "a short reference is replaced only as a whole value"
        );
        let t = r#"{"note":"Daniel's sister Danielle asked; Mensah"}"#;
        let v: Value = serde_json::from_str(&s.json(t)).unwrap();
        assert_eq!(
            v["note"], "[erased]'s sister Danielle asked; [erased]",
            "name parts go as whole words only"
        );
        assert_eq!(
            s.json(r#"{"x":1}"#),
            r#"{"x":1}"#,
            "untouched when nothing matches"
        );
        assert_eq!(
            s.toml("[client]\nname = \"c1\"\n# Daniel Mensah\n"),
            "[client]\nname = \"erased-7\"\n# [erased]\n"
        );
    }

    #[test]
    fn the_intake_keeps_the_year_of_birth_only() {
        let s = Scrub {
            exact: vec![],
            within: vec![],
            words: vec![],
        };
        let t = r#"{"client":{"id":"c1","name":"A B","date_of_birth":"1988-04-12","email":"a@b.c","phone":"1"},"skin":{}}"#;
        let v: Value =
            serde_json::from_str(&pseudonymise_intake(t, "erased-3", "Erased client 3", &s))
                .unwrap();
        assert_eq!(v["client"]["id"], "erased-3");
        assert_eq!(v["client"]["name"], "Erased client 3");
        assert_eq!(v["client"]["date_of_birth"], "1988-01-01");
        assert!(v["client"].get("email").is_none() && v["client"].get("phone").is_none());
    }
}
