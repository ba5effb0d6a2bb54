//! Accounts: the one-time set-up of a studio, login and logout, the logged-in user, the clinic's users and
//! its audit log (the owner's).

use super::*;

/// GET /api/setup: `{"needed": true}` while the studio has no users (the sign-in page then offers the set-up
/// form, and only it); `false` once it is set up (the page then shows no set-up form at all).
pub(super) async fn setup_needed(State(st): State<AppState>) -> ApiResult<Json<Value>> {
    let users = db(&st, |s| s.count_users()).await?;
    Ok(Json(json!({ "needed": users == 0 })))
}

/// Body of POST /api/setup.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SetupBody {
    token: String,
    clinic: String,
    username: String,
    display_name: String,
    password: String,
}

pub(super) async fn setup(
    State(st): State<AppState>,
    ApiJson(b): ApiJson<SetupBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    // The token is checked against its hash in the database (any server process may have printed it), then spent
    // in the same transaction that creates the clinic and its owner.
    let token_hash = sha256_hex(b.token.as_bytes());
    let h = token_hash.clone();
    let (users, live) = db(&st, move |s| {
        Ok((s.count_users()?, s.setup_token_live(&h, now_unix())?))
    })
    .await?;
    if users > 0 {
        return Err(ApiError::conflict("the studio is already set up; log in"));
    }
    if !live {
        return Err(ApiError::forbidden(
            "wrong or expired set-up token (restart the server for a new one)",
        ));
    }
    text("clinic", &b.clinic, TextKind::Name)?;
    check_user_names(&b.username, &b.display_name)?;
    let hash = auth::new_password_hash(
        b.password.clone(),
        vec![b.username.clone(), b.display_name.clone(), b.clinic.clone()],
    )
    .await?;
    let owner = NewUser {
        username: b.username,
        display_name: b.display_name,
        role: Role::Owner,
        password_hash: hash,
    };
    let zone = st.settings.zone.name().to_string();
    let made = db(&st, move |s| {
        let made = s.set_up_studio(&token_hash, now_unix(), &b.clinic, &owner)?;
        // The new clinic's time zone: this node's --tz (the owner can change it in the clinic settings).
        s.fill_clinic_time_zones(&zone)?;
        Ok(made)
    })
    .await?;
    let (clinic, user) = made.ok_or_else(|| {
        ApiError::forbidden("wrong or expired set-up token (restart the server for a new one)")
    })?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "clinic": clinic, "user": user })),
    ))
}

/// Body of POST /api/login.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LoginBody {
    username: String,
    password: String,
}

/// POST /api/login: the user name and password checked under the login throttle ([`auth::authenticate`]), then a
/// new session, and the browser remembered as a device of the account ([`crate::device`]: its device cookie set or
/// renewed).
pub(super) async fn login(
    State(st): State<AppState>,
    from: auth::ClientAddr,
    headers: HeaderMap,
    ApiJson(b): ApiJson<LoginBody>,
) -> ApiResult {
    let device = crate::device::device_token(&headers);
    let (user, known) = auth::authenticate(&st, from, device, b.username, b.password).await?;
    let device = crate::device::remember(&st, user.id, known).await?;
    let token = auth::random_token();
    let csrf = auth::random_token();
    let now = now_unix();
    let session = AuthSession {
        token_hash: sha256_hex(token.as_bytes()),
        user_id: user.id,
        csrf_token: csrf.clone(),
        created_at: now,
        expires_at: now + auth::SESSION_SECONDS,
        handed_to: None,
    };
    let (clinic, uid) = (user.clinic_id, user.id);
    db(&st, move |s| {
        s.create_auth_session(&session)?;
        s.append_audit(
            clinic,
            &NewAudit {
                user_id: Some(uid),
                action: "login".into(),
                entity: "user".into(),
                entity_id: Some(uid.0),
                client_id: None,
                detail: String::new(),
            },
        )
    })
    .await?;
    let mut resp = Json(json!({ "user": user, "csrf_token": csrf })).into_response();
    let device = crate::device::device_cookie(&device, st.settings.secure_cookies);
    for c in auth::login_cookies(&token, &csrf, st.settings.secure_cookies)
        .into_iter()
        .chain([device])
    {
        resp.headers_mut()
            .append(header::SET_COOKIE, c.parse().map_err(ApiError::internal)?);
    }
    Ok(resp)
}

