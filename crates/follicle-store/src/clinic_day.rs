//! The clinic's day in the database: appointments, drawn consent signatures and physicians' clearance letters,
//! for both backends through the same SQL. A booking's clash check and its write are one step: each clinic has a
//! row in `booking_locks` that every booking, move or cancellation updates first, so on PostgreSQL two nodes
//! booking at once wait for each other (the row lock) and on SQLite the write lock does the same; the check
//! itself is the caller's (follicle-clinic's rule), handed the bookings that could clash. Every change appends
//! its audit row in the same transaction.

use crate::driver::{bytes, int, opt_int, opt_text, text, Conn, Driver, Row};
use crate::records::{
    audit, consent, consultation, insert, own_client, SqlStore, CONSENT_COLS, CONSULTATION_COLS,
};
use crate::*;
use serde::{Deserialize, Serialize};

/// An appointment to book, or the new time and place of one being moved.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAppointment {
    /// The client (ignored when moving: a booking keeps its client).
    pub client_id: ClientId,
    /// The practitioner, a user of the clinic.
    pub practitioner_id: UserId,
    /// The room as typed.
    pub room: String,
    /// How rooms are told apart (follicle-clinic's `room_key`).
    pub room_key: String,
    /// Start, Unix seconds.
    pub starts_at: i64,
    /// End, Unix seconds (after the start).
    pub ends_at: i64,
    /// `consultation`, `session` or `touch-up` (sessions and touch-ups pass the screening gate).
    pub kind: String,
    /// What it is for ("Session 2 of 3").
    pub purpose: String,
    /// The owner's written reason for booking despite the screening gate or the opening hours (stored with
    /// who and when, and audited); `None` for an ordinary booking.
    pub override_reason: Option<String>,
}

/// A stored appointment with the names a calendar shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Appointment {
    /// Id.
    pub id: AppointmentId,
    /// Clinic.
    pub clinic_id: ClinicId,
    /// Client.
    pub client_id: ClientId,
    /// The client's name.
    pub client_name: String,
    /// The client's reference.
    pub client_reference: String,
    /// Practitioner (user id).
    pub practitioner_id: UserId,
    /// The practitioner's name.
    pub practitioner_name: String,
    /// Room.
    pub room: String,
    /// Start, Unix seconds.
    pub starts_at: i64,
    /// End, Unix seconds.
    pub ends_at: i64,
    /// `consultation`, `session` or `touch-up`.
    pub kind: String,
    /// What it is for.
    pub purpose: String,
    /// `booked` or `cancelled`.
    pub status: String,
    /// Why it was cancelled.
    pub cancel_reason: Option<String>,
    /// How often it was moved or cancelled (the calendar event's SEQUENCE).
    pub revision: i64,
    /// Who booked it.
    pub created_by: UserId,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
    /// Why the owner booked it despite the screening gate or the opening hours.
    pub override_reason: Option<String>,
    /// The owner who did (user id).
    pub override_by: Option<UserId>,
    /// Their name.
    pub override_by_name: Option<String>,
    /// When (Unix seconds).
    pub override_at: Option<i64>,
}

/// Which appointments to list: those overlapping `from..to` (Unix seconds), optionally of one client or one
/// practitioner.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AppointmentQuery {
    /// Start of the range.
    pub from: i64,
    /// End of the range.
    pub to: i64,
    /// Only this client's.
    pub client: Option<ClientId>,
    /// Only this practitioner's.
    pub practitioner: Option<UserId>,
    /// Cancelled ones too.
    pub include_cancelled: bool,
}

/// The most appointments one list returns.
pub const MAX_APPOINTMENTS_LISTED: i64 = 2000;

/// A drawn signature to store with its consent.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSignature {
    /// SHA-256 (hex) of the exact text shown to the client.
    pub text_sha256: String,
    /// The signing pad's width.
    pub pad_width: i64,
    /// The signing pad's height.
    pub pad_height: i64,
    /// SVG path data of the strokes.
    pub path: String,
    /// When it was signed, Unix seconds.
    pub signed_at: i64,
}

