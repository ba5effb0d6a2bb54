//! The login throttle: how failed logins slow guessing down ([`Throttle`]), counted in the database (shared by
//! every server process) by account, by real client address ([`ClientAddr`], `X-Forwarded-For` believed only from
//! configured trusted proxies) and, for a browser that has logged in to the account before, by that device alone
//! (see [`crate::device`]); and the throttled password check itself ([`authenticate`], [`throttled_check`]).

use crate::auth::verify_password;
use crate::error::ApiError;
use crate::AppState;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use follicle_store::{sha256_hex, ThrottleCount, User, UserId};
use std::net::{IpAddr, SocketAddr};

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
        format!("too many wrong passwords; try again in {wait} s"),
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
/// bytes (before anything else), 429 with `Retry-After` while the attempt must wait, 401 for a wrong name or
/// password (counted), else the user and, when `device` (the request's device-cookie token) is one the account
/// has logged in with before, that token (see [`crate::device`]: such an attempt is throttled by the device's own
/// failures only).
pub async fn authenticate(
    st: &AppState,
    from: ClientAddr,
    device: Option<String>,
    username: String,
    password: String,
) -> Result<(User, Option<String>), ApiError> {
    if username.len() > MAX_USERNAME {
        return Err(ApiError::unprocessable(format!(
            "user name: too long (a user name has at most {} characters)",
            follicle_clinic::text::MAX_REFERENCE
        )));
    }
    // A name with NUL names no account (and PostgreSQL refuses NUL in any text it is asked about: probe s9
    // finding 4); it is checked like any unknown name, at the same cost.
    let found = if username.contains('\0') {
        None
    } else {
        let name = username.clone();
        crate::db(st, move |s| s.user_for_login(&name)).await?
    };
    let (user, hash) = match found {
        Some((u, h)) => (Some(u), Some(h)),
        None => (None, None),
    };
    let account = user.as_ref().map(|u| u.id);
    let known = crate::device::recognise(st, device, account).await?;
    if throttled_check(st, from, account, known.as_deref(), hash, password).await? {
        let user = user.ok_or_else(|| ApiError::internal("a password matched no account"))?;
        Ok((user, known))
    } else {
        Err(ApiError::unauthorized("wrong user name or password"))
    }
}

/// What one password check is counted against.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Counted {
    /// A browser the account has logged in with before: its own device key only.
    Device(String),
    /// Anyone else: the client address, and the account when the name is one.
    Stranger {
        address: String,
        account: Option<String>,
    },
}

impl Counted {
    /// The throttle keys counted.
    fn keys(&self) -> Vec<String> {
        match self {
            Counted::Device(k) => vec![k.clone()],
            Counted::Stranger { address, account } => std::iter::once(address.clone())
                .chain(account.clone())
                .collect(),
        }
    }
    /// The keys whose failures a success forgets (the device's, or the account's; never an address's).
    fn cleared(&self) -> Vec<String> {
        match self {
            Counted::Device(k) => vec![k.clone()],
            Counted::Stranger { account, .. } => account.iter().cloned().collect(),
        }
    }
    /// [`Throttle::verdict`] over these keys: a device's failures delay it as an account's do.
    fn verdict(&self, t: &Throttle, now: i64, counts: &[ThrottleCount]) -> Option<i64> {
        match self {
            Counted::Device(k) => t.verdict(now, Some(k.as_str()), "", counts),
            Counted::Stranger { address, account } => {
                t.verdict(now, account.as_deref(), address, counts)
            }
        }
    }
}

/// Checks `password` against an account's stored hash (`None`: no such account, checked against a dummy hash in
/// the same time) under the login throttle shared by login and the current-password check of
/// `POST /api/me/password`: 429 with `Retry-After` while the attempt must wait; otherwise whether it matched. With
/// `known_device` (a device-cookie token the account has logged in with, from [`crate::device::recognise`]) the
/// attempt is counted against that device alone; otherwise against the address and the account. A mismatch counts
/// as a failed login on those keys; a match forgets the device's or the account's failures.
pub async fn throttled_check(
    st: &AppState,
    from: ClientAddr,
    account: Option<UserId>,
    known_device: Option<&str>,
    hash: Option<String>,
    password: String,
) -> Result<bool, ApiError> {
    let counted = match (known_device, account) {
        (Some(token), Some(_)) => Counted::Device(crate::device::device_key(token)),
        _ => Counted::Stranger {
            address: address_key(from.0),
            account: account.map(account_key),
        },
    };
    let keys = counted.keys();
    let throttle = st.settings.throttle.clone();
    let started = std::time::Instant::now();
    loop {
        let now = follicle_store::now_unix();
        let (k, c, t) = (keys.clone(), counted.clone(), throttle.clone());
        let verdict = crate::db(st, move |s| {
            s.throttle_attempt(&k, now, t.window, &|counts| c.verdict(&t, now, counts))
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
    let cleared = counted.cleared();
    crate::db(st, move |s| {
        s.throttle_settle(&keys, failed, &cleared, now, window)
    })
    .await?;
    matched
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_device_is_counted_by_its_own_failures_only() {
        let t = Throttle::default();
        let (acct, addr) = (
            account_key(UserId(7)),
            address_key("192.0.2.1".parse().unwrap()),
        );
        let dev = crate::device::device_key(&"ab".repeat(32));
        let c = |key: &str, failures| ThrottleCount {
            key: key.into(),
            failures,
            last_at: 100,
            pending: 0,
        };
        let held = [c(&acct, 9), c(&addr, 30), c(&dev, 0)];
        let stranger = Counted::Stranger {
            address: addr.clone(),
            account: Some(acct.clone()),
        };
        assert!(stranger.verdict(&t, 100, &held).is_some());
        assert_eq!(stranger.keys(), [addr.clone(), acct.clone()]);
        assert_eq!(stranger.cleared(), vec![acct], "never an address");
        let device = Counted::Device(dev.clone());
        assert_eq!(
            device.verdict(&t, 100, &held),
            None,
            "the account's and the address's failures do not hold a known device"
        );
        assert_eq!(device.keys(), vec![dev.clone()]);
        assert_eq!(device.cleared(), vec![dev.clone()]);
        assert_eq!(
            device.verdict(&t, 100, &[c(&dev, 5)]),
            Some(2),
            "its own failures delay it as an account's do"
        );
    }

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
