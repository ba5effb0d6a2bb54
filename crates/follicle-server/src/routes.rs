//! Every endpoint of the API: the route table (method, path, who may call it, handler) and the handlers.
//! Handlers check the role, call the store with the caller's clinic (so another clinic's ids are simply
//! "not found"), call the library crates for every rule, and audit views of medical records and consents.

use crate::auth::{self, Actor};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery};
use crate::{cpu, db, AppState};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put, MethodRouter};
use axum::Json;
use follicle_clinic::export::{html, ics, passport_document, reminders_ics};
use follicle_clinic::{Aftercare, Catalogue, Screening, ConsentLibrary, Date, DateTime, Format, InkPassport, Intake, Pigment, RuleSet, ScheduleSettings, SessionLog, SessionRecord, SignedConsent};
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

fn r(method: &'static str, path: &'static str, access: Access, handler: MethodRouter<AppState>) -> Route {
    Route { method, path, access, handler }
}

/// Every route of the API.
pub fn table() -> Vec<Route> {
    use Access::*;
    vec![
        r("GET", "/api/health", Public, get(health)),
        r("GET", "/api/openapi.json", Public, get(openapi)),
        r("POST", "/api/setup", Public, post(setup)),
        r("POST", "/api/login", Public, post(login)),
        r("POST", "/api/logout", Staff, post(logout)),
        r("GET", "/api/me", Staff, get(me)),
        r("GET", "/api/users", Owner, get(list_users)),
        r("POST", "/api/users", Owner, post(create_user)),
        r("GET", "/api/audit", Owner, get(audit_log)),
        r("GET", "/api/clients", Staff, get(list_clients)),
        r("POST", "/api/clients", Staff, post(create_client)),
        r("GET", "/api/clients/{id}", Staff, get(get_client)),
        r("PUT", "/api/clients/{id}", Staff, put(update_client)),
        r("DELETE", "/api/clients/{id}", Owner, delete(delete_client)),
        r("GET", "/api/clients/{id}/consultations", Medical, get(list_consultations)),
        r("POST", "/api/clients/{id}/consultations", Medical, post(add_consultation)),
        r("GET", "/api/consultations/{id}", Medical, get(get_consultation)),
        r("GET", "/api/clients/{id}/designs", Medical, get(list_designs)),
        r("POST", "/api/clients/{id}/designs", Medical, post(add_design)),
        r("GET", "/api/designs/{id}", Medical, get(get_design)),
        r("POST", "/api/designs/{id}/plans", Medical, post(plan_design)),
        r("GET", "/api/clients/{id}/plans", Medical, get(list_plans)),
        r("POST", "/api/clients/{id}/plans", Medical, post(create_plan)),
        r("GET", "/api/plans/{id}", Medical, get(get_plan)),
        r("GET", "/api/plans/{id}/plan.json", Medical, get(get_plan_json)),
        r("POST", "/api/plans/{id}/extend", Medical, post(extend_plan)),
        r("GET", "/api/plans/{id}/preview.png", Medical, get(plan_preview)),
        r("GET", "/api/plans/{id}/stencil.svg", Medical, get(plan_stencil)),
        r("GET", "/api/clients/{id}/sessions", Medical, get(list_sessions)),
        r("POST", "/api/clients/{id}/sessions", Medical, post(add_session)),
        r("GET", "/api/pigments", Staff, get(list_pigments)),
        r("POST", "/api/pigments", Medical, post(add_pigment)),
        r("GET", "/api/lots", Staff, get(list_lots)),
        r("POST", "/api/lots", Medical, post(add_lot)),
        r("GET", "/api/clients/{id}/consents", Medical, get(list_consents)),
        r("POST", "/api/clients/{id}/consents", Medical, post(add_consent)),
        r("GET", "/api/clients/{id}/schedule.ics", Staff, get(schedule_ics)),
        r("GET", "/api/schedule.ics", Staff, get(clinic_schedule_ics)),
        r("GET", "/api/clients/{id}/passport", Medical, get(passport)),
        r("GET", "/api/clients/{id}/report", Medical, get(client_report)),
        r("GET", "/api/clients/{id}/photos", Medical, get(list_photos)),
        r("POST", "/api/clients/{id}/photos", Medical, post(upload_photo).layer(DefaultBodyLimit::max(crate::PHOTO_LIMIT + crate::MULTIPART_OVERHEAD))),
        r("GET", "/api/photos/{id}", Medical, get(get_photo)),
        r("GET", "/api/photos/{id}/thumbnail", Medical, get(get_thumbnail)),
        r("GET", "/api/photos/{id}/landmarks", Medical, get(get_landmarks)),
        r("PUT", "/api/photos/{id}/landmarks", Medical, put(set_landmarks)),
    ]
}

type ApiResult<T = Response> = Result<T, ApiError>;

/// Audits a view of a medical record or consent.
async fn viewed(st: &AppState, a: &Actor, entity: &str, entity_id: Option<Id>, client: Option<Id>) -> ApiResult<()> {
    let e = NewAudit { user_id: Some(a.user.id), action: "view".into(), entity: entity.into(), entity_id, client_id: client, detail: String::new() };
    let clinic = a.clinic();
    db(st, move |s| s.append_audit(clinic, &e)).await
}

/// A client's medical records of one kind: needs a medical role, reads them within the actor's clinic and
/// records the view in the audit log.
async fn client_records<T: Send + 'static>(
    st: &AppState,
    a: &Actor,
    client: Id,
    entity: &str,
    fetch: impl FnOnce(&dyn Store, Id, Id) -> Result<Vec<T>, StoreError> + Send + 'static,
) -> ApiResult<Vec<T>> {
    a.medical()?;
    let c = a.clinic();
    let list = db(st, move |s| fetch(s, c, client)).await?;
    viewed(st, a, entity, None, Some(client)).await?;
    Ok(list)
}

fn today() -> Date {
    Date::from_days(now_unix().div_euclid(86_400))
}

fn now_utc() -> DateTime {
    let secs = now_unix();
    let s = secs.rem_euclid(86_400);
    DateTime::new(today(), (s / 3600) as u8, (s / 60 % 60) as u8, (s % 60) as u8).expect("seconds of a day form a valid time")
}

fn parse_date(field: &str, s: &str) -> ApiResult<Date> {
    s.parse().map_err(|e| ApiError::unprocessable(format!("{field}: {e}")))
}

fn utf8(body: &Bytes) -> ApiResult<&str> {
    std::str::from_utf8(body).map_err(|_| ApiError::bad_request("the body is not UTF-8 text"))
}

// ---- public -------------------------------------------------------------------------------------------

