//! Designs: named case files saved for a client once follicle-case accepts them, and planned on demand.

use super::plans::{parse_case, plan_case};
use super::*;

/// Body of POST /api/clients/{id}/designs.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DesignBody {
    /// A name for the design (e.g. `conservative hairline`).
    label: String,
    /// The case file (TOML, docs/case-format.md).
    case: String,
}

pub(super) async fn list_designs(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<Id>,
) -> ApiResult<Json<Vec<DesignRecord>>> {
    let list = client_records(&st, &a, id, "design", |s, c, id| s.designs(c, id)).await?;
    Ok(Json(list))
}

/// POST /api/clients/{id}/designs: saves a case file once follicle-case accepts it.
pub(super) async fn add_design(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<DesignBody>,
) -> ApiResult<(StatusCode, Json<DesignRecord>)> {
    let label = b.label.trim().to_string();
    if label.is_empty() {
        return Err(ApiError::unprocessable("label: give the design a name"));
    }
    text("label", &label, TextKind::Name)?;
    let c = a.clinic();
    db(&st, move |s| s.client(c, id)).await?;
    let case = b.case;
    let case =
        cpu(move || parse_case(&case, &follicle_case::Overrides::default()).map(|_| case)).await?;
    let (new, by) = (
        NewDesign {
            label,
            case_toml: case,
        },
        a.user.id,
    );
    Ok((
        StatusCode::CREATED,
        Json(db(&st, move |s| s.add_design(c, id, &new, by)).await?),
    ))
}

pub(super) async fn get_design(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<Id>,
) -> ApiResult<Json<DesignRecord>> {
    let c = a.clinic();
    let d = db(&st, move |s| s.design(c, id)).await?;
    viewed(&st, &a, "design", Some(id), Some(d.client_id)).await?;
    Ok(Json(d))
}

/// Body of POST /api/designs/{id}/plans: the plan route's overrides (the case comes from the design).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DesignPlanBody {
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default)]
    sessions: Option<usize>,
    /// Plan label (default: the design's label).
    #[serde(default)]
    label: Option<String>,
}

/// POST /api/designs/{id}/plans: plans the stored design for its client, as POST /api/clients/{id}/plans does.
pub(super) async fn plan_design(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<DesignPlanBody>,
) -> ApiResult<(StatusCode, Json<PlanRecord>)> {
    opt_text("label", b.label.as_deref(), TextKind::Name)?;
    let c = a.clinic();
    let d = db(&st, move |s| s.design(c, id)).await?;
    let ov = follicle_case::Overrides {
        seed: b.seed,
        sessions: b.sessions,
    };
    plan_case(
        &st,
        &a,
        d.client_id,
        d.case_toml,
        ov,
        Some(b.label.unwrap_or(d.label)),
    )
    .await
}
