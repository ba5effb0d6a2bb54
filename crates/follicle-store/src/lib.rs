//! Clinic records storage for the studio server: the [`Store`] trait (clinics, users, clients, consultations,
//! designs, plans, treatment sessions, pigments and lots, consents, photo metadata and landmarks, login
//! sessions and the append-only audit log) and its two backends, SQLite (default: one file, WAL) and PostgreSQL, which share one schema
//! design and one implementation of the trait ([`records::SqlStore`]) over a small driver seam
//! ([`driver::Driver`]). Each backend carries its own versioned migrations, run at open.
//!
//! Every record query is scoped by clinic: a record of clinic A is "not found" for clinic B. Every write that
//! touches a medical record or a consent appends its audit row in the same transaction.

pub mod archive;
pub mod clinic_day;
pub mod closures;
pub mod conformance;
pub mod conformance_day;
pub mod conformance_keys;
pub mod conformance_premises;
pub mod conformance_repeats;
pub mod conformance_turn;
pub mod devices;
pub mod driver;
pub mod history;
pub mod photos;
pub mod postgres;
pub mod premises;
pub mod records;
pub mod retention;
pub mod rights;
pub mod sqlite;
pub mod tablet;
pub mod testing;
mod types;

pub use clinic_day::*;
pub use closures::{BreakSpan, ClinicClosures, ClosedPeriod};
pub use devices::KnownDevices;
pub use history::{History, HistoryEntry, RecordHistory};
pub use photos::PhotoStore;
pub use premises::{OpeningSpan, Premises, RoomRecord};
pub use records::{PHOTO_CHANGED_SINCE, VIEW_CHANGE_CLEARS_MARKS};
pub use retention::{Purge, Retention, RetentionEnded};
pub use rights::{
    Amendment, ClientExport, ClinicSettings, ClinicSettingsUpdate, Erasure, RecordRef, Rights,
};
pub use tablet::Tablet;
pub use types::*;

use std::sync::Arc;

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such record in this clinic.
    #[error("{0} not found")]
    NotFound(String),
    /// The write conflicts with an existing record (duplicate key, records still attached).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database URL is not one this build understands.
    #[error("unsupported database URL `{0}`: use sqlite:PATH or postgres://USER@HOST:PORT/DB")]
    BadUrl(String),
    /// A stored value does not decode into its type (a NULL where a value is required, text where a number
    /// belongs): the database holds something the schema should not allow.
    #[error("the stored value in {table}.{column} {problem}")]
    Decode {
        /// The table the query read.
        table: String,
        /// The column.
        column: String,
        /// What is wrong with its value.
        problem: String,
    },
    /// The database or the photo directory failed.
    #[error("storage backend: {0}")]
    Backend(String),
    /// The database server does not answer (down, restarting, unreachable): nothing about the request is wrong,
    /// and the same request may succeed in a moment.
    #[error("the database is unreachable: {0}")]
    Unavailable(String),
    /// The record was changed since the copy an edit was made from was loaded (its revision differs): nothing
    /// was written. `what` names the record in words; `by` and `at` (Unix seconds) its last change, from the
    /// audit log.
    #[error("{what} changed since the copy being edited was loaded")]
    Stale {
        /// The record, in words ("Ola Nowak’s record", "Lot NC1-2409").
        what: String,
        /// Who changed it last (their name), when known.
        by: Option<String>,
        /// When (Unix seconds), when known.
        at: Option<i64>,
    },
    /// The database stopped answering while a write was being committed: it may or may not be stored, and
    /// sending it again may store it twice.
    #[error("the database stopped answering while the write was committed: {0}")]
    Unconfirmed(String),
}

/// Result of a storage operation.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Opens the store a URL names (`sqlite:PATH`, `sqlite://PATH`, `postgres://…`, `postgresql://…`), running
/// its migrations.
pub fn open(url: &str) -> Result<Arc<dyn Store>> {
    if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        Ok(Arc::new(sqlite::open(std::path::Path::new(path))?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(postgres::open(url)?))
    } else {
        Err(StoreError::BadUrl(redact(url)))
    }
}

