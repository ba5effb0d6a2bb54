//! Schedules: the proposed next visits of one client, or of the whole clinic, as iCalendar feeds. The course
//! length and spacing a request asks for are bounded (follicle-clinic's limits) and the calendars are written
//! off the async threads. Staff who may not see medical records (front desk) get appointments only: no
//! treatment wording and no touch-up, whose timing depends on the client's scalp history.

use super::*;
use follicle_clinic::schedule::MAX_SESSIONS;

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

/// The course a request asks for, refused (422, plain words) outside 1–[`MAX_SESSIONS`] sessions and the
/// library's spacing window.
fn settings(course: Option<u32>, interval: Option<u32>) -> ApiResult<ScheduleSettings> {
    let mut s = ScheduleSettings::default();
    if let Some(n) = course {
        if !(1..=MAX_SESSIONS).contains(&n) {
            return Err(ApiError::unprocessable(format!(
                "course: a course has 1 to {MAX_SESSIONS} sessions, not {n}"
            )));
        }
        s.sessions = n;
    }
    if let Some(d) = interval {
        if !(s.min_days..=s.max_days).contains(&d) {
            return Err(ApiError::unprocessable(format!(
                "interval: sessions are {} to {} days apart, not {d}",
                s.min_days, s.max_days
            )));
        }
        s.preferred_days = d;
    }
    Ok(s)
}

/// One client's visits to put in a calendar: what follicle-clinic proposes as the client's screening allows
/// today (none while the client is not suitable, needs a clearance not yet recorded, or is deferred to an
/// unknown date; none without a consultation), without the touch-up for staff without medical access.
/// Scars only move the touch-up earlier; the calendar shows no medical detail. Each proposed day moves to the
/// next day the clinic opens (`open`: its hours and closed dates).
pub(super) fn visits(
    held: &[TreatmentSession],
    intake_json: Option<&str>,
    first: Date,
    settings: &ScheduleSettings,
    medical: bool,
    today: Date,
    open: &super::premises::OpenDays,
) -> ApiResult<Vec<follicle_clinic::Visit>> {
    Ok(course(held, intake_json, first, settings, medical, today, open)?.0)
}

/// [`visits`] and, while treatment is held back, why (follicle-clinic's `Refusal::words`: the screening's
/// reason for medical roles, a neutral sentence for the front desk).
pub(super) fn course(
    held: &[TreatmentSession],
    intake_json: Option<&str>,
    first: Date,
    settings: &ScheduleSettings,
    medical: bool,
    today: Date,
    open: &super::premises::OpenDays,
) -> ApiResult<(Vec<follicle_clinic::Visit>, Option<String>)> {
    let held = held
        .iter()
        .map(|r| parse_date("held_on", &r.held_on))
        .collect::<ApiResult<Vec<_>>>()?;
    let Some(intake) = intake_json
        .map(Intake::from_json)
        .transpose()
        .map_err(ApiError::internal)?
    else {
        return Ok((vec![], None));
    };
    let screening = follicle_clinic::screen(&intake, &RuleSet::embedded(), today);
    let course = follicle_clinic::schedule::course_on_open_days(
        &held,
        first,
        settings,
        intake.has_scars(),
        &screening,
        intake.clearance.as_ref(),
        today,
        &|d| open.next(d),
    )
    .map_err(|e| ApiError::unprocessable(e.to_string()))?;
    let mut v = course.visits;
    if !medical {
        v.retain(|v| v.kind != follicle_clinic::VisitKind::TouchUp);
    }
    Ok((v, course.held_back.map(|r| r.words(medical))))
}

/// The calendar text for one client's visits, with or without treatment detail.
fn write(info: &ics::CalendarInfo<'_>, visits: &[follicle_clinic::Visit], medical: bool) -> String {
    if medical {
        reminders_ics(info, visits)
    } else {
        follicle_clinic::export::appointments_ics(info, visits)
    }
}

fn calendar_response(text: String) -> Response {
    (
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        text,
    )
        .into_response()
}

