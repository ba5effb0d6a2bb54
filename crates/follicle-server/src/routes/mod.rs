//! Every endpoint of the API. The route table ([`table`]: method, path, who may call it, handler) is the one
//! role gate: the router wraps each route in [`crate::auth::guard`], which logs the caller in and checks the
//! route's [`Access`] before the handler runs, so handlers do not check roles again. Handlers live in one
//! module per resource; they call the store with the caller's clinic (so another clinic's ids are simply
//! "not found"), call the library crates for every rule, and audit views of medical records and consents.

mod accounts;
mod appointments;
mod clients;
mod consent_sign;
mod consents;
mod consultations;
mod designs;
mod history;
mod meta;
mod passport;
mod photo_advice;
mod photo_fit;
mod photo_preview;
mod photo_scene;
mod photo_turn;
mod photos;
mod pigments;
mod plans;
mod premises;
mod records;
mod retention;
pub use retention::booked_words;
mod rights;
mod schedule;
mod sessions;
pub mod tablet;

pub use premises::{open_days, OpenDays};

use crate::auth::{self, Actor};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, JsonBytes};
use crate::{cpu, db, AppState};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put, MethodRouter};
use axum::Json;
use follicle_clinic::export::{html, ics, pdf, reminders_ics};
use follicle_clinic::text::{self as text_rules, TextKind};
use follicle_clinic::{
    Catalogue, ClinicZone, ConsentLibrary, Date, DateTime, Intake, Pigment, RuleSet,
    ScheduleSettings, SessionLog, SessionRecord, SignedConsent,
};
use follicle_store::*;
use serde::Deserialize;
use serde_json::{json, Value};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (health, OpenAPI, login, set-up).
    Public,
    /// Any logged-in user of the clinic.
    Staff,
    /// Owner and practitioners (medical records).
    Medical,
    /// The owner only.
    Owner,
}

/// One route: method, path (OpenAPI syntax), who may call it, handler.
pub struct Route {
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path with `{id}` parameters.
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
    /// The handler.
    pub handler: MethodRouter<AppState>,
}

fn r(
    method: &'static str,
    path: &'static str,
    access: Access,
    handler: MethodRouter<AppState>,
) -> Route {
    Route {
        method,
        path,
        access,
        handler,
    }
}