/// GET /api/health: asks the database (a load balancer takes a node whose database does not answer out of
/// rotation: 503).
async fn health(State(st): State<AppState>) -> ApiResult<Json<Value>> {
    match db(&st, |s| Ok((s.backend(), s.schema_version()?))).await {
        Ok((backend, version)) => Ok(Json(json!({ "status": "ok", "backend": backend, "schema_version": version }))),
        Err(e) => {
            eprintln!("follicle-server: health: the database does not answer: {}", e.message);
            Err(ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the database does not answer"))
        }
    }
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], crate::OPENAPI_JSON).into_response()
}

/// Body of POST /api/setup.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetupBody {
    token: String,
    clinic: String,
    username: String,
    display_name: String,
    password: String,
}

async fn setup(State(st): State<AppState>, ApiJson(b): ApiJson<SetupBody>) -> ApiResult<(StatusCode, Json<Value>)> {
    // The token is checked against its hash in the database (any server process printed it), then spent in the
    // same transaction that creates the clinic and its owner.
    let token_hash = sha256_hex(b.token.as_bytes());
    let h = token_hash.clone();
    let (users, live) = db(&st, move |s| Ok((s.count_users()?, s.setup_token_live(&h, now_unix())?))).await?;
    if users > 0 {
        return Err(ApiError::conflict("the studio is already set up; log in"));
    }
    if !live {
        return Err(ApiError::forbidden("wrong or expired set-up token (restart the server for a new one)"));
    }
    auth::check_password(&b.password)?;
    let hash = cpu(move || auth::hash_password(&b.password)).await?;
    let owner = NewUser { username: b.username, display_name: b.display_name, role: Role::Owner, password_hash: hash };
    let made = db(&st, move |s| s.set_up_studio(&token_hash, now_unix(), &b.clinic, &owner)).await?;
    let (clinic, user) = made.ok_or_else(|| ApiError::forbidden("wrong or expired set-up token (restart the server for a new one)"))?;
    Ok((StatusCode::CREATED, Json(json!({ "clinic": clinic, "user": user }))))
}

/// Body of POST /api/login.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginBody {
    username: String,
    password: String,
}

async fn login(State(st): State<AppState>, from: auth::ClientAddr, ApiJson(b): ApiJson<LoginBody>) -> ApiResult {
    let user = auth::authenticate(&st, from, b.username, b.password).await?;
    let token = auth::random_token();
    let csrf = auth::random_token();
    let now = now_unix();
    let session = AuthSession { token_hash: sha256_hex(token.as_bytes()), user_id: user.id, csrf_token: csrf.clone(), created_at: now, expires_at: now + auth::SESSION_SECONDS };
    let (clinic, uid) = (user.clinic_id, user.id);
    db(&st, move |s| {
        s.create_auth_session(&session)?;
        s.append_audit(clinic, &NewAudit { user_id: Some(uid), action: "login".into(), entity: "user".into(), entity_id: Some(uid), client_id: None, detail: String::new() })
    })
    .await?;
    let mut resp = Json(json!({ "user": user, "csrf_token": csrf })).into_response();
    for c in auth::login_cookies(&token, &csrf, st.settings.secure_cookies) {
        resp.headers_mut().append(header::SET_COOKIE, c.parse().map_err(ApiError::internal)?);
    }
    Ok(resp)
}

async fn logout(State(st): State<AppState>, a: Actor) -> ApiResult {
    let h = a.token_hash.clone();
    db(&st, move |s| s.delete_auth_session(&h)).await?;
    let mut resp = StatusCode::NO_CONTENT.into_response();
    for c in auth::logout_cookies(st.settings.secure_cookies) {
        resp.headers_mut().append(header::SET_COOKIE, c.parse().map_err(ApiError::internal)?);
    }
    Ok(resp)
}

async fn me(State(st): State<AppState>, a: Actor) -> ApiResult<Json<Value>> {
    let id = a.clinic();
    let clinic = db(&st, move |s| s.clinic(id)).await?;
    Ok(Json(json!({ "user": a.user, "clinic": clinic, "csrf_token": a.csrf })))
}

// ---- accounts and audit (owner) -----------------------------------------------------------------------

async fn list_users(State(st): State<AppState>, a: Actor) -> ApiResult<Json<Vec<User>>> {
    a.owner()?;
    let c = a.clinic();
    Ok(Json(db(&st, move |s| s.users(c)).await?))
}

/// Body of POST /api/users.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewUserBody {
    username: String,
    display_name: String,
    role: Role,
    password: String,
}

async fn create_user(State(st): State<AppState>, a: Actor, ApiJson(b): ApiJson<NewUserBody>) -> ApiResult<(StatusCode, Json<User>)> {
    a.owner()?;
    auth::check_password(&b.password)?;
    if b.username.trim().is_empty() {
        return Err(ApiError::unprocessable("username: must not be empty"));
    }
    let hash = cpu(move || auth::hash_password(&b.password)).await?;
    let u = NewUser { username: b.username, display_name: b.display_name, role: b.role, password_hash: hash };
    let (c, by) = (a.clinic(), a.user.id);
    Ok((StatusCode::CREATED, Json(db(&st, move |s| s.create_user(c, &u, by)).await?)))
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
            return Err(ApiError::bad_request("limit must be 1–500 and offset ≥ 0"));
        }
        Ok((limit, offset))
    }
}

async fn audit_log(State(st): State<AppState>, a: Actor, ApiQuery(q): ApiQuery<PageQuery>) -> ApiResult<Json<Vec<AuditEntry>>> {
    a.owner()?;
    let (limit, offset) = q.bounds()?;
    let c = a.clinic();
    Ok(Json(db(&st, move |s| s.audit(c, limit, offset)).await?))
}

// ---- clients ------------------------------------------------------------------------------------------

fn check_client(f: &ClientFields) -> ApiResult<()> {
    if f.reference.trim().is_empty() || f.name.trim().is_empty() {
        return Err(ApiError::unprocessable("reference and name must not be empty"));
    }
    if let Some(d) = &f.date_of_birth {
        parse_date("date_of_birth", d)?;
    }
    Ok(())
}

async fn list_clients(State(st): State<AppState>, a: Actor, ApiQuery(q): ApiQuery<PageQuery>) -> ApiResult<Json<Page<Client>>> {
    let (limit, offset) = q.bounds()?;
    let query = ClientQuery { search: q.q, limit, offset };
    let c = a.clinic();
    Ok(Json(db(&st, move |s| s.list_clients(c, &query)).await?))
}

