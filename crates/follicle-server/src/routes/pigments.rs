//! Pigments and lots: the clinic's catalogue, checked by follicle-clinic's catalogue rules; and the clinic's
//! pigments with a recorded colour as follicle-render pigments, for the starting shade of a new design and the
//! catalogue a plan is drawn with (follicle-render's `plan_catalogue`).

use super::*;
use follicle_render::shade::Pigment as RenderPigment;

/// The clinic's pigments and lots as follicle-clinic's catalogue (checked by its own rules).
pub(super) async fn catalogue(
    st: &AppState,
    clinic: ClinicId,
    extra_pigment: Option<Pigment>,
    extra_lot: Option<follicle_clinic::Lot>,
) -> ApiResult<Catalogue> {
    let (pigments, lots) = db(st, move |s| Ok((s.pigments(clinic)?, s.lots(clinic)?))).await?;
    cpu(move || crate::client_docs::catalogue_of(&pigments, &lots, extra_pigment, extra_lot)).await
}

pub(super) async fn list_pigments(
    State(st): State<AppState>,
    a: Actor,
) -> ApiResult<Json<Vec<Value>>> {
    let c = a.clinic();
    let list = db(&st, move |s| s.pigments(c)).await?;
    Ok(Json(
        list.iter()
            .map(|p| serde_json::from_str(&p.pigment_json).map_err(ApiError::internal))
            .collect::<ApiResult<_>>()?,
    ))
}

pub(super) async fn add_pigment(
    State(st): State<AppState>,
    a: Actor,
    ApiJson(p): ApiJson<Pigment>,
) -> ApiResult<(StatusCode, Json<Pigment>)> {
    text("id", &p.id, TextKind::Reference)?;
    for (field, value) in [
        ("brand", &p.brand),
        ("name", &p.name),
        ("supplier", &p.supplier),
    ] {
        text(field, value, TextKind::Name)?;
    }
    p.check_colour().map_err(ApiError::unprocessable)?;
    let c = a.clinic();
    catalogue(&st, c, Some(p.clone()), None).await?;
    let taken = conflict_means(format!(
        "Id: {}",
        follicle_clinic::pigment::duplicate("pigment id", &p.id, &p.id)
    ));
    let (key, doc, by) = (
        p.id.clone(),
        serde_json::to_string(&p).map_err(ApiError::internal)?,
        a.user.id,
    );
    db(&st, move |s| s.add_pigment(c, &key, &doc, by))
        .await
        .map_err(taken)?;
    Ok((StatusCode::CREATED, Json(p)))
}

pub(super) async fn list_lots(
    State(st): State<AppState>,
    a: Actor,
) -> ApiResult<Json<Vec<LotRow>>> {
    let c = a.clinic();
    Ok(Json(db(&st, move |s| s.lots(c)).await?))
}

pub(super) async fn add_lot(
    State(st): State<AppState>,
    a: Actor,
    ApiJson(l): ApiJson<NewLot>,
) -> ApiResult<(StatusCode, Json<LotRow>)> {
    text("pigment", &l.pigment, TextKind::Reference)?;
    text("number", &l.number, TextKind::Reference)?;
    let c = a.clinic();
    let lot = follicle_clinic::Lot {
        pigment: l.pigment.clone(),
        number: l.number.clone(),
        expiry: plausible_date("expiry", parse_date("expiry", &l.expiry)?, 366 * 30)?,
        received: l
            .received
            .as_deref()
            .map(|d| parse_date("received", d).and_then(|d| plausible_date("received", d, 1)))
            .transpose()?,
    };
    catalogue(&st, c, None, Some(lot)).await?;
    let by = a.user.id;
    let taken = conflict_means(format!(
        "Number: {}",
        follicle_clinic::pigment::duplicate("lot number", &l.number, &l.number)
    ));
    Ok((
        StatusCode::CREATED,
        Json(
            db(&st, move |s| s.add_lot(c, &l, by))
                .await
                .map_err(taken)?,
        ),
    ))
}

/// The clinic's pigments that have a recorded colour, as follicle-render pigments named by their id (the name
/// a zone's `shade` carries; `client_docs::colours_of`).
pub(super) async fn coloured(st: &AppState, clinic: ClinicId) -> ApiResult<Vec<RenderPigment>> {
    let rows = db(st, move |s| s.pigments(clinic)).await?;
    crate::client_docs::colours_of(&rows)
}