/// Every route of the API.
pub fn table() -> Vec<Route> {
    use Access::*;
    vec![
        r("GET", "/api/health", Public, get(meta::health)),
        r("GET", "/api/openapi.json", Public, get(meta::openapi)),
        r("GET", "/api/setup", Public, get(accounts::setup_needed)),
        r("POST", "/api/setup", Public, post(accounts::setup)),
        r("POST", "/api/login", Public, post(accounts::login)),
        r("POST", "/api/logout", Staff, post(accounts::logout)),
        r("GET", "/api/me", Staff, get(accounts::me)),
        r(
            "GET",
            "/api/consultation-form",
            Staff,
            get(consultations::consultation_form),
        ),
        r("GET", "/api/users", Owner, get(accounts::list_users)),
        r("POST", "/api/users", Owner, post(accounts::create_user)),
        r("PUT", "/api/users/{id}", Owner, put(accounts::update_user)),
        r(
            "POST",
            "/api/users/{id}/password-reset",
            Owner,
            post(accounts::issue_password_reset),
        ),
        r(
            "POST",
            "/api/me/password",
            Staff,
            post(accounts::change_password),
        ),
        r(
            "POST",
            "/api/password-reset",
            Public,
            post(accounts::use_password_reset),
        ),
        r("GET", "/api/audit", Owner, get(accounts::audit_log)),
        r("GET", "/api/clients", Staff, get(clients::list_clients)),
        r("POST", "/api/clients", Staff, post(clients::create_client)),
        r("GET", "/api/clients/{id}", Staff, get(clients::get_client)),
        r(
            "PUT",
            "/api/clients/{id}",
            Staff,
            put(clients::update_client),
        ),
        r(
            "DELETE",
            "/api/clients/{id}",
            Owner,
            delete(records::delete_with_reason::<ClientId>),
        ),
        r(
            "GET",
            "/api/clients/{id}/consultations",
            Medical,
            get(consultations::list_consultations),
        ),
        r(
            "POST",
            "/api/clients/{id}/consultations",
            Medical,
            post(consultations::add_consultation),
        ),
        r(
            "GET",
            "/api/consultations/{id}",
            Medical,
            get(consultations::get_consultation),
        ),
        r(
            "GET",
            "/api/clients/{id}/designs",
            Medical,
            get(designs::list_designs),
        ),
        r(
            "POST",
            "/api/clients/{id}/designs",
            Medical,
            post(designs::add_design),
        ),
        r(
            "GET",
            "/api/designs/{id}",
            Medical,
            get(designs::get_design),
        ),
        r(
            "POST",
            "/api/designs/{id}/plans",
            Medical,
            post(designs::plan_design),
        ),
        r(
            "POST",
            "/api/designs/{id}/choose",
            Medical,
            post(designs::choose_design),
        ),
        r(
            "GET",
            "/api/designs/{id}/history",
            Medical,
            get(designs::design_history),
        ),
        r(
            "GET",
            "/api/clients/{id}/designs/start",
            Medical,
            get(designs::design_start),
        ),
        r(
            "GET",
            "/api/clients/{id}/plans",
            Medical,
            get(plans::list_plans),
        ),
        r(
            "POST",
            "/api/clients/{id}/plans",
            Medical,
            post(plans::create_plan),
        ),
        r("GET", "/api/plans/{id}", Medical, get(plans::get_plan)),
        r(
            "GET",
            "/api/plans/{id}/plan.json",
            Medical,
            get(plans::get_plan_json),
        ),
        r(
            "POST",
            "/api/plans/{id}/extend",
            Medical,
            post(plans::extend_plan),
        ),
        r(
            "GET",
            "/api/plans/{id}/preview.png",
            Medical,
            get(plans::plan_preview),
        ),
        r(
            "GET",
            "/api/plans/{id}/photos/{photo}/preview.png",
            Medical,
            get(photo_preview::plan_on_photo),
        ),
        r(
            "GET",
            "/api/plans/{id}/photos/{photo}/advice",
            Medical,
            get(photo_advice::photo_advice),
        ),
        r(
            "GET",
            "/api/plans/{id}/photos/{photo}/fit",
            Medical,
            get(photo_fit::photo_fit),
        ),
        r(
            "GET",
            "/api/plans/{id}/stencil.svg",
            Medical,
            get(plans::plan_stencil),
        ),
        r(
            "GET",
            "/api/plans/{id}/stencil.pdf",
            Medical,
            get(plans::plan_stencil_pdf),
        ),
        r(
            "GET",
            "/api/clients/{id}/sessions",
            Medical,
            get(sessions::list_sessions),
        ),
        r(
            "POST",
            "/api/clients/{id}/sessions",
            Medical,
            post(sessions::add_session),
        ),
        r("GET", "/api/pigments", Staff, get(pigments::list_pigments)),
        r(
            "POST",
            "/api/pigments",
            Medical,
            post(pigments::add_pigment),
        ),
        r("GET", "/api/lots", Staff, get(pigments::list_lots)),
        r("POST", "/api/lots", Medical, post(pigments::add_lot)),
        r(
            "GET",
            "/api/clients/{id}/consents",
            Medical,
            get(consents::list_consents),
        ),
        r(
            "POST",
            "/api/clients/{id}/consents",
            Medical,
            post(consents::add_consent),
        ),
        r(
            "GET",
            "/api/clients/{id}/schedule.ics",
            Staff,
            get(schedule::schedule_ics),
        ),
        r(
            "GET",
            "/api/schedule.ics",
            Staff,
            get(schedule::clinic_schedule_ics),
        ),
        r(
            "GET",
            "/api/clients/{id}/passport",
            Medical,
            get(passport::passport),
        ),
        r(
            "GET",
            "/api/clients/{id}/report",
            Medical,
            get(plans::client_report),
        ),
        r(
            "GET",
            "/api/clients/{id}/photos",
            Medical,
            get(photos::list_photos),
        ),
        r(
            "POST",
            "/api/clients/{id}/photos",
            Medical,
            post(photos::upload_photo).layer(DefaultBodyLimit::max(
                crate::PHOTO_LIMIT + crate::MULTIPART_OVERHEAD,
            )),
        ),
        r("GET", "/api/photos/{id}", Medical, get(photos::get_photo)),
        r(
            "GET",
            "/api/photos/{id}/thumbnail",
            Medical,
            get(photos::get_thumbnail),
        ),
        r(
            "GET",
            "/api/photos/{id}/landmarks",
            Medical,
            get(photos::get_landmarks),
        ),
        r(
            "PUT",
            "/api/photos/{id}/landmarks",
            Medical,
            put(photos::set_landmarks),
        ),
        r(
            "POST",
            "/api/photos/{id}/turn",
            Medical,
            post(photo_turn::turn_photo),
        ),
        r(
            "PUT",
            "/api/photos/{id}/view",
            Medical,
            put(photos::set_view),
        ),
        r("GET", "/api/photo-views", Medical, get(photos::photo_views)),
        // The clinic's day (issue 13, points 3 and 4): appointments, consent on a tablet, clearance letters.
        r(
            "GET",
            "/api/practitioners",
            Staff,
            get(appointments::practitioners),
        ),
        r("GET", "/api/appointments", Staff, get(appointments::list)),
        r("POST", "/api/appointments", Staff, post(appointments::book)),
        r(
            "GET",
            "/api/appointments.ics",
            Staff,
            get(appointments::clinic_ics),
        ),
        r(
            "GET",
            "/api/appointments/{id}",
            Staff,
            get(appointments::get_one),
        ),
        r(
            "PUT",
            "/api/appointments/{id}",
            Staff,
            put(appointments::reschedule),
        ),
        r(
            "POST",
            "/api/appointments/{id}/cancel",
            Staff,
            post(appointments::cancel),
        ),
        r(
            "GET",
            "/api/clients/{id}/appointments",
            Staff,
            get(appointments::for_client),
        ),
        r(
            "GET",
            "/api/clients/{id}/appointments.ics",
            Staff,
            get(appointments::client_ics),
        ),
        r(
            "GET",
            "/api/clients/{id}/proposals",
            Staff,
            get(appointments::proposals),
        ),
        r(
            "GET",
            "/api/users/{id}/appointments.ics",
            Staff,
            get(appointments::practitioner_ics),
        ),
        r(
            "GET",
            "/api/consent-texts/{id}",
            Medical,
            get(consent_sign::current_text),
        ),
        r(
            "POST",
            "/api/clients/{id}/signed-consents",
            Medical,
            post(consent_sign::sign),
        ),
        // The consent tablet handed to the client and taken back with the staff's password (probe s8 N3).
        r(
            "GET",
            "/api/clients/{id}/session-plan",
            Medical,
            get(sessions::session_plan),
        ),
        r(
            "GET",
            "/api/clients/{id}/lot-choices",
            Medical,
            get(sessions::lot_choices),
        ),
        r(
            "POST",
            "/api/clients/{id}/hand-over",
            Medical,
            post(tablet::hand_over),
        ),
        r(
            "POST",
            "/api/tablet/take-back",
            Staff,
            post(tablet::take_back),
        ),
        r(
            "GET",
            "/api/consents/{id}/signed.pdf",
            Medical,
            get(consent_sign::signed_pdf),
        ),
        r(
            "POST",
            "/api/clients/{id}/clearance",
            Medical,
            post(consent_sign::record_clearance).layer(DefaultBodyLimit::max(
                consent_sign::LETTER_LIMIT + crate::MULTIPART_OVERHEAD,
            )),
        ),
        r(
            "GET",
            "/api/clients/{id}/clearance-letters",
            Medical,
            get(consent_sign::list_letters),
        ),
        r(
            "GET",
            "/api/clearance-letters/{id}",
            Medical,
            get(consent_sign::get_letter),
        ),
        // Records management and client rights (records.rs, rights.rs): every edit and deletion with a reason.
        r(
            "PUT",
            "/api/clients/{id}/edit",
            Staff,
            put(records::edit_client),
        ),
        r(
            "GET",
            "/api/clients/{id}/export",
            Medical,
            get(rights::export_client),
        ),
        r(
            "POST",
            "/api/clients/{id}/erase",
            Owner,
            post(rights::erase_client),
        ),
        r(
            "PUT",
            "/api/consultations/{id}",
            Medical,
            put(records::edit_consultation),
        ),
        r(
            "DELETE",
            "/api/consultations/{id}",
            Medical,
            delete(records::delete_with_reason::<ConsultationId>),
        ),
        r("PUT", "/api/photos/{id}", Medical, put(records::edit_photo)),
        r(
            "DELETE",
            "/api/photos/{id}",
            Medical,
            delete(records::delete_with_reason::<PhotoId>),
        ),
        r("PUT", "/api/lots/{id}", Medical, put(records::edit_lot)),
        r(
            "DELETE",
            "/api/lots/{id}",
            Medical,
            delete(records::delete_with_reason::<LotId>),
        ),
        r(
            "GET",
            "/api/pigment-records",
            Staff,
            get(records::pigment_records),
        ),
        r(
            "PUT",
            "/api/pigments/{id}",
            Medical,
            put(records::edit_pigment),
        ),
        r(
            "DELETE",
            "/api/pigments/{id}",
            Medical,
            delete(records::delete_with_reason::<PigmentId>),
        ),
        r(
            "GET",
            "/api/clinic/settings",
            Staff,
            get(rights::get_settings),
        ),
        r(
            "PUT",
            "/api/clinic/settings",
            Owner,
            put(rights::put_settings),
        ),
        r("GET", "/api/clinic/logo", Staff, get(rights::get_logo)),
        r("PUT", "/api/clinic/logo", Owner, put(rights::put_logo)),
        r(
            "DELETE",
            "/api/clinic/logo",
            Owner,
            delete(rights::delete_logo),
        ),
        // The clinic's premises (issue 13): opening hours and rooms, read by every role, kept by the owner.
        r("GET", "/api/clinic/hours", Staff, get(premises::get_hours)),
        r("PUT", "/api/clinic/hours", Owner, put(premises::put_hours)),
        r(
            "GET",
            "/api/clinic/closed-dates",
            Staff,
            get(premises::get_closed_dates),
        ),
        r(
            "PUT",
            "/api/clinic/closed-dates",
            Owner,
            put(premises::put_closed_dates),
        ),
        r("GET", "/api/rooms", Staff, get(premises::list_rooms)),
        r("POST", "/api/rooms", Owner, post(premises::add_room)),
        r("PUT", "/api/rooms/{id}", Owner, put(premises::update_room)),
        // A record's history under its "Correct" form (issue 13).
        r("GET", "/api/history", Medical, get(history::record_history)),
        // The owner's retention purge: the dry run, then the purge (issue 13).
        r(
            "GET",
            "/api/records/retention",
            Owner,
            get(retention::retention_ended),
        ),
        r("POST", "/api/records/purge", Owner, post(retention::purge)),
    ]
}

