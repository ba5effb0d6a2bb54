//! Accounts and access: Argon2id password hashes, login sessions in HttpOnly SameSite=Strict cookies (Secure
//! behind TLS) whose token is stored only as a hash, a per-session CSRF token that every state-changing
//! request must echo in `X-CSRF-Token`, and the role checks (front desk never sees medical history). The login
//! throttle is [`crate::throttle`] (re-exported here), its known devices [`crate::device`].

use crate::error::ApiError;
use crate::routes::Access;
use crate::AppState;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use follicle_store::{sha256_hex, ClinicId, Role, User};

pub use crate::throttle::{
    account_key, address_key, authenticate, client_addr, throttled_check, ClientAddr, Throttle,
    MAX_USERNAME,
};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "follicle_session";
/// Name of the (readable) CSRF cookie, for browser code that wants to echo it.
pub const CSRF_COOKIE: &str = "follicle_csrf";
/// Header that state-changing requests must carry.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a login lasts.
pub const SESSION_SECONDS: i64 = 12 * 3600;
/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 10;
/// Longest password accepted (the strength estimate's work grows with the length).
pub const MAX_PASSWORD: usize = 256;
/// The least zxcvbn strength score accepted (3: "safely unguessable", over 10^8 guesses).
pub const MIN_PASSWORD_SCORE: zxcvbn::Score = zxcvbn::Score::Three;

/// Hashes a password with Argon2id (default parameters, random salt) into a PHC string.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(ApiError::internal)
}

/// Whether `password` matches a stored PHC hash.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A fresh random token (256 bits, hex).
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Checks a new password: at least [`MIN_PASSWORD`] characters, and not common or trivial — the zxcvbn
/// estimate (dictionaries of common passwords, names and words, keyboard patterns, repeats, sequences, dates,
/// and `user_inputs` such as the user and clinic names) must reach [`MIN_PASSWORD_SCORE`]. CPU work: call it
/// off the async threads.
pub fn check_password(p: &str, user_inputs: &[&str]) -> Result<(), ApiError> {
    let n = p.chars().count();
    if n < MIN_PASSWORD {
        return Err(ApiError::unprocessable(format!(
            "password: use at least {MIN_PASSWORD} characters"
        )));
    }
    if n > MAX_PASSWORD {
        return Err(ApiError::unprocessable(format!(
            "password: use at most {MAX_PASSWORD} characters"
        )));
    }
    let estimate = zxcvbn::zxcvbn(p, user_inputs);
    if estimate.score() < MIN_PASSWORD_SCORE {
        let why = estimate
            .feedback()
            .and_then(|f| f.warning())
            .map(|w| format!(" ({w})"))
            .unwrap_or_default();
        return Err(ApiError::unprocessable(format!(
            "password: too easy to guess{why}; use a longer phrase of unrelated words"
        )));
    }
    Ok(())
}

/// The Set-Cookie values for a new login.
pub fn login_cookies(token: &str, csrf: &str, secure: bool) -> [String; 2] {
    let s = if secure { "; Secure" } else { "" };
    [
        format!("{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={SESSION_SECONDS}{s}"),
        format!("{CSRF_COOKIE}={csrf}; SameSite=Strict; Path=/; Max-Age={SESSION_SECONDS}{s}"),
    ]
}

/// The Set-Cookie values that end a login.
pub fn logout_cookies(secure: bool) -> [String; 2] {
    let s = if secure { "; Secure" } else { "" };
    [
        format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{s}"),
        format!("{CSRF_COOKIE}=; SameSite=Strict; Path=/; Max-Age=0{s}"),
    ]
}

/// The value of a cookie in the request.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    cookie_in(&parts.headers, name)
}

/// The value of a cookie in these request headers.
pub fn cookie_in<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Compares two strings in time independent of where they differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The logged-in user a request acts for.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The user.
    pub user: User,
    /// The hash of their session token.
    pub token_hash: String,
    /// Their CSRF token.
    pub csrf: String,
    /// The client this session's tablet is handed to for signing, if it is (probe s8 N3).
    pub handed_to: Option<follicle_store::ClientId>,
}

impl Actor {
    /// The clinic the user works for (every record access is scoped by it).
    pub fn clinic(&self) -> ClinicId {
        self.user.clinic_id
    }
    /// Refuses front desk: medical records (consultations, plans, sessions, consents, photos, passport).
    pub fn medical(&self) -> Result<(), ApiError> {
        if self.user.role.sees_medical() {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "Front desk accounts do not see medical records or treatments and do not change the pigment catalogue or the lots: a practitioner or the owner does this.",
            ))
        }
    }
    /// Refuses everyone but the owner.
    pub fn owner(&self) -> Result<(), ApiError> {
        if self.user.role == Role::Owner {
            Ok(())
        } else {
            Err(ApiError::forbidden("only the clinic's owner may do this"))
        }
    }
}

