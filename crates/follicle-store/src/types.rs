//! The record types the store reads and writes: plain data, serialisable for the HTTP API. JSON documents
//! (intake, screening, plan.json, session records, pigments, signed consents) are kept as their text.

use serde::{Deserialize, Serialize};

/// A database id of no particular table (an audit row's `entity_id`, which names a record of any kind).
pub type Id = i64;

/// One newtype per table's id, so that a plan's id cannot be passed where a client's is expected. On the wire
/// (`#[serde(transparent)]`), in paths (`FromStr`) and in messages (`Display`) each is its plain number; the
/// store binds and decodes it as an integer (`From<i64>`, `Into<i64>`).
macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                $name(id)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }
    )*};
}

ids! {
    /// A clinic's id (`clinics`).
    ClinicId;
    /// A user's id (`users`).
    UserId;
    /// A client's id (`clients`). A store call takes the id of the table it reads:
    ///
    /// ```
    /// # use follicle_store::*;
    /// fn plans_of(s: &dyn Store, clinic: ClinicId, client: ClientId) -> Result<Vec<PlanRecord>> {
    ///     s.plans(clinic, client)
    /// }
    /// ```
    ///
    /// and a plan's id where a client's belongs does not compile:
    ///
    /// ```compile_fail,E0308
    /// # use follicle_store::*;
    /// fn plans_of(s: &dyn Store, clinic: ClinicId, plan: PlanId) -> Result<Vec<PlanRecord>> {
    ///     s.plans(clinic, plan)
    /// }
    /// ```
    ClientId;
    /// A consultation's id (`consultations`).
    ConsultationId;
    /// A plan's id (`plans`).
    PlanId;
    /// A design's id (`designs`).
    DesignId;
    /// A photo's id (`photos`).
    PhotoId;
    /// A treatment session's id (`treatment_sessions`).
    SessionId;
    /// A pigment's id (`pigments`).
    PigmentId;
    /// A lot's id (`lots`).
    LotId;
    /// A consent's id (`consents`).
    ConsentId;
    /// An appointment's id (`appointments`).
    AppointmentId;
    /// A clearance letter's id (`clearance_letters`).
    LetterId;
    /// A room's id (`rooms`).
    RoomId;
}

/// What a user may do in their clinic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the clinic: everything, including accounts and the audit log.
    Owner,
    /// Treats clients: medical records, plans, sessions, consents.
    Practitioner,
    /// Reception: schedules and contact details, never medical history.
    FrontDesk,
}

impl Role {
    /// The name stored in the database and used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Practitioner => "practitioner",
            Role::FrontDesk => "front_desk",
        }
    }
    /// Reads a stored role name.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "owner" => Some(Role::Owner),
            "practitioner" => Some(Role::Practitioner),
            "front_desk" => Some(Role::FrontDesk),
            _ => None,
        }
    }
    /// Whether this role may see medical records (consultations, plans, sessions, consents, photos).
    pub fn sees_medical(self) -> bool {
        matches!(self, Role::Owner | Role::Practitioner)
    }
}

/// A clinic (a tenant: its records are invisible to every other clinic).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clinic {
    /// Id.
    pub id: ClinicId,
    /// Name.
    pub name: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// A user account (the password hash is never part of it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// The clinic the user works for.
    pub clinic_id: ClinicId,
    /// Login name, unique over the whole studio.
    pub username: String,
    /// Name shown in records.
    pub display_name: String,
    /// What the user may do.
    pub role: Role,
    /// Unix seconds.
    pub created_at: i64,
    /// False once an owner has disabled the account (it cannot log in; its sessions are ended).
    pub active: bool,
}

impl User {
    /// Whether appointments can be booked with this user: an active practitioner or owner (the rule the
    /// booking's clash check applies in the database).
    pub fn bookable(&self) -> bool {
        self.active && self.role != Role::FrontDesk
    }
}

