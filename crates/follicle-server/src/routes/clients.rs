//! Clients: the clinic's client list (paged, searchable) and each client's identity fields.

use super::*;

pub(super) fn check_client(f: &ClientFields) -> ApiResult<()> {
    if f.reference.trim().is_empty() || f.name.trim().is_empty() {
        return Err(ApiError::unprocessable("reference and name must not be empty"));
    }
    if let Some(d) = &f.date_of_birth {
        parse_date("date_of_birth", d)?;
    }
    Ok(())
}

pub(super) async fn list_clients(State(st): State<AppState>, a: Actor, ApiQuery(q): ApiQuery<PageQuery>) -> ApiResult<Json<Page<Client>>> {
    let (limit, offset) = q.bounds()?;
    let query = ClientQuery { search: q.q, limit, offset };
    let c = a.clinic();
    Ok(Json(db(&st, move |s| s.list_clients(c, &query)).await?))
}

pub(super) async fn create_client(State(st): State<AppState>, a: Actor, ApiJson(f): ApiJson<ClientFields>) -> ApiResult<(StatusCode, Json<Client>)> {
    check_client(&f)?;
    let (c, by) = (a.clinic(), a.user.id);
    Ok((StatusCode::CREATED, Json(db(&st, move |s| s.create_client(c, &f, by)).await?)))
}

pub(super) async fn get_client(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>) -> ApiResult<Json<Client>> {
    let c = a.clinic();
    Ok(Json(db(&st, move |s| s.client(c, id)).await?))
}

pub(super) async fn update_client(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>, ApiJson(f): ApiJson<ClientFields>) -> ApiResult<Json<Client>> {
    check_client(&f)?;
    let (c, by) = (a.clinic(), a.user.id);
    Ok(Json(db(&st, move |s| s.update_client(c, id, &f, by)).await?))
}

pub(super) async fn delete_client(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>) -> ApiResult<StatusCode> {
    let (c, by) = (a.clinic(), a.user.id);
    db(&st, move |s| s.delete_client(c, id, by)).await?;
    Ok(StatusCode::NO_CONTENT)
}
