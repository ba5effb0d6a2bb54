//! Reading the store's rows into records: the columns each query selects, one function per table that turns a
//! row into its record, and the lookups by id that several writes share.

use super::*;

pub(crate) const USER_COLS: &str =
    "id, clinic_id, username, display_name, role, created_at, disabled_at";

/// The columns a new user's row returns: those of every schema version (a new user is active).
pub(crate) const NEW_USER_COLS: &str = "id, clinic_id, username, display_name, role, created_at";

pub(crate) const CLIENT_COLS: &str =
    "id, clinic_id, reference, name, date_of_birth, email, phone, created_at, updated_at";

pub(crate) const CONSULTATION_COLS: &str = "id, clinic_id, client_id, held_on, outcome, intake_json, screening_json, created_by, created_at";

pub(crate) const PLAN_COLS: &str = "id, clinic_id, client_id, parent_id, label, case_toml, seed, sessions, impressions, created_by, created_at";

pub(crate) const SESSION_COLS: &str =
    "id, clinic_id, client_id, session_index, held_on, record_json, created_by, created_at";

pub(crate) const PIGMENT_COLS: &str = "id, clinic_id, pigment_key, pigment_json, created_at";

pub(crate) const LOT_COLS: &str =
    "id, clinic_id, pigment_key, number, expiry, received, created_at";

pub(crate) const CONSENT_COLS: &str = "id, clinic_id, client_id, text_id, text_version, signed_at, signed_json, created_by, created_at";

/// A photo's columns before schema 10 (a new photo's view is the column's default, `front`, unless set).
pub(crate) const PHOTO_BASE_COLS: &str = "id, clinic_id, client_id, sha256, content_type, bytes, width, height, caption, created_by, created_at";

pub(crate) const PHOTO_COLS: &str = "id, clinic_id, client_id, sha256, content_type, bytes, width, height, caption, created_by, created_at, view";

pub(crate) const LANDMARKS_COLS: &str =
    "photo_id, clinic_id, client_id, landmarks_json, updated_by, updated_at, proposed_json";

pub(crate) const DESIGN_COLS: &str =
    "id, clinic_id, client_id, label, case_toml, created_by, created_at, previous_id";

pub(crate) const AUDIT_COLS: &str =
    "id, clinic_id, user_id, at, action, entity, entity_id, client_id, detail";

pub(crate) fn user(r: &Row) -> Result<User> {
    Ok(User {
        id: r.i(0)?,
        clinic_id: r.i(1)?,
        username: r.t(2)?,
        display_name: r.t(3)?,
        role: r.parsed(4, "role", Role::parse)?,
        created_at: r.i(5)?,
        active: r.values().len() <= 6 || r.oi::<i64>(6)?.is_none(),
    })
}

pub(crate) fn client(r: &Row) -> Result<Client> {
    Ok(with_revision(
        Client {
            id: r.i(0)?,
            clinic_id: r.i(1)?,
            fields: ClientFields {
                reference: r.t(2)?,
                name: r.t(3)?,
                date_of_birth: r.ot(4)?,
                email: r.ot(5)?,
                phone: r.ot(6)?,
            },
            created_at: r.i(7)?,
            updated_at: r.i(8)?,
            revision: String::new(),
        },
        |r| &mut r.revision,
    ))
}

pub(crate) fn consultation(r: &Row) -> Result<Consultation> {
    Ok(with_revision(
        Consultation {
            id: r.i(0)?,
            clinic_id: r.i(1)?,
            client_id: r.i(2)?,
            held_on: r.t(3)?,
            outcome: r.t(4)?,
            intake_json: r.t(5)?,
            screening_json: r.t(6)?,
            created_by: r.i(7)?,
            created_at: r.i(8)?,
            revision: String::new(),
        },
        |r| &mut r.revision,
    ))
}

pub(crate) fn plan(r: &Row) -> Result<PlanRecord> {
    Ok(PlanRecord {
        id: r.i(0)?,
        clinic_id: r.i(1)?,
        client_id: r.i(2)?,
        parent_id: r.oi(3)?,
        label: r.t(4)?,
        case_toml: r.ot(5)?,
        seed: r.i(6)?,
        sessions: r.i(7)?,
        impressions: r.i(8)?,
        created_by: r.i(9)?,
        created_at: r.i(10)?,
    })
}

pub(crate) fn session(r: &Row) -> Result<TreatmentSession> {
    Ok(TreatmentSession {
        id: r.i(0)?,
        clinic_id: r.i(1)?,
        client_id: r.i(2)?,
        index: r.i(3)?,
        held_on: r.t(4)?,
        record_json: r.t(5)?,
        created_by: r.i(6)?,
        created_at: r.i(7)?,
    })
}

