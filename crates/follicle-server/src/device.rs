//! Known devices (the OWASP "device cookies" defence against a login throttle held by attackers): a successful
//! login gives the browser a random token in the HttpOnly cookie [`DEVICE_COOKIE`], and the database keeps its
//! SHA-256 with the account ([`follicle_store::KnownDevices`]), so every node recognises it — no secret lives in
//! any one process. A login attempt (or a current-password check) carrying the token of a device the account has
//! logged in with is counted against that device alone ([`crate::throttle::throttled_check`]): attackers failing
//! on the account from any number of addresses cannot keep its owner's browser out, while every attempt without
//! such a token (a stranger, a forged or stolen-and-revoked token, another account's token) keeps the account's and
//! the address's limits. A device unused for [`DEVICE_SECONDS`] is forgotten, as are all of an account's devices
//! when its password is changed or reset or it is disabled.

use crate::error::ApiError;
use crate::AppState;
use axum::http::HeaderMap;
use follicle_store::{sha256_hex, UserId};

/// Name of the device cookie.
pub const DEVICE_COOKIE: &str = "follicle_device";
/// How long a device is remembered after its latest successful login.
pub const DEVICE_SECONDS: i64 = 90 * 24 * 3600;

/// The Set-Cookie value that gives a browser its device token (sent to the API only, unreadable by scripts).
pub fn device_cookie(token: &str, secure: bool) -> String {
    let s = if secure { "; Secure" } else { "" };
    format!("{DEVICE_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/api; Max-Age={DEVICE_SECONDS}{s}")
}

/// The device token a request carries: the cookie's value when it has the shape of a token (64 hex digits);
/// anything else is no token.
pub fn device_token(headers: &HeaderMap) -> Option<String> {
    crate::auth::cookie_in(headers, DEVICE_COOKIE)
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_ascii_lowercase)
}

/// The throttle key of a device: SHA-256 of its token's hash (the token itself is never stored or counted).
pub fn device_key(token: &str) -> String {
    sha256_hex(format!("device:{}", sha256_hex(token.as_bytes())).as_bytes())
}

/// `token` when it belongs to a device that has logged in to `account` within [`DEVICE_SECONDS`] (and the account
/// is active); `None` for no token, an unknown or forgotten one, or one of another account.
pub async fn recognise(
    st: &AppState,
    token: Option<String>,
    account: Option<UserId>,
) -> Result<Option<String>, ApiError> {
    let (Some(token), Some(account)) = (token, account) else {
        return Ok(None);
    };
    let hash = sha256_hex(token.as_bytes());
    let since = follicle_store::now_unix() - DEVICE_SECONDS;
    let owner = crate::db(st, move |s| s.device_user(&hash, since)).await?;
    Ok((owner == Some(account)).then_some(token))
}

/// Remembers the device after a successful login to `user`: the token it already had for the account (`known`)
/// or a new one; returns the token for [`device_cookie`].
pub async fn remember(
    st: &AppState,
    user: UserId,
    known: Option<String>,
) -> Result<String, ApiError> {
    let token = known.unwrap_or_else(crate::auth::random_token);
    let hash = sha256_hex(token.as_bytes());
    let now = follicle_store::now_unix();
    crate::db(st, move |s| {
        s.remember_device(user, &hash, now, now - DEVICE_SECONDS)
    })
    .await?;
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_token_shaped_cookies_are_read() {
        let mut h = HeaderMap::new();
        let t = "ab".repeat(32);
        h.insert(
            "cookie",
            format!("follicle_session=x; {DEVICE_COOKIE}={t}")
                .parse()
                .unwrap(),
        );
        assert_eq!(device_token(&h), Some(t.clone()));
        h.insert("cookie", format!("{DEVICE_COOKIE}=short").parse().unwrap());
        assert_eq!(device_token(&h), None);
        h.insert(
            "cookie",
            format!("{DEVICE_COOKIE}={}", "zz".repeat(32))
                .parse()
                .unwrap(),
        );
        assert_eq!(device_token(&h), None);
        assert_ne!(device_key(&t), device_key(&"cd".repeat(32)));
        assert_eq!(device_key(&t).len(), 64);
    }
}
