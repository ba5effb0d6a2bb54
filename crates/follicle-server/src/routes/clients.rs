//! Clients: the clinic's client list (paged, searchable) and each client's identity fields.

use super::*;

pub(super) fn check_client(f: &ClientFields) -> ApiResult<()> {
    text("reference", &f.reference, TextKind::Reference)?;
    text("name", &f.name, TextKind::Name)?;
    opt_text("email", f.email.as_deref(), TextKind::Name)?;
    opt_text("phone", f.phone.as_deref(), TextKind::Reference)?;
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

pub(super) async fn update_client(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
    ApiJson(f): ApiJson<ClientFields>,
) -> ApiResult<Json<Client>> {
    check_client(&f)?;
    let (c, by) = (a.clinic(), a.user.id);
    Ok(Json(
        db(&st, move |s| s.update_client(c, id, &f, by)).await?,
    ))
}