async fn create_client(State(st): State<AppState>, a: Actor, ApiJson(f): ApiJson<ClientFields>) -> ApiResult<(StatusCode, Json<Client>)> {
    check_client(&f)?;
    let (c, by) = (a.clinic(), a.user.id);
    Ok((StatusCode::CREATED, Json(db(&st, move |s| s.create_client(c, &f, by)).await?)))
}

async fn get_client(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>) -> ApiResult<Json<Client>> {
    let c = a.clinic();
    Ok(Json(db(&st, move |s| s.client(c, id)).await?))
}

async fn update_client(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>, ApiJson(f): ApiJson<ClientFields>) -> ApiResult<Json<Client>> {
    check_client(&f)?;
    let (c, by) = (a.clinic(), a.user.id);
    Ok(Json(db(&st, move |s| s.update_client(c, id, &f, by)).await?))
}

async fn delete_client(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>) -> ApiResult<StatusCode> {
    a.owner()?;
    let (c, by) = (a.clinic(), a.user.id);
    db(&st, move |s| s.delete_client(c, id, by)).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- consultations ------------------------------------------------------------------------------------

/// Query of POST consultations.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScreenQuery {
    /// Day to screen for (default: the consultation day).
    #[serde(default)]
    on: Option<String>,
}

async fn list_consultations(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>) -> ApiResult<Json<Vec<Consultation>>> {
    let list = client_records(&st, &a, id, "consultation", |s, c, id| s.consultations(c, id)).await?;
    Ok(Json(list))
}

async fn add_consultation(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>, ApiQuery(q): ApiQuery<ScreenQuery>, body: Result<Bytes, BytesRejection>) -> ApiResult<(StatusCode, Json<Value>)> {
    a.medical()?;
    let body = body?;
    let intake = Intake::from_json(utf8(&body)?).map_err(|e| ApiError::unprocessable(format!("intake: {e}")))?;
    let c = a.clinic();
    let client = db(&st, move |s| s.client(c, id)).await?;
    if intake.client.id != client.fields.reference {
        return Err(ApiError::unprocessable(format!("the intake is for client `{}`, this client's reference is `{}`", intake.client.id, client.fields.reference)));
    }
    let on = match &q.on {
        Some(d) => parse_date("on", d)?,
        None => intake.consultation.date,
    };
    let screening = follicle_clinic::screen(&intake, &RuleSet::embedded(), on);
    let new = NewConsultation {
        held_on: intake.consultation.date.to_string(),
        outcome: screening.outcome.as_str().to_string(),
        intake_json: serde_json::to_string(&intake).map_err(ApiError::internal)?,
        screening_json: serde_json::to_string(&screening).map_err(ApiError::internal)?,
    };
    let by = a.user.id;
    let stored = db(&st, move |s| s.add_consultation(c, id, &new, by)).await?;
    Ok((StatusCode::CREATED, Json(json!({ "consultation": stored, "screening": screening }))))
}

async fn get_consultation(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>) -> ApiResult<Json<Consultation>> {
    a.medical()?;
    let c = a.clinic();
    let con = db(&st, move |s| s.consultation(c, id)).await?;
    viewed(&st, &a, "consultation", Some(id), Some(con.client_id)).await?;
    Ok(Json(con))
}

/// The client's newest intake, needed by session records, passports and schedules.
async fn latest_intake(st: &AppState, clinic: Id, client: Id) -> ApiResult<Option<Intake>> {
    let list = db(st, move |s| s.consultations(clinic, client)).await?;
    list.first().map(|c| Intake::from_json(&c.intake_json).map_err(ApiError::internal)).transpose()
}

// ---- plans --------------------------------------------------------------------------------------------

/// Body of POST /api/clients/{id}/plans.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanBody {
    /// The case file (TOML, docs/case-format.md).
    case: String,
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default)]
    sessions: Option<usize>,
    #[serde(default)]
    label: Option<String>,
}

fn new_plan(p: &follicle_core::plan::Plan, parent: Option<Id>, label: String, case: Option<String>) -> NewPlan {
    NewPlan {
        parent_id: parent,
        label,
        case_toml: case,
        seed: p.design.seed as i64,
        sessions: p.sessions.len() as i64,
        impressions: p.impressions.len() as i64,
        plan_json: follicle_export::plan_to_json(p),
    }
}

async fn list_plans(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>) -> ApiResult<Json<Vec<PlanRecord>>> {
    let list = client_records(&st, &a, id, "plan", |s, c, id| s.plans(c, id)).await?;
    Ok(Json(list))
}

async fn create_plan(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>, ApiJson(b): ApiJson<PlanBody>) -> ApiResult<(StatusCode, Json<PlanRecord>)> {
    a.medical()?;
    let ov = follicle_case::Overrides { seed: b.seed, sessions: b.sessions };
    plan_case(&st, &a, id, b.case, ov, b.label).await
}

/// Parses a case file with follicle-case; its error (file:line, the field, what is wrong) becomes a 422.
fn parse_case(text: &str, ov: &follicle_case::Overrides) -> ApiResult<follicle_case::Case> {
    follicle_case::parse("case.toml", text, ov).map_err(|e| ApiError::unprocessable(e.to_string()))
}

/// Plans a case file (follicle-case, follicle-core) and stores the plan for the client: the one path behind
/// POST /api/clients/{id}/plans and POST /api/designs/{id}/plans.
async fn plan_case(st: &AppState, a: &Actor, client: Id, case_toml: String, ov: follicle_case::Overrides, label: Option<String>) -> ApiResult<(StatusCode, Json<PlanRecord>)> {
    let c = a.clinic();
    db(st, move |s| s.client(c, client)).await?;
    let new = cpu(move || {
        let case = parse_case(&case_toml, &ov)?;
        let p = follicle_core::plan::plan(&case.design).map_err(|e| ApiError::unprocessable(format!("cannot plan this case: {e}")))?;
        let label = label.unwrap_or_else(|| if case.client.is_empty() { "plan".into() } else { case.client.clone() });
        Ok(new_plan(&p, None, label, Some(case_toml)))
    })
    .await?;
    let by = a.user.id;
    Ok((StatusCode::CREATED, Json(db(st, move |s| s.add_plan(c, client, &new, by)).await?)))
}

// ---- designs ------------------------------------------------------------------------------------------

/// Body of POST /api/clients/{id}/designs.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DesignBody {
    /// A name for the design (e.g. `conservative hairline`).
    label: String,
    /// The case file (TOML, docs/case-format.md).
    case: String,
}

async fn list_designs(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>) -> ApiResult<Json<Vec<DesignRecord>>> {
    let list = client_records(&st, &a, id, "design", |s, c, id| s.designs(c, id)).await?;
    Ok(Json(list))
}

