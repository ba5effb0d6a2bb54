//! Clients: the clinic's client list (paged, searchable) and each client's identity fields.

use super::*;

pub(super) fn check_client(f: &ClientFields) -> ApiResult<()> {
    text("reference", &f.reference, TextKind::Reference)?;
    text("name", &f.name, TextKind::Name)?;
    if let Some(email) = f.email.as_deref() {
        text_rules::check_email("Email", email)
            .map_err(|e| ApiError::unprocessable(e.to_string()))?;
    }
    if let Some(phone) = f.phone.as_deref() {
        text_rules::check_phone("Phone", phone)
            .map_err(|e| ApiError::unprocessable(e.to_string()))?;
    }
    if let Some(d) = &f.date_of_birth {
        plausible_date("date_of_birth", parse_date("date_of_birth", d)?, 0)?;
    }
    Ok(())
}

pub(super) async fn list_clients(
    State(st): State<AppState>,
    a: Actor,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<Client>>> {
    let (limit, offset) = q.bounds()?;
    // What a receptionist can type: a NUL searched for nothing and listed every client (outside probe s31).
    if let Some(typed) = q.q.as_deref() {
        if typed
            .chars()
            .any(|c| c.is_control() || text_rules::is_format_character(c))
        {
            return Err(ApiError::bad_request(
                "The search holds a character that cannot be typed; type part of the client's name or reference.",
            ));
        }
        if typed.chars().count() > 200 {
            return Err(ApiError::bad_request(
                "The search is longer than any name or reference (at most 200 characters).",
            ));
        }
    }
    let query = ClientQuery {
        search: q.q,
        limit,
        offset,
    };
    let c = a.clinic();
    Ok(Json(db(&st, move |s| s.list_clients(c, &query)).await?))
}

pub(super) async fn create_client(
    State(st): State<AppState>,
    a: Actor,
    ApiJson(f): ApiJson<ClientFields>,
) -> ApiResult<(StatusCode, Json<Client>)> {
    check_client(&f)?;
    // A reference taken (also in other capitals) is refused by the store in words.
    let (c, by) = (a.clinic(), a.user.id);
    Ok((
        StatusCode::CREATED,
        Json(db(&st, move |s| s.create_client(c, &f, by)).await?),
    ))
}

pub(super) async fn get_client(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
) -> ApiResult<Json<Client>> {
    let c = a.clinic();
    Ok(Json(db(&st, move |s| s.client(c, id)).await?))
}

/// PUT /api/clients/{id}: the client's details. Contact details change freely; a new name, date of birth or
/// reference needs `reason` (beside the fields), goes through the store's `amend_record`, which keeps the old
/// values in the client's history, and is refused in words without one (probe s8 N18). With `revision` (the
/// client's when the form was loaded), a client changed since is refused with 409 (probe s8 N23).
pub(super) async fn update_client(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
    ApiJson(mut body): ApiJson<Value>,
) -> ApiResult<Json<Client>> {
    let why = match body.as_object_mut().and_then(|o| o.remove("reason")) {
        Some(Value::String(r)) => Some(r),
        Some(Value::Null) | None => None,
        Some(_) => {
            return Err(ApiError::unprocessable(
                "The reason must be written as text.",
            ))
        }
    };
    let seen = match body.as_object_mut().and_then(|o| o.remove("revision")) {
        Some(Value::String(r)) => Some(r),
        Some(Value::Null) | None => None,
        Some(_) => {
            return Err(ApiError::unprocessable(
                "revision: write it as it was sent.",
            ))
        }
    };
    let f: ClientFields = crate::error::from_value("", body)?;
    check_client(&f)?;
    let (c, by) = (a.clinic(), a.user.id);
    let before = db(&st, move |s| s.client(c, id)).await?;
    // A reference taken (also in other capitals), a stale copy and an erased client are refused by the store in
    // words.
    let why = match why.filter(|r| !follicle_clinic::text::is_blank(r.trim())) {
        Some(r) => r,
        None if !before.fields.same_identity(&f) => {
            return Err(ApiError::unprocessable(IDENTITY_NEEDS_REASON));
        }
        None => {
            let zone = clinic_zone(&st, c).await?;
            return Ok(Json(
                db(&st, move |s| {
                    s.update_client_seen(c, id, &f, seen.as_deref(), by)
                        .map_err(stale_in(&zone))
                })
                .await?,
            ));
        }
    };
    super::records::edit_with_reason(&st, &a, id, f, seen, &why).await
}