/// A stored signature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsentSignature {
    /// The consent it signs.
    pub consent_id: ConsentId,
    /// Clinic.
    pub clinic_id: ClinicId,
    /// Client.
    pub client_id: ClientId,
    /// SHA-256 of the text shown.
    pub text_sha256: String,
    /// Pad width.
    pub pad_width: i64,
    /// Pad height.
    pub pad_height: i64,
    /// SVG path data.
    pub path: String,
    /// The witness (the user logged in).
    pub witness_id: UserId,
    /// The witness's name.
    pub witness_name: String,
    /// Unix seconds.
    pub signed_at: i64,
}

/// A clearance letter to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewClearanceLetter {
    /// `application/pdf`, `image/png` or `image/jpeg`.
    pub content_type: String,
    /// The file's name as uploaded.
    pub filename: String,
    /// The file.
    pub bytes: Vec<u8>,
}

/// A stored clearance letter (without its bytes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClearanceLetter {
    /// Id.
    pub id: LetterId,
    /// Clinic.
    pub clinic_id: ClinicId,
    /// Client.
    pub client_id: ClientId,
    /// The consultation that recorded the clearance it proves.
    pub consultation_id: ConsultationId,
    /// SHA-256 of the file.
    pub sha256: String,
    /// Its type.
    pub content_type: String,
    /// Its name as uploaded.
    pub filename: String,
    /// Its size in bytes.
    pub size: i64,
    /// Who uploaded it.
    pub created_by: UserId,
    /// Unix seconds.
    pub created_at: i64,
}

/// The caller's clash rule: given the live bookings of the same practitioner or room near the new time, `Err`
/// with the message to show when one clashes.
pub type ClashCheck<'a> = &'a (dyn Fn(&[Appointment]) -> std::result::Result<(), String> + Sync);

/// Appointments, signatures and clearance letters (part of every [`Store`]).
pub trait ClinicDay {
    /// Books an appointment when `check` accepts the live bookings of the same practitioner or room within
    /// `window` (Unix seconds); refusal: `Conflict` with its message. The practitioner must be an active owner or
    /// practitioner of the clinic. Audited.
    fn book_appointment(
        &self,
        clinic: ClinicId,
        a: &NewAppointment,
        window: (i64, i64),
        check: ClashCheck<'_>,
        by: UserId,
    ) -> Result<Appointment>;
    /// Moves a booked appointment to a new time, practitioner or room, under the same check (its own booking left
    /// out). Audited; the revision goes up. `seen`, the revision the mover's screen shows: a booking changed since
    /// is `StoreError::Stale`, nothing written. A move to where it is changes nothing.
    #[allow(clippy::too_many_arguments)]
    fn move_appointment(
        &self,
        clinic: ClinicId,
        id: AppointmentId,
        a: &NewAppointment,
        seen: Option<i64>,
        window: (i64, i64),
        check: ClashCheck<'_>,
        by: UserId,
    ) -> Result<Appointment>;
    /// Cancels a booked appointment with a reason (it stays listed as cancelled). Audited.
    fn cancel_appointment(
        &self,
        clinic: ClinicId,
        id: AppointmentId,
        reason: &str,
        by: UserId,
    ) -> Result<Appointment>;
    /// One appointment.
    fn appointment(&self, clinic: ClinicId, id: AppointmentId) -> Result<Appointment>;
    /// Appointments overlapping a range, by start (at most [`MAX_APPOINTMENTS_LISTED`]).
    fn appointments(&self, clinic: ClinicId, q: &AppointmentQuery) -> Result<Vec<Appointment>>;

