//! Plans: planning a case (follicle-case, follicle-core), plan.json, touch-ups, the mannequin preview, the
//! printable stencil and the client report.

use super::*;

/// Body of POST /api/clients/{id}/plans.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PlanBody {
    /// The case file (TOML, docs/case-format.md).
    case: String,
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default)]
    sessions: Option<usize>,
    #[serde(default)]
    label: Option<String>,
}

/// Plans computed at once on this node (a full-scalp plan keeps a core busy for about a second); others wait
/// their turn, so a burst of plan requests cannot take every blocking thread and core from the rest.
pub const MAX_PLANNING: usize = 2;

/// The cap on concurrent plan computations: hold a permit while planning.
pub(super) static PLANNING: tokio::sync::Semaphore =
    tokio::sync::Semaphore::const_new(MAX_PLANNING);

pub(super) fn new_plan(
    p: &follicle_core::plan::Plan,
    parent: Option<PlanId>,
    label: String,
    case: Option<String>,
) -> NewPlan {
    NewPlan {
        parent_id: parent,
        label,
        case_toml: case,
        seed: p.design.seed as i64,
        sessions: p.sessions.len() as i64,
        impressions: p.impressions.len() as i64,
        plan_json: follicle_export::plan_to_json(p),
    }
}

/// GET /api/clients/{id}/plans: the client's plans, newest first, each with `for_sessions` true on the one the
/// sessions follow (the chosen design's newest plan, `crate::followed`): the preview shows it first; and
/// `design_id`, the design version it was planned from (`followed::design_of`), null for one planned from an
/// unsaved edit.
pub(super) async fn list_plans(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
) -> ApiResult<Json<Vec<Value>>> {
    let list = client_records(&st, &a, id, "plan", |s, c, id| s.plans(c, id)).await?;
    let c = a.clinic();
    let designs = db(&st, move |s| s.designs(c, id)).await?;
    let followed = crate::followed::sessions_plan(&list, &designs).map(|p| p.id);
    let out = list
        .iter()
        .map(|p| {
            let mut v = serde_json::to_value(p).map_err(ApiError::internal)?;
            v["for_sessions"] = json!(Some(p.id) == followed);
            // The design version it was planned from, by id (the record numbers the versions).
            v["design_id"] = json!(crate::followed::design_of(&list, p, &designs).map(|d| d.id));
            Ok(v)
        })
        .collect::<ApiResult<Vec<Value>>>()?;
    Ok(Json(out))
}

pub(super) async fn create_plan(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
    ApiJson(b): ApiJson<PlanBody>,
) -> ApiResult<(StatusCode, Json<PlanRecord>)> {
    opt_text("plan_name", b.label.as_deref(), TextKind::Name)?;
    let ov = follicle_case::Overrides {
        seed: b.seed,
        sessions: b.sessions,
    };
    plan_case(&st, &a, id, b.case, ov, b.label).await
}

/// Parses a case file with follicle-case; its error (file:line, the field, what is wrong) becomes a 422, as
/// do an empty case and a client name the text rules refuse (a design is refused when saved, not only when
/// planned).
pub(super) fn parse_case(
    toml: &str,
    ov: &follicle_case::Overrides,
) -> ApiResult<follicle_case::Case> {
    // A case file with nothing in it is the built-in demo design on the command line; sent to the studio, it
    // is a form that lost its content (outside probe s29: `"case": ""` became a 36,000-impression plan).
    let blank = toml
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    if blank {
        return Err(ApiError::unprocessable(
            "The design is empty: open it in the design editor and save it again.",
        ));
    }
    let case = follicle_case::parse("case.toml", toml, ov).map_err(|e| case_refused(&e))?;
    if !case.client.is_empty() {
        text("the case's client name", &case.client, TextKind::Name)?;
    }
    Ok(case)
}

