//! Accounts and access: Argon2id password hashes, login sessions in HttpOnly SameSite=Strict cookies (Secure
//! behind TLS) whose token is stored only as a hash, a per-session CSRF token that every state-changing
//! request must echo in `X-CSRF-Token`, login throttling in the database (shared by every server process; see
//! [`Throttle`]) by account and by real client address, and the role checks (front desk never sees
//! medical history).

use crate::error::ApiError;
use crate::routes::Access;
use crate::AppState;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use follicle_store::{sha256_hex, ClinicId, Role, ThrottleCount, User, UserId};
use std::net::{IpAddr, SocketAddr};

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
    parts
        .headers
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
                "front desk accounts do not see medical records",
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
            .ok_or_else(|| ApiError::unauthorized("log in first (POST /api/login)"))?;
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
                return Err(ApiError::forbidden(format!(
                    "missing or wrong {CSRF_HEADER} header (the csrf_token from login)"
                )));
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

/// Longest user name accepted at login (bytes); longer ones are refused before anything is looked up or counted.
pub const MAX_USERNAME: usize = 200;

/// How failed logins slow guessing down. The counters live in the database (shared by every server process),
/// under fixed-size keys: SHA-256 of the account the name resolves to (exact, case-sensitive: `DESKA` is not
/// `deska`) and of the client's address. No lockout anyone can hold: after `free_failures` failures an account
/// answers 429 for a delay that doubles with each further failure up to `max_delay`, after which the right
/// password works again; an address that failed `address_failures` times answers 429 until it has been quiet for
/// `window` (password spraying over many accounts). A 429 counts nothing; a success forgets the account's failures.
/// A failure is counted once the password check has failed; the checks under way are counted apart, and an
/// attempt that would be refused if they all failed waits for them (see [`Throttle::verdict`]), so parallel
/// guesses cannot slip past together while a burst of right passwords is never refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Throttle {
    /// Failures of one account before delays start.
    pub free_failures: i64,
    /// Longest delay an account's failures impose, seconds.
    pub max_delay: i64,
    /// Failures from one address before it must wait out the window.
    pub address_failures: i64,
    /// Seconds of quiet after which a counter starts again from zero (and its row is deleted).
    pub window: i64,
}

impl Default for Throttle {
    fn default() -> Throttle {
        Throttle {
            free_failures: 5,
            max_delay: 30,
            address_failures: 30,
            window: 15 * 60,
        }
    }
}

impl Throttle {
    /// The delay after an account's `failures`-th failure: none before `free_failures`, then 2, 4, 8, … seconds
    /// up to `max_delay` (at least 2: times are whole seconds, so a delay of 1 could end at once).
    pub fn delay(&self, failures: i64) -> i64 {
        if failures < self.free_failures {
            return 0;
        }
        let doublings = (failures - self.free_failures + 1).min(20) as u32;
        (1i64 << doublings).min(self.max_delay)
    }

    /// Seconds to wait before another attempt, or `None` when it may go ahead.
    pub fn wait(
        &self,
        now: i64,
        account: Option<&str>,
        address: &str,
        counts: &[ThrottleCount],
    ) -> Option<i64> {
        let mut wait = 0;
        for c in counts {
            let until = if c.key == address && c.failures >= self.address_failures {
                c.last_at + self.window
            } else if Some(c.key.as_str()) == account {
                c.last_at + self.delay(c.failures)
            } else {
                continue;
            };
            wait = wait.max(until - now);
        }
        (wait > 0).then_some(wait)
    }
}

impl Throttle {
    /// What an attempt gets: `None` to go ahead; `Some(seconds)` when the failures alone make it wait; `Some(0)`
    /// when it would have to wait only if the checks under way all failed (it waits for them and asks again).
    pub fn verdict(
        &self,
        now: i64,
        account: Option<&str>,
        address: &str,
        counts: &[ThrottleCount],
    ) -> Option<i64> {
        if let Some(wait) = self.wait(now, account, address, counts) {
            return Some(wait);
        }
        let worst: Vec<ThrottleCount> = counts
            .iter()
            .map(|c| ThrottleCount {
                failures: c.failures + c.pending,
                last_at: if c.pending > 0 { now } else { c.last_at },
                ..c.clone()
            })
            .collect();
        self.wait(now, account, address, &worst).map(|_| 0)
    }
}

