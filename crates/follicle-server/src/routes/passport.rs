//! The ink passport: which pigments and lots went into a client's skin, as JSON, a printable page or a
//! PDF the client can take home.

use super::*;

/// Query of the passport.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PassportQuery {
    /// `json` (default), `html` or `pdf`.
    #[serde(default)]
    format: Option<String>,
}

pub(super) async fn passport(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
    ApiQuery(q): ApiQuery<PassportQuery>,
) -> ApiResult {
    // 0 JSON, 1 printable page, 2 PDF.
    let format = match q.format.as_deref() {
        None | Some("json") => 0,
        Some("html") => 1,
        Some("pdf") => 2,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "format `{other}`: use json, html or pdf"
            )))
        }
    };
    let c = a.clinic();
    let today = today(&st, a.clinic()).await?;
    let store = st.store.clone();
    // Loading the records, verifying consents, building the passport and writing the page are blocking and CPU
    // work: off the async threads.
    let resp = crate::document(move || {
        let p = crate::client_docs::passport(&*store, c, id)?;
        let doc = crate::client_docs::passport_doc(&*store, c, &p, today)?;
        Ok(match format {
            1 => (
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                html::render(&doc),
            )
                .into_response(),
            2 => {
                // Laying out and subsetting fonts is CPU work, done here off the async threads.
                let bytes = pdf::render(&doc).map_err(ApiError::internal)?;
                (
                    [
                        (header::CONTENT_TYPE, "application/pdf"),
                        (
                            header::CONTENT_DISPOSITION,
                            "inline; filename=\"passport.pdf\"",
                        ),
                    ],
                    bytes,
                )
                    .into_response()
            }
            _ => Json(p).into_response(),
        })
    })
    .await?;
    viewed(&st, &a, "passport", None::<Id>, Some(id)).await?;
    Ok(resp)
}