/// A user to create, with an Argon2id PHC hash already computed.
#[derive(Clone, PartialEq)]
pub struct NewUser {
    /// Login name.
    pub username: String,
    /// Name shown in records.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// PHC string of the password hash.
    pub password_hash: String,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("username", &self.username)
            .field("role", &self.role)
            .field("password_hash", &"***")
            .finish()
    }
}

/// A login session: the hash of the cookie token (the token itself is never stored) and its CSRF token.
#[derive(Clone, PartialEq)]
pub struct AuthSession {
    /// SHA-256 hex of the session token.
    pub token_hash: String,
    /// Whose session it is.
    pub user_id: UserId,
    /// The CSRF token state-changing requests must echo.
    pub csrf_token: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds after which the session is dead.
    pub expires_at: i64,
    /// The client the session's tablet is handed to for signing (probe s8 N3): while set, the session serves
    /// only that client's signing screen. Ignored when a session is created.
    pub handed_to: Option<ClientId>,
}

impl std::fmt::Debug for AuthSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthSession")
            .field("user_id", &self.user_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// A client's identity and contact details (what front desk may see and edit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientFields {
    /// The studio's own reference for the client (e.g. `C-2025-014`), unique in the clinic.
    pub reference: String,
    /// Full name.
    pub name: String,
    /// Date of birth, YYYY-MM-DD.
    #[serde(default)]
    pub date_of_birth: Option<String>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Telephone number.
    #[serde(default)]
    pub phone: Option<String>,
}

/// Why [`Store::update_client`] refuses a new name, date of birth or reference: those change only through
/// [`crate::rights::Rights::amend_record`] with a reason, which keeps the old values.
pub const IDENTITY_NEEDS_REASON: &str = "A client's name, date of birth or reference is changed only with a written reason (the old values are kept in the client's history): write why it changes.";

impl ClientFields {
    /// Whether `other` names the same person as `self`: the same name, date of birth and reference (contact
    /// details aside).
    pub fn same_identity(&self, other: &ClientFields) -> bool {
        self.name == other.name
            && self.reference == other.reference
            && self.date_of_birth == other.date_of_birth
    }
}

/// A client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Client {
    /// Id.
    pub id: ClientId,
    /// Clinic.
    pub clinic_id: ClinicId,
    /// Identity and contact.
    #[serde(flatten)]
    pub fields: ClientFields,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
    /// The record's revision (a fingerprint of what is stored, changed by every edit): an edit made from a copy
    /// sends it back, and a record changed since is refused (`StoreError::Stale`) rather than overwritten.
    #[serde(default)]
    pub revision: String,
}

/// Which clients to list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientQuery {
    /// Case-insensitive text to find in name, reference, e-mail or phone.
    pub search: Option<String>,
    /// Page size.
    pub limit: i64,
    /// Rows to skip.
    pub offset: i64,
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Rows matching in all pages.
    pub total: i64,
    /// Page size asked for.
    pub limit: i64,
    /// Rows skipped.
    pub offset: i64,
}

/// A consultation to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewConsultation {
    /// The consultation day, YYYY-MM-DD.
    pub held_on: String,
    /// Screening outcome (`go`, `physician_clearance`, …).
    pub outcome: String,
    /// The intake as JSON.
    pub intake_json: String,
    /// The screening result as JSON.
    pub screening_json: String,
}

/// A stored consultation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Consultation {
    /// Id.
    pub id: ConsultationId,
    /// Clinic.
    pub clinic_id: ClinicId,
    /// Client.
    pub client_id: ClientId,
    /// Consultation day.
    pub held_on: String,
    /// Screening outcome.
    pub outcome: String,
    /// The intake as JSON.
    pub intake_json: String,
    /// The screening as JSON.
    pub screening_json: String,
    /// User who stored it.
    pub created_by: UserId,
    /// Unix seconds.
    pub created_at: i64,
    /// The record's revision (a fingerprint of what is stored, changed by every edit): an edit made from a copy
    /// sends it back, and a record changed since is refused (`StoreError::Stale`) rather than overwritten.
    #[serde(default)]
    pub revision: String,
}