/// POST /api/clients/{id}/designs: saves a case file once follicle-case accepts it.
async fn add_design(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>, ApiJson(b): ApiJson<DesignBody>) -> ApiResult<(StatusCode, Json<DesignRecord>)> {
    a.medical()?;
    let label = b.label.trim().to_string();
    if label.is_empty() {
        return Err(ApiError::unprocessable("label: give the design a name"));
    }
    let c = a.clinic();
    db(&st, move |s| s.client(c, id)).await?;
    let case = b.case;
    let case = cpu(move || parse_case(&case, &follicle_case::Overrides::default()).map(|_| case)).await?;
    let (new, by) = (NewDesign { label, case_toml: case }, a.user.id);
    Ok((StatusCode::CREATED, Json(db(&st, move |s| s.add_design(c, id, &new, by)).await?)))
}

async fn get_design(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>) -> ApiResult<Json<DesignRecord>> {
    a.medical()?;
    let c = a.clinic();
    let d = db(&st, move |s| s.design(c, id)).await?;
    viewed(&st, &a, "design", Some(id), Some(d.client_id)).await?;
    Ok(Json(d))
}

/// Body of POST /api/designs/{id}/plans: the plan route's overrides (the case comes from the design).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DesignPlanBody {
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default)]
    sessions: Option<usize>,
    /// Plan label (default: the design's label).
    #[serde(default)]
    label: Option<String>,
}

/// POST /api/designs/{id}/plans: plans the stored design for its client, as POST /api/clients/{id}/plans does.
async fn plan_design(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>, ApiJson(b): ApiJson<DesignPlanBody>) -> ApiResult<(StatusCode, Json<PlanRecord>)> {
    a.medical()?;
    let c = a.clinic();
    let d = db(&st, move |s| s.design(c, id)).await?;
    let ov = follicle_case::Overrides { seed: b.seed, sessions: b.sessions };
    plan_case(&st, &a, d.client_id, d.case_toml, ov, Some(b.label.unwrap_or(d.label))).await
}

async fn get_plan(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>) -> ApiResult<Json<PlanRecord>> {
    a.medical()?;
    let c = a.clinic();
    let p = db(&st, move |s| s.plan(c, id)).await?;
    viewed(&st, &a, "plan", Some(id), Some(p.client_id)).await?;
    Ok(Json(p))
}

async fn get_plan_json(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>) -> ApiResult {
    a.medical()?;
    let c = a.clinic();
    let (p, text) = db(&st, move |s| Ok((s.plan(c, id)?, s.plan_json(c, id)?))).await?;
    viewed(&st, &a, "plan.json", Some(id), Some(p.client_id)).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], text).into_response())
}

/// Body of POST /api/plans/{id}/extend.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtendBody {
    /// How much more of the full density the touch-up adds (0.15 = 15 %).
    #[serde(default = "default_add")]
    add: f64,
    #[serde(default)]
    label: Option<String>,
}

fn default_add() -> f64 {
    0.15
}

async fn extend_plan(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>, ApiJson(b): ApiJson<ExtendBody>) -> ApiResult<(StatusCode, Json<PlanRecord>)> {
    a.medical()?;
    let c = a.clinic();
    let (parent, text) = db(&st, move |s| Ok((s.plan(c, id)?, s.plan_json(c, id)?))).await?;
    let new = cpu(move || {
        let saved = follicle_export::plan_from_json(&text).map_err(|e| ApiError::unprocessable(format!("stored plan.json: {e}")))?;
        let p = follicle_core::plan::extend(&saved.design, &saved.impressions, b.add, &mut |_| {})
            .map_err(|e| ApiError::unprocessable(format!("cannot add a touch-up: {e}")))?;
        Ok(new_plan(&p, Some(id), b.label.unwrap_or_else(|| format!("touch-up of plan {id}")), None))
    })
    .await?;
    let (client, by) = (parent.client_id, a.user.id);
    Ok((StatusCode::CREATED, Json(db(&st, move |s| s.add_plan(c, client, &new, by)).await?)))
}

/// Query of GET /api/plans/{id}/preview.png.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PreviewQuery {
    /// `top|front|left|right|back|34` (default 34).
    #[serde(default)]
    view: Option<String>,
    /// `fresh|healed|years:N` (default healed).
    #[serde(default)]
    state: Option<String>,
    /// After this session (0 = before treatment; default the last).
    #[serde(default)]
    session: Option<usize>,
    /// Viewing distance, mm (default 300).
    #[serde(default)]
    distance: Option<f64>,
    /// Picture size, pixels (default 600).
    #[serde(default)]
    size: Option<usize>,
}

/// Bumped when the rendering changes, so cached previews of an older renderer are not served.
const PREVIEW_CACHE_VERSION: u32 = 2;

/// GET /api/plans/{id}/preview.png: the plan on the mannequin (follicle-render), rendered on the first request
/// and cached under the SHA-256 of the plan.json and the parameters.
async fn plan_preview(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>, ApiQuery(q): ApiQuery<PreviewQuery>) -> ApiResult {
    use follicle_render::{Scene, State as Look, View};
    a.medical()?;
    let view_name = q.view.as_deref().unwrap_or("34");
    let view = View::parse(view_name).ok_or_else(|| ApiError::bad_request(format!("view `{view_name}`: use top, front, left, right, back or 34")))?;
    let state_name = q.state.as_deref().unwrap_or("healed");
    let state = Look::parse(state_name).ok_or_else(|| ApiError::bad_request(format!("state `{state_name}`: use fresh, healed or years:N (0–30)")))?;
    let distance = q.distance.unwrap_or(300.0);
    if !(100.0..=5000.0).contains(&distance) {
        return Err(ApiError::bad_request("distance must be 100–5000 mm"));
    }
    let size = q.size.unwrap_or(600);
    if !(64..=1200).contains(&size) {
        return Err(ApiError::bad_request("size must be 64–1200 pixels"));
    }
    let c = a.clinic();
    let (p, text) = db(&st, move |s| Ok((s.plan(c, id)?, s.plan_json(c, id)?))).await?;
    if q.session.is_some_and(|k| k as i64 > p.sessions) {
        return Err(ApiError::bad_request(format!("session must be 0–{} for this plan", p.sessions)));
    }
    let key = format!("v{PREVIEW_CACHE_VERSION}|{}|{}|{}|{:?}|{distance}|{size}", sha256_hex(text.as_bytes()), view.name(), state.label(), q.session);
    let path = st.photos.cache_dir().join("previews").join(format!("{}.png", sha256_hex(key.as_bytes())));
    let session = q.session;
    let png = cpu(move || {
        if let Ok(bytes) = std::fs::read(&path) {
            return Ok(bytes);
        }
        let plan = follicle_export::load_plan(&text).map_err(|e| ApiError::internal(format!("stored plan.json: {e}")))?;
        let scene = Scene { view, state, session, distance_mm: distance, size, ..Scene::new(plan.design.seed) };
        let img = follicle_render::preview::render(&plan, &follicle_render::Catalogue::builtin(), &scene);
        let bytes = follicle_render::png(&img).map_err(ApiError::internal)?;
        follicle_store::photos::write_atomic(&path, &bytes)?;
        Ok(bytes)
    })
    .await?;
    viewed(&st, &a, "plan preview", Some(id), Some(p.client_id)).await?;
    Ok(([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "private, max-age=3600")], png).into_response())
}

