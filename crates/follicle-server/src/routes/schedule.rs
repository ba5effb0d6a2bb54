//! Schedules: the proposed next visits of one client, or of the whole clinic, as iCalendar feeds.

use super::*;
use super::consultations::latest_intake;

/// Query of the schedule feed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ScheduleQuery {
    /// Day of the first session when none has been held (default today).
    #[serde(default)]
    first: Option<String>,
    /// Sessions in the course (default 3).
    #[serde(default)]
    course: Option<u32>,
    /// Preferred days between sessions (default 10).
    #[serde(default)]
    interval: Option<u32>,
}

pub(super) async fn schedule_ics(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>, ApiQuery(q): ApiQuery<ScheduleQuery>) -> ApiResult {
    let c = a.clinic();
    let (client, clinic, rows) = db(&st, move |s| Ok((s.client(c, id)?, s.clinic(c)?, s.sessions(c, id)?))).await?;
    let held = rows.iter().map(|r| parse_date("held_on", &r.held_on)).collect::<ApiResult<Vec<_>>>()?;
    // Scars only move the touch-up earlier; the schedule shows no medical detail.
    let scars = latest_intake(&st, c, id).await?.is_some_and(|i| i.has_scars());
    let first = q.first.as_deref().map(|d| parse_date("first", d)).transpose()?.unwrap_or_else(today);
    let mut settings = ScheduleSettings { sessions: q.course.unwrap_or(3), ..ScheduleSettings::default() };
    if let Some(i) = q.interval {
        settings.preferred_days = i;
    }
    let visits = follicle_clinic::propose(&held, first, &settings, scars).map_err(|e| ApiError::unprocessable(e.to_string()))?;
    let info = ics::CalendarInfo { client_id: &client.fields.reference, client_name: &client.fields.name, studio: &clinic.name, uid_domain: "follicle.invalid", now: now_utc() };
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], reminders_ics(&info, &visits)).into_response())
}

/// Query of the clinic's schedule feed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ClinicScheduleQuery {
    /// Sessions in a course (default 3).
    #[serde(default)]
    course: Option<u32>,
    /// Preferred days between sessions (default 10).
    #[serde(default)]
    interval: Option<u32>,
}

/// GET /api/schedule.ics: one calendar for the clinic with the proposed next visits of every client who has had
/// a session (follicle-clinic's proposal and calendar events, as in the per-client feed).
pub(super) async fn clinic_schedule_ics(State(st): State<AppState>, a: Actor, ApiQuery(q): ApiQuery<ClinicScheduleQuery>) -> ApiResult {
    let c = a.clinic();
    let (clinic, treated) = db(&st, move |s| {
        let mut treated = Vec::new();
        let mut offset = 0;
        loop {
            let page = s.list_clients(c, &ClientQuery { search: None, limit: 500, offset })?;
            for client in page.items.iter() {
                let rows = s.sessions(c, client.id)?;
                if !rows.is_empty() {
                    treated.push((client.clone(), rows));
                }
            }
            offset += 500;
            if offset >= page.total {
                break;
            }
        }
        Ok((s.clinic(c)?, treated))
    })
    .await?;
    let mut settings = ScheduleSettings { sessions: q.course.unwrap_or(3), ..ScheduleSettings::default() };
    if let Some(i) = q.interval {
        settings.preferred_days = i;
    }
    let now = now_utc();
    let end = "END:VCALENDAR\r\n";
    let blank = ics::CalendarInfo { client_id: "", client_name: "", studio: &clinic.name, uid_domain: "follicle.invalid", now };
    let empty = reminders_ics(&blank, &[]);
    let head = empty.strip_suffix(end).ok_or_else(|| ApiError::internal("unexpected calendar shape"))?;
    let mut out = head.to_string();
    for (client, rows) in &treated {
        let held = rows.iter().map(|r| parse_date("held_on", &r.held_on)).collect::<ApiResult<Vec<_>>>()?;
        let scars = latest_intake(&st, c, client.id).await?.is_some_and(|i| i.has_scars());
        let Ok(visits) = follicle_clinic::propose(&held, today(), &settings, scars) else { continue };
        let info = ics::CalendarInfo { client_id: &client.fields.reference, client_name: &client.fields.name, studio: &clinic.name, uid_domain: "follicle.invalid", now };
        let one = reminders_ics(&info, &visits);
        out.push_str(one.strip_prefix(head).and_then(|e| e.strip_suffix(end)).ok_or_else(|| ApiError::internal("unexpected calendar shape"))?);
    }
    out.push_str(end);
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], out).into_response())
}