/// A case-file error as the studio says it: the field in the form's words
/// ([`follicle_case::CaseError::form_words`], as the editor's wasm says it), the design text's line after it
/// for a tool that sent the text, not the file name the command line shows ("case.toml:13:
/// hairline.mid_frontal_height_mm: …" → "Hairline mid-frontal height (B): … (line 13 of the design's
/// text)"): the studio's case text has no file of its own, and a practitioner in the editor never saw a
/// line (outside probe s32: "The design, line 20: Back density: …" led the sentence). Sessions asked for
/// out of range come from the request, not a line.
fn case_refused(e: &follicle_case::CaseError) -> ApiError {
    let what = e.form_words();
    ApiError::unprocessable(match e.line {
        Some(n) => format!(
            "{} (line {n} of the design's text).",
            what.trim_end().trim_end_matches('.')
        ),
        None => what,
    })
}

/// Plans a case file (follicle-case, follicle-core) and stores the plan for the client: the one path behind
/// POST /api/clients/{id}/plans and POST /api/designs/{id}/plans.
pub(super) async fn plan_case(
    st: &AppState,
    a: &Actor,
    client: ClientId,
    case_toml: String,
    ov: follicle_case::Overrides,
    label: Option<String>,
) -> ApiResult<(StatusCode, Json<PlanRecord>)> {
    let c = a.clinic();
    db(st, move |s| s.client(c, client)).await?;
    // The clinic's pigments (by the key its lots name): a design's shades are pigments of the clinic or of
    // the built-in catalogue, so the plan the needle follows names ink that exists (probe s33).
    let own: Vec<String> = db(st, move |s| s.pigments(c))
        .await?
        .into_iter()
        .map(|r| r.key)
        .collect();
    let _planning = PLANNING.acquire().await.map_err(ApiError::internal)?;
    let new = cpu(move || {
        let case = parse_case(&case_toml, &ov)?;
        if let Some(words) =
            follicle_render::plan_catalogue::shade_not_a_pigment(&case.design.zones, &own)
        {
            return Err(ApiError::unprocessable(format!("{words}.")));
        }
        let p = follicle_core::plan::plan(&case.design).map_err(|e| {
            case_refused(&follicle_case::plan_error_at("case.toml", &case_toml, &e))
        })?;
        let label = label.unwrap_or_else(|| {
            if case.client.is_empty() {
                "plan".into()
            } else {
                case.client.clone()
            }
        });
        Ok(new_plan(&p, None, label, Some(case_toml)))
    })
    .await?;
    let by = a.user.id;
    Ok((
        StatusCode::CREATED,
        Json(db(st, move |s| s.add_plan(c, client, &new, by)).await?),
    ))
}

pub(super) async fn get_plan(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<PlanId>,
) -> ApiResult<Json<PlanRecord>> {
    let c = a.clinic();
    let p = db(&st, move |s| s.plan(c, id)).await?;
    viewed(&st, &a, "plan", Some(id), Some(p.client_id)).await?;
    Ok(Json(p))
}

/// The entity tag of a stored plan.json. Plans are never changed once stored (a touch-up is a new plan), so
/// the id with its storage time and impression count names the content; a re-read answers 304 without
/// loading the document. Weak, because compression serves the same content in several encodings.
fn plan_etag(p: &PlanRecord) -> String {
    format!("W/\"plan-{}-{}-{}\"", p.id, p.created_at, p.impressions)
}

/// Whether an If-None-Match header lists `etag` (or `*`); weak tags compare by their opaque part.
fn etag_matches(headers: &axum::http::HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag.trim_start_matches("W/") || t == "*")
}

pub(super) async fn get_plan_json(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<PlanId>,
    headers: axum::http::HeaderMap,
) -> ApiResult {
    let c = a.clinic();
    // A revalidation reads the record only (the document may not be needed); a full read takes both in one query.
    let revalidation = headers.contains_key(header::IF_NONE_MATCH);
    let (p, text) = if revalidation {
        (db(&st, move |s| s.plan(c, id)).await?, None)
    } else {
        let (p, text) = db(&st, move |s| s.plan_with_json(c, id)).await?;
        (p, Some(text))
    };
    // Every read is a view of health data and audited, a revalidation included.
    viewed(&st, &a, "plan.json", Some(id), Some(p.client_id)).await?;
    let etag = plan_etag(&p);
    if etag_matches(&headers, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    let text = match text {
        Some(text) => text,
        None => db(&st, move |s| s.plan_json(c, id)).await?,
    };
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (header::ETAG, etag),
        ],
        text,
    )
        .into_response())
}