    /// Records a consent signed on the tablet: the consent and its signature in one transaction. Audited.
    fn add_signed_consent(
        &self,
        clinic: ClinicId,
        client: ClientId,
        c: &NewConsent,
        sig: &NewSignature,
        by: UserId,
    ) -> Result<(Consent, ConsentSignature)>;
    /// The drawn signatures of a client's consents (the consents list marks which were drawn), by consent id.
    fn consent_signatures(
        &self,
        clinic: ClinicId,
        client: ClientId,
    ) -> Result<Vec<ConsentSignature>>;
    /// A consent and its signature (`None` for one recorded without a drawn signature).
    fn signed_consent(
        &self,
        clinic: ClinicId,
        consent: ConsentId,
    ) -> Result<(Consent, Option<ConsentSignature>)>;

    /// Records a physician's clearance: the consultation carrying it and the uploaded letter, linked, in one
    /// transaction. Audited.
    fn record_clearance(
        &self,
        clinic: ClinicId,
        client: ClientId,
        consultation: &NewConsultation,
        letter: &NewClearanceLetter,
        by: UserId,
    ) -> Result<(Consultation, ClearanceLetter)>;
    /// A client's clearance letters, newest first.
    fn clearance_letters(&self, clinic: ClinicId, client: ClientId)
        -> Result<Vec<ClearanceLetter>>;
    /// One letter and its bytes.
    fn clearance_letter(
        &self,
        clinic: ClinicId,
        id: LetterId,
    ) -> Result<(ClearanceLetter, Vec<u8>)>;
}

const APPOINTMENT_SELECT: &str = "SELECT a.id, a.clinic_id, a.client_id, c.name, c.reference, a.practitioner_id, u.display_name, a.room, a.starts_at, a.ends_at, a.purpose, a.status, a.cancel_reason, a.revision, a.created_by, a.created_at, a.updated_at, a.kind, a.override_reason, a.override_by, o.display_name, a.override_at FROM appointments a JOIN clients c ON c.id = a.client_id JOIN users u ON u.id = a.practitioner_id LEFT JOIN users o ON o.id = a.override_by";
const SIGNATURE_SELECT: &str = "SELECT s.consent_id, s.clinic_id, s.client_id, s.text_sha256, s.pad_width, s.pad_height, s.path, s.witness_id, u.display_name, s.signed_at FROM consent_signatures s JOIN users u ON u.id = s.witness_id";
const LETTER_COLS: &str = "id, clinic_id, client_id, consultation_id, sha256, content_type, filename, size, created_by, created_at";

fn appointment_row(r: &Row) -> Result<Appointment> {
    Ok(Appointment {
        id: r.i(0)?,
        clinic_id: r.i(1)?,
        client_id: r.i(2)?,
        client_name: r.t(3)?,
        client_reference: r.t(4)?,
        practitioner_id: r.i(5)?,
        practitioner_name: r.t(6)?,
        room: r.t(7)?,
        starts_at: r.i(8)?,
        ends_at: r.i(9)?,
        purpose: r.t(10)?,
        status: r.t(11)?,
        cancel_reason: r.ot(12)?,
        revision: r.i(13)?,
        created_by: r.i(14)?,
        created_at: r.i(15)?,
        updated_at: r.i(16)?,
        kind: r.t(17)?,
        override_reason: r.ot(18)?,
        override_by: r.oi(19)?,
        override_by_name: r.ot(20)?,
        override_at: r.oi(21)?,
    })
}

fn signature_row(r: &Row) -> Result<ConsentSignature> {
    Ok(ConsentSignature {
        consent_id: r.i(0)?,
        clinic_id: r.i(1)?,
        client_id: r.i(2)?,
        text_sha256: r.t(3)?,
        pad_width: r.i(4)?,
        pad_height: r.i(5)?,
        path: r.t(6)?,
        witness_id: r.i(7)?,
        witness_name: r.t(8)?,
        signed_at: r.i(9)?,
    })
}

fn letter_row(r: &Row) -> Result<ClearanceLetter> {
    Ok(ClearanceLetter {
        id: r.i(0)?,
        clinic_id: r.i(1)?,
        client_id: r.i(2)?,
        consultation_id: r.i(3)?,
        sha256: r.t(4)?,
        content_type: r.t(5)?,
        filename: r.t(6)?,
        size: r.i(7)?,
        created_by: r.i(8)?,
        created_at: r.i(9)?,
    })
}

