//! What every API integration test of follicle-server shares (`mod support;` in api.rs, clinic_day.rs and
//! hardening.rs): a test server on a real SQLite file or a fresh PostgreSQL database, a client of the API with its
//! own cookie and CSRF token, the reply with its JSON error shape, and the set-up of a clinic with its three roles.
//! Requests go through the real router with tower's `oneshot` (no network).

// Each test file is its own crate and uses a different part of this module.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use follicle_clinic::{ClinicZone, Date};
use follicle_server::{AppState, Settings};
use follicle_store::PhotoStore;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::Arc;
use tower::ServiceExt;

/// The owner's password in every test clinic.
pub const PASSWORD: &str = "correct horse battery";
/// The practitioner's and front desk's password in every test clinic.
pub const OTHER_PASSWORD: &str = "another good one";

/// How a test server is made.
#[derive(Clone, Copy, Default)]
pub struct Setup {
    /// The clinic's time zone (IANA name); the default settings' zone when `None`.
    pub zone: Option<&'static str>,
    /// The API and the studio UI merged, as `follicle serve` runs them; the API alone when false.
    pub studio_ui: bool,
}

pub struct Server {
    pub app: Router,
    pub state: AppState,
    pub zone: ClinicZone,
    pub dir: tempfile::TempDir,
}

/// A client of the API with its own cookie and CSRF token.
#[derive(Clone, Default)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}), status {}: {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    /// The JSON error's message ("" when there is none).
    pub fn message(&self) -> String {
        self.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
    /// Asserts the one JSON error shape with this status; returns the message.
    pub fn error(&self, status: StatusCode) -> String {
        assert_eq!(self.status, status, "{}", self.text());
        let v = self.json();
        assert_eq!(
            v["error"]["status"].as_u64(),
            Some(u64::from(status.as_u16())),
            "{v}"
        );
        assert!(v["error"]["code"].is_string(), "{v}");
        v["error"]["message"]
            .as_str()
            .expect("a message")
            .to_string()
    }
}

/// Extra request headers: `Some(content_type)` / `None`, or a list of `(name, value)` pairs.
pub trait Headers {
    fn pairs(&self) -> Vec<(&str, &str)>;
}

impl Headers for Option<&str> {
    fn pairs(&self) -> Vec<(&str, &str)> {
        self.iter().map(|ct| ("content-type", *ct)).collect()
    }
}

impl Headers for &[(&str, &str)] {
    fn pairs(&self) -> Vec<(&str, &str)> {
        self.to_vec()
    }
}

impl<const N: usize> Headers for &[(&str, &str); N] {
    fn pairs(&self) -> Vec<(&str, &str)> {
        self.to_vec()
    }
}

/// A server on `store` with its photos under `dir`/data/photos (on disk with SQLite, in the database with
/// PostgreSQL).
pub fn server_on(
    store: Arc<dyn follicle_store::Store>,
    dir: tempfile::TempDir,
    setup: Setup,
) -> Server {
    let photos =
        PhotoStore::for_store(store.clone(), &dir.path().join("data").join("photos")).unwrap();
    let mut settings = Settings::default();
    if let Some(zone) = setup.zone {
        settings.zone = ClinicZone::get(zone).unwrap();
    }
    let zone = settings.zone.clone();
    let state = AppState::new(store, photos, settings);
    let app = if setup.studio_ui {
        follicle_server::studio(state.clone(), follicle_studio_ui::router())
    } else {
        follicle_server::router(state.clone())
    };
    Server {
        app,
        state,
        zone,
        dir,
    }
}

/// A server on a fresh SQLite file, `dir`/data/follicle.db.
pub fn sqlite_server(setup: Setup) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let store = follicle_store::open(&format!(
        "sqlite:{}",
        dir.path().join("data").join("follicle.db").display()
    ))
    .unwrap();
    server_on(store, dir, setup)
}

/// A server on a fresh PostgreSQL database named after `tag` when FOLLICLE_TEST_POSTGRES_URL is set (an
/// unreachable server fails; with CI set, so does a missing URL).
pub fn postgres_server(tag: &str, setup: Setup) -> Option<Server> {
    let url = follicle_store::testing::fresh_database(tag)?;
    let store = std::thread::spawn(move || follicle_store::open(&url).unwrap())
        .join()
        .unwrap();
    Some(server_on(store, tempfile::tempdir().unwrap(), setup))
}