/// Body of POST /api/plans/{id}/extend.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExtendBody {
    /// How much more of the full density the touch-up adds (0.15 = 15 %).
    #[serde(default = "default_add")]
    add: f64,
    #[serde(default)]
    label: Option<String>,
}

pub(super) fn default_add() -> f64 {
    0.15
}

pub(super) async fn extend_plan(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<PlanId>,
    ApiJson(b): ApiJson<ExtendBody>,
) -> ApiResult<(StatusCode, Json<PlanRecord>)> {
    opt_text("plan_name", b.label.as_deref(), TextKind::Name)?;
    let c = a.clinic();
    let (parent, text) = db(&st, move |s| s.plan_with_json(c, id)).await?;
    let _planning = PLANNING.acquire().await.map_err(ApiError::internal)?;
    let new = cpu(move || {
        let saved = follicle_export::plan_from_json(&text)
            .map_err(|e| ApiError::unprocessable(format!("stored plan.json: {e}")))?;
        let p = follicle_core::plan::extend(&saved.design, &saved.impressions, b.add, &mut |_| {})
            .map_err(|e| {
                // The core names its argument (`add`); the studio's form asks for the touch-up's share.
                let said = match e {
                    follicle_core::PlanError::Invalid { field, message } if field == "add" => {
                        message
                    }
                    other => other.to_string(),
                };
                ApiError::unprocessable(format!("Cannot add this touch-up: {said}"))
            })?;
        Ok(new_plan(
            &p,
            Some(id),
            b.label.unwrap_or_else(|| format!("touch-up of plan {id}")),
            None,
        ))
    })
    .await?;
    let (client, by) = (parent.client_id, a.user.id);
    Ok((
        StatusCode::CREATED,
        Json(db(&st, move |s| s.add_plan(c, client, &new, by)).await?),
    ))
}

/// Query of GET /api/plans/{id}/preview.png.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PreviewQuery {
    /// `top|front|left|right|back|34` (default 34).
    #[serde(default)]
    view: Option<String>,
    /// `fresh|healed|years:N` (default healed).
    #[serde(default)]
    state: Option<String>,
    /// After this session (0 = before treatment; default the last).
    #[serde(default)]
    session: Option<usize>,
    /// Viewing distance, mm (default 300).
    #[serde(default)]
    distance: Option<f64>,
    /// Picture size, pixels (default 600).
    #[serde(default)]
    size: Option<usize>,
}

/// The look (`fresh|healed|years:N`, default healed) and the viewing distance (100–5000 mm, default `default_mm`)
/// of a preview query, checked: the mannequin preview and the plan on the client's photo read them alike.
pub(super) fn look_and_distance(
    state: Option<&str>,
    distance: Option<f64>,
    default_mm: f64,
) -> Result<(follicle_render::State, f64), ApiError> {
    let state_name = state.unwrap_or("healed");
    let look = follicle_render::State::parse(state_name)
        .ok_or_else(|| ApiError::bad_request(follicle_render::State::refusal_words(state_name)))?;
    let distance = distance.unwrap_or(default_mm);
    if !(100.0..=5000.0).contains(&distance) {
        return Err(ApiError::bad_request("distance must be 100–5000 mm"));
    }
    Ok((look, distance))
}

/// What the records say of the client the mannequin shows (crate::look, the one rule the client report's
/// picture follows too): the plan's case file and the latest consultation, when the account may read it.
async fn client_look(st: &AppState, a: &Actor, p: &PlanRecord) -> crate::look::ClientLook {
    let intake = super::designs::latest_consultation(st, a, p.client_id)
        .await
        .ok()
        .flatten()
        .map(|(_, intake)| intake);
    crate::look::ClientLook::of(p.case_toml.as_deref(), intake.as_ref())
}

/// Bumped when the rendering changes, so cached previews of an older renderer are not served (6: s26, designs
/// worn with the hair kept, skin in shadow not taken for hair, the advice's `seen_cm2` and `hair_as_worn`; 7: s30,
/// hair seeded inside the photo's head outline before a dark backdrop, the advice's `design_advice`; 8: s33, the
/// advice's tone gaps in words with the darker side, a guard suggested only where one matches, the catalogue
/// note reworded, and stubble of 1.5 mm and longer drawn with its grain lying over the skin; 9: s54, an earlier
/// session's tone regions read at the finished plan's own scale).
pub(super) const PREVIEW_CACHE_VERSION: u32 = 9;