/// The URL with any password replaced by `***`, for messages and Debug output: the `user:password@` form and
/// `password=` / `sslpassword=` query parameters (libpq's keyword, which the URL form also accepts).
pub fn redact(url: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let base = match (base.find("://"), base.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let cred = &base[s + 3..at];
            match cred.find(':') {
                Some(c) => format!("{}{}:***{}", &base[..s + 3], &cred[..c], &base[at..]),
                None => base.to_string(),
            }
        }
        _ => base.to_string(),
    };
    let Some(query) = query else { return base };
    let query: Vec<String> = query
        .split('&')
        .map(|kv| match kv.split_once('=') {
            Some((k, _))
                if k.eq_ignore_ascii_case("password") || k.eq_ignore_ascii_case("sslpassword") =>
            {
                format!("{k}=***")
            }
            _ => kv.to_string(),
        })
        .collect();
    format!("{base}?{}", query.join("&"))
}

/// Seconds since the Unix epoch, from the system clock (the store's only clock).
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Lower-case hex SHA-256 of bytes (photo names, token hashes).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The clinic records: every method that reads or writes a record takes the clinic it acts for. Records
/// management and client rights (edits and deletions with reasons, export, erasure) are its supertrait [`Rights`];
/// appointments, signed consents and clearance letters its supertrait [`ClinicDay`]; opening hours and rooms
/// [`Premises`], breaks and closed dates [`ClinicClosures`], the retention purge [`Retention`], records'
/// histories [`History`] and the devices that logged in [`KnownDevices`].
pub trait Store:
    Rights
    + ClinicDay
    + Premises
    + ClinicClosures
    + Retention
    + History
    + Tablet
    + KnownDevices
    + Send
    + Sync
{
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
    /// The schema version the database is at.
    fn schema_version(&self) -> Result<u32>;
    /// Writes a consistent copy of the whole database to `dest` (SQLite: a database file; PostgreSQL: unsupported,
    /// use pg_dump).
    fn backup_to(&self, dest: &std::path::Path) -> Result<()>;

    /// Creates a clinic and its first owner in one transaction.
    fn create_clinic_with_owner(
        &self,
        clinic_name: &str,
        owner: &NewUser,
    ) -> Result<(Clinic, User)>;
    /// A clinic by id.
    fn clinic(&self, clinic: ClinicId) -> Result<Clinic>;
    /// The clinic's stored IANA time zone; `None` when none is stored yet (a clinic made before it was).
    fn clinic_time_zone(&self, clinic: ClinicId) -> Result<Option<String>>;
    /// Stores `zone` for every clinic that has none yet (made before the zone was stored, or just made by
    /// `serve --init`/`--add-clinic`/the set-up route); returns how many.
    fn fill_clinic_time_zones(&self, zone: &str) -> Result<u64>;
    /// How many user accounts exist in all clinics (0 means the studio is not set up yet).
    fn count_users(&self) -> Result<i64>;
    /// Adds a user to a clinic.
    fn create_user(&self, clinic: ClinicId, user: &NewUser, by: UserId) -> Result<User>;
    /// The users of a clinic.
    fn users(&self, clinic: ClinicId) -> Result<Vec<User>>;
    /// A user and their password hash by user name, for logging in.
    fn user_for_login(&self, username: &str) -> Result<Option<(User, String)>>;
    /// Every user name in the database, of every clinic, disabled users included (for refusing look-alikes).
    fn user_names(&self) -> Result<Vec<String>>;
    /// Every clinic's name in the database (for refusing a second clinic of the same name on one database).
    fn clinic_names(&self) -> Result<Vec<String>>;
    /// Every clinic in the database, oldest first.
    fn clinics(&self) -> Result<Vec<Clinic>>;

    /// Records a login session.
    fn create_auth_session(&self, session: &AuthSession) -> Result<()>;
    /// A live login session and its user by token hash (expired sessions are not returned).
    fn auth_session(&self, token_hash: &str, now: i64) -> Result<Option<(AuthSession, User)>>;
    /// Ends a login session.
    fn delete_auth_session(&self, token_hash: &str) -> Result<()>;

    /// Disables (ending every session) or re-enables a user of the clinic, and/or changes their role; refuses
    /// (Conflict) to leave the clinic without an active owner. Audited.
    fn update_user_access(
        &self,
        clinic: ClinicId,
        user: UserId,
        active: Option<bool>,
        role: Option<Role>,
        by: UserId,
    ) -> Result<User>;
    /// Replaces a user's password hash and ends every session of theirs but `keep` (the caller's own, when they
    /// change their own password). Audited.
    fn set_password(
        &self,
        clinic: ClinicId,
        user: UserId,
        password_hash: &str,
        keep: Option<&str>,
        by: UserId,
    ) -> Result<()>;
    /// Records a one-time password reset for a user of the clinic (replacing any earlier one). Audited.
    fn create_password_reset(
        &self,
        clinic: ClinicId,
        user: UserId,
        token_hash: &str,
        expires_at: i64,
        by: UserId,
    ) -> Result<()>;
    /// Uses a live reset: sets the password, deletes the reset and ends every session of the user; NotFound
    /// when the token is unknown, used or expired, or the user is disabled. Audited.
    fn use_password_reset(&self, token_hash: &str, now: i64, password_hash: &str) -> Result<User>;

    /// Adds a client.
    fn create_client(&self, clinic: ClinicId, fields: &ClientFields, by: UserId) -> Result<Client>;
    /// A client by id.
    fn client(&self, clinic: ClinicId, id: ClientId) -> Result<Client>;
    /// Replaces a client's contact details (e-mail, phone). A different name, date of birth or reference is a
    /// `Conflict` ([`IDENTITY_NEEDS_REASON`]): the identity changes only through `amend_record` with a reason.
    fn update_client(
        &self,
        clinic: ClinicId,
        id: ClientId,
        fields: &ClientFields,
        by: UserId,
    ) -> Result<Client> {
        self.update_client_seen(clinic, id, fields, None, by)
    }
    /// [`Store::update_client`] from a copy of the client loaded at revision `seen` (`Client::revision`): a
    /// client changed since is `StoreError::Stale`, nothing written.
    fn update_client_seen(
        &self,
        clinic: ClinicId,
        id: ClientId,
        fields: &ClientFields,
        seen: Option<&str>,
        by: UserId,
    ) -> Result<Client>;
    /// Removes a client that has no records yet (otherwise a conflict: records are kept).
    fn delete_client(&self, clinic: ClinicId, id: ClientId, by: UserId) -> Result<()>;
    /// A page of clients, by name, optionally filtered by a search over name, reference, e-mail and phone.
    fn list_clients(&self, clinic: ClinicId, query: &ClientQuery) -> Result<Page<Client>>;

    /// Stores a consultation (intake and its screening). The same consultation sent again (a double click, a retried
    /// request, on any node) is stored once: the one already stored is returned, nothing is written or audited.
    fn add_consultation(
        &self,
        clinic: ClinicId,
        client: ClientId,
        c: &NewConsultation,
        by: UserId,
    ) -> Result<Consultation>;
    /// A client's consultations, newest first.
    fn consultations(&self, clinic: ClinicId, client: ClientId) -> Result<Vec<Consultation>>;
    /// One consultation.
    fn consultation(&self, clinic: ClinicId, id: ConsultationId) -> Result<Consultation>;

    /// Stores a plan (its plan.json). The same plan asked for again — the same client, parent, label, case file
    /// and plan.json, as a double click or a retried request sends it, on this node or another — is stored
    /// once: the plan already stored is returned and nothing is written or audited.
    fn add_plan(
        &self,
        clinic: ClinicId,
        client: ClientId,
        p: &NewPlan,
        by: UserId,
    ) -> Result<PlanRecord>;
    /// A client's plans, newest first.
    fn plans(&self, clinic: ClinicId, client: ClientId) -> Result<Vec<PlanRecord>>;
    /// One plan's record.
    fn plan(&self, clinic: ClinicId, id: PlanId) -> Result<PlanRecord>;
    /// One plan's plan.json, byte for byte as stored.
    fn plan_json(&self, clinic: ClinicId, id: PlanId) -> Result<String>;
    /// One plan's record and its plan.json, in one query.
    fn plan_with_json(&self, clinic: ClinicId, id: PlanId) -> Result<(PlanRecord, String)>;

    /// Records a treatment session.
    fn add_session(
        &self,
        clinic: ClinicId,
        client: ClientId,
        s: &NewSession,
        by: UserId,
    ) -> Result<TreatmentSession>;
    /// What a session's screening gate and checks read of a client's records — the consultations (their
    /// screening, clearances, corrections and deletions), the consents and the sessions — as a fingerprint to
    /// give back to [`Store::add_session_seen`].
    fn treatment_basis(&self, clinic: ClinicId, client: ClientId) -> Result<String>;
    /// [`Store::add_session`], only while the client's records still have the `seen`
    /// [`Store::treatment_basis`]: checked under the clinic's lock in the write's transaction, which every
    /// consultation and clearance also takes, so a session is never stored on a screening that a consultation
    /// saved at the same moment (on any node) has replaced (`StoreError::Stale`, nothing written). `overridden`,
    /// the owner's override in words, is audited in the same transaction.
    fn add_session_seen(
        &self,
        clinic: ClinicId,
        client: ClientId,
        s: &NewSession,
        by: UserId,
        seen: &str,
        overridden: Option<&str>,
    ) -> Result<TreatmentSession>;
    /// A client's treatment sessions in session order.
    fn sessions(&self, clinic: ClinicId, client: ClientId) -> Result<Vec<TreatmentSession>>;

    /// Adds a pigment to the clinic's catalogue.
    fn add_pigment(
        &self,
        clinic: ClinicId,
        key: &str,
        pigment_json: &str,
        by: UserId,
    ) -> Result<PigmentRow>;
    /// The clinic's pigments.
    fn pigments(&self, clinic: ClinicId) -> Result<Vec<PigmentRow>>;
    /// Adds a lot of one of the clinic's pigments.
    fn add_lot(&self, clinic: ClinicId, lot: &NewLot, by: UserId) -> Result<LotRow>;
    /// The clinic's lots.
    fn lots(&self, clinic: ClinicId) -> Result<Vec<LotRow>>;

    /// Records a signed consent. The same consent sent again (a double click, a retried request, on any node) is stored
    /// once: the one already stored is returned, nothing is written or audited.
    fn add_consent(
        &self,
        clinic: ClinicId,
        client: ClientId,
        c: &NewConsent,
        by: UserId,
    ) -> Result<Consent>;
    /// A client's signed consents.
    fn consents(&self, clinic: ClinicId, client: ClientId) -> Result<Vec<Consent>>;

    /// Records a photo whose bytes are already in the [`PhotoStore`]. A picture already on the client's
    /// record (the same SHA-256, sent twice) is that photo: it is returned, its caption and view as they are.
    fn add_photo(
        &self,
        clinic: ClinicId,
        client: ClientId,
        p: &NewPhoto,
        by: UserId,
    ) -> Result<Photo> {
        self.add_photo_stored(clinic, client, p, None, by)
            .map(|(photo, _)| photo)
    }
    /// [`Store::add_photo`], with the photo's bytes stored in the same transaction when the database keeps
    /// them (`blob`: PostgreSQL, [`PhotoStore::is_in_database`]). Bytes stored in a transaction of their own
    /// could be deleted by another node removing the last photo that showed the same picture before this row
    /// is written, leaving a photo without its picture. Also answers whether the picture was on the client's
    /// record already (then nothing is written and that photo is returned), decided in the same transaction.
    fn add_photo_stored(
        &self,
        clinic: ClinicId,
        client: ClientId,
        p: &NewPhoto,
        blob: Option<&[u8]>,
        by: UserId,
    ) -> Result<(Photo, bool)>;
    /// A client's photos.
    fn photos(&self, clinic: ClinicId, client: ClientId) -> Result<Vec<Photo>>;
    /// One photo's metadata.
    fn photo(&self, clinic: ClinicId, id: PhotoId) -> Result<Photo>;
    /// Sets which view of the head a photo shows (checked by the caller). A different view drops the
    /// landmarks marked for the old one (each view has its own), in the same transaction, and only when
    /// `clear_marks` says the practitioner agreed: a photo with marks is otherwise `StoreError::Conflict`
    /// ([`VIEW_CHANGE_CLEARS_MARKS`]), nothing written.
    fn set_photo_view(
        &self,
        clinic: ClinicId,
        photo: PhotoId,
        view: &str,
        clear_marks: bool,
        by: UserId,
    ) -> Result<Photo>;

    /// Turns a photo: its row takes the turned picture (size, type and bytes, the bytes already stored) and its
    /// landmarks are carried onto the turned picture by `turn_marks` (landmarks JSON in, JSON out), in one
    /// audited transaction. A photo whose picture is no longer `from_sha256` (turned in another window since) is
    /// `StoreError::Conflict`, nothing written; the same turn sent twice returns the photo as turned. Returns the
    /// photo and the content addresses no photo refers to any more (the caller removes their files).
    fn turn_photo(
        &self,
        clinic: ClinicId,
        photo: PhotoId,
        turned: &TurnedPhoto,
        turn_marks: &dyn Fn(&str) -> Result<String>,
        by: UserId,
    ) -> Result<(Photo, Vec<String>)>;
    /// Replaces the landmarks marked on a photo (JSON text, already checked against the photo), all of them
    /// placed or confirmed by the practitioner.
    fn set_photo_landmarks(
        &self,
        clinic: ClinicId,
        photo: PhotoId,
        landmarks_json: &str,
        by: UserId,
    ) -> Result<PhotoLandmarks> {
        self.mark_photo(clinic, photo, landmarks_json, &[], by)
    }
    /// Replaces the landmarks marked on a photo, `proposed` naming those proposed automatically and not yet
    /// confirmed (each one among the marks; checked by the caller).
    fn mark_photo(
        &self,
        clinic: ClinicId,
        photo: PhotoId,
        landmarks_json: &str,
        proposed: &[String],
        by: UserId,
    ) -> Result<PhotoLandmarks> {
        self.mark_photo_seen(
            clinic,
            photo,
            landmarks_json,
            proposed,
            MarksSeen::default(),
            by,
        )
    }
    /// [`Store::mark_photo`], checked against what the window that placed the marks saw ([`MarksSeen`]): a
    /// photo that shows another picture by now (turned in another window), another view, or other marks
    /// (saved from another window) is `StoreError::Conflict`, nothing written, checked in the write's own
    /// transaction.
    fn mark_photo_seen(
        &self,
        clinic: ClinicId,
        photo: PhotoId,
        landmarks_json: &str,
        proposed: &[String],
        seen: MarksSeen<'_>,
        by: UserId,
    ) -> Result<PhotoLandmarks>;
    /// The landmarks marked on a photo; `None` when none are marked yet (the photo must exist in the clinic).
    fn photo_landmarks(&self, clinic: ClinicId, photo: PhotoId) -> Result<Option<PhotoLandmarks>>;

    /// Saves a design (a checked case file) for a client. The same design (label, case and version) sent again (a
    /// double click, a retried request, on any node) is stored once: the one already stored is returned, nothing is
    /// written or audited.
    fn add_design(
        &self,
        clinic: ClinicId,
        client: ClientId,
        d: &NewDesign,
        by: UserId,
    ) -> Result<DesignRecord>;
    /// A client's designs, newest first.
    fn designs(&self, clinic: ClinicId, client: ClientId) -> Result<Vec<DesignRecord>>;
    /// One design.
    fn design(&self, clinic: ClinicId, id: DesignId) -> Result<DesignRecord>;
    /// Marks a design as its client's chosen one (the design the sessions follow; one per client). `seen`, when
    /// given, is the choice the page showed (`Some(None)`: none chosen): a different choice made since (another
    /// window or tablet) is refused as `Stale`, with who made it and when, unless it is this same design.
    fn choose_design(
        &self,
        clinic: ClinicId,
        id: DesignId,
        seen: Option<Option<DesignId>>,
        by: UserId,
    ) -> Result<DesignRecord>;
    /// A design and the versions it follows, newest first.
    fn design_history(&self, clinic: ClinicId, id: DesignId) -> Result<Vec<DesignRecord>>;

    /// Appends a row to the audit log (views; changes append their own row in their transaction).
    fn append_audit(&self, clinic: ClinicId, entry: &NewAudit) -> Result<()>;
    /// The clinic's audit log, newest first.
    fn audit(&self, clinic: ClinicId, limit: i64, offset: i64) -> Result<Vec<AuditEntry>>;

    // ---- shared by every server process on the database (PostgreSQL: several nodes) ----

    /// Stores photo bytes under their SHA-256, which it returns; the same bytes are stored once however many photos
    /// show them (storing them again only marks them fresh, see [`Store::purge_unreferenced_photo_blobs`]).
    fn put_photo_blob(&self, bytes: &[u8]) -> Result<String>;
    /// Whether any photo row (of any clinic) shows the bytes with this SHA-256: a file is removed only when none
    /// does.
    fn photo_bytes_in_use(&self, sha256: &str) -> Result<bool>;
    /// Photo bytes by SHA-256; `None` when not stored.
    fn photo_blob(&self, sha256: &str) -> Result<Option<Vec<u8>>>;
    /// Stores a file made from stored photo bytes (e.g. `thumb.jpg`), replacing an earlier one.
    fn put_photo_derived(&self, sha256: &str, suffix: &str, bytes: &[u8]) -> Result<()>;
    /// A file made from photo bytes; `None` when never made.
    fn photo_derived(&self, sha256: &str, suffix: &str) -> Result<Option<Vec<u8>>>;
    /// Deletes photo bytes (and files made from them) that no photo refers to and that were last stored before
    /// `before` (younger ones may belong to an upload in progress); returns how many.
    fn purge_unreferenced_photo_blobs(&self, before: i64) -> Result<u64>;
    /// How many distinct photo contents are stored.
    fn photo_blob_count(&self) -> Result<i64>;
    /// Which of these photo hashes a photo (of any clinic) still shows: the preview cache sweep keeps only theirs.
    fn photo_shas_in_use(&self, shas: &[String]) -> Result<Vec<String>>;

    /// Starts one password check against throttle keys (fixed-size hashes of an account or an address): reads each
    /// key's failures (a key quiet for `window` seconds counts from zero) and the checks under way, and asks
    /// `refuse`; when it answers `Some(seconds)` nothing is counted and that answer is returned; otherwise the
    /// check counts as under way on every key until [`Store::throttle_settle`] says how it ended. Attempts on one
    /// key are counted one after another, on every node, so parallel guesses cannot slip past the check together.
    fn throttle_attempt(
        &self,
        keys: &[String],
        now: i64,
        window: i64,
        refuse: &dyn Fn(&[ThrottleCount]) -> Option<i64>,
    ) -> Result<Option<i64>>;
    /// Ends a check started by [`Store::throttle_attempt`] on `keys`: no longer under way; when `failed`, a failure
    /// on every key (at `now`, starting again from one on a key quiet for `window`); otherwise the `clear` keys'
    /// failures are forgotten.
    fn throttle_settle(
        &self,
        keys: &[String],
        failed: bool,
        clear: &[String],
        now: i64,
        window: i64,
    ) -> Result<()>;
    /// Deletes throttle rows quiet since before `before`; returns how many.
    fn throttle_purge(&self, before: i64) -> Result<u64>;
    /// How many throttle rows exist (bounded: one per account or address with recent failures).
    fn throttle_rows(&self) -> Result<i64>;

    /// Records a one-time set-up token (its SHA-256) valid until `expires_at`.
    fn add_setup_token(&self, token_hash: &str, expires_at: i64) -> Result<()>;
    /// Whether a set-up token is live.
    fn setup_token_live(&self, token_hash: &str, now: i64) -> Result<bool>;
    /// Sets the studio up: spends the live token and creates the first clinic and owner, in one transaction.
    /// `Ok(None)` when the token is not live; `Conflict` when the studio already has users.
    fn set_up_studio(
        &self,
        token_hash: &str,
        now: i64,
        clinic_name: &str,
        owner: &NewUser,
    ) -> Result<Option<(Clinic, User)>>;
}