/// How long an attempt waits, at most, for the checks under way on its account or address before it is answered
/// 429 (a burst of right passwords: tablets at opening time).
const QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The throttle key of an account: SHA-256 of its id (the account the name resolved to, never the typed name).
pub fn account_key(user: UserId) -> String {
    sha256_hex(format!("account:{user}").as_bytes())
}

/// The throttle key of a client address: IPv4 as is (IPv4-mapped IPv6 too), IPv6 by its /64 (one subscriber's
/// network), hashed.
pub fn address_key(ip: IpAddr) -> String {
    let canonical = match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    };
    sha256_hex(format!("address:{canonical}").as_bytes())
}

/// The address a request comes from: the TCP peer, or, only when the peer is one of the configured trusted
/// proxies, the nearest address in `X-Forwarded-For` that is not itself a trusted proxy. A client's own
/// `X-Forwarded-For` is ignored unless it reaches the server through a trusted proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// The client address of a request with this peer and these headers under `trusted` proxies.
pub fn client_addr(
    peer: IpAddr,
    headers: &axum::http::HeaderMap,
    trusted: &[ipnet::IpNet],
) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(&ip.to_canonical()));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !is_trusted(&ip) {
                    break;
                }
            }
            Err(_) => break, // garbage from further out: keep the last address a trusted proxy vouched for
        }
    }
    client
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<ClientAddr, ApiError> {
        // Served by `serve_app` every connection carries its peer; a router called without a socket (tests) counts
        // as one unknown address.
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
        Ok(ClientAddr(client_addr(
            peer,
            &parts.headers,
            &state.settings.trusted_proxies,
        )))
    }
}

fn too_many(wait: i64) -> ApiError {
    let wait = wait.max(1) as u64;
    let mut e = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        format!("too many failed logins; try again in {wait} s"),
    );
    e.retry_after = Some(wait);
    e
}

fn busy() -> ApiError {
    let mut e = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too many logins to this account at once; try again in a moment",
    );
    e.retry_after = Some(1);
    e
}

/// Checks a user name and password under the login throttle: 422 for a user name longer than [`MAX_USERNAME`]
/// bytes (before anything else), 429 with `Retry-After` while the account or the address must wait, 401 for a
/// wrong name or password (counted), else the user (the account's failures forgotten).
pub async fn authenticate(
    st: &AppState,
    from: ClientAddr,
    username: String,
    password: String,
) -> Result<User, ApiError> {
    if username.len() > MAX_USERNAME {
        return Err(ApiError::unprocessable(format!(
            "username: at most {MAX_USERNAME} bytes"
        )));
    }
    let name = username.clone();
    let found = crate::db(st, move |s| s.user_for_login(&name)).await?;
    let (user, hash) = match found {
        Some((u, h)) => (Some(u), Some(h)),
        None => (None, None),
    };
    let account = user.as_ref().map(|u| u.id);
    if throttled_check(st, from, account, hash, password).await? {
        user.ok_or_else(|| ApiError::internal("a password matched no account"))
    } else {
        Err(ApiError::unauthorized("wrong user name or password"))
    }
}