/// GET /api/plans/{id}/preview.png: the plan on the mannequin (follicle-render), rendered on the first request
/// and cached under the SHA-256 of the plan.json and the parameters.
pub(super) async fn plan_preview(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<PlanId>,
    ApiQuery(q): ApiQuery<PreviewQuery>,
) -> ApiResult {
    use follicle_render::{Scene, View};
    let view_name = q.view.as_deref().unwrap_or("34");
    let view = View::parse(view_name).ok_or_else(|| {
        ApiError::bad_request(format!(
            "view `{view_name}`: use top, front, left, right, back or 34"
        ))
    })?;
    let (state, distance) = look_and_distance(q.state.as_deref(), q.distance, 300.0)?;
    let size = q.size.unwrap_or(600);
    if !(64..=1200).contains(&size) {
        return Err(ApiError::bad_request("size must be 64–1200 pixels"));
    }
    let c = a.clinic();
    let (p, text) = db(&st, move |s| s.plan_with_json(c, id)).await?;
    if q.session.is_some_and(|k| k as i64 > p.sessions) {
        return Err(ApiError::bad_request(format!(
            "session must be 0–{} for this plan",
            p.sessions
        )));
    }
    // Drawn with the clinic's pigments where the design's shades are theirs (follicle-render's plan_catalogue):
    // their recorded colours are part of the picture's key.
    let own = super::pigments::coloured(&st, c).await?;
    // The face comes from the plan itself first (its plan.json, hashed into the key) and then from `look`.
    let look = client_look(&st, &a, &p).await;
    let key = format!(
        "v{PREVIEW_CACHE_VERSION}|{}|{}|{}|{:?}|{distance}|{size}|{own:?}|{look:?}",
        sha256_hex(text.as_bytes()),
        view.name(),
        state.label(),
        q.session
    );
    let path = st
        .photos
        .plan_preview_dir()
        .join(format!("{}.png", sha256_hex(key.as_bytes())));
    let session = q.session;
    let png = crate::document(move || {
        if let Ok(bytes) = std::fs::read(&path) {
            return Ok(bytes);
        }
        let plan = follicle_export::load_plan(&text)
            .map_err(|e| ApiError::internal(format!("stored plan.json: {e}")))?;
        let mut scene = Scene {
            view,
            state,
            session,
            distance_mm: distance,
            size,
            ..Scene::new(plan.design.seed)
        };
        look.dress(&mut scene, &plan);
        let drawn = follicle_render::plan_catalogue::for_plan(&plan, own);
        let img = follicle_render::preview::render(&plan, &drawn.catalogue, &scene);
        let bytes = follicle_render::png(&img).map_err(ApiError::internal)?;
        follicle_store::photos::write_atomic(&path, &bytes)?;
        Ok(bytes)
    })
    .await?;
    viewed(&st, &a, "plan preview", Some(id), Some(p.client_id)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "private, max-age=3600"),
        ],
        png,
    )
        .into_response())
}

/// Content-Security-Policy of the printable pages (stencil, report): no scripts, the page's own inline style.
pub(super) const PRINT_PAGE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

/// The stored plan and the stencil's title (client, reference, plan), for the stencil routes.
async fn stencil_source(
    st: &AppState,
    a: &Actor,
    id: PlanId,
) -> Result<(follicle_store::ClientId, String, String), ApiError> {
    let c = a.clinic();
    let (p, text) = db(st, move |s| s.plan_with_json(c, id)).await?;
    let client_id = p.client_id;
    let client = db(st, move |s| s.client(c, client_id)).await?;
    let title = format!(
        "{} ({}): plan {id}, {}",
        client.fields.name, client.fields.reference, p.label
    );
    Ok((client_id, text, title))
}