pub(crate) fn pigment(r: &Row) -> Result<PigmentRow> {
    Ok(with_revision(
        PigmentRow {
            id: r.i(0)?,
            clinic_id: r.i(1)?,
            key: r.t(2)?,
            pigment_json: r.t(3)?,
            created_at: r.i(4)?,
            revision: String::new(),
        },
        |r| &mut r.revision,
    ))
}

pub(crate) fn lot(r: &Row) -> Result<LotRow> {
    Ok(with_revision(
        LotRow {
            id: r.i(0)?,
            clinic_id: r.i(1)?,
            lot: NewLot {
                pigment: r.t(2)?,
                number: r.t(3)?,
                expiry: r.t(4)?,
                received: r.ot(5)?,
            },
            created_at: r.i(6)?,
            revision: String::new(),
        },
        |r| &mut r.revision,
    ))
}

pub(crate) fn consent(r: &Row) -> Result<Consent> {
    Ok(Consent {
        id: r.i(0)?,
        clinic_id: r.i(1)?,
        client_id: r.i(2)?,
        text_id: r.t(3)?,
        text_version: r.i(4)?,
        signed_at: r.t(5)?,
        signed_json: r.t(6)?,
        created_by: r.i(7)?,
        created_at: r.i(8)?,
    })
}

pub(crate) fn photo(r: &Row) -> Result<Photo> {
    photo_with_view(r, r.t(11)?)
}

/// A photo from the base columns, with its view.
pub(crate) fn photo_with_view(r: &Row, view: String) -> Result<Photo> {
    Ok(with_revision(
        Photo {
            id: r.i(0)?,
            clinic_id: r.i(1)?,
            client_id: r.i(2)?,
            sha256: r.t(3)?,
            content_type: r.t(4)?,
            bytes: r.i(5)?,
            width: r.i(6)?,
            height: r.i(7)?,
            caption: r.ot(8)?,
            created_by: r.i(9)?,
            created_at: r.i(10)?,
            view,
            revision: String::new(),
        },
        |r| &mut r.revision,
    ))
}

/// One photo as stored now (inside a write transaction that checks its revision).
pub(crate) fn photo_by_id(c: &mut dyn Conn, id: PhotoId) -> Result<Photo> {
    photo(&c.one(
        "photo",
        &format!("SELECT {PHOTO_COLS} FROM photos WHERE id = ?"),
        &[int(id)],
    )?)
}

/// One lot as stored now.
pub(crate) fn lot_by_id(c: &mut dyn Conn, id: LotId) -> Result<LotRow> {
    lot(&c.one(
        "lot",
        &format!("SELECT {LOT_COLS} FROM lots WHERE id = ?"),
        &[int(id)],
    )?)
}

/// One pigment as stored now.
pub(crate) fn pigment_by_id(c: &mut dyn Conn, id: PigmentId) -> Result<PigmentRow> {
    pigment(&c.one(
        "pigment",
        &format!("SELECT {PIGMENT_COLS} FROM pigments WHERE id = ?"),
        &[int(id)],
    )?)
}

pub(crate) fn landmarks(r: &Row) -> Result<PhotoLandmarks> {
    Ok(PhotoLandmarks {
        photo_id: r.i(0)?,
        clinic_id: r.i(1)?,
        client_id: r.i(2)?,
        landmarks_json: r.t(3)?,
        updated_by: r.i(4)?,
        updated_at: r.i(5)?,
        proposed: serde_json::from_str(&r.t(6)?).map_err(|e| StoreError::Decode {
            table: "photo_landmarks".into(),
            column: "proposed_json".into(),
            problem: format!("is not a list of landmark names: {e}"),
        })?,
    })
}

pub(crate) fn design(r: &Row) -> Result<DesignRecord> {
    Ok(DesignRecord {
        id: r.i(0)?,
        clinic_id: r.i(1)?,
        client_id: r.i(2)?,
        label: r.t(3)?,
        case_toml: r.t(4)?,
        created_by: r.i(5)?,
        created_at: r.i(6)?,
        previous_id: r.oi(7)?,
        chosen: false,
    })
}

pub(crate) fn audit_entry(r: &Row) -> Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.i(0)?,
        clinic_id: r.i(1)?,
        user_id: r.oi(2)?,
        at: r.i(3)?,
        action: r.t(4)?,
        entity: r.t(5)?,
        entity_id: r.oi(6)?,
        client_id: r.oi(7)?,
        detail: r.t(8)?,
    })
}