fn get_appointment(c: &mut dyn Conn, clinic: ClinicId, id: AppointmentId) -> Result<Appointment> {
    appointment_row(&c.one(
        "appointment",
        &format!("{APPOINTMENT_SELECT} WHERE a.id = ? AND a.clinic_id = ?"),
        &[int(id), int(clinic)],
    )?)
}

/// The audit row of an owner's override, beside the booking's own.
fn audit_override(
    c: &mut dyn Conn,
    clinic: ClinicId,
    by: UserId,
    id: AppointmentId,
    a: &NewAppointment,
) -> Result<()> {
    match &a.override_reason {
        Some(reason) => audit(
            c,
            clinic,
            Some(by),
            "override",
            "appointment",
            Some(id),
            Some(a.client_id),
            &format!("booked despite the screening or the opening hours; reason: {reason}"),
        ),
        None => Ok(()),
    }
}

/// Takes the clinic's booking lock (held until the transaction ends) so clash checks run one at a time.
/// Replacing the opening hours, breaks or closed dates takes it too: on PostgreSQL two replacements would
/// otherwise interleave their deletes and inserts into a mix nobody entered, and a booking could be checked
/// against half-replaced hours.
pub(crate) fn lock_bookings(c: &mut dyn Conn, clinic: ClinicId) -> Result<()> {
    c.exec(
        "INSERT INTO booking_locks (clinic_id, serial) VALUES (?, 1) ON CONFLICT (clinic_id) DO UPDATE SET serial = booking_locks.serial + 1",
        &[int(clinic)],
    )?;
    Ok(())
}

/// Checks the practitioner and runs the caller's clash check on the live bookings near the new time.
fn clash_check(
    c: &mut dyn Conn,
    clinic: ClinicId,
    a: &NewAppointment,
    own: Option<AppointmentId>,
    window: (i64, i64),
    check: ClashCheck<'_>,
) -> Result<()> {
    if a.ends_at <= a.starts_at {
        return Err(StoreError::Conflict(
            "an appointment must end after it starts".into(),
        ));
    }
    let who = c.query(
        "SELECT role, disabled_at FROM users WHERE id = ? AND clinic_id = ?",
        &[int(a.practitioner_id), int(clinic)],
    )?;
    match who.first() {
        None => return Err(StoreError::NotFound("practitioner".into())),
        Some(r) if r.t(0)? == "front_desk" || r.oi::<i64>(1)?.is_some() => {
            return Err(StoreError::Conflict(
                "Only an active practitioner or owner can be booked for an appointment.".into(),
            ))
        }
        Some(_) => {}
    }
    let near = c
        .query(
            &format!("{APPOINTMENT_SELECT} WHERE a.clinic_id = ? AND a.status = 'booked' AND a.id <> ? AND a.starts_at < ? AND a.ends_at > ? AND (a.practitioner_id = ? OR a.room_key = ? OR a.client_id = ?) ORDER BY a.starts_at, a.id"),
            &[int(clinic), int(own.map_or(0, i64::from)), int(window.1), int(window.0), int(a.practitioner_id), text(&a.room_key), int(a.client_id)],
        )?
        .iter()
        .map(appointment_row)
        .collect::<Result<Vec<_>>>()?;
    check(&near).map_err(StoreError::Conflict)
}