/// GET /api/plans/{id}/stencil.svg: the plan's stencil at true scale (1 unit = 1 mm; follicle-export), for printing.
pub(super) async fn plan_stencil(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<PlanId>,
) -> ApiResult {
    let (client_id, text, title) = stencil_source(&st, &a, id).await?;
    let svg = crate::document(move || {
        let plan = follicle_export::load_plan(&text)
            .map_err(|e| ApiError::internal(format!("stored plan.json: {e}")))?;
        Ok(follicle_export::svg::stencil_svg(&plan, &title))
    })
    .await?;
    viewed(&st, &a, "stencil", Some(id), Some(client_id)).await?;
    let disposition = format!("inline; filename=\"stencil-plan-{id}.svg\"");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "image/svg+xml; charset=utf-8".to_string(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CONTENT_SECURITY_POLICY, PRINT_PAGE_CSP.to_string()),
        ],
        svg,
    )
        .into_response())
}

/// Query of the printable stencil.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StencilQuery {
    /// `a4` (the default) or `letter`.
    paper: Option<String>,
}

/// GET /api/plans/{id}/stencil.pdf[?paper=a4|letter]: the same stencil tiled at 1:1 over as many pages as it
/// needs, with registration marks, page labels and a scale bar on each (what `follicle plan` writes): the
/// file to print on an office printer at 100 %.
pub(super) async fn plan_stencil_pdf(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<PlanId>,
    ApiQuery(q): ApiQuery<StencilQuery>,
) -> ApiResult {
    let paper = match q.paper.as_deref() {
        None => follicle_export::tiles::Paper::A4,
        Some(name) => follicle_export::tiles::Paper::from_name(name).ok_or_else(|| {
            ApiError::unprocessable("The paper must be A4 or Letter.".to_string())
        })?,
    };
    let (client_id, text, title) = stencil_source(&st, &a, id).await?;
    let pdf = crate::document(move || {
        let plan = follicle_export::load_plan(&text)
            .map_err(|e| ApiError::internal(format!("stored plan.json: {e}")))?;
        Ok(follicle_export::pdf::stencil_pdf(
            &follicle_export::stencil::build(&plan, &title, paper),
            paper,
        ))
    })
    .await?;
    viewed(&st, &a, "stencil", Some(id), Some(client_id)).await?;
    let disposition = format!("inline; filename=\"stencil-plan-{id}.pdf\"");
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        pdf,
    )
        .into_response())
}

/// Query of the client report.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReportQuery {
    /// The plan to report on (default: the client's newest).
    #[serde(default)]
    plan: Option<PlanId>,
    /// `html` (default) or `pdf`.
    #[serde(default)]
    format: Option<String>,
}

/// GET /api/clients/{id}/report: a printable HTML page (or `?format=pdf`) for the client (crate::report): the clinic,
/// the practitioner, a picture of the design, the plan's sessions with dates held or proposed, the scalp areas and
/// densities in plain words, the screening outcome in plain words, aftercare, ink-passport lots.
pub(super) async fn client_report(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> ApiResult {
    let c = a.clinic();
    let today = today(&st, a.clinic()).await?;
    let store = st.store.clone();
    let pdf_wanted = q.format.as_deref() == Some("pdf");
    if !matches!(q.format.as_deref(), None | Some("html") | Some("pdf")) {
        return Err(ApiError::bad_request("format: use html or pdf"));
    }
    // Loading the records, parsing the plan.json (megabytes for a large plan), drawing the design and writing
    // the page are blocking and CPU work: off the async threads.
    let page = crate::document(move || {
        let doc = crate::client_docs::report(&*store, c, id, q.plan, today)?;
        if pdf_wanted {
            return Ok(Err(pdf::render(&doc).map_err(ApiError::internal)?));
        }
        Ok(Ok(html::render(&doc).replacen(
            "</style>",
            &format!("{}</style>", crate::report::PRINT_CSS),
            1,
        )))
    })
    .await?;
    viewed(&st, &a, "client report", None::<Id>, Some(id)).await?;
    Ok(match page {
        Ok(html) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CONTENT_SECURITY_POLICY, PRINT_PAGE_CSP),
            ],
            html,
        )
            .into_response(),
        Err(bytes) => (
            [
                (header::CONTENT_TYPE, "application/pdf"),
                (
                    header::CONTENT_DISPOSITION,
                    "inline; filename=\"treatment-report.pdf\"",
                ),
            ],
            bytes,
        )
            .into_response(),
    })
}
