//! Consents: signing a text of follicle-clinic's consent library for a client, and listing what was signed.

use super::*;

/// Body of POST /api/clients/{id}/consents.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ConsentBody {
    /// Consent text id (e.g. `smp-treatment`).
    text: String,
    /// Its version.
    version: u32,
    /// When it was signed (UTC, YYYY-MM-DDTHH:MM:SSZ).
    signed_at: String,
    /// Who witnessed it (default: the logged-in user).
    #[serde(default)]
    witnessed_by: Option<String>,
}

pub(super) async fn list_consents(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
) -> ApiResult<Json<Vec<Value>>> {
    let (list, drawn, client) = client_records(&st, &a, id, "consent", |s, c, id| {
        Ok(vec![(
            s.consents(c, id)?,
            s.consent_signatures(c, id)?,
            s.client(c, id)?,
        )])
    })
    .await?
    .remove(0);
    let out = list.iter().map(|c| {
        // A consent signed on the tablet: who signed, the witness, when, and the signed PDF.
        let sig = drawn.iter().find(|s| s.consent_id == c.id).map(|s| json!({
            "signer": client.fields.name,
            "witness": s.witness_name,
            "signed_at": DateTime::from_unix_seconds(s.signed_at).map(|t| t.to_string()),
            "text_sha256": s.text_sha256,
            "pdf": format!("/api/consents/{}/signed.pdf", c.id),
        }));
        Ok(json!({ "id": c.id, "signed": serde_json::from_str::<Value>(&c.signed_json).map_err(ApiError::internal)?, "created_by": c.created_by, "drawn": sig }))
    });
    Ok(Json(out.collect::<ApiResult<_>>()?))
}

pub(super) async fn add_consent(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
    ApiJson(b): ApiJson<ConsentBody>,
) -> ApiResult<(StatusCode, Json<SignedConsent>)> {
    let c = a.clinic();
    let client = db(&st, move |s| s.client(c, id)).await?;
    let at: DateTime = b
        .signed_at
        .parse()
        .map_err(|e| ApiError::unprocessable(format!("signed_at: {e}")))?;
    plausible_date("signed_at", at.date(), 1)?;
    opt_text("witnessed_by", b.witnessed_by.as_deref(), TextKind::Name)?;
    let library = ConsentLibrary::embedded();
    let text = library
        .get(&b.text, b.version)
        .map_err(|e| ApiError::unprocessable(e.to_string()))?;
    let witness = b
        .witnessed_by
        .unwrap_or_else(|| a.user.display_name.clone());
    let signed = SignedConsent::sign(text, &client.fields.reference, at, &witness)
        .map_err(|e| ApiError::unprocessable(e.to_string()))?;
    let new = NewConsent {
        text_id: signed.text.clone(),
        text_version: i64::from(signed.version),
        signed_at: signed.signed_at.to_string(),
        signed_json: serde_json::to_string(&signed).map_err(ApiError::internal)?,
    };
    let by = a.user.id;
    db(&st, move |s| s.add_consent(c, id, &new, by)).await?;
    Ok((StatusCode::CREATED, Json(signed)))
}