type ApiResult<T = Response> = Result<T, ApiError>;

/// Audits a view of a medical record or consent.
async fn viewed(
    st: &AppState,
    a: &Actor,
    entity: &str,
    entity_id: Option<impl Into<Id>>,
    client: Option<ClientId>,
) -> ApiResult<()> {
    let e = NewAudit {
        user_id: Some(a.user.id),
        action: "view".into(),
        entity: entity.into(),
        entity_id: entity_id.map(Into::into),
        client_id: client,
        detail: String::new(),
    };
    let clinic = a.clinic();
    db(st, move |s| s.append_audit(clinic, &e)).await
}

/// A client's medical records of one kind (the route table admits medical roles only): reads them within the actor's clinic and
/// records the view in the audit log.
async fn client_records<T: Send + 'static>(
    st: &AppState,
    a: &Actor,
    client: ClientId,
    entity: &str,
    fetch: impl FnOnce(&dyn Store, ClinicId, ClientId) -> Result<Vec<T>, StoreError> + Send + 'static,
) -> ApiResult<Vec<T>> {
    let c = a.clinic();
    let list = db(st, move |s| fetch(s, c, client)).await?;
    viewed(st, a, entity, None::<Id>, Some(client)).await?;
    Ok(list)
}

/// The clinic's time zone, as stored with the clinic (the owner sets it in the clinic settings), so every node
/// agrees on "today" and on what a booking's time, the hours, breaks and closed dates mean; the node's `--tz`
/// only for a clinic with none stored yet (follicle-clinic's one rule, `ClinicZone::of_clinic`, as the CLI's;
/// every clinic gets a zone stored when a node starts, said aloud when it is UTC assumed).
async fn clinic_zone(st: &AppState, clinic: ClinicId) -> ApiResult<ClinicZone> {
    let stored = db(st, move |s| s.clinic_time_zone(clinic)).await?;
    Ok(ClinicZone::of_clinic(stored.as_deref(), Some(&st.settings.zone)).0)
}

