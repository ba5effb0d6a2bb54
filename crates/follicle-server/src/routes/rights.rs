//! Client rights and the clinic's settings: "export everything about this client" (one zip archive written off
//! the async threads to an unnamed 0600 temporary file, a few at a time, and streamed from it) and "erase on request" (follicle_store::rights: pseudonymised while the
//! clinic's retention period runs, deleted after it); the clinic's name, address, logo and retention period.
//!
//! Who may: export, owner and practitioners (they hand clients their records); erasure, the owner only (it
//! cannot be undone: the clinic's decision); settings, read by any staff, changed by the owner.

use super::*;
use crate::client_docs;

/// Exports built at once (each writes a temporary file as large as the client's records and photos, and holds
/// one photo at a time in memory); more wait their turn.
const EXPORTS_AT_ONCE: usize = 2;

/// Bytes read from the temporary archive per chunk of the response.
const EXPORT_CHUNK: usize = 256 * 1024;

fn export_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| tokio::sync::Semaphore::new(EXPORTS_AT_ONCE))
}

/// A file name made of the reference's letters, digits, `-` and `_` only.
pub(super) fn file_stem(reference: &str) -> String {
    let s: String = reference
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    if s.is_empty() {
        "client".into()
    } else {
        s
    }
}

/// GET /api/clients/{id}/export: everything about the client as a zip archive (audited as an export), written
/// to an unnamed temporary file (mode 0600, in the system's temporary directory, gone when the response ends
/// or the process stops) on a blocking thread, then streamed from it: memory stays bounded whatever the
/// photos weigh.
pub(super) async fn export_client(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
) -> ApiResult {
    let c = a.clinic();
    let client = db(&st, move |s| s.client(c, id)).await?;
    let slot = export_slots().acquire().await.map_err(ApiError::internal)?;
    let (store, photos, today, by) = (
        st.store.clone(),
        st.photos.clone(),
        today(&st, a.clinic()).await?,
        a.user.id,
    );
    let (file, len) = cpu(move || {
        use std::io::{Seek, SeekFrom};
        let no_room = |e: std::io::Error| {
            tracing::error!("export archive: temporary file: {e}");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "The server has no room to prepare this client's archive just now. Please try again later, or ask whoever runs the server to free some disk space.",
            )
        };
        let file = tempfile::tempfile().map_err(no_room)?;
        let out = std::io::BufWriter::with_capacity(EXPORT_CHUNK, file);
        let out = client_docs::export_archive(&*store, &photos, c, id, today, Some(by), "studio", out)?;
        let mut file = out.into_inner().map_err(|e| no_room(e.into_error()))?;
        let len = file.stream_position().map_err(no_room)?;
        file.seek(SeekFrom::Start(0)).map_err(no_room)?;
        Ok((file, len))
    })
    .await?;
    drop(slot);
    let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::with_capacity(
        tokio::fs::File::from_std(file),
        EXPORT_CHUNK,
    ));
    let name = format!("{}-records.zip", file_stem(&client.fields.reference));
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_string()),
            (header::CONTENT_LENGTH, len.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// Body of POST /api/clients/{id}/erase.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EraseBody {
    /// Why (e.g. "the client asked by e-mail on 2 March").
    reason: String,
    /// The client's reference, typed again to confirm.
    confirm: String,
}

/// POST /api/clients/{id}/erase: erases the client on request (audited); answers what was done.
pub(super) async fn erase_client(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
    ApiJson(b): ApiJson<EraseBody>,
) -> ApiResult<Json<Value>> {
    let c = a.clinic();
    let client = db(&st, move |s| s.client(c, id)).await?;
    if b.confirm.trim() != client.fields.reference {
        return Err(ApiError::unprocessable(format!(
            "To confirm, type the client's reference exactly as it is: {}",
            client.fields.reference
        )));
    }
    let why = b.reason.trim().to_string();
    follicle_clinic::text::check_erasure_reason(&why).map_err(ApiError::unprocessable)?;
    let (today, by) = (today(&st, a.clinic()).await?.to_string(), a.user.id);
    let shown: Vec<String> = db(&st, move |s| s.photos(c, id))
        .await?
        .into_iter()
        .map(|p| p.sha256)
        .collect();
    let done = db(&st, move |s| s.erase_client(c, id, &today, &why, Some(by))).await?;
    super::records::forget_photo_files(&st, done.photos_removed().to_vec()).await;
    super::records::forget_previews(&st, c, shown).await?;
    Ok(Json(erasure_json(&done)))
}

/// What erasure did, with a sentence for people.
pub fn erasure_json(e: &Erasure) -> Value {
    match e {
        Erasure::Deleted { photos_removed } => json!({
            "outcome": "deleted",
            "photos_removed": photos_removed.len(),
            "message": "Every record of this client has been deleted.",
        }),
        Erasure::Pseudonymised {
            pseudonym,
            retain_until,
            photos_removed,
            bookings_cancelled,
        } => json!({
            "outcome": "pseudonymised",
            "pseudonym": pseudonym,
            "retain_until": retain_until,
            "photos_removed": photos_removed.len(),
            "bookings_cancelled": bookings_cancelled,
            "message": format!("The client's name, date of birth, contact details and photos have been removed{}. Their treatment records are kept as {pseudonym} until {retain_until}, as medical records must be; erase again after that day to delete them.", match bookings_cancelled {
                0 => String::new(),
                1 => ", and their booking still ahead has been cancelled".to_string(),
                n => format!(", and their {n} bookings still ahead have been cancelled"),
            }),
        }),
    }
}