/// One request to `app` with an optional content type.
pub async fn call(
    app: &Router,
    s: &Session,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> Reply {
    request(app, s, method, path, content_type.pairs(), body).await
}

/// One request to `app` with these extra headers.
pub async fn request(
    app: &Router,
    s: &Session,
    method: &str,
    path: &str,
    headers: Vec<(&str, &str)>,
    body: Vec<u8>,
) -> Reply {
    let mut req = Request::builder().method(method).uri(path);
    if !s.cookie.is_empty() {
        req = req.header("cookie", &s.cookie);
    }
    if !s.csrf.is_empty() {
        req = req.header("x-csrf-token", &s.csrf);
    }
    for (k, v) in headers {
        req = req.header(k, v);
    }
    let resp = app
        .clone()
        .oneshot(req.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    let body = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

impl Server {
    /// The server's data folder (the SQLite file and the photo folder).
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }
    /// One request; `headers` is a content type (`Some("…")`/`None`) or a list of header pairs.
    pub async fn call(
        &self,
        s: &Session,
        method: &str,
        path: &str,
        headers: impl Headers,
        body: Vec<u8>,
    ) -> Reply {
        request(&self.app, s, method, path, headers.pairs(), body).await
    }

    /// One request with a content type and extra header pairs.
    pub async fn call_with(
        &self,
        s: &Session,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        extra: &[(&str, &str)],
    ) -> Reply {
        let mut headers = content_type.pairs();
        headers.extend_from_slice(extra);
        self.call(s, method, path, headers.as_slice(), body).await
    }
    pub async fn get(&self, s: &Session, path: &str) -> Reply {
        self.call(s, "GET", path, None, vec![]).await
    }
    /// A JSON request.
    pub async fn send(&self, s: &Session, method: &str, path: &str, v: Value) -> Reply {
        self.call(
            s,
            method,
            path,
            Some("application/json"),
            v.to_string().into_bytes(),
        )
        .await
    }
    pub async fn post(&self, s: &Session, path: &str, v: Value) -> Reply {
        self.send(s, "POST", path, v).await
    }
    pub async fn put(&self, s: &Session, path: &str, v: Value) -> Reply {
        self.send(s, "PUT", path, v).await
    }
    /// Signs in; asserts the session cookie is HttpOnly and SameSite=Strict.
    pub async fn login(&self, user: &str, password: &str) -> Session {
        let r = self
            .post(
                &Session::default(),
                "/api/login",
                json!({ "username": user, "password": password }),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "login {user}: {}", r.text());
        let session = r
            .headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap())
            .find(|c| c.starts_with("follicle_session="))
            .expect("a session cookie");
        assert!(
            session.contains("HttpOnly") && session.contains("SameSite=Strict"),
            "{session}"
        );
        Session {
            cookie: session.split(';').next().unwrap().to_string(),
            csrf: r.json()["csrf_token"].as_str().unwrap().to_string(),
        }
    }
    /// Sets up the clinic "`name` Studio" with its owner `name`-owner ("Owner `name`"), practitioner `name`-prac
    /// ("Ana Ruiz (`name`)") and front desk `name`-desk ("Sam Desk (`name`)"); returns their sessions. The first
    /// clinic goes through the set-up token (a wrong token is refused, the token works once); later ones are made
    /// in the store.
    pub async fn clinic(&self, name: &str, first: bool) -> (Session, Session, Session) {
        let owner = format!("{name}-owner");
        let clinic = format!("{name} Studio");
        if first {
            let state = self.state.clone();
            let token = tokio::task::spawn_blocking(move || state.arm_setup_token())
                .await
                .unwrap()
                .unwrap()
                .expect("no users yet");
            let setup = |token: &str| json!({ "token": token, "clinic": clinic, "username": owner, "display_name": format!("Owner {name}"), "password": PASSWORD });
            // The sign-in page asks whether the studio still needs setting up.
            let needed = self.get(&Session::default(), "/api/setup").await;
            assert_eq!(needed.json()["needed"], true, "{}", needed.text());
            let r = self
                .post(&Session::default(), "/api/setup", setup("wrong"))
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
            let r = self
                .post(&Session::default(), "/api/setup", setup(&token))
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
            let again = self.post(&Session::default(), "/api/setup", json!({ "token": token, "clinic": "X", "username": "x", "display_name": "X", "password": PASSWORD })).await;
            assert_eq!(
                again.status,
                StatusCode::CONFLICT,
                "the set-up token works once"
            );
            let needed = self.get(&Session::default(), "/api/setup").await;
            assert_eq!(needed.json()["needed"], false, "{}", needed.text());
        } else {
            let nu = follicle_store::NewUser {
                username: owner.clone(),
                display_name: format!("Owner {name}"),
                role: follicle_store::Role::Owner,
                password_hash: follicle_server::auth::hash_password(PASSWORD).unwrap(),
            };
            let store = self.state.store.clone();
            tokio::task::spawn_blocking(move || {
                store.create_clinic_with_owner(&clinic, &nu).unwrap()
            })
            .await
            .unwrap();
        }
        let o = self.login(&owner, PASSWORD).await;
        for (u, role, display) in [
            ("prac", "practitioner", "Ana Ruiz"),
            ("desk", "front_desk", "Sam Desk"),
        ] {
            let r = self.post(&o, "/api/users", json!({ "username": format!("{name}-{u}"), "display_name": format!("{display} ({name})"), "role": role, "password": OTHER_PASSWORD })).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        }
        (
            o,
            self.login(&format!("{name}-prac"), OTHER_PASSWORD).await,
            self.login(&format!("{name}-desk"), OTHER_PASSWORD).await,
        )
    }
    /// Adds a client with `reference` and `name` as `s`; returns the client's id.
    pub async fn new_client(&self, s: &Session, reference: &str, name: &str) -> i64 {
        let r = self
            .post(
                s,
                "/api/clients",
                json!({ "reference": reference, "name": name }),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        r.json()["id"].as_i64().unwrap()
    }
    /// Plans the case file `case` (docs/case-format.md) for `client` as `s`; returns the plan's id.
    pub async fn new_plan(&self, s: &Session, client: i64, case: &str) -> i64 {
        let r = self
            .post(
                s,
                &format!("/api/clients/{client}/plans"),
                json!({ "case": case }),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        r.json()["id"].as_i64().unwrap()
    }
    /// The stored plan `plan_id`, read back as a plan (its plan.json), as practitioner `s`.
    #[allow(dead_code)]
    pub async fn plan(&self, s: &Session, plan_id: i64) -> follicle_core::Plan {
        let text = self
            .get(s, &format!("/api/plans/{plan_id}/plan.json"))
            .await
            .text();
        follicle_export::load_plan(&text).unwrap()
    }
    /// Adds a client named `name` with the reference of the intake `intake_toml` (a docs/intake-format.md file)
    /// and records that intake as their consultation, as practitioner `prac`; returns the client's id.
    pub async fn screened_client(&self, prac: &Session, intake_toml: &str, name: &str) -> i64 {
        let intake = follicle_clinic::Intake::from_toml(intake_toml).unwrap();
        let r = self
            .post(
                prac,
                "/api/clients",
                json!({ "reference": intake.client.id, "name": name }),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
        let client = r.json()["id"].as_i64().unwrap();
        let r = self
            .post(
                prac,
                &format!("/api/clients/{client}/consultations"),
                serde_json::to_value(&intake).unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
        client
    }
    /// Records every pigment and lot of examples/pigments.toml as `s`; returns the catalogue.
    #[allow(dead_code)]
    pub async fn stock_example_catalogue(&self, s: &Session) -> follicle_clinic::Catalogue {
        let cat = example_catalogue();
        for p in &cat.pigments {
            let r = self
                .post(s, "/api/pigments", serde_json::to_value(p).unwrap())
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        }
        for l in &cat.lots {
            let r = self
                .post(s, "/api/lots", serde_json::to_value(l).unwrap())
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        }
        cat
    }
    /// The id of the practitioner shown as `name` in the booking list (`GET /api/practitioners`).
    pub async fn practitioner_id(&self, s: &Session, name: &str) -> i64 {
        let people = self.get(s, "/api/practitioners").await.json();
        people
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["display_name"] == name)
            .unwrap_or_else(|| panic!("{name} in {people}"))["id"]
            .as_i64()
            .unwrap()
    }
    /// The next weekday at least a week ahead of the clinic's today (a day bookings may go to).
    #[allow(dead_code)]
    pub fn weekday_ahead(&self) -> Date {
        let mut d = self.today().add_days(8);
        while d.to_jiff().weekday().to_monday_one_offset() >= 6 {
            d = d.add_days(1);
        }
        d
    }
    /// Today on the clinic's clocks.
    pub fn today(&self) -> Date {
        self.zone.today(
            follicle_clinic::DateTime::from_unix_seconds(follicle_store::now_unix()).unwrap(),
        )
    }
}

/// The example catalogue (examples/pigments.toml), parsed.
#[allow(dead_code)]
pub fn example_catalogue() -> follicle_clinic::Catalogue {
    follicle_clinic::Catalogue::parse(
        include_str!("../../../../examples/pigments.toml"),
        follicle_clinic::Format::Toml,
    )
    .unwrap()
}

/// The reference photo of ../shared/photos (beside the repository, never in it), or `None` with a note when
/// it is absent; with FOLLICLE_REQUIRE_SHARED_PHOTOS set its absence fails the test.
#[allow(dead_code)] // (each test binary compiles this module; not every one reads the photo)
pub fn reference_photo() -> Option<Vec<u8>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/photos/shaved-norwood-front.jpg");
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            assert!(
                std::env::var_os("FOLLICLE_REQUIRE_SHARED_PHOTOS").is_none(),
                "{} is missing (FOLLICLE_REQUIRE_SHARED_PHOTOS is set)",
                path.display()
            );
            eprintln!("SKIPPED: {} is not here", path.display());
            None
        }
    }
}