/// Content-Security-Policy of the printable pages (stencil, report): no scripts, the page's own inline style.
const PRINT_PAGE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

/// GET /api/plans/{id}/stencil.svg: the plan's stencil at true scale (1 unit = 1 mm; follicle-export), for printing.
async fn plan_stencil(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>) -> ApiResult {
    a.medical()?;
    let c = a.clinic();
    let (p, text) = db(&st, move |s| Ok((s.plan(c, id)?, s.plan_json(c, id)?))).await?;
    let client_id = p.client_id;
    let client = db(&st, move |s| s.client(c, client_id)).await?;
    let title = format!("{} ({}): plan {id}, {}", client.fields.name, client.fields.reference, p.label);
    let svg = cpu(move || {
        let plan = follicle_export::load_plan(&text).map_err(|e| ApiError::internal(format!("stored plan.json: {e}")))?;
        Ok(follicle_export::svg::stencil_svg(&plan, &title))
    })
    .await?;
    viewed(&st, &a, "stencil", Some(id), Some(p.client_id)).await?;
    let disposition = format!("inline; filename=\"stencil-plan-{id}.svg\"");
    Ok(([(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition), (header::CONTENT_SECURITY_POLICY, PRINT_PAGE_CSP.to_string())], svg).into_response())
}

/// Query of the client report.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportQuery {
    /// The plan to report on (default: the client's newest).
    #[serde(default)]
    plan: Option<Id>,
}

/// GET /api/clients/{id}/report: a printable HTML page for the client (crate::report): the plan's sessions with
/// dates held or proposed, zones and densities, the screening outcome in plain words, aftercare, ink-passport lots.
async fn client_report(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>, ApiQuery(q): ApiQuery<ReportQuery>) -> ApiResult {
    a.medical()?;
    let c = a.clinic();
    let (client, clinic, plans, rows, consultations) = db(&st, move |s| Ok((s.client(c, id)?, s.clinic(c)?, s.plans(c, id)?, s.sessions(c, id)?, s.consultations(c, id)?))).await?;
    let record = match q.plan {
        Some(pid) => Some(plans.iter().find(|p| p.id == pid).ok_or_else(|| ApiError::not_found(format!("plan {pid} is not one of this client's plans")))?),
        None => plans.first(),
    };
    let plan_doc: Option<Value> = match record {
        Some(p) => {
            let pid = p.id;
            let text = db(&st, move |s| s.plan_json(c, pid)).await?;
            Some(serde_json::from_str(&text).map_err(ApiError::internal)?)
        }
        None => None,
    };
    let held = rows.iter().map(|r| Ok((u32::try_from(r.index).map_err(ApiError::internal)?, parse_date("held_on", &r.held_on)?))).collect::<ApiResult<Vec<_>>>()?;
    let screening: Option<Screening> = consultations.first().map(|c| serde_json::from_str(&c.screening_json).map_err(ApiError::internal)).transpose()?;
    let intake = consultations.first().map(|c| Intake::from_json(&c.intake_json).map_err(ApiError::internal)).transpose()?;
    let scars = intake.as_ref().is_some_and(|i| i.has_scars());
    // A touch-up plan extends its parent by one session: the course is the first plan's sessions.
    let mut touch_ups = 0;
    let mut parent = record.and_then(|p| p.parent_id);
    while let Some(pp) = parent.and_then(|pid| plans.iter().find(|p| p.id == pid)) {
        touch_ups += 1;
        parent = pp.parent_id;
    }
    let course = record.map_or(3, |p| (p.sessions - touch_ups).max(1) as u32);
    let settings = ScheduleSettings { sessions: course, ..ScheduleSettings::default() };
    let held_days: Vec<Date> = held.iter().map(|(_, d)| *d).collect();
    let visits = follicle_clinic::propose(&held_days, today(), &settings, scars).unwrap_or_default();
    let passport = match &intake {
        Some(i) => {
            let cat = catalogue(&st, c, None, None).await?;
            let log = session_log(&st, c, id, &client.fields.reference).await?;
            InkPassport::build(i, &log, &cat).ok()
        }
        None => None,
    };
    let aftercare = Aftercare::embedded();
    let input = crate::report::ReportInput {
        client_name: &client.fields.name,
        client_reference: &client.fields.reference,
        studio: &clinic.name,
        today: today(),
        course,
        plan: record.zip(plan_doc.as_ref()).map(|(p, d)| (p.id, p.label.as_str(), d)),
        held: &held,
        visits: &visits,
        screening: screening.as_ref(),
        passport: passport.as_ref(),
        aftercare: &aftercare,
    };
    let page = html::render(&crate::report::client_report(&input)).replacen("</style>", &format!("{}</style>", crate::report::PRINT_CSS), 1);
    viewed(&st, &a, "client report", None, Some(id)).await?;
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CONTENT_SECURITY_POLICY, PRINT_PAGE_CSP)], page).into_response())
}

// ---- treatment sessions, pigments, lots ---------------------------------------------------------------

/// The clinic's pigments and lots as follicle-clinic's catalogue (checked by its own rules).
async fn catalogue(st: &AppState, clinic: Id, extra_pigment: Option<Pigment>, extra_lot: Option<follicle_clinic::Lot>) -> ApiResult<Catalogue> {
    let (pigments, lots) = db(st, move |s| Ok((s.pigments(clinic)?, s.lots(clinic)?))).await?;
    let mut ps: Vec<Value> = pigments.iter().map(|p| serde_json::from_str(&p.pigment_json).map_err(ApiError::internal)).collect::<ApiResult<_>>()?;
    let mut ls: Vec<Value> = lots
        .iter()
        .map(|l| json!({ "pigment": l.lot.pigment, "number": l.lot.number, "expiry": l.lot.expiry, "received": l.lot.received }))
        .collect();
    if let Some(p) = extra_pigment {
        ps.push(serde_json::to_value(p).map_err(ApiError::internal)?);
    }
    if let Some(l) = extra_lot {
        ls.push(serde_json::to_value(l).map_err(ApiError::internal)?);
    }
    let doc = json!({ "format": "follicle-pigments", "version": 1, "pigment": ps, "lot": ls });
    Catalogue::parse(&doc.to_string(), Format::Json).map_err(|e| ApiError::unprocessable(format!("pigment catalogue: {e}")))
}

