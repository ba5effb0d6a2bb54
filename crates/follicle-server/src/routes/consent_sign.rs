//! Consent on a tablet and the physician's clearance letter. The tablet shows the full current consent text
//! (follicle-clinic's library) with its SHA-256; the client signs on a canvas; the strokes come back with that
//! hash, are checked (`signature::Signature`) and stored as SVG path data beside the consent in one transaction,
//! with the time from the server's clock and the logged-in user as witness. The signed PDF (krilla, the
//! signature drawn in) is made from what was stored. A clearance letter (PDF, PNG or JPEG, bounded) is uploaded
//! as a multipart form with who gave the clearance and when: it is stored in the database (every node serves it)
//! together with the consultation that carries the clearance, so the screening gate reads it.

use super::consultations::latest_intake;
use super::*;
use axum::extract::multipart::MultipartRejection;
use axum::extract::Multipart;
use follicle_clinic::export::pdf as pdf_out;
use follicle_clinic::gate::Clearance;
use follicle_clinic::signature::{signed_consent_document, Signature, SignedConsentInfo};

/// Largest clearance letter accepted.
pub const LETTER_LIMIT: usize = 5 * 1024 * 1024;
/// Most parts a clearance form may have.
const MAX_FORM_PARTS: usize = 8;

/// GET /api/consent-texts/{id}: the current version of a consent text, in full, with the SHA-256 the signature
/// will be stored with.
pub(super) async fn current_text(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let library = ConsentLibrary::embedded();
    let t = library
        .current(&id, today(&st, a.clinic()).await?)
        .ok_or_else(|| ApiError::not_found("There is no consent text with that name."))?;
    Ok(Json(json!({
        "id": t.id,
        "version": t.version,
        "language": t.language,
        "published": t.published.to_string(),
        "title": t.title,
        "body": t.body,
        "sha256": t.sha256(),
    })))
}

/// The strokes drawn on the tablet.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PadBody {
    width: u32,
    height: u32,
    strokes: Vec<Vec<[f64; 2]>>,
}

/// Body of POST /api/clients/{id}/signed-consents.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SignBody {
    /// Consent text id.
    text: String,
    /// Its version as shown.
    version: u32,
    /// The SHA-256 of the text as shown (from GET /api/consent-texts/{id}).
    text_sha256: String,
    /// The signature.
    signature: PadBody,
}

/// POST /api/clients/{id}/signed-consents: the client signed the text shown on the tablet, witnessed by the
/// logged-in user, now.
pub(super) async fn sign(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
    ApiJson(b): ApiJson<SignBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let c = a.clinic();
    let client = db(&st, move |s| s.client(c, id)).await?;
    let library = ConsentLibrary::embedded();
    let now = now_utc();
    let current = library
        .current(&b.text, clinic_zone(&st, a.clinic()).await?.today(now))
        .ok_or_else(|| ApiError::unprocessable("text: there is no consent text with that name"))?;
    if current.version != b.version || current.sha256() != b.text_sha256.trim().to_lowercase() {
        return Err(ApiError::conflict(
            "The consent text has changed since it was shown: show the current text to the client and sign again.",
        ));
    }
    let sig = cpu(move || {
        Signature::new(b.signature.width, b.signature.height, b.signature.strokes)
            .map_err(|e| ApiError::unprocessable(e.to_string()))
    })
    .await?;
    let signed = SignedConsent::sign(current, &client.fields.reference, now, &a.user.display_name)
        .map_err(|e| ApiError::unprocessable(e.to_string()))?;
    let new = NewConsent {
        text_id: signed.text.clone(),
        text_version: i64::from(signed.version),
        signed_at: signed.signed_at.to_string(),
        signed_json: serde_json::to_string(&signed).map_err(ApiError::internal)?,
    };
    let pad = NewSignature {
        text_sha256: signed.text_sha256.clone(),
        pad_width: i64::from(sig.width()),
        pad_height: i64::from(sig.height()),
        path: sig.path_data(),
        signed_at: now.to_jiff().as_second(),
    };
    let by = a.user.id;
    let (consent, stored) = db(&st, move |s| s.add_signed_consent(c, id, &new, &pad, by)).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "consent": consent,
            "signed": signed,
            "signature": { "width": stored.pad_width, "height": stored.pad_height, "path": stored.path, "witness": stored.witness_name },
            "pdf": format!("/api/consents/{}/signed.pdf", consent.id),
        })),
    ))
}