/// Today in the clinic's time zone ([`clinic_zone`]), from the clock.
async fn today(st: &AppState, clinic: ClinicId) -> ApiResult<Date> {
    Ok(clinic_zone(st, clinic).await?.today(now_utc()))
}

fn now_utc() -> DateTime {
    DateTime::from_unix_seconds(now_unix()).expect("the clock reads a time within jiff's range")
}

fn parse_date(field: &str, s: &str) -> ApiResult<Date> {
    s.parse().map_err(|_| {
        ApiError::unprocessable(format!(
            "{}: “{s}” is not a date; write it as year-month-day, e.g. 2025-03-14.",
            crate::error::label(field)
        ))
    })
}

/// Checks a text field (length, no line breaks, NUL or direction overrides; follicle-clinic's rules): 422.
fn text(field: &str, value: &str, kind: TextKind) -> ApiResult<()> {
    text_rules::check(&crate::error::label(field), value, kind)
        .map_err(|e| ApiError::unprocessable(e.to_string()))
}

/// [`text`] for a field that may be left out.
fn opt_text(field: &str, value: Option<&str>, kind: TextKind) -> ApiResult<()> {
    text_rules::check_optional(&crate::error::label(field), value, kind)
        .map_err(|e| ApiError::unprocessable(e.to_string()))
}