async fn list_sessions(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>) -> ApiResult<Json<Vec<Value>>> {
    let list = client_records(&st, &a, id, "session", |s, c, id| s.sessions(c, id)).await?;
    let out = list
        .iter()
        .map(|s| Ok(json!({ "id": s.id, "index": s.index, "held_on": s.held_on, "record": serde_json::from_str::<Value>(&s.record_json).map_err(ApiError::internal)?, "created_by": s.created_by, "created_at": s.created_at })))
        .collect::<ApiResult<_>>()?;
    Ok(Json(out))
}

/// The client's session log (consents and sessions) as follicle-clinic builds it.
async fn session_log(st: &AppState, clinic: Id, client: Id, reference: &str) -> ApiResult<SessionLog> {
    let (rows, consents) = db(st, move |s| Ok((s.sessions(clinic, client)?, s.consents(clinic, client)?))).await?;
    let mut log = SessionLog::new(reference);
    for r in rows {
        log.sessions.push(serde_json::from_str(&r.record_json).map_err(ApiError::internal)?);
    }
    for c in consents {
        log.consents.push(serde_json::from_str(&c.signed_json).map_err(ApiError::internal)?);
    }
    Ok(log)
}

async fn add_session(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>, ApiJson(rec): ApiJson<SessionRecord>) -> ApiResult<(StatusCode, Json<TreatmentSession>)> {
    a.medical()?;
    let c = a.clinic();
    let client = db(&st, move |s| s.client(c, id)).await?;
    let intake = latest_intake(&st, c, id).await?.ok_or_else(|| ApiError::conflict("record a consultation (intake) before the first session"))?;
    let cat = catalogue(&st, c, None, None).await?;
    let mut log = session_log(&st, c, id, &client.fields.reference).await?;
    log.record(rec.clone(), &intake, &cat).map_err(|e| ApiError::unprocessable(e.to_string()))?;
    let new = NewSession { index: i64::from(rec.index), held_on: rec.date.to_string(), record_json: serde_json::to_string(&rec).map_err(ApiError::internal)? };
    let by = a.user.id;
    Ok((StatusCode::CREATED, Json(db(&st, move |s| s.add_session(c, id, &new, by)).await?)))
}

async fn list_pigments(State(st): State<AppState>, a: Actor) -> ApiResult<Json<Vec<Value>>> {
    let c = a.clinic();
    let list = db(&st, move |s| s.pigments(c)).await?;
    Ok(Json(list.iter().map(|p| serde_json::from_str(&p.pigment_json).map_err(ApiError::internal)).collect::<ApiResult<_>>()?))
}

async fn add_pigment(State(st): State<AppState>, a: Actor, ApiJson(p): ApiJson<Pigment>) -> ApiResult<(StatusCode, Json<Pigment>)> {
    a.medical()?;
    let c = a.clinic();
    catalogue(&st, c, Some(p.clone()), None).await?;
    let (key, text, by) = (p.id.clone(), serde_json::to_string(&p).map_err(ApiError::internal)?, a.user.id);
    db(&st, move |s| s.add_pigment(c, &key, &text, by)).await?;
    Ok((StatusCode::CREATED, Json(p)))
}

async fn list_lots(State(st): State<AppState>, a: Actor) -> ApiResult<Json<Vec<LotRow>>> {
    let c = a.clinic();
    Ok(Json(db(&st, move |s| s.lots(c)).await?))
}

async fn add_lot(State(st): State<AppState>, a: Actor, ApiJson(l): ApiJson<NewLot>) -> ApiResult<(StatusCode, Json<LotRow>)> {
    a.medical()?;
    let c = a.clinic();
    let lot = follicle_clinic::Lot {
        pigment: l.pigment.clone(),
        number: l.number.clone(),
        expiry: parse_date("expiry", &l.expiry)?,
        received: l.received.as_deref().map(|d| parse_date("received", d)).transpose()?,
    };
    catalogue(&st, c, None, Some(lot)).await?;
    let by = a.user.id;
    Ok((StatusCode::CREATED, Json(db(&st, move |s| s.add_lot(c, &l, by)).await?)))
}

// ---- consents, schedule, passport ---------------------------------------------------------------------

/// Body of POST /api/clients/{id}/consents.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsentBody {
    /// Consent text id (e.g. `smp-treatment`).
    text: String,
    /// Its version.
    version: u32,
    /// When it was signed (UTC, YYYY-MM-DDTHH:MM:SSZ).
    signed_at: String,
    /// Who witnessed it (default: the logged-in user).
    #[serde(default)]
    witnessed_by: Option<String>,
}

async fn list_consents(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>) -> ApiResult<Json<Vec<Value>>> {
    let list = client_records(&st, &a, id, "consent", |s, c, id| s.consents(c, id)).await?;
    Ok(Json(list.iter().map(|c| Ok(json!({ "id": c.id, "signed": serde_json::from_str::<Value>(&c.signed_json).map_err(ApiError::internal)?, "created_by": c.created_by }))).collect::<ApiResult<_>>()?))
}

async fn add_consent(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>, ApiJson(b): ApiJson<ConsentBody>) -> ApiResult<(StatusCode, Json<SignedConsent>)> {
    a.medical()?;
    let c = a.clinic();
    let client = db(&st, move |s| s.client(c, id)).await?;
    let at: DateTime = b.signed_at.parse().map_err(|e| ApiError::unprocessable(format!("signed_at: {e}")))?;
    let library = ConsentLibrary::embedded();
    let text = library.get(&b.text, b.version).map_err(|e| ApiError::unprocessable(e.to_string()))?;
    let witness = b.witnessed_by.unwrap_or_else(|| a.user.display_name.clone());
    let signed = SignedConsent::sign(text, &client.fields.reference, at, &witness).map_err(|e| ApiError::unprocessable(e.to_string()))?;
    let new = NewConsent { text_id: signed.text.clone(), text_version: i64::from(signed.version), signed_at: signed.signed_at.to_string(), signed_json: serde_json::to_string(&signed).map_err(ApiError::internal)? };
    let by = a.user.id;
    db(&st, move |s| s.add_consent(c, id, &new, by)).await?;
    Ok((StatusCode::CREATED, Json(signed)))
}