/// A plan to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPlan {
    /// The plan this one extends (a touch-up), if any.
    pub parent_id: Option<PlanId>,
    /// Short label.
    pub label: String,
    /// The case TOML it was planned from, if any.
    pub case_toml: Option<String>,
    /// Seed.
    pub seed: i64,
    /// Number of sessions.
    pub sessions: i64,
    /// Number of impressions.
    pub impressions: i64,
    /// The plan.json text.
    pub plan_json: String,
}

/// A stored plan's record (plan.json is read separately: it can be megabytes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanRecord {
    /// Id.
    pub id: PlanId,
    /// Clinic.
    pub clinic_id: ClinicId,
    /// Client.
    pub client_id: ClientId,
    /// The plan this one extends.
    pub parent_id: Option<PlanId>,
    /// Short label.
    pub label: String,
    /// The case TOML, if planned from one.
    pub case_toml: Option<String>,
    /// Seed.
    pub seed: i64,
    /// Sessions.
    pub sessions: i64,
    /// Impressions.
    pub impressions: i64,
    /// User who stored it.
    pub created_by: UserId,
    /// Unix seconds.
    pub created_at: i64,
}

/// A treatment session to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSession {
    /// Session number in the course.
    pub index: i64,
    /// The day, YYYY-MM-DD.
    pub held_on: String,
    /// The session record as JSON (follicle-clinic's SessionRecord).
    pub record_json: String,
}

/// A recorded treatment session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreatmentSession {
    /// Id.
    pub id: SessionId,
    /// Clinic.
    pub clinic_id: ClinicId,
    /// Client.
    pub client_id: ClientId,
    /// Session number.
    pub index: i64,
    /// The day.
    pub held_on: String,
    /// The session record as JSON.
    pub record_json: String,
    /// User who recorded it.
    pub created_by: UserId,
    /// Unix seconds.
    pub created_at: i64,
}

/// A pigment in a clinic's catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PigmentRow {
    /// Id.
    pub id: PigmentId,
    /// Clinic.
    pub clinic_id: ClinicId,
    /// The clinic's key for it (lots refer to it).
    pub key: String,
    /// The pigment (follicle-clinic's Pigment) as JSON.
    pub pigment_json: String,
    /// Unix seconds.
    pub created_at: i64,
    /// The record's revision (a fingerprint of what is stored, changed by every edit): an edit made from a copy
    /// sends it back, and a record changed since is refused (`StoreError::Stale`) rather than overwritten.
    #[serde(default)]
    pub revision: String,
}

/// A lot to add.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewLot {
    /// The pigment's key.
    pub pigment: String,
    /// Batch number as on the bottle.
    pub number: String,
    /// Last day of use, YYYY-MM-DD.
    pub expiry: String,
    /// Day it arrived.
    #[serde(default)]
    pub received: Option<String>,
}

/// A lot of a pigment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LotRow {
    /// Id.
    pub id: LotId,
    /// Clinic.
    pub clinic_id: ClinicId,
    /// The lot.
    #[serde(flatten)]
    pub lot: NewLot,
    /// Unix seconds.
    pub created_at: i64,
    /// The record's revision (a fingerprint of what is stored, changed by every edit): an edit made from a copy
    /// sends it back, and a record changed since is refused (`StoreError::Stale`) rather than overwritten.
    #[serde(default)]
    pub revision: String,
}

/// A signed consent to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewConsent {
    /// Consent text id.
    pub text_id: String,
    /// Consent text version.
    pub text_version: i64,
    /// When it was signed (UTC, YYYY-MM-DDTHH:MM:SSZ).
    pub signed_at: String,
    /// follicle-clinic's SignedConsent as JSON (carries the text's SHA-256).
    pub signed_json: String,
}