pub(super) async fn logout(State(st): State<AppState>, a: Actor) -> ApiResult {
    let h = a.token_hash.clone();
    db(&st, move |s| s.delete_auth_session(&h)).await?;
    let mut resp = StatusCode::NO_CONTENT.into_response();
    for c in auth::logout_cookies(st.settings.secure_cookies) {
        resp.headers_mut()
            .append(header::SET_COOKIE, c.parse().map_err(ApiError::internal)?);
    }
    Ok(resp)
}

pub(super) async fn me(State(st): State<AppState>, a: Actor) -> ApiResult<Json<Value>> {
    let id = a.clinic();
    let clinic = db(&st, move |s| s.clinic(id)).await?;
    // The clinic's day, for the studio's date fields (not the browser's: probe s7 L1).
    let today = super::today(&st, id).await?;
    Ok(Json(
        json!({ "user": a.user, "clinic": clinic, "csrf_token": a.csrf, "today": today.to_string(), "handed_to": a.handed_to }),
    ))
}

pub(super) async fn list_users(State(st): State<AppState>, a: Actor) -> ApiResult<Json<Vec<User>>> {
    let c = a.clinic();
    Ok(Json(db(&st, move |s| s.users(c)).await?))
}

/// Body of POST /api/users.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NewUserBody {
    username: String,
    display_name: String,
    role: Role,
    password: String,
}

pub(super) async fn create_user(
    State(st): State<AppState>,
    a: Actor,
    ApiJson(b): ApiJson<NewUserBody>,
) -> ApiResult<(StatusCode, Json<User>)> {
    check_user_names(&b.username, &b.display_name)?;
    let names = db(&st, |s| s.user_names()).await?;
    let key = text_rules::user_name_key(&b.username);
    // Sign-in names are the studio's, across its clinics: the refusal never spells the existing name, which
    // may be another clinic's account (probe s30).
    if names
        .iter()
        .any(|n| *n != b.username && text_rules::user_name_key(n) == key)
    {
        return Err(ApiError::conflict(format!(
            "The user name “{}” is taken: it reads the same as an existing user name (capital letters do not make a different name). Choose another.",
            b.username
        )));
    }
    let hash = auth::new_password_hash(
        b.password.clone(),
        vec![b.username.clone(), b.display_name.clone()],
    )
    .await?;
    let u = NewUser {
        username: b.username,
        display_name: b.display_name,
        role: b.role,
        password_hash: hash,
    };
    let (c, by) = (a.clinic(), a.user.id);
    Ok((
        StatusCode::CREATED,
        Json(
            // Two names that read the same sent at the same instant both pass the check above; the database's unique
            // name key refuses the second, in the store's words ("… is taken, or reads the same as one that is …").
            db(&st, move |s| s.create_user(c, &u, by)).await?,
        ),
    ))
}

/// A user name (a short identifier without spaces at its ends, follicle-clinic's user-name rule: nothing invisible,
/// no special letter forms, one alphabet) and a display name.
fn check_user_names(username: &str, display_name: &str) -> ApiResult<()> {
    text_rules::check_user_name(&crate::error::label("username"), username)
        .map_err(|e| ApiError::unprocessable(e.to_string()))?;
    if username.trim() != username {
        return Err(ApiError::unprocessable(
            "user name: no spaces at the start or end",
        ));
    }
    text("display_name", display_name, TextKind::Name)
}

pub(super) async fn audit_log(
    State(st): State<AppState>,
    a: Actor,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    let (limit, offset) = q.bounds()?;
    let c = a.clinic();
    Ok(Json(db(&st, move |s| s.audit(c, limit, offset)).await?))
}

/// How long an owner-issued password reset stays usable.
pub const RESET_SECONDS: i64 = 24 * 3600;

/// Body of PUT /api/users/{id}: what to change (each optional).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UserAccessBody {
    /// `false` disables the account (its sessions end at once), `true` enables it again.
    #[serde(default)]
    active: Option<bool>,
    /// A new role.
    #[serde(default)]
    role: Option<Role>,
}