/// Query of the schedule feed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScheduleQuery {
    /// Day of the first session when none has been held (default today).
    #[serde(default)]
    first: Option<String>,
    /// Sessions in the course (default 3).
    #[serde(default)]
    course: Option<u32>,
    /// Preferred days between sessions (default 10).
    #[serde(default)]
    interval: Option<u32>,
}

async fn schedule_ics(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>, ApiQuery(q): ApiQuery<ScheduleQuery>) -> ApiResult {
    let c = a.clinic();
    let (client, clinic, rows) = db(&st, move |s| Ok((s.client(c, id)?, s.clinic(c)?, s.sessions(c, id)?))).await?;
    let held = rows.iter().map(|r| parse_date("held_on", &r.held_on)).collect::<ApiResult<Vec<_>>>()?;
    // Scars only move the touch-up earlier; the schedule shows no medical detail.
    let scars = latest_intake(&st, c, id).await?.is_some_and(|i| i.has_scars());
    let first = q.first.as_deref().map(|d| parse_date("first", d)).transpose()?.unwrap_or_else(today);
    let mut settings = ScheduleSettings { sessions: q.course.unwrap_or(3), ..ScheduleSettings::default() };
    if let Some(i) = q.interval {
        settings.preferred_days = i;
    }
    let visits = follicle_clinic::propose(&held, first, &settings, scars).map_err(|e| ApiError::unprocessable(e.to_string()))?;
    let info = ics::CalendarInfo { client_id: &client.fields.reference, client_name: &client.fields.name, studio: &clinic.name, uid_domain: "follicle.invalid", now: now_utc() };
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], reminders_ics(&info, &visits)).into_response())
}

/// Query of the clinic's schedule feed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClinicScheduleQuery {
    /// Sessions in a course (default 3).
    #[serde(default)]
    course: Option<u32>,
    /// Preferred days between sessions (default 10).
    #[serde(default)]
    interval: Option<u32>,
}

/// GET /api/schedule.ics: one calendar for the clinic with the proposed next visits of every client who has had
/// a session (follicle-clinic's proposal and calendar events, as in the per-client feed).
async fn clinic_schedule_ics(State(st): State<AppState>, a: Actor, ApiQuery(q): ApiQuery<ClinicScheduleQuery>) -> ApiResult {
    let c = a.clinic();
    let (clinic, treated) = db(&st, move |s| {
        let mut treated = Vec::new();
        let mut offset = 0;
        loop {
            let page = s.list_clients(c, &ClientQuery { search: None, limit: 500, offset })?;
            for client in page.items.iter() {
                let rows = s.sessions(c, client.id)?;
                if !rows.is_empty() {
                    treated.push((client.clone(), rows));
                }
            }
            offset += 500;
            if offset >= page.total {
                break;
            }
        }
        Ok((s.clinic(c)?, treated))
    })
    .await?;
    let mut settings = ScheduleSettings { sessions: q.course.unwrap_or(3), ..ScheduleSettings::default() };
    if let Some(i) = q.interval {
        settings.preferred_days = i;
    }
    let now = now_utc();
    let end = "END:VCALENDAR\r\n";
    let blank = ics::CalendarInfo { client_id: "", client_name: "", studio: &clinic.name, uid_domain: "follicle.invalid", now };
    let empty = reminders_ics(&blank, &[]);
    let head = empty.strip_suffix(end).ok_or_else(|| ApiError::internal("unexpected calendar shape"))?;
    let mut out = head.to_string();
    for (client, rows) in &treated {
        let held = rows.iter().map(|r| parse_date("held_on", &r.held_on)).collect::<ApiResult<Vec<_>>>()?;
        let scars = latest_intake(&st, c, client.id).await?.is_some_and(|i| i.has_scars());
        let Ok(visits) = follicle_clinic::propose(&held, today(), &settings, scars) else { continue };
        let info = ics::CalendarInfo { client_id: &client.fields.reference, client_name: &client.fields.name, studio: &clinic.name, uid_domain: "follicle.invalid", now };
        let one = reminders_ics(&info, &visits);
        out.push_str(one.strip_prefix(head).and_then(|e| e.strip_suffix(end)).ok_or_else(|| ApiError::internal("unexpected calendar shape"))?);
    }
    out.push_str(end);
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], out).into_response())
}

/// Query of the passport.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PassportQuery {
    /// `json` (default) or `html`.
    #[serde(default)]
    format: Option<String>,
}

async fn passport(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>, ApiQuery(q): ApiQuery<PassportQuery>) -> ApiResult {
    a.medical()?;
    let c = a.clinic();
    let client = db(&st, move |s| s.client(c, id)).await?;
    let intake = latest_intake(&st, c, id).await?.ok_or_else(|| ApiError::conflict("no consultation recorded for this client"))?;
    let cat = catalogue(&st, c, None, None).await?;
    let log = session_log(&st, c, id, &client.fields.reference).await?;
    let library = ConsentLibrary::embedded();
    for consent in &log.consents {
        consent.verify(&library).map_err(|e| ApiError::unprocessable(e.to_string()))?;
    }
    let p = InkPassport::build(&intake, &log, &cat).map_err(|e| ApiError::unprocessable(e.to_string()))?;
    viewed(&st, &a, "passport", None, Some(id)).await?;
    match q.format.as_deref() {
        None | Some("json") => Ok(Json(p).into_response()),
        Some("html") => Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html::render(&passport_document(&p, today()))).into_response()),
        Some(other) => Err(ApiError::bad_request(format!("format `{other}`: use json or html"))),
    }
}

// ---- photos -------------------------------------------------------------------------------------------

/// Query of the photo upload.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PhotoQuery {
    #[serde(default)]
    caption: Option<String>,
}

async fn list_photos(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>) -> ApiResult<Json<Vec<Photo>>> {
    let list = client_records(&st, &a, id, "photo", |s, c, id| s.photos(c, id)).await?;
    Ok(Json(list))
}