impl<D: Driver> ClinicDay for SqlStore<D> {
    fn book_appointment(
        &self,
        clinic: ClinicId,
        a: &NewAppointment,
        window: (i64, i64),
        check: ClashCheck<'_>,
        by: UserId,
    ) -> Result<Appointment> {
        self.write(|c| {
            crate::records::live_client(c, clinic, a.client_id)?;
            lock_bookings(c, clinic)?;
            clash_check(c, clinic, a, None, window, check)?;
            let now = now_unix();
            let r = insert(
                c,
                "INSERT INTO appointments (clinic_id, client_id, practitioner_id, room, room_key, starts_at, ends_at, kind, purpose, status, revision, created_by, created_at, updated_at, override_reason, override_by, override_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'booked', 0, ?, ?, ?, ?, ?, ?) RETURNING id",
                &[int(clinic), int(a.client_id), int(a.practitioner_id), text(&a.room), text(&a.room_key), int(a.starts_at), int(a.ends_at), text(&a.kind), text(&a.purpose), int(by), int(now), int(now), opt_text(a.override_reason.as_deref()), opt_int(a.override_reason.as_ref().map(|_| by)), opt_int(a.override_reason.as_ref().map(|_| now))],
            )?;
            let id = r.i(0)?;
            audit_override(c, clinic, by, id, a)?;
            audit(c, clinic, Some(by), "create", "appointment", Some(id), Some(a.client_id), &format!("{} from {} to {} (Unix seconds), practitioner {}, {}", a.kind, a.starts_at, a.ends_at, a.practitioner_id, a.room))?;
            get_appointment(c, clinic, id)
        })
    }

    fn move_appointment(
        &self,
        clinic: ClinicId,
        id: AppointmentId,
        a: &NewAppointment,
        seen: Option<i64>,
        window: (i64, i64),
        check: ClashCheck<'_>,
        by: UserId,
    ) -> Result<Appointment> {
        self.write(|c| {
            lock_bookings(c, clinic)?;
            let old = get_appointment(c, clinic, id)?;
            if old.status != "booked" {
                return Err(StoreError::Conflict(
                    "This appointment was cancelled: book a new one instead.".into(),
                ));
            }
            // Two people moving one booking from the same screen: the second is told, not written over the first
            // (outside probe s29).
            // Who changed it, and when, from the audit log (outside test s43: the words named no one).
            if let Some(seen) = seen {
                crate::rights::check_seen(
                    c,
                    clinic,
                    "appointment",
                    id.0,
                    || format!("The appointment of {}", old.client_name),
                    &old.revision.to_string(),
                    Some(&seen.to_string()),
                )?;
            }
            // Moved to where it is: nothing changes, nothing is audited.
            let unchanged = (old.practitioner_id, old.room.as_str(), old.starts_at, old.ends_at, old.kind.as_str(), old.purpose.as_str())
                == (a.practitioner_id, a.room.as_str(), a.starts_at, a.ends_at, a.kind.as_str(), a.purpose.as_str())
                && old.override_reason == a.override_reason;
            if unchanged {
                return Ok(old);
            }
            clash_check(c, clinic, a, Some(id), window, check)?;
            c.exec(
                "UPDATE appointments SET practitioner_id = ?, room = ?, room_key = ?, starts_at = ?, ends_at = ?, kind = ?, purpose = ?, revision = revision + 1, updated_at = ?, override_reason = ?, override_by = ?, override_at = ? WHERE id = ? AND clinic_id = ?",
                &[int(a.practitioner_id), text(&a.room), text(&a.room_key), int(a.starts_at), int(a.ends_at), text(&a.kind), text(&a.purpose), int(now_unix()), opt_text(a.override_reason.as_deref()), opt_int(a.override_reason.as_ref().map(|_| by)), opt_int(a.override_reason.as_ref().map(|_| now_unix())), int(id), int(clinic)],
            )?;
            audit_override(c, clinic, by, id, a)?;
            audit(c, clinic, Some(by), "update", "appointment", Some(id), Some(old.client_id), &format!("moved from {}–{} (practitioner {}, {}) to {}–{} (practitioner {}, {})", old.starts_at, old.ends_at, old.practitioner_id, old.room, a.starts_at, a.ends_at, a.practitioner_id, a.room))?;
            get_appointment(c, clinic, id)
        })
    }