/// GET /api/consents/{id}/signed.pdf: the signed consent the client takes home.
pub(super) async fn signed_pdf(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ConsentId>,
) -> ApiResult {
    let c = a.clinic();
    let (consent, sig, client, clinic) = db(&st, move |s| {
        let (consent, sig) = s.signed_consent(c, id)?;
        let client = s.client(c, consent.client_id)?;
        Ok((consent, sig, client, s.clinic(c)?))
    })
    .await?;
    let sig = sig.ok_or_else(|| {
        ApiError::not_found(
            "This consent was recorded without a drawn signature, so there is no signed document to print.",
        )
    })?;
    viewed(&st, &a, "consent", Some(id), Some(consent.client_id)).await?;
    let zone = clinic_zone(&st, a.clinic()).await?;
    let bytes = crate::document(move || {
        let signed: SignedConsent =
            serde_json::from_str(&consent.signed_json).map_err(ApiError::internal)?;
        let library = ConsentLibrary::embedded();
        let text = signed.verify(&library).map_err(ApiError::internal)?;
        let drawn = Signature::from_path_data(
            u32::try_from(sig.pad_width).unwrap_or(0),
            u32::try_from(sig.pad_height).unwrap_or(0),
            &sig.path,
        )
        .map_err(ApiError::internal)?;
        let doc = signed_consent_document(
            text,
            &signed,
            &drawn,
            &SignedConsentInfo {
                clinic: &clinic.name,
                client_name: &client.fields.name,
                witness: &sig.witness_name,
                zone: &zone,
            },
        );
        pdf_out::render(&doc).map_err(ApiError::internal)
    })
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"signed-consent-{id}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// POST /api/clients/{id}/clearance: a `multipart/form-data` form with `by` (the physician), `date`
/// (YYYY-MM-DD, the letter's date), optional `notes`, and the `letter` file (PDF, PNG or JPEG, at most
/// [`LETTER_LIMIT`] bytes). Records the clearance with the client's newest intake (screened again for today)
/// and stores the letter linked to it.
pub(super) async fn record_clearance(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let mut form = form.map_err(|_| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the clearance as a form upload (multipart/form-data) with the letter attached.",
        )
    })?;
    let bad = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "The letter is too large: at most {} MB are accepted.",
                    LETTER_LIMIT / (1024 * 1024)
                ),
            )
        } else {
            ApiError::bad_request(format!("The form could not be read: {}", e.body_text()))
        }
    };
    let (mut by, mut date, mut notes, mut letter) = (None, None, None, None);
    let mut parts = 0;
    while let Some(field) = form.next_field().await.map_err(bad)? {
        parts += 1;
        if parts > MAX_FORM_PARTS {
            return Err(ApiError::unprocessable(format!(
                "The form has more than {MAX_FORM_PARTS} parts."
            )));
        }
        let name = field.name().unwrap_or("").to_string();
        let twice = match name.as_str() {
            "by" => by.is_some(),
            "date" => date.is_some(),
            "notes" => notes.is_some(),
            "letter" => letter.is_some(),
            _ => false,
        };
        if twice {
            return Err(ApiError::unprocessable(if name == "letter" {
                "The form has more than one letter: attach one file (scan a letter of several pages into one PDF).".to_string()
            } else {
                format!("The form has the field `{name}` twice: send it once.")
            }));
        }
        match name.as_str() {
            "by" => by = Some(field.text().await.map_err(bad)?),
            "date" => date = Some(field.text().await.map_err(bad)?),
            "notes" => notes = Some(field.text().await.map_err(bad)?),
            "letter" => {
                let name = field.file_name().unwrap_or("letter").to_string();
                letter = Some((name, field.bytes().await.map_err(bad)?));
            }
            other => {
                return Err(ApiError::unprocessable(format!(
                    "The form has an unknown field `{}`: send by, date, notes and letter.",
                    other.chars().take(40).collect::<String>()
                )))
            }
        }
    }
    let by = by.ok_or_else(|| ApiError::unprocessable("by: write who gave the clearance"))?;
    text("by", &by, TextKind::Name)?;
    let date = parse_date("date", date.as_deref().unwrap_or("").trim())?;
    let notes = notes.filter(|n| !n.trim().is_empty());
    opt_text("notes", notes.as_deref(), TextKind::FreeText)?;
    let (filename, bytes) =
        letter.ok_or_else(|| ApiError::unprocessable("letter: attach the physician's letter"))?;
    if bytes.len() > LETTER_LIMIT {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "The letter is too large: at most {} MB are accepted.",
                LETTER_LIMIT / (1024 * 1024)
            ),
        ));
    }
    if bytes.is_empty() {
        return Err(ApiError::unprocessable("letter: the file is empty"));
    }
    // The file's name is shown in the record as a label: the text rules of a name (one line, at most 200
    // characters, no control or text-direction characters); only the characters that mean a folder or end a
    // quoted header are replaced.
    let filename: String = filename
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | '"') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let filename = if filename.trim().is_empty() {
        "letter".to_string()
    } else {
        text("letter's file name", &filename, TextKind::Name).map_err(|e| {
            ApiError::unprocessable(format!(
                "{}; rename the file and upload it again.",
                e.message.trim_end_matches('.')
            ))
        })?;
        filename
    };
    let c = a.clinic();
    db(&st, move |s| s.client(c, id)).await?;
    let mut intake = latest_intake(&st, c, id).await?.ok_or_else(|| {
        ApiError::conflict("Record a consultation (screening) before its physician's clearance.")
    })?;
    let checked = {
        let bytes = bytes.clone();
        let _decoding = crate::media::DECODES
            .acquire()
            .await
            .map_err(ApiError::internal)?;
        cpu(move || crate::letter::letter_type(&bytes).map_err(ApiError::unprocessable)).await?
    };
    let sha = follicle_store::sha256_hex(&bytes);
    let clearance = Clearance {
        by: by.trim().to_string(),
        date,
        letter: format!("{filename} (uploaded, SHA-256 {})", &sha[..16]),
        covers: vec![],
        notes: notes.map(|n| n.trim().to_string()),
    };
    let today = today(&st, a.clinic()).await?;
    clearance.validate(today).map_err(ApiError::unprocessable)?;
    clearance
        .check_dated_after(intake.client.date_of_birth, Some(intake.consultation.date))
        .map_err(ApiError::unprocessable)?;
    intake.clearance = Some(clearance);
    let screening = follicle_clinic::screen(&intake, &RuleSet::embedded(), today);
    let new = NewConsultation {
        held_on: intake.consultation.date.to_string(),
        outcome: screening.outcome.as_str().to_string(),
        intake_json: serde_json::to_string(&intake).map_err(ApiError::internal)?,
        screening_json: serde_json::to_string(&screening).map_err(ApiError::internal)?,
    };
    let file = NewClearanceLetter {
        content_type: checked.to_string(),
        filename,
        bytes: bytes.to_vec(),
    };
    let who = a.user.id;
    let (consultation, letter) =
        db(&st, move |s| s.record_clearance(c, id, &new, &file, who)).await?;
    Ok((
        StatusCode::CREATED,
        Json(
            json!({ "consultation": consultation, "letter": letter, "clearance": intake.clearance }),
        ),
    ))
}

/// GET /api/clients/{id}/clearance-letters: the client's uploaded letters (without their bytes).
pub(super) async fn list_letters(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
) -> ApiResult<Json<Vec<ClearanceLetter>>> {
    let list = client_records(&st, &a, id, "clearance_letter", |s, c, id| {
        s.clearance_letters(c, id)
    })
    .await?;
    Ok(Json(list))
}

/// GET /api/clearance-letters/{id}: the letter's file.
pub(super) async fn get_letter(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<LetterId>,
) -> ApiResult {
    let c = a.clinic();
    let (letter, bytes) = db(&st, move |s| s.clearance_letter(c, id)).await?;
    viewed(
        &st,
        &a,
        "clearance_letter",
        Some(id),
        Some(letter.client_id),
    )
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, letter.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"clearance-letter-{id}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