/// POST /api/clients/{id}/photos: the image as the raw body (`image/png`, `image/jpeg`) or as the `photo` field
/// of a `multipart/form-data` form (with an optional `caption` field). Checked from its header (type, at most
/// 40 megapixels) before decoding; decoded once to make the thumbnail; both files are stored before the row.
async fn upload_photo(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>, ApiQuery(q): ApiQuery<PhotoQuery>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> ApiResult<(StatusCode, Json<Photo>)> {
    use crate::media::{multipart_boundary, multipart_photo, MultipartError};
    a.medical()?;
    let body = body?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let (body, caption) = match multipart_boundary(content_type) {
        None => (body, q.caption),
        Some(boundary) => {
            let status = |e: MultipartError| match e {
                MultipartError::Malformed(m) => ApiError::bad_request(m),
                MultipartError::Refused(m) => ApiError::unprocessable(m),
            };
            let up = multipart_photo(&body, &boundary.map_err(status)?).map_err(status)?;
            if up.caption.is_some() && q.caption.is_some() {
                return Err(ApiError::bad_request("give the caption once: as the `caption` field or the ?caption= parameter"));
            }
            (body.slice_ref(up.bytes), up.caption.or(q.caption))
        }
    };
    if body.len() > crate::PHOTO_LIMIT {
        return Err(ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, format!("the photo is {} bytes; at most {} are accepted", body.len(), crate::PHOTO_LIMIT)));
    }
    let info = crate::media::inspect(&body).map_err(ApiError::unprocessable)?;
    let c = a.clinic();
    db(&st, move |s| s.client(c, id)).await?;
    let photos = st.photos.clone();
    let len = body.len() as i64;
    let sha = cpu(move || {
        let thumb = crate::media::thumbnail(&body).map_err(ApiError::unprocessable)?;
        let sha = photos.put(&body)?;
        photos.put_derived(&sha, crate::media::THUMBNAIL_SUFFIX, &thumb)?;
        Ok(sha)
    })
    .await?;
    let new = NewPhoto { sha256: sha, content_type: info.content_type.into(), bytes: len, width: i64::from(info.width), height: i64::from(info.height), caption };
    let by = a.user.id;
    Ok((StatusCode::CREATED, Json(db(&st, move |s| s.add_photo(c, id, &new, by)).await?)))
}

async fn get_photo(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>) -> ApiResult {
    a.medical()?;
    let c = a.clinic();
    let p = db(&st, move |s| s.photo(c, id)).await?;
    let photos = st.photos.clone();
    let sha = p.sha256.clone();
    let bytes = cpu(move || photos.get(&sha).map_err(ApiError::from)).await?;
    viewed(&st, &a, "photo", Some(id), Some(p.client_id)).await?;
    Ok(([(header::CONTENT_TYPE, p.content_type)], bytes).into_response())
}

/// GET /api/photos/{id}/thumbnail: the stored JPEG thumbnail (made now, and stored, for a photo uploaded before
/// thumbnails existed).
async fn get_thumbnail(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>) -> ApiResult {
    a.medical()?;
    let c = a.clinic();
    let p = db(&st, move |s| s.photo(c, id)).await?;
    let photos = st.photos.clone();
    let sha = p.sha256.clone();
    let bytes = cpu(move || {
        if let Some(t) = photos.get_derived(&sha, crate::media::THUMBNAIL_SUFFIX)? {
            return Ok(t);
        }
        let t = crate::media::thumbnail(&photos.get(&sha)?).map_err(ApiError::internal)?;
        photos.put_derived(&sha, crate::media::THUMBNAIL_SUFFIX, &t)?;
        Ok(t)
    })
    .await?;
    viewed(&st, &a, "photo thumbnail", Some(id), Some(p.client_id)).await?;
    Ok(([(header::CONTENT_TYPE, "image/jpeg")], bytes).into_response())
}

// ---- landmarks ----------------------------------------------------------------------------------------

/// The landmark names photo registration accepts (follicle-render's `register` matches marks against the
/// plan's `Landmarks::named()`; the names do not depend on the head, only the positions do).
fn landmark_names() -> Vec<&'static str> {
    let o = follicle_core::Vec3::default();
    let l = follicle_core::landmarks::Landmarks {
        glabella: o,
        mid_frontal: o,
        lateral_canthus_left: o,
        lateral_canthus_right: o,
        frontotemporal_left: o,
        frontotemporal_right: o,
        temporal_peak_left: o,
        temporal_peak_right: o,
        vertex: o,
        crown_whorl: o,
        ear_top_left: o,
        ear_top_right: o,
        nape: o,
    };
    l.named().into_iter().map(|(n, _)| n).collect()
}

/// Checks landmarks against the photo: known names, finite positions inside its `width`×`height` pixels.
fn check_landmarks(marks: &std::collections::BTreeMap<String, [f64; 2]>, photo: &Photo) -> ApiResult<()> {
    if marks.is_empty() {
        return Err(ApiError::unprocessable("landmarks: mark at least one landmark"));
    }
    let known = landmark_names();
    for (name, &[x, y]) in marks {
        if !known.contains(&name.as_str()) {
            return Err(ApiError::unprocessable(format!("landmarks.{name}: unknown landmark; known: {}", known.join(", "))));
        }
        let (w, h) = (photo.width as f64, photo.height as f64);
        if !(x.is_finite() && y.is_finite() && (0.0..=w).contains(&x) && (0.0..=h).contains(&y)) {
            return Err(ApiError::unprocessable(format!("landmarks.{name}: [{x}, {y}] lies outside the photo ({}×{} pixels)", photo.width, photo.height)));
        }
    }
    Ok(())
}

/// The landmarks document the API sends.
fn landmarks_reply(l: &PhotoLandmarks) -> ApiResult<Json<Value>> {
    let marks: Value = serde_json::from_str(&l.landmarks_json).map_err(ApiError::internal)?;
    Ok(Json(json!({ "photo_id": l.photo_id, "client_id": l.client_id, "landmarks": marks, "updated_by": l.updated_by, "updated_at": l.updated_at })))
}

/// GET /api/photos/{id}/landmarks: the landmarks marked on the photo (404 when none are marked yet).
async fn get_landmarks(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>) -> ApiResult<Json<Value>> {
    a.medical()?;
    let c = a.clinic();
    let (p, l) = db(&st, move |s| Ok((s.photo(c, id)?, s.photo_landmarks(c, id)?))).await?;
    let l = l.ok_or_else(|| ApiError::not_found(format!("no landmarks marked on photo {id} yet")))?;
    viewed(&st, &a, "photo landmarks", Some(id), Some(p.client_id)).await?;
    landmarks_reply(&l)
}

/// PUT /api/photos/{id}/landmarks: `{"glabella": [x, y], …}` in the photo's pixels; replaces what was marked.
async fn set_landmarks(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>, ApiJson(marks): ApiJson<std::collections::BTreeMap<String, [f64; 2]>>) -> ApiResult<Json<Value>> {
    a.medical()?;
    let c = a.clinic();
    let p = db(&st, move |s| s.photo(c, id)).await?;
    check_landmarks(&marks, &p)?;
    let (text, by) = (serde_json::to_string(&marks).map_err(ApiError::internal)?, a.user.id);
    landmarks_reply(&db(&st, move |s| s.set_photo_landmarks(c, id, &text, by)).await?)
}
