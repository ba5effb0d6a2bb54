//! The consent tablet handed to a client (probe s8 N3). `POST /api/clients/{id}/hand-over` marks the caller's
//! login session as handed to that client (follicle-store's `Tablet`); from then on the session serves only the
//! signing screen of that client ([`allows`], checked by the role gate before any handler), whatever page the
//! client opens or reloads, on any node. `POST /api/tablet/take-back` with the staff's password ends it (the
//! password under the login throttle, as at login).

use super::*;

/// What a session handed to `client` may still call: who is signed in, the consent text, the client's own
/// name, signing, taking the tablet back and signing out. `template` is the route's path as in the route table,
/// `path` the request's.
pub fn allows(method: &str, template: &str, path: &str, client: ClientId) -> bool {
    let open = matches!(
        (method, template),
        ("GET", "/api/me")
            | ("POST", "/api/logout")
            | ("POST", "/api/tablet/take-back")
            | ("GET", "/api/consent-texts/{id}")
    );
    let own = matches!(
        (method, template),
        ("GET", "/api/clients/{id}") | ("POST", "/api/clients/{id}/signed-consents")
    ) && path.split('/').nth(3) == Some(client.to_string().as_str());
    open || own
}

/// The answer to any other request of a handed-over session.
pub fn refused() -> ApiError {
    ApiError::forbidden(
        "This tablet is with the client for signing the consent. Hand it back to staff, who unlock it with their password.",
    )
}

/// POST /api/clients/{id}/hand-over: the caller's session serves only this client's signing screen.
pub(super) async fn hand_over(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
) -> ApiResult<StatusCode> {
    let (c, by, token) = (a.clinic(), a.user.id, a.token_hash.clone());
    db(&st, move |s| s.hand_over_tablet(c, &token, id, by)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Body of POST /api/tablet/take-back.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TakeBack {
    /// The password of the staff member whose session it is.
    password: String,
}

/// POST /api/tablet/take-back: with the session's user's password, the session serves the whole studio again.
pub(super) async fn take_back(
    State(st): State<AppState>,
    from: crate::auth::ClientAddr,
    headers: axum::http::HeaderMap,
    a: Actor,
    ApiJson(b): ApiJson<TakeBack>,
) -> ApiResult<StatusCode> {
    // The staff member's own browser is a known device: attackers' failures elsewhere never hold it (as at login).
    crate::auth::check_own_password(
        &st,
        from,
        &headers,
        &a,
        b.password,
        "That is not the password of the staff member who handed the tablet over.",
    )
    .await?;
    let (c, by, token) = (a.clinic(), a.user.id, a.token_hash.clone());
    db(&st, move |s| s.take_back_tablet(c, &token, by)).await?;
    Ok(StatusCode::NO_CONTENT)
}
