//! Consultations: an intake screened by follicle-clinic's rules, stored with its screening; the client's
//! newest intake for the records that depend on it.

use super::*;

/// Query of POST consultations.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ScreenQuery {
    /// Day to screen for (default: the consultation day).
    #[serde(default)]
    on: Option<String>,
}

/// GET /api/consultation-form: what the consultation form offers (conditions, treatments and allergies with
/// the words on each box and what ticking it records, skin and hair choices, stages, outcomes in words), from
/// follicle-clinic's vocabulary: the studio holds no list of its own.
pub(super) async fn consultation_form(_a: Actor) -> Json<Value> {
    Json(follicle_clinic::consultation_form::consultation_form())
}

pub(super) async fn list_consultations(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
) -> ApiResult<Json<Vec<Consultation>>> {
    let list = client_records(&st, &a, id, "consultation", |s, c, id| {
        s.consultations(c, id)
    })
    .await?;
    Ok(Json(list))
}

pub(super) async fn add_consultation(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
    ApiQuery(q): ApiQuery<ScreenQuery>,
    JsonBytes(body): JsonBytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let mut intake = Intake::from_json(utf8(&body)?).map_err(|e| crate::error::intake_error(&e))?;
    intake
        .check_entered_on(today(&st, a.clinic()).await?)
        .map_err(ApiError::unprocessable)?;
    let c = a.clinic();
    let client = db(&st, move |s| s.client(c, id)).await?;
    is_client(&mut intake, &client)?;
    let on = match &q.on {
        Some(d) => {
            let d = parse_date("on", d)?;
            follicle_clinic::schedule::check_screening_on(
                "on",
                d,
                intake.consultation.date,
                today(&st, c).await?,
            )
            .map_err(|e| ApiError::unprocessable(e.to_string()))?;
            d
        }
        None => intake.consultation.date,
    };
    let screening = follicle_clinic::screen(&intake, &RuleSet::embedded(), on);
    let new = NewConsultation {
        held_on: intake.consultation.date.to_string(),
        outcome: screening.outcome.as_str().to_string(),
        intake_json: serde_json::to_string(&intake).map_err(ApiError::internal)?,
        screening_json: serde_json::to_string(&screening).map_err(ApiError::internal)?,
    };
    let by = a.user.id;
    let stored = db(&st, move |s| s.add_consultation(c, id, &new, by)).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "consultation": stored, "screening": screening })),
    ))
}

pub(super) async fn get_consultation(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ConsultationId>,
) -> ApiResult<Json<Consultation>> {
    let c = a.clinic();
    let con = db(&st, move |s| s.consultation(c, id)).await?;
    viewed(&st, &a, "consultation", Some(id), Some(con.client_id)).await?;
    Ok(Json(con))
}

/// That `intake` is the record of `client` (reference and date of birth; follicle-clinic's rule): 422. The
/// intake is then filed under the record's name, the client's identity everywhere: a form that typed the name
/// otherwise (or another client's) would put that name on the screening and the ink passport (outside probe
/// s31).
pub(super) fn is_client(intake: &mut Intake, client: &Client) -> ApiResult<()> {
    let dob = client
        .fields
        .date_of_birth
        .as_deref()
        .and_then(|d| d.parse().ok());
    intake
        .check_is_client(&client.fields.reference, dob)
        .map_err(ApiError::unprocessable)?;
    intake.client.name = client.fields.name.clone();
    Ok(())
}

/// The client's newest intake, needed by session records, passports and schedules: the newest consultation
/// held by today (one dated later, kept from before dates were checked on entry, has not happened yet and
/// must not hide the screening of the one that did).
pub(super) async fn latest_intake(
    st: &AppState,
    clinic: ClinicId,
    client: ClientId,
) -> ApiResult<Option<Intake>> {
    let today = today(st, clinic).await?;
    let list = db(st, move |s| {
        Ok(crate::client_docs::held_by(
            s.consultations(clinic, client)?,
            today,
        ))
    })
    .await?;
    list.first()
        .map(|c| Intake::from_json(&c.intake_json).map_err(ApiError::internal))
        .transpose()
}