pub(super) async fn schedule_ics(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
    ApiQuery(q): ApiQuery<ScheduleQuery>,
) -> ApiResult {
    let settings = settings(q.course, q.interval)?;
    let zone = clinic_zone(&st, a.clinic()).await?;
    let today = zone.today(now_utc());
    let first = match q.first.as_deref() {
        Some(d) => {
            let d = parse_date("first", d)?;
            follicle_clinic::schedule::check_first_day("first", d, today)
                .map_err(|e| ApiError::unprocessable(e.to_string()))?;
            d
        }
        None => today,
    };
    let medical = a.user.role.sees_medical();
    let c = a.clinic();
    let (client, clinic, rows, consultations, course) = db(&st, move |s| {
        let plans = s.plans(c, id)?;
        let followed = crate::followed::sessions_plan(&plans, &s.designs(c, id)?);
        Ok((
            s.client(c, id)?,
            s.clinic(c)?,
            s.sessions(c, id)?,
            crate::client_docs::held_by(s.consultations(c, id)?, today),
            crate::followed::course_sessions(&plans, followed),
        ))
    })
    .await?;
    // Without `course`, the course the followed plan has (its sessions, touch-ups aside).
    let mut settings = settings;
    if q.course.is_none() {
        settings.sessions = course;
    }
    let open = super::premises::load(&st, c).await?.open_days();
    let text = cpu(move || {
        let v = visits(
            &rows,
            consultations.first().map(|c| c.intake_json.as_str()),
            first,
            &settings,
            medical,
            today,
            &open,
        )?;
        let info = ics::CalendarInfo {
            client_id: &client.fields.reference,
            client_name: &client.fields.name,
            studio: &clinic.name,
            uid_domain: "follicle.invalid",
            now: now_utc(),
            zone: Some(&zone),
        };
        Ok(write(&info, &v, medical))
    })
    .await?;
    Ok(calendar_response(text))
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
pub(super) async fn clinic_schedule_ics(
    State(st): State<AppState>,
    a: Actor,
    ApiQuery(q): ApiQuery<ClinicScheduleQuery>,
) -> ApiResult {
    let settings = settings(q.course, q.interval)?;
    let zone = clinic_zone(&st, a.clinic()).await?;
    let today = zone.today(now_utc());
    let medical = a.user.role.sees_medical();
    let c = a.clinic();
    let open = super::premises::load(&st, c).await?.open_days();
    let (clinic, treated) = db(&st, move |s| {
        let mut treated = Vec::new();
        let mut offset = 0;
        loop {
            let page = s.list_clients(
                c,
                &ClientQuery {
                    search: None,
                    limit: 500,
                    offset,
                },
            )?;
            for client in page.items.iter() {
                let rows = s.sessions(c, client.id)?;
                if !rows.is_empty() {
                    let intake = crate::client_docs::held_by(s.consultations(c, client.id)?, today)
                        .into_iter()
                        .next()
                        .map(|c| c.intake_json);
                    let plans = s.plans(c, client.id)?;
                    let followed =
                        crate::followed::sessions_plan(&plans, &s.designs(c, client.id)?);
                    let course = crate::followed::course_sessions(&plans, followed);
                    treated.push((client.clone(), rows, intake, course));
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
    let text = cpu(move || {
        let now = now_utc();
        let end = "END:VCALENDAR\r\n";
        let blank = ics::CalendarInfo {
            client_id: "",
            client_name: "",
            studio: &clinic.name,
            uid_domain: "follicle.invalid",
            now,
            zone: Some(&zone),
        };
        let empty = write(&blank, &[], medical);
        let head = empty
            .strip_suffix(end)
            .ok_or_else(|| ApiError::internal("unexpected calendar shape"))?;
        let mut out = head.to_string();
        for (client, rows, intake, course) in &treated {
            // Each client's course has their followed plan's sessions unless `course` says otherwise.
            let settings = ScheduleSettings {
                sessions: q.course.unwrap_or(*course),
                ..settings
            };
            let Ok(v) = visits(
                rows,
                intake.as_deref(),
                today,
                &settings,
                medical,
                today,
                &open,
            ) else {
                continue;
            };
            let info = ics::CalendarInfo {
                client_id: &client.fields.reference,
                client_name: &client.fields.name,
                studio: &clinic.name,
                uid_domain: "follicle.invalid",
                now,
                zone: Some(&zone),
            };
            let one = write(&info, &v, medical);
            out.push_str(
                one.strip_prefix(head)
                    .and_then(|e| e.strip_suffix(end))
                    .ok_or_else(|| ApiError::internal("unexpected calendar shape"))?,
            );
        }
        out.push_str(end);
        Ok(out)
    })
    .await?;
    Ok(calendar_response(text))
}