/// PUT /api/users/{id}: disables or enables a user, or changes their role; the clinic's last active owner
/// stays an active owner (409).
pub(super) async fn update_user(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<UserId>,
    ApiJson(b): ApiJson<UserAccessBody>,
) -> ApiResult<Json<Value>> {
    if b.active.is_none() && b.role.is_none() {
        return Err(ApiError::unprocessable(
            "Say whether the account is active, or give its new role.",
        ));
    }
    let (c, by) = (a.clinic(), a.user.id);
    let user = db(&st, move |s| {
        s.update_user_access(c, id, b.active, b.role, by)
    })
    .await?;
    // Bookings ahead with someone who can no longer be booked are listed for the owner to move (probe 3 L7).
    let mut to_move = Vec::new();
    if !user.bookable() {
        let zone = clinic_zone(&st, c).await?;
        let why = if user.active {
            format!(
                "{} is now front desk and cannot be booked: give this appointment another practitioner.",
                user.display_name
            )
        } else {
            format!(
                "{}'s account is disabled: give this appointment another practitioner.",
                user.display_name
            )
        };
        for x in super::premises::bookings_ahead(&st, c, Some(user.id)).await? {
            to_move.push(super::premises::to_move(&zone, &x, &why)?);
        }
    }
    let mut v = serde_json::to_value(&user).map_err(|e| ApiError::internal(e.to_string()))?;
    v["bookings_to_move"] = json!(to_move);
    Ok(Json(v))
}

/// Body of POST /api/me/password.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PasswordChangeBody {
    /// The password in use now.
    current: String,
    /// The new one (the password policy applies).
    new: String,
}

/// POST /api/me/password: changes one's own password (the current one is needed, checked under the login
/// throttle: a wrong one counts as a failed login as at login, and 429 comes as at login); every other session of
/// the user ends and every other device is forgotten (this browser stays known when it was).
pub(super) async fn change_password(
    State(st): State<AppState>,
    from: auth::ClientAddr,
    headers: HeaderMap,
    a: Actor,
    ApiJson(b): ApiJson<PasswordChangeBody>,
) -> ApiResult<StatusCode> {
    let known = auth::check_own_password(
        &st,
        from,
        &headers,
        &a,
        b.current,
        "the current password is wrong",
    )
    .await?;
    let hash = auth::new_password_hash(
        b.new.clone(),
        vec![a.user.username.clone(), a.user.display_name.clone()],
    )
    .await?;
    let (c, id, keep) = (a.clinic(), a.user.id, a.token_hash.clone());
    db(&st, move |s| s.set_password(c, id, &hash, Some(&keep), id)).await?;
    if known.is_some() {
        crate::device::remember(&st, id, known).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// POST /api/users/{id}/password-reset: a one-time token (shown once, stored only as its SHA-256) with which
/// the user sets a new password at POST /api/password-reset within [`RESET_SECONDS`].
pub(super) async fn issue_password_reset(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<UserId>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    if id == a.user.id {
        // A reset skips the current password: whoever holds an owner's session could take the account over.
        return Err(ApiError::forbidden(
            "You cannot issue a password reset for yourself; change your own password with your current one (Change password).",
        ));
    }
    let token = auth::random_token();
    let (hash, expires_at) = (sha256_hex(token.as_bytes()), now_unix() + RESET_SECONDS);
    let (c, by) = (a.clinic(), a.user.id);
    db(&st, move |s| {
        s.create_password_reset(c, id, &hash, expires_at, by)
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "token": token, "expires_at": expires_at })),
    ))
}

/// Body of POST /api/password-reset.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PasswordResetBody {
    /// The token the owner handed over.
    token: String,
    /// The new password (the password policy applies).
    password: String,
}

/// POST /api/password-reset: sets a new password with a reset token (once; every session of the user ends).
pub(super) async fn use_password_reset(
    State(st): State<AppState>,
    ApiJson(b): ApiJson<PasswordResetBody>,
) -> ApiResult<StatusCode> {
    if b.token.len() > 128 {
        return Err(ApiError::not_found(
            "this reset is unknown, used or expired; ask the clinic's owner for a new one",
        ));
    }
    let hash = auth::new_password_hash(b.password.clone(), Vec::new()).await?;
    let token_hash = sha256_hex(b.token.as_bytes());
    db(&st, move |s| {
        s.use_password_reset(&token_hash, now_unix(), &hash)
    })
    .await
    .map_err(|e| {
        if e.status == StatusCode::NOT_FOUND {
            ApiError::not_found(
                "this reset is unknown, used or expired; ask the clinic's owner for a new one",
            )
        } else {
            e
        }
    })?;
    Ok(StatusCode::NO_CONTENT)
}