/// Refuses a day that cannot be meant: before 1900, or later than `days_ahead` days from today.
fn plausible_date(field: &str, d: Date, days_ahead: i64) -> ApiResult<Date> {
    // The UTC day (a bound with a day's slack, whatever the clinic's zone).
    let latest = follicle_clinic::ClinicZone::utc()
        .today(now_utc())
        .add_days(days_ahead);
    let name = crate::error::label(field);
    if d > latest {
        return Err(ApiError::unprocessable(if days_ahead <= 1 {
            format!("{name}: {d} is in the future; it cannot be later than today.")
        } else {
            format!("{name}: {d} is too far in the future (the latest accepted is {latest}).")
        }));
    }
    if d.year() < 1900 {
        return Err(ApiError::unprocessable(format!(
            "{name}: {d} is too long ago."
        )));
    }
    Ok(d)
}

/// Replaces a 409 from the store (whose wording may name tables or constraints) by `message`.
/// Turns a store's `Stale` (a record changed since the form was loaded, probe s8 N23) into its sentence with the
/// time on the clinic's clock: "… was changed by NAME at 14:03 on 2026-12-01 since you opened it: reload to see
/// their changes." Other errors pass.
fn stale_in(zone: &ClinicZone) -> impl Fn(StoreError) -> StoreError + '_ {
    move |e| match e {
        StoreError::Stale { what, by, at } => {
            StoreError::Conflict(crate::error::stale_words(&what, by.as_deref(), at, zone))
        }
        e => e,
    }
}

fn conflict_means(message: impl Into<String>) -> impl FnOnce(ApiError) -> ApiError {
    let message = message.into();
    move |e| {
        if e.status == StatusCode::CONFLICT {
            ApiError::conflict(message)
        } else {
            e
        }
    }
}

fn utf8(body: &Bytes) -> ApiResult<&str> {
    std::str::from_utf8(body)
        .map_err(|_| ApiError::bad_request("what was sent is not readable text; please try again"))
}

/// Query of list endpoints.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageQuery {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    limit: Option<i64>,
    #[serde(default)]
    offset: Option<i64>,
}

impl PageQuery {
    fn bounds(&self) -> ApiResult<(i64, i64)> {
        let limit = self.limit.unwrap_or(50);
        let offset = self.offset.unwrap_or(0);
        if !(1..=500).contains(&limit) || offset < 0 {
            return Err(ApiError::bad_request(
                "a list shows 1 to 500 entries at a time, starting from the first (0) or later",
            ));
        }
        Ok((limit, offset))
    }
}
