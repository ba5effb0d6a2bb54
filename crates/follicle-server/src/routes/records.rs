//! Records management: edits and deletions of clients, consultations, photos, lots and pigments, each with a
//! written reason that goes into the audit log beside the record's previous version (follicle_store::rights).
//! A consultation is hidden and kept; a client with treatment records, a lot used in a session and a pigment with
//! lots cannot be deleted, and the answer says why in plain words.

use super::*;

/// The reason every edit and deletion carries, in the user's own words.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReasonBody {
    /// Why.
    reason: String,
}

/// Checks a reason: required, one paragraph of text.
fn reason(r: &str) -> ApiResult<String> {
    let r = r.trim();
    if r.is_empty() {
        return Err(ApiError::unprocessable(
            "Please write down why (a reason is required for every change and deletion).",
        ));
    }
    text("reason", r, TextKind::FreeText)?;
    Ok(r.to_string())
}

/// Deletes one record with its reason; removes photo files no photo refers to any more.
async fn delete_one(st: &AppState, a: &Actor, record: RecordRef, why: String) -> ApiResult<()> {
    let (c, by) = (a.clinic(), a.user.id);
    let orphans = db(st, move |s| s.delete_record(c, record, &why, by)).await?;
    forget_photo_files(st, orphans).await
}

/// Removes the files of photo contents no photo refers to any more (photos kept beside a SQLite database; with
/// PostgreSQL the bytes went with the transaction).
pub(super) async fn forget_photo_files(st: &AppState, shas: Vec<String>) -> ApiResult<()> {
    if shas.is_empty() {
        return Ok(());
    }
    let photos = st.photos.clone();
    cpu(move || {
        for sha in &shas {
            photos.remove(sha)?;
        }
        Ok(())
    })
    .await
}

/// Body of PUT /api/clients/{id}/edit.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ClientEdit {
    reason: String,
    client: ClientFields,
}

pub(super) async fn edit_client(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<Id>,
    ApiJson(e): ApiJson<ClientEdit>,
) -> ApiResult<Json<Client>> {
    let c = a.clinic();
    db(&st, move |s| s.client(c, id)).await?;
    let why = reason(&e.reason)?;
    super::clients::check_client(&e.client)?;
    let by = a.user.id;
    let taken = conflict_means(format!(
        "Another client already has the reference “{}” in this clinic.",
        e.client.reference
    ));
    let fields = e.client;
    db(&st, move |s| {
        s.amend_record(c, &Amendment::Client(id, fields), &why, by)
    })
    .await
    .map_err(|e| {
        if e.message.contains("erased") {
            e
        } else {
            taken(e)
        }
    })?;
    Ok(Json(db(&st, move |s| s.client(c, id)).await?))
}