    fn cancel_appointment(
        &self,
        clinic: ClinicId,
        id: AppointmentId,
        reason: &str,
        by: UserId,
    ) -> Result<Appointment> {
        self.write(|c| {
            lock_bookings(c, clinic)?;
            let old = get_appointment(c, clinic, id)?;
            if old.status != "booked" {
                return Err(StoreError::Conflict(
                    "This appointment is already cancelled.".into(),
                ));
            }
            c.exec(
                "UPDATE appointments SET status = 'cancelled', cancel_reason = ?, revision = revision + 1, updated_at = ? WHERE id = ? AND clinic_id = ?",
                &[text(reason), int(now_unix()), int(id), int(clinic)],
            )?;
            audit(c, clinic, Some(by), "cancel", "appointment", Some(id), Some(old.client_id), "the reason is kept with the appointment")?;
            get_appointment(c, clinic, id)
        })
    }

    fn appointment(&self, clinic: ClinicId, id: AppointmentId) -> Result<Appointment> {
        self.read(|c| get_appointment(c, clinic, id))
    }

    fn appointments(&self, clinic: ClinicId, q: &AppointmentQuery) -> Result<Vec<Appointment>> {
        self.read(|c| {
            if let Some(client) = q.client {
                own_client(c, clinic, client)?;
            }
            let mut sql = format!(
                "{APPOINTMENT_SELECT} WHERE a.clinic_id = ? AND a.starts_at < ? AND a.ends_at > ?"
            );
            let mut params = vec![int(clinic), int(q.to), int(q.from)];
            if let Some(client) = q.client {
                sql.push_str(" AND a.client_id = ?");
                params.push(int(client));
            }
            if let Some(who) = q.practitioner {
                sql.push_str(" AND a.practitioner_id = ?");
                params.push(int(who));
            }
            if !q.include_cancelled {
                sql.push_str(" AND a.status = 'booked'");
            }
            sql.push_str(" ORDER BY a.starts_at, a.id LIMIT ?");
            params.push(int(MAX_APPOINTMENTS_LISTED));
            c.query(&sql, &params)?
                .iter()
                .map(appointment_row)
                .collect::<Result<Vec<_>>>()
        })
    }

    fn add_signed_consent(
        &self,
        clinic: ClinicId,
        client: ClientId,
        n: &NewConsent,
        sig: &NewSignature,
        by: UserId,
    ) -> Result<(Consent, ConsentSignature)> {
        self.write(|c| {
            crate::records::live_client(c, clinic, client)?;
            // The same strokes under the same text twice are one signing sent twice (a double tap, a resent
            // request; probe s10: 16 at once stored 16 consents): kept once. Under the clinic's lock, so two
            // nodes cannot both find none.
            lock_bookings(c, clinic)?;
            if !c
                .query(
                    "SELECT consent_id FROM consent_signatures WHERE clinic_id = ? AND client_id = ? AND text_sha256 = ? AND path = ?",
                    &[int(clinic), int(client), text(&sig.text_sha256), text(&sig.path)],
                )?
                .is_empty()
            {
                return Err(StoreError::Conflict(
                    "This signature is already saved with this consent (the same signature was sent twice, for example by a double tap): it is kept once. Reload the client's consents to see it.".into(),
                ));
            }
            let sql = format!("INSERT INTO consents (clinic_id, client_id, text_id, text_version, signed_at, signed_json, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING {CONSENT_COLS}");
            let created = consent(&insert(c, &sql, &[int(clinic), int(client), text(&n.text_id), int(n.text_version), text(&n.signed_at), text(&n.signed_json), int(by), int(now_unix())])?)?;
            c.exec(
                "INSERT INTO consent_signatures (consent_id, clinic_id, client_id, text_sha256, pad_width, pad_height, path, witness_id, signed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                &[int(created.id), int(clinic), int(client), text(&sig.text_sha256), int(sig.pad_width), int(sig.pad_height), text(&sig.path), int(by), int(sig.signed_at)],
            )?;
            audit(c, clinic, Some(by), "create", "consent", Some(created.id), Some(client), &format!("{} v{} signed on the tablet, text SHA-256 {}", n.text_id, n.text_version, sig.text_sha256))?;
            let s = signature_row(&c.one("signature", &format!("{SIGNATURE_SELECT} WHERE s.consent_id = ?"), &[int(created.id)])?)?;
            Ok((created, s))
        })
    }