/// Checks `password` against an account's stored hash (`None`: no such account, checked against a dummy hash in
/// the same time) under the login throttle shared by login and the current-password check of
/// `POST /api/me/password`: 429 with `Retry-After` while the account or the address must wait; otherwise whether
/// it matched, a mismatch counted as a failed login on the account and the address, a match forgetting the
/// account's failures.
pub async fn throttled_check(
    st: &AppState,
    from: ClientAddr,
    account: Option<UserId>,
    hash: Option<String>,
    password: String,
) -> Result<bool, ApiError> {
    let address = address_key(from.0);
    let account = account.map(account_key);
    let mut keys = vec![address.clone()];
    keys.extend(account.clone());
    let throttle = st.settings.throttle.clone();
    let started = std::time::Instant::now();
    loop {
        let now = follicle_store::now_unix();
        let (k, acct, addr, t) = (
            keys.clone(),
            account.clone(),
            address.clone(),
            throttle.clone(),
        );
        let verdict = crate::db(st, move |s| {
            s.throttle_attempt(&k, now, t.window, &|counts| {
                t.verdict(now, acct.as_deref(), &addr, counts)
            })
        })
        .await?;
        match verdict {
            None => break,
            Some(0) if started.elapsed() < QUEUE_WAIT => {
                // Checks under way decide: wait for them (with a little jitter, so waiting nodes do not march in step).
                let jitter = u64::from(OsRng.next_u32() % 50);
                tokio::time::sleep(std::time::Duration::from_millis(50 + jitter)).await;
            }
            Some(0) => return Err(busy()),
            Some(wait) => return Err(too_many(wait)),
        }
    }
    let matched = crate::cpu(move || {
        Ok(match hash {
            Some(hash) => verify_password(&password, &hash),
            None => {
                // Spend the same time as a real check, so timing does not reveal which names exist.
                let _ = verify_password(&password, "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Bq2mQqPCFSgsNcnOOoBGI0mxmV0K3dO1bFWGnuTXLnA");
                false
            }
        })
    })
    .await;
    // Whatever happened, the check is no longer under way; only a mismatch counts as a failure.
    let failed = !matches!(matched, Ok(true));
    let now = follicle_store::now_unix();
    let window = throttle.window;
    crate::db(st, move |s| {
        s.throttle_settle(
            &keys,
            failed,
            &account.into_iter().collect::<Vec<_>>(),
            now,
            window,
        )
    })
    .await?;
    matched
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
        Err(e) => return early_answer(&parts.headers, body, e).await,
    };
    if let Some(client) = actor.handed_to {
        if !crate::routes::tablet::allows(route.0, route.1, parts.uri.path(), client) {
            return early_answer(&parts.headers, body, crate::routes::tablet::refused()).await;
        }
    }
    let allowed = match access {
        Access::Public | Access::Staff => Ok(()),
        Access::Medical => actor.medical(),
        Access::Owner => actor.owner(),
    };
    if let Err(e) = allowed {
        return early_answer(&parts.headers, body, e).await;
    }
    parts.extensions.insert(actor);
    next.run(Request::from_parts(parts, body)).await
}

/// Largest request body read and dropped before an early answer (see [`early_answer`]).
pub const EARLY_DRAIN: usize = 64 * 1024;