pub(super) async fn delete_client(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<ReasonBody>,
) -> ApiResult<StatusCode> {
    let c = a.clinic();
    db(&st, move |s| s.client(c, id)).await?;
    delete_one(&st, &a, RecordRef::Client(id), reason(&b.reason)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Body of PUT /api/consultations/{id}: the corrected intake, screened again.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ConsultationEdit {
    reason: String,
    intake: Value,
}

pub(super) async fn edit_consultation(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<Id>,
    ApiJson(e): ApiJson<ConsultationEdit>,
) -> ApiResult<Json<Value>> {
    let c = a.clinic();
    let (con, client) = db(&st, move |s| {
        let con = s.consultation(c, id)?;
        let client = s.client(c, con.client_id)?;
        Ok((con, client))
    })
    .await?;
    let why = reason(&e.reason)?;
    let intake = Intake::from_json(&e.intake.to_string())
        .map_err(|e| ApiError::unprocessable(format!("The consultation could not be read: {e}")))?;
    intake
        .check_entered_on(today(&st))
        .map_err(ApiError::unprocessable)?;
    if intake.client.id != client.fields.reference {
        return Err(ApiError::unprocessable(format!(
            "This consultation is for client “{}”, but this client's reference is “{}”.",
            intake.client.id, client.fields.reference
        )));
    }
    let screening = cpu(move || {
        let s = follicle_clinic::screen(&intake, &RuleSet::embedded(), intake.consultation.date);
        Ok((intake, s))
    })
    .await?;
    let (intake, screening) = screening;
    let new = NewConsultation {
        held_on: intake.consultation.date.to_string(),
        outcome: screening.outcome.as_str().to_string(),
        intake_json: serde_json::to_string(&intake).map_err(ApiError::internal)?,
        screening_json: serde_json::to_string(&screening).map_err(ApiError::internal)?,
    };
    let by = a.user.id;
    db(&st, move |s| {
        s.amend_record(c, &Amendment::Consultation(id, new), &why, by)
    })
    .await?;
    let stored = db(&st, move |s| s.consultation(c, id)).await?;
    Ok(Json(
        json!({ "consultation": stored, "screening": screening, "client_id": con.client_id }),
    ))
}

pub(super) async fn delete_consultation(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<ReasonBody>,
) -> ApiResult<StatusCode> {
    let c = a.clinic();
    db(&st, move |s| s.consultation(c, id)).await?;
    delete_one(&st, &a, RecordRef::Consultation(id), reason(&b.reason)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Body of PUT /api/photos/{id}.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PhotoEdit {
    reason: String,
    #[serde(default)]
    caption: Option<String>,
}

pub(super) async fn edit_photo(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<Id>,
    ApiJson(e): ApiJson<PhotoEdit>,
) -> ApiResult<Json<Photo>> {
    let c = a.clinic();
    db(&st, move |s| s.photo(c, id)).await?;
    let why = reason(&e.reason)?;
    let caption = e
        .caption
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    opt_text("caption", caption.as_deref(), TextKind::FreeText)?;
    let by = a.user.id;
    db(&st, move |s| {
        s.amend_record(c, &Amendment::PhotoCaption(id, caption), &why, by)
    })
    .await?;
    Ok(Json(db(&st, move |s| s.photo(c, id)).await?))
}

pub(super) async fn delete_photo(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<ReasonBody>,
) -> ApiResult<StatusCode> {
    let c = a.clinic();
    db(&st, move |s| s.photo(c, id)).await?;
    delete_one(&st, &a, RecordRef::Photo(id), reason(&b.reason)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Body of PUT /api/lots/{id}: the corrected days (the number and pigment identify the lot and stay).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LotEdit {
    reason: String,
    expiry: String,
    #[serde(default)]
    received: Option<String>,
}

/// The clinic's lot with this id.
async fn lot_row(st: &AppState, clinic: Id, id: Id) -> ApiResult<LotRow> {
    db(st, move |s| s.lots(clinic))
        .await?
        .into_iter()
        .find(|l| l.id == id)
        .ok_or_else(|| ApiError::not_found("lot not found"))
}

pub(super) async fn edit_lot(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<Id>,
    ApiJson(e): ApiJson<LotEdit>,
) -> ApiResult<Json<LotRow>> {
    let c = a.clinic();
    let row = lot_row(&st, c, id).await?;
    let why = reason(&e.reason)?;
    let expiry = plausible_date("expiry", parse_date("expiry", &e.expiry)?, 366 * 30)?;
    let received = e
        .received
        .as_deref()
        .filter(|d| !d.trim().is_empty())
        .map(|d| parse_date("received", d).and_then(|d| plausible_date("received", d, 1)))
        .transpose()?;
    // The corrected lot must pass the catalogue's own checks (received before expiry, …).
    let (pigments, lots) = db(&st, move |s| Ok((s.pigments(c)?, s.lots(c)?))).await?;
    let others: Vec<LotRow> = lots.into_iter().filter(|l| l.id != id).collect();
    let lot = follicle_clinic::Lot {
        pigment: row.lot.pigment.clone(),
        number: row.lot.number.clone(),
        expiry,
        received,
    };
    cpu(move || crate::client_docs::catalogue_of(&pigments, &others, None, Some(lot))).await?;
    let by = a.user.id;
    let change = Amendment::Lot {
        id,
        expiry: expiry.to_string(),
        received: received.map(|d| d.to_string()),
    };
    db(&st, move |s| s.amend_record(c, &change, &why, by)).await?;
    Ok(Json(lot_row(&st, c, id).await?))
}

pub(super) async fn delete_lot(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<ReasonBody>,
) -> ApiResult<StatusCode> {
    lot_row(&st, a.clinic(), id).await?;
    delete_one(&st, &a, RecordRef::Lot(id), reason(&b.reason)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The clinic's pigments with their record ids (GET /api/pigments lists the pigments themselves).
pub(super) async fn pigment_records(
    State(st): State<AppState>,
    a: Actor,
) -> ApiResult<Json<Vec<Value>>> {
    let c = a.clinic();
    let rows = db(&st, move |s| s.pigments(c)).await?;
    Ok(Json(
        rows.iter()
            .map(|p| {
                Ok(json!({ "id": p.id, "key": p.key, "pigment": serde_json::from_str::<Value>(&p.pigment_json).map_err(ApiError::internal)?, "created_at": p.created_at }))
            })
            .collect::<ApiResult<_>>()?,
    ))
}

/// Body of PUT /api/pigments/{id}.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PigmentEdit {
    reason: String,
    pigment: Pigment,
}

pub(super) async fn edit_pigment(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<Id>,
    ApiJson(e): ApiJson<PigmentEdit>,
) -> ApiResult<Json<Pigment>> {
    let c = a.clinic();
    let rows = db(&st, move |s| Ok((s.pigments(c)?, s.lots(c)?))).await?;
    let (pigments, lots) = rows;
    let row = pigments
        .iter()
        .find(|p| p.id == id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("pigment not found"))?;
    let why = reason(&e.reason)?;
    let p = e.pigment;
    if p.id != row.key {
        return Err(ApiError::unprocessable(format!(
            "A pigment's key cannot change (it is “{}”); add a new pigment instead.",
            row.key
        )));
    }
    for (field, value) in [
        ("brand", &p.brand),
        ("name", &p.name),
        ("supplier", &p.supplier),
    ] {
        text(field, value, TextKind::Name)?;
    }
    let others: Vec<PigmentRow> = pigments.into_iter().filter(|x| x.id != id).collect();
    let checked = p.clone();
    cpu(move || crate::client_docs::catalogue_of(&others, &lots, Some(checked), None)).await?;
    let doc = serde_json::to_string(&p).map_err(ApiError::internal)?;
    let by = a.user.id;
    db(&st, move |s| {
        s.amend_record(c, &Amendment::Pigment(id, doc), &why, by)
    })
    .await?;
    Ok(Json(p))
}

pub(super) async fn delete_pigment(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<ReasonBody>,
) -> ApiResult<StatusCode> {
    let c = a.clinic();
    if !db(&st, move |s| s.pigments(c))
        .await?
        .iter()
        .any(|p| p.id == id)
    {
        return Err(ApiError::not_found("pigment not found"));
    }
    delete_one(&st, &a, RecordRef::Pigment(id), reason(&b.reason)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