pub(super) async fn get_settings(
    State(st): State<AppState>,
    a: Actor,
) -> ApiResult<Json<ClinicSettings>> {
    let c = a.clinic();
    Ok(Json(db(&st, move |s| s.clinic_settings(c)).await?))
}

pub(super) async fn put_settings(
    State(st): State<AppState>,
    a: Actor,
    ApiJson(mut u): ApiJson<ClinicSettingsUpdate>,
) -> ApiResult<Json<ClinicSettings>> {
    if let Some(n) = &u.name {
        text("name", n, TextKind::Name)?;
    }
    if let Some(addr) = &u.address {
        if addr.chars().count() > 400 {
            return Err(ApiError::unprocessable(
                "The address is too long (at most 400 characters).",
            ));
        }
        for line in addr.lines() {
            if !line.trim().is_empty() {
                text("address", line, TextKind::Name)?;
            }
        }
    }
    if u.retention_years.is_some_and(|y| !(1..=100).contains(&y)) {
        return Err(ApiError::unprocessable(
            "The retention period must be between 1 and 100 years.",
        ));
    }
    if let Some(z) = u.time_zone.take() {
        // A real IANA name (e.g. Europe/Warsaw); an unknown one is refused with the closest name suggested.
        if z.chars().count() > 64 {
            return Err(ApiError::unprocessable(
                "Time zone: not a time zone name (an IANA name such as Europe/Warsaw).",
            ));
        }
        let zone =
            ClinicZone::get(&z).map_err(|e| ApiError::unprocessable(format!("Time zone: {e}")))?;
        u.time_zone = Some(zone.name().to_string());
        // Bookings ahead keep their local times (probe s8 N10): the store moves them from the zone in use.
        u.zone_in_use = Some(st.settings.zone.name().to_string());
    }
    let (c, by) = (a.clinic(), a.user.id);
    Ok(Json(
        db(&st, move |s| s.set_clinic_settings(c, &u, by)).await?,
    ))
}

pub(super) async fn get_logo(State(st): State<AppState>, a: Actor) -> ApiResult {
    let c = a.clinic();
    match db(&st, move |s| s.clinic_logo(c)).await? {
        Some((ty, bytes)) => Ok(([(header::CONTENT_TYPE, ty)], bytes).into_response()),
        None => Err(ApiError::not_found("The clinic has no logo yet.")),
    }
}

/// PUT /api/clinic/logo: a PNG or JPEG of at most 512 KB and 2000 × 2000 pixels, as the raw body.
pub(super) async fn put_logo(
    State(st): State<AppState>,
    a: Actor,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<StatusCode> {
    let body = body?;
    if body.len() > follicle_store::rights::LOGO_LIMIT {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The logo is too large: at most 512 KB.",
        ));
    }
    let data = body.clone();
    let _decoding = crate::media::DECODES
        .acquire()
        .await
        .map_err(ApiError::internal)?;
    let ty = cpu(move || {
        let reader = image::ImageReader::new(std::io::Cursor::new(&data[..]))
            .with_guessed_format()
            .map_err(ApiError::internal)?;
        let ty = match reader.format() {
            Some(image::ImageFormat::Png) => "image/png",
            Some(image::ImageFormat::Jpeg) => "image/jpeg",
            _ => {
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "The logo must be a PNG or JPEG picture.",
                ))
            }
        };
        let (w, h) = reader
            .into_dimensions()
            .map_err(|_| ApiError::unprocessable("The logo could not be read as a picture."))?;
        if w == 0 || h == 0 || w > 2000 || h > 2000 {
            return Err(ApiError::unprocessable(
                "The logo must be at most 2000 × 2000 pixels.",
            ));
        }
        // The whole picture, as a photo is checked (a JPEG cut short is refused, not decoded to grey: outside
        // probe s29 printed a cut-off logo as a grey smear on the passport): a damaged logo would spoil every
        // passport and report.
        crate::media::check_complete(&data).map_err(|_| {
            ApiError::unprocessable(
                "The logo could not be read as a picture: the file is damaged or incomplete.",
            )
        })?;
        Ok(ty)
    })
    .await?;
    let (c, by) = (a.clinic(), a.user.id);
    db(&st, move |s| {
        s.set_clinic_logo(c, Some((ty, &body[..])), by)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn delete_logo(State(st): State<AppState>, a: Actor) -> ApiResult<StatusCode> {
    let (c, by) = (a.clinic(), a.user.id);
    db(&st, move |s| s.set_clinic_logo(c, None, by)).await?;
    Ok(StatusCode::NO_CONTENT)
}