/// A recorded consent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Consent {
    /// Id.
    pub id: ConsentId,
    /// Clinic.
    pub clinic_id: ClinicId,
    /// Client.
    pub client_id: ClientId,
    /// Text id.
    pub text_id: String,
    /// Text version.
    pub text_version: i64,
    /// When it was signed.
    pub signed_at: String,
    /// The signed consent as JSON.
    pub signed_json: String,
    /// User who recorded it.
    pub created_by: UserId,
    /// Unix seconds.
    pub created_at: i64,
}

/// A photo to record (its bytes are already stored under `sha256`).
#[derive(Debug, Clone, PartialEq)]
pub struct NewPhoto {
    /// Content address.
    pub sha256: String,
    /// `image/png` or `image/jpeg`.
    pub content_type: String,
    /// Size in bytes.
    pub bytes: i64,
    /// Width in pixels.
    pub width: i64,
    /// Height in pixels.
    pub height: i64,
    /// Caption.
    pub caption: Option<String>,
    /// Which view of the head it shows: `front`, `top`, `left`, `right` or `back` (follicle-render's
    /// `views::PhotoView`; checked by the caller, and by the database).
    pub view: String,
}

/// A photo turned upright by the practitioner: the turned picture (its bytes already in the [`crate::PhotoStore`])
/// that replaces the one the photo showed.
#[derive(Debug, Clone)]
pub struct TurnedPhoto {
    /// The content address the photo had when it was turned (a photo turned since is not turned again).
    pub from_sha256: String,
    /// Content address of the turned picture.
    pub sha256: String,
    /// `image/png` or `image/jpeg`.
    pub content_type: String,
    /// Size in bytes.
    pub bytes: i64,
    /// Width in pixels.
    pub width: i64,
    /// Height in pixels.
    pub height: i64,
    /// Clockwise: 90, 180 or 270 degrees.
    pub degrees: u16,
    /// The turned picture's bytes when the store keeps photo bytes itself (PostgreSQL, several nodes): stored in
    /// the turn's own transaction, so no other write can drop them between their storing and the row taking
    /// them. `None` with photo files beside a SQLite database (the server stores the file first).
    pub blob: Option<Vec<u8>>,
}

/// A photo's metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Photo {
    /// Id.
    pub id: PhotoId,
    /// Clinic.
    pub clinic_id: ClinicId,
    /// Client.
    pub client_id: ClientId,
    /// Content address (SHA-256 hex of the bytes).
    pub sha256: String,
    /// Media type.
    pub content_type: String,
    /// Size in bytes.
    pub bytes: i64,
    /// Width in pixels.
    pub width: i64,
    /// Height in pixels.
    pub height: i64,
    /// Caption.
    pub caption: Option<String>,
    /// User who uploaded it.
    pub created_by: UserId,
    /// Unix seconds.
    pub created_at: i64,
    /// Which view of the head it shows (`front` for photos stored before views existed).
    pub view: String,
    /// The record's revision (a fingerprint of what is stored, changed by every edit): an edit made from a copy
    /// sends it back, and a record changed since is refused (`StoreError::Stale`) rather than overwritten.
    #[serde(default)]
    pub revision: String,
}

/// An audit row to append.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAudit {
    /// Who (none for the system).
    pub user_id: Option<UserId>,
    /// `view`, `create`, `update`, `delete`, `login`, …
    pub action: String,
    /// `consultation`, `plan`, `session`, `consent`, `photo`, `client`, `passport`, …
    pub entity: String,
    /// The record's id.
    pub entity_id: Option<Id>,
    /// The client concerned.
    pub client_id: Option<ClientId>,
    /// Free detail.
    pub detail: String,
}

/// A row of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Id (increasing).
    pub id: Id,
    /// Clinic.
    pub clinic_id: ClinicId,
    /// Who.
    pub user_id: Option<UserId>,
    /// Unix seconds.
    pub at: i64,
    /// What was done.
    pub action: String,
    /// To what kind of record.
    pub entity: String,
    /// The record's id.
    pub entity_id: Option<Id>,
    /// The client concerned.
    pub client_id: Option<ClientId>,
    /// Free detail.
    pub detail: String,
}