/// An answer given before the request's body was read (no session, a wrong role). A body the client is still
/// sending would otherwise be left on the keep-alive connection, which the server then drops, losing the client's
/// next request on it: a small body (declared at most [`EARLY_DRAIN`] bytes, arriving within 2 s) is read and
/// dropped first, so the connection stays usable; any other answer says `Connection: close`, so the client opens
/// a new connection for its next request.
pub async fn early_answer(
    headers: &axum::http::HeaderMap,
    body: axum::body::Body,
    e: ApiError,
) -> Response {
    use axum::http::header;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let chunked = headers.contains_key(header::TRANSFER_ENCODING);
    let mut resp = e.into_response();
    if !matches!(declared, Some(n) if n > 0) && !chunked {
        return resp; // no body: nothing left on the connection
    }
    let small = !chunked && declared.is_some_and(|n| n <= EARLY_DRAIN as u64);
    let drained = small
        && tokio::time::timeout(
            std::time::Duration::from_secs(2),
            axum::body::to_bytes(body, EARLY_DRAIN),
        )
        .await
        .is_ok_and(|r| r.is_ok());
    if !drained {
        resp.headers_mut().insert(
            header::CONNECTION,
            axum::http::HeaderValue::from_static("close"),
        );
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_are_capped() {
        let t = Throttle::default();
        let d: Vec<i64> = (0..12).map(|n| t.delay(n)).collect();
        assert_eq!(d, [0, 0, 0, 0, 0, 2, 4, 8, 16, 30, 30, 30]);
        assert_eq!(t.delay(i64::MAX), 30);
        let (acct, addr) = (
            account_key(UserId(7)),
            address_key("192.0.2.1".parse().unwrap()),
        );
        let c = |key: &str, failures, last_at| ThrottleCount {
            key: key.into(),
            failures,
            last_at,
            pending: 0,
        };
        assert_eq!(
            t.wait(
                100,
                Some(&acct),
                &addr,
                &[c(&acct, 4, 100), c(&addr, 4, 100)]
            ),
            None,
            "four failures cost nothing"
        );
        assert_eq!(
            t.wait(100, Some(&acct), &addr, &[c(&acct, 7, 99), c(&addr, 7, 99)]),
            Some(7)
        );
        assert_eq!(
            t.wait(107, Some(&acct), &addr, &[c(&acct, 7, 99), c(&addr, 7, 99)]),
            None,
            "after the delay the account may try again"
        );
        assert_eq!(
            t.wait(100, None, &addr, &[c(&addr, 30, 90)]),
            Some(890),
            "an address that failed 30 times waits out the window"
        );
        assert_eq!(t.wait(100, None, &addr, &[c(&addr, 29, 90)]), None);
    }

    #[test]
    fn checks_under_way_make_an_attempt_wait_not_fail() {
        let t = Throttle::default();
        let (acct, addr) = (
            account_key(UserId(7)),
            address_key("192.0.2.1".parse().unwrap()),
        );
        let c = |key: &str, failures, pending| ThrottleCount {
            key: key.into(),
            failures,
            last_at: 50,
            pending,
        };
        assert_eq!(
            t.verdict(100, Some(&acct), &addr, &[c(&acct, 0, 4), c(&addr, 0, 4)]),
            None,
            "a fifth check may run beside four under way"
        );
        assert_eq!(
            t.verdict(100, Some(&acct), &addr, &[c(&acct, 0, 5), c(&addr, 0, 5)]),
            Some(0),
            "a sixth waits for them: if they all failed it would be refused"
        );
        assert_eq!(
            t.verdict(100, Some(&acct), &addr, &[c(&acct, 2, 3), c(&addr, 2, 3)]),
            Some(0)
        );
        assert_eq!(
            t.verdict(51, Some(&acct), &addr, &[c(&acct, 5, 0), c(&addr, 5, 0)]),
            Some(1),
            "failures alone: the usual wait"
        );
    }

    #[test]
    fn keys_are_fixed_size_and_ipv6_counts_by_its_64() {
        assert_eq!(account_key(UserId(1)).len(), 64);
        assert_ne!(account_key(UserId(1)), account_key(UserId(2)));
        let a = |s: &str| address_key(s.parse().unwrap());
        assert_eq!(a("2001:db8:1:2:aaaa::1"), a("2001:db8:1:2:ffff::9"));
        assert_ne!(a("2001:db8:1:2::1"), a("2001:db8:1:3::1"));
        assert_eq!(a("::ffff:192.0.2.1"), a("192.0.2.1"));
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let mut h = axum::http::HeaderMap::new();
        h.insert("x-forwarded-for", "203.0.113.9, 10.0.0.2".parse().unwrap());
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(
            client_addr(ip("198.51.100.1"), &h, &[]),
            ip("198.51.100.1"),
            "off by default"
        );
        let trusted: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        assert_eq!(
            client_addr(ip("198.51.100.1"), &h, &trusted),
            ip("198.51.100.1"),
            "an untrusted peer's header is ignored"
        );
        assert_eq!(
            client_addr(ip("10.0.0.1"), &h, &trusted),
            ip("203.0.113.9"),
            "the nearest address no trusted proxy owns"
        );
        h.insert(
            "x-forwarded-for",
            "1.2.3.4, nonsense, 203.0.113.9".parse().unwrap(),
        );
        assert_eq!(
            client_addr(ip("10.0.0.1"), &h, &trusted),
            ip("203.0.113.9"),
            "what the client wrote further left is not believed"
        );
        assert_eq!(
            client_addr(ip("10.0.0.1"), &axum::http::HeaderMap::new(), &trusted),
            ip("10.0.0.1")
        );
    }
}