    fn consent_signatures(
        &self,
        clinic: ClinicId,
        client: ClientId,
    ) -> Result<Vec<ConsentSignature>> {
        self.read(|c| {
            own_client(c, clinic, client)?;
            c.query(
                &format!("{SIGNATURE_SELECT} WHERE s.clinic_id = ? AND s.client_id = ? ORDER BY s.consent_id"),
                &[int(clinic), int(client)],
            )?
            .iter()
            .map(signature_row)
            .collect()
        })
    }

    fn signed_consent(
        &self,
        clinic: ClinicId,
        id: ConsentId,
    ) -> Result<(Consent, Option<ConsentSignature>)> {
        self.read(|c| {
            let con = consent(&c.one(
                "consent",
                &format!("SELECT {CONSENT_COLS} FROM consents WHERE id = ? AND clinic_id = ?"),
                &[int(id), int(clinic)],
            )?)?;
            let sig = c
                .query(
                    &format!("{SIGNATURE_SELECT} WHERE s.consent_id = ? AND s.clinic_id = ?"),
                    &[int(id), int(clinic)],
                )?
                .first()
                .map(signature_row)
                .transpose()?;
            Ok((con, sig))
        })
    }

    fn record_clearance(
        &self,
        clinic: ClinicId,
        client: ClientId,
        n: &NewConsultation,
        letter: &NewClearanceLetter,
        by: UserId,
    ) -> Result<(Consultation, ClearanceLetter)> {
        self.write(|c| {
            crate::records::live_client(c, clinic, client)?;
            let sql = format!("INSERT INTO consultations (clinic_id, client_id, held_on, outcome, intake_json, screening_json, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING {CONSULTATION_COLS}");
            let params = [int(clinic), int(client), text(&n.held_on), text(&n.outcome), text(&n.intake_json), text(&n.screening_json), int(by), int(now_unix())];
            let con = consultation(&insert(c, &sql, &params)?)?;
            audit(c, clinic, Some(by), "create", "consultation", Some(con.id), Some(client), &format!("clearance recorded; screening: {}", n.outcome))?;
            let sha = sha256_hex(&letter.bytes);
            let sql = format!("INSERT INTO clearance_letters (clinic_id, client_id, consultation_id, sha256, content_type, filename, bytes, size, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {LETTER_COLS}");
            let l = letter_row(&insert(c, &sql, &[int(clinic), int(client), int(con.id), text(&sha), text(&letter.content_type), text(&letter.filename), bytes(&letter.bytes), int(letter.bytes.len() as i64), int(by), int(now_unix())])?)?;
            audit(c, clinic, Some(by), "create", "clearance_letter", Some(l.id), Some(client), &format!("{} bytes, SHA-256 {sha}", letter.bytes.len()))?;
            Ok((con, l))
        })
    }

    fn clearance_letters(
        &self,
        clinic: ClinicId,
        client: ClientId,
    ) -> Result<Vec<ClearanceLetter>> {
        self.read(|c| {
            own_client(c, clinic, client)?;
            c.query(&format!("SELECT {LETTER_COLS} FROM clearance_letters WHERE clinic_id = ? AND client_id = ? ORDER BY id DESC"), &[int(clinic), int(client)])?.iter().map(letter_row).collect::<Result<Vec<_>>>()
        })
    }

    fn clearance_letter(
        &self,
        clinic: ClinicId,
        id: LetterId,
    ) -> Result<(ClearanceLetter, Vec<u8>)> {
        self.read(|c| {
            let r = c.one(
                "clearance letter",
                &format!("SELECT {LETTER_COLS}, bytes FROM clearance_letters WHERE id = ? AND clinic_id = ?"),
                &[int(id), int(clinic)],
            )?;
            Ok((letter_row(&r)?, r.b(10)?))
        })
    }
}