/// The landmarks marked on one photo: named pixel positions, as the photo registration reads them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoLandmarks {
    /// The photo.
    pub photo_id: PhotoId,
    /// Clinic.
    pub clinic_id: ClinicId,
    /// The photo's client.
    pub client_id: ClientId,
    /// `{"glabella": [x, y], …}` in image pixels, as JSON.
    pub landmarks_json: String,
    /// The landmarks (names in `landmarks_json`) proposed automatically and not yet confirmed by the
    /// practitioner; every other mark was placed or confirmed by hand.
    pub proposed: Vec<String>,
    /// User who marked them last.
    pub updated_by: UserId,
    /// Unix seconds.
    pub updated_at: i64,
}

impl PhotoLandmarks {
    /// The marks' revision: a window sends back the one it read ([`MarksSeen::revision`]), so a save from a
    /// window opened before another window's save is refused instead of overwriting it (outside test s42).
    /// It changes with the marks and with which of them are still proposed.
    pub fn revision(&self) -> String {
        let proposed = serde_json::to_string(&self.proposed).expect("a list of names is JSON");
        crate::sha256_hex(format!("{}\n{proposed}", self.landmarks_json).as_bytes())[..16]
            .to_string()
    }
}

/// What the window that placed a photo's marks saw; each part given is checked in the write's own
/// transaction, and a photo that shows otherwise by now is `StoreError::Conflict`, nothing written (outside
/// test s42: a save racing a change of view stored front marks on a left photo, and a save racing a turn
/// stored the marks unturned on the turned picture).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MarksSeen<'a> {
    /// The picture (its content address) the marks were placed on.
    pub sha256: Option<&'a str>,
    /// The view the marks were checked for.
    pub view: Option<&'a str>,
    /// The marks' revision the window read ([`PhotoLandmarks::revision`]); `Some("")` when it read none.
    pub revision: Option<&'a str>,
}

/// A design to save: a case file a practitioner keeps before generating a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDesign {
    /// Short label.
    pub label: String,
    /// The case file (TOML, docs/case-format.md), already checked by follicle-case.
    pub case_toml: String,
    /// The version this one follows (the same client's design), when it is a new version of a design.
    pub previous_id: Option<DesignId>,
}

/// A saved design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DesignRecord {
    /// Id.
    pub id: DesignId,
    /// Clinic.
    pub clinic_id: ClinicId,
    /// Client.
    pub client_id: ClientId,
    /// Short label.
    pub label: String,
    /// The case file (TOML).
    pub case_toml: String,
    /// User who saved it.
    pub created_by: UserId,
    /// Unix seconds.
    pub created_at: i64,
    /// The version this one follows, if any (`Store::design_history` walks the chain).
    pub previous_id: Option<DesignId>,
    /// Whether this is the client's chosen design (the one the sessions follow).
    pub chosen: bool,
}

/// The failed logins counted against one throttle key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottleCount {
    /// The key (SHA-256 hex of what it counts: an account or a client address).
    pub key: String,
    /// Failures since the key was last quiet for a whole window.
    pub failures: i64,
    /// Unix seconds of the last counted failure.
    pub last_at: i64,
    /// Password checks under way on the key (started within [`THROTTLE_PENDING_STALE`] seconds), not yet known to
    /// have failed or succeeded.
    pub pending: i64,
}

/// Seconds after which password checks still counted as under way are ignored (the node checking them died).
pub const THROTTLE_PENDING_STALE: i64 = 60;

/// Sets `record`'s revision: the first 16 hex digits of the SHA-256 of its JSON with an empty revision.
pub(crate) fn with_revision<T: Serialize>(
    mut record: T,
    revision: impl Fn(&mut T) -> &mut String,
) -> T {
    use sha2::{Digest, Sha256};
    revision(&mut record).clear();
    let json = serde_json::to_vec(&record).unwrap_or_default();
    let digest = Sha256::digest(&json);
    *revision(&mut record) = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    record
}