impl FromRequestParts<AppState> for Actor {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Actor, ApiError> {
        if let Some(a) = parts.extensions.get::<Actor>() {
            return Ok(a.clone());
        }
        let token = cookie(parts, SESSION_COOKIE)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::unauthorized("log in first"))?;
        let hash = sha256_hex(token.as_bytes());
        let now = follicle_store::now_unix();
        let h = hash.clone();
        let found = crate::db(state, move |s| s.auth_session(&h, now)).await?;
        let (session, user) =
            found.ok_or_else(|| ApiError::unauthorized("the session has ended; log in again"))?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !same(sent, &session.csrf_token) {
                // The header the page sends is named in the API's description (openapi.json), not here.
                return Err(ApiError::forbidden(
                    "this page's security check is missing or out of date; reload the page and try again",
                ));
            }
        }
        Ok(Actor {
            user,
            token_hash: hash,
            csrf: session.csrf_token,
            handed_to: session.handed_to,
        })
    }
}

/// A new password checked by [`check_password`] (against the account's own words, `user_inputs`: user name,
/// display name, clinic) and hashed, both off the async threads: the one way every route sets a password.
pub async fn new_password_hash(
    password: String,
    user_inputs: Vec<String>,
) -> Result<String, ApiError> {
    crate::cpu(move || {
        check_password(
            &password,
            &user_inputs.iter().map(String::as_str).collect::<Vec<_>>(),
        )?;
        hash_password(&password)
    })
    .await
}

/// Checks the signed-in staff member's own password (changing it, taking the consent tablet back) under the
/// login throttle, as at login: their browser, when it is a device they have logged in with, is counted by its own
/// failures only ([`crate::device::recognise`]); a wrong password counts as a failed login and is refused with
/// `wrong` (403). Returns the known device's token, if any, to remember it again after a change.
pub async fn check_own_password(
    st: &AppState,
    from: ClientAddr,
    headers: &axum::http::HeaderMap,
    a: &Actor,
    password: String,
    wrong: &'static str,
) -> Result<Option<String>, ApiError> {
    let device = crate::device::device_token(headers);
    let known = crate::device::recognise(st, device, Some(a.user.id)).await?;
    let name = a.user.username.clone();
    let found = crate::db(st, move |s| s.user_for_login(&name)).await?;
    let Some((_, stored)) = found else {
        return Err(ApiError::unauthorized(
            "the session has ended; log in again",
        ));
    };
    let matched = throttled_check(
        st,
        from,
        Some(a.user.id),
        known.as_deref(),
        Some(stored),
        password,
    )
    .await?;
    if matched {
        Ok(known)
    } else {
        Err(ApiError::forbidden(wrong))
    }
}

/// Route middleware: logs the caller in (session and CSRF) and checks the route's [`Access`] before the body is
/// read, so a role that may not call a route gets 403 whatever it sends (answered by [`early_answer`]).
/// `route` is the route's method and path template: a session whose tablet is handed to a client reaches only
/// that client's signing screen (`routes::tablet::allows`, probe s8 N3).
pub async fn guard(
    st: AppState,
    access: Access,
    route: (&'static str, &'static str),
    req: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = req.into_parts();
    let actor = match Actor::from_request_parts(&mut parts, &st).await {
        Ok(a) => a,
        Err(e) => return early_answer(e),
    };
    if let Some(client) = actor.handed_to {
        if !crate::routes::tablet::allows(route.0, route.1, parts.uri.path(), client) {
            return early_answer(crate::routes::tablet::refused());
        }
    }
    let allowed = match access {
        Access::Public | Access::Staff => Ok(()),
        Access::Medical => actor.medical(),
        Access::Owner => actor.owner(),
    };
    if let Err(e) = allowed {
        return early_answer(e);
    }
    parts.extensions.insert(actor);
    next.run(Request::from_parts(parts, body)).await
}

/// An answer given before the request's body was read (no session, a wrong role): what the client still sends
/// is drained, or the connection closed, by the layer every response passes ([`crate::unread`]), so the
/// client's next request on a keep-alive connection is not lost (probe s5 L14).
pub fn early_answer(e: ApiError) -> Response {
    e.into_response()
}
