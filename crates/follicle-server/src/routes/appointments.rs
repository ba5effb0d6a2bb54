//! Appointments: booking, moving and cancelling (front desk may), the day and week views, the proposed
//! follow-up sessions to book with one click, and the reminder calendars (per client, per practitioner, the
//! clinic's). Every rule is follicle-clinic's: the slot on the clinic's clocks (`appointment::slot`), the clash
//! (`appointment::check_clash`, run by the store under the clinic's booking lock so two bookings racing for one
//! slot cannot both succeed), the screening gate for sessions and touch-ups (`gate::check_intake`), the ranges a
//! view or feed may cover, and the calendar text (`ics::timed_ics`).

use super::consultations::latest_intake;
use super::premises;
use super::*;
use follicle_clinic::appointment::{self, Booking, BookingError, Slot};
use follicle_clinic::export::{timed_ics, FeedInfo, TimedEvent};
use follicle_clinic::gate::{self, Action, Override, Refusal};
use follicle_clinic::ClinicZone;

/// What an appointment is for: sessions and touch-ups pass the screening gate, consultations do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum Kind {
    Consultation,
    Session,
    TouchUp,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Consultation => "consultation",
            Kind::Session => "session",
            Kind::TouchUp => "touch-up",
        }
    }
    fn default_purpose(self) -> &'static str {
        match self {
            Kind::Consultation => "Consultation",
            Kind::Session => "Session",
            Kind::TouchUp => "Touch-up",
        }
    }
}

/// Body of POST /api/appointments and PUT /api/appointments/{id}.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BookingBody {
    /// The client (booking only; a moved appointment keeps its client).
    #[serde(default)]
    client_id: Option<ClientId>,
    /// Day on the clinic's calendar, YYYY-MM-DD.
    date: String,
    /// Start on the clinic's clocks, HH:MM.
    time: String,
    /// Length in minutes.
    minutes: i64,
    /// The practitioner (a user id).
    practitioner_id: UserId,
    /// The room.
    room: String,
    /// Consultation, session or touch-up (default session).
    #[serde(default)]
    kind: Option<Kind>,
    /// A label, e.g. "Session 2 of 3".
    #[serde(default)]
    purpose: Option<String>,
    /// The owner's written reason for booking despite the screening gate or the opening hours.
    #[serde(default)]
    override_reason: Option<String>,
    /// Moving only: the appointment's `revision` when the screen was loaded; a booking moved since by
    /// someone else is then refused instead of moved over their change.
    #[serde(default)]
    revision: Option<i64>,
}

/// Body of POST /api/appointments/{id}/cancel.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CancelBody {
    /// Why, in a few words ("client phoned: ill").
    reason: String,
}

/// Query of the views and feeds: `from` (default today) and `days` (default 1 for a view, 31 for a feed).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RangeQuery {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    days: Option<u32>,
    #[serde(default)]
    practitioner: Option<UserId>,
    #[serde(default)]
    cancelled: Option<bool>,
}

fn unix(t: DateTime) -> i64 {
    t.to_jiff().as_second()
}

fn at_unix(s: i64) -> ApiResult<DateTime> {
    DateTime::from_unix_seconds(s)
        .ok_or_else(|| ApiError::internal("a stored time is out of range"))
}

fn booking_error(e: BookingError) -> ApiError {
    match e {
        BookingError::Clash(_) => ApiError::conflict(e.to_string()),
        _ => ApiError::unprocessable(e.to_string()),
    }
}

/// The range a view or feed covers, bounded by follicle-clinic.
fn range(zone: &ClinicZone, q: &RangeQuery, default_days: u32) -> ApiResult<(Date, u32, i64, i64)> {
    let from = match q.from.as_deref() {
        Some(d) => plausible_date("from", parse_date("from", d)?, appointment::MAX_DAYS_AHEAD)?,
        None => zone.today(now_utc()),
    };
    let days = q.days.unwrap_or(default_days);
    let (a, b) = appointment::range(zone, from, days).map_err(ApiError::unprocessable)?;
    Ok((from, days, unix(a), unix(b)))
}

/// An appointment as the API shows it to `role`: stored fields plus its day and times on the clinic's clocks.
/// The front desk sees that the owner approved a booking (who, when), not the written reason: a reason that
/// lifts a screening refusal is medical ("apixaban paused 48 h"), and the front desk sees no medical history
/// (probe s7 N17).
pub(super) fn view(zone: &ClinicZone, a: &Appointment, role: Role) -> ApiResult<Value> {
    let (start, end) = (at_unix(a.starts_at)?, at_unix(a.ends_at)?);
    let (day, h, m) = zone.local(start);
    Ok(json!({
        "id": a.id,
        "client_id": a.client_id,
        "client_name": a.client_name,
        "client_reference": a.client_reference,
        "practitioner_id": a.practitioner_id,
        "practitioner_name": a.practitioner_name,
        "room": a.room,
        "kind": a.kind,
        "purpose": a.purpose,
        "status": a.status,
        "cancel_reason": a.cancel_reason,
        "revision": a.revision,
        "start": start.to_string(),
        "end": end.to_string(),
        "date": day.to_string(),
        "time": format!("{h:02}:{m:02}"),
        "end_time": appointment::end_clock(zone, &Slot { start, end }),
        "minutes": (a.ends_at - a.starts_at) / 60,
        "override": a.override_reason.as_ref().map(|reason| json!({
            "reason": if role == Role::FrontDesk { Value::Null } else { json!(reason) },
            "by": a.override_by_name,
            "at": a.override_at.and_then(DateTime::from_unix_seconds).map(|t| t.to_string()),
        })),
    }))
}

fn views(zone: &ClinicZone, list: &[Appointment], role: Role) -> ApiResult<Json<Vec<Value>>> {
    Ok(Json(
        list.iter()
            .map(|a| view(zone, a, role))
            .collect::<ApiResult<_>>()?,
    ))
}

/// The owner's override sent with a booking: only the owner may send one, with a written reason
/// (follicle-clinic's rule for overrides).
fn owner_override(a: &Actor, reason: Option<&str>) -> ApiResult<Option<Override>> {
    let Some(reason) = reason else {
        return Ok(None);
    };
    if a.user.role != Role::Owner {
        return Err(ApiError::forbidden(
            "Only the clinic's owner can book despite the screening or the opening hours.",
        ));
    }
    let o = Override {
        by: a.user.display_name.clone(),
        reason: reason.trim().to_string(),
    };
    o.validate().map_err(ApiError::unprocessable)?;
    Ok(Some(o))
}

/// The screening gate for booking `n` (a session or touch-up) for `client` at `start`: the client's newest intake
/// must allow booking, or the owner's override lifts the gate (never a "not suitable"), and then its reason is
/// kept with the booking. Front desk gets the refusal without its medical detail. For booking and moving alike.
async fn gate_booking(
    st: &AppState,
    a: &Actor,
    client: ClientId,
    (kind, start, zone): (Kind, DateTime, &ClinicZone),
    over: Option<Override>,
    n: &mut NewAppointment,
) -> ApiResult<()> {
    if gate_lifted(st, a, client, kind, zone.local(start).0, over.as_ref()).await? {
        n.override_reason = over.map(|o| o.reason);
    }
    Ok(())
}

/// [`gate_booking`]'s check: `true` when the owner's override lifted the gate.
async fn gate_lifted(
    st: &AppState,
    a: &Actor,
    client: ClientId,
    kind: Kind,
    day: Date,
    over: Option<&Override>,
) -> ApiResult<bool> {
    if kind == Kind::Consultation {
        return Ok(false);
    }
    let medical = a.user.role.sees_medical();
    let Some(intake) = latest_intake(st, a.clinic(), client).await? else {
        return Err(ApiError::conflict(
            "This client has not been screened yet: record their consultation (the consultation form on the client's record) before booking sessions; a booked consultation appointment does not screen them.",
        ));
    };
    let today = today(st, a.clinic()).await?;
    gate::check_intake(
        &intake,
        &RuleSet::embedded(),
        None,
        over,
        Action::Book,
        day,
        today,
    )
    .map(|p| matches!(p.basis, gate::Basis::Overridden { .. }))
    .map_err(|r| match r {
        Refusal::BookInPast { .. }
        | Refusal::BeforeBirth { .. }
        | Refusal::Invalid(_)
        | Refusal::WrongClient { .. } => ApiError::unprocessable(r.to_string()),
        r if r.owner_may_override() => ApiError::conflict(r.words(medical)).owner_may_override(),
        _ => ApiError::conflict(r.words(medical)),
    })
}

/// Checks the typed fields and works out the slot, the room (from the clinic's list) and the opening hours
/// (lifted only by the owner's override); returns the appointment to store and its day.
fn new_appointment(
    zone: &ClinicZone,
    b: &BookingBody,
    client_id: ClientId,
    p: &premises::Premises,
    over: Option<&Override>,
) -> ApiResult<(NewAppointment, Slot, Kind)> {
    text("room", &b.room, TextKind::Name)?;
    opt_text("purpose", b.purpose.as_deref(), TextKind::Name)?;
    let day = parse_date("date", &b.date)?;
    let slot =
        appointment::slot(zone, day, &b.time, b.minutes, now_utc()).map_err(booking_error)?;
    let (room, lifted) = premises::check(p, zone, &b.room, &slot, over.map(|o| o.reason.as_str()))?;
    let kind = b.kind.unwrap_or(Kind::Session);
    Ok((
        NewAppointment {
            client_id,
            practitioner_id: b.practitioner_id,
            room_key: appointment::room_key(&room),
            room,
            starts_at: unix(slot.start),
            ends_at: unix(slot.end),
            kind: kind.as_str().into(),
            purpose: b
                .purpose
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .unwrap_or(kind.default_purpose())
                .to_string(),
            override_reason: lifted.0,
        },
        slot,
        kind,
    ))
}

/// The stretch of time in which a stored booking could clash with `n` (the longest booking on either side).
fn window(n: &NewAppointment) -> (i64, i64) {
    let reach = i64::from(appointment::MAX_MINUTES) * 60;
    (n.starts_at - reach, n.ends_at + reach)
}

/// The clash check (follicle-clinic's rule) the store runs on the bookings near a new or moved appointment.
fn clash_rule(
    zone: ClinicZone,
    n: &NewAppointment,
    own: AppointmentId,
    slot: Slot,
) -> impl Fn(&[Appointment]) -> Result<(), String> + Sync {
    let new = Booking {
        id: own.0,
        practitioner_id: n.practitioner_id.0,
        practitioner: String::new(),
        client_id: n.client_id.0,
        client: String::new(),
        room: n.room.clone(),
        slot,
    };
    move |near: &[Appointment]| {
        let existing = near
            .iter()
            .filter_map(|a| {
                Some(Booking {
                    id: a.id.0,
                    practitioner_id: a.practitioner_id.0,
                    practitioner: a.practitioner_name.clone(),
                    client_id: a.client_id.0,
                    client: a.client_name.clone(),
                    room: a.room.clone(),
                    slot: Slot {
                        start: DateTime::from_unix_seconds(a.starts_at)?,
                        end: DateTime::from_unix_seconds(a.ends_at)?,
                    },
                })
            })
            .collect::<Vec<_>>();
        appointment::check_clash(&zone, &new, &existing).map_err(|e| e.to_string())
    }
}

/// GET /api/practitioners: who can be booked (active owners and practitioners), for every role.
pub(super) async fn practitioners(State(st): State<AppState>, a: Actor) -> ApiResult<Json<Value>> {
    let c = a.clinic();
    let users = db(&st, move |s| s.users(c)).await?;
    Ok(Json(Value::Array(
        users
            .iter()
            .filter(|u| u.active && u.role.sees_medical())
            .map(|u| json!({ "id": u.id, "display_name": u.display_name }))
            .collect(),
    )))
}

/// POST /api/appointments: books an appointment (201), or 409 with the clash or the screening's refusal.
pub(super) async fn book(
    State(st): State<AppState>,
    a: Actor,
    ApiJson(b): ApiJson<BookingBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let client_id = b
        .client_id
        .ok_or_else(|| ApiError::unprocessable("client_id: choose the client to book"))?;
    let over = owner_override(&a, b.override_reason.as_deref())?;
    let c = a.clinic();
    let zone = clinic_zone(&st, c).await?;
    let p = premises::load(&st, c).await?;
    let (mut n, slot, kind) = new_appointment(&zone, &b, client_id, &p, over.as_ref())?;
    db(&st, move |s| s.client(c, client_id)).await?;
    gate_booking(&st, &a, client_id, (kind, slot.start, &zone), over, &mut n).await?;
    let (z, by) = (zone.clone(), a.user.id);
    let stored = db(&st, move |s| {
        let check = clash_rule(z, &n, AppointmentId(0), slot);
        s.book_appointment(c, &n, window(&n), &check, by)
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(view(&zone, &stored, a.user.role)?),
    ))
}

/// GET /api/appointments/{id}.
pub(super) async fn get_one(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<AppointmentId>,
) -> ApiResult<Json<Value>> {
    let c = a.clinic();
    let found = db(&st, move |s| s.appointment(c, id)).await?;
    Ok(Json(view(
        &clinic_zone(&st, c).await?,
        &found,
        a.user.role,
    )?))
}

/// PUT /api/appointments/{id}: moves a booked appointment (time, length, practitioner, room), under the same
/// checks as a booking.
pub(super) async fn reschedule(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<AppointmentId>,
    ApiJson(b): ApiJson<BookingBody>,
) -> ApiResult<Json<Value>> {
    let c = a.clinic();
    let old = db(&st, move |s| s.appointment(c, id)).await?;
    if b.client_id.is_some_and(|x| x != old.client_id) {
        return Err(ApiError::unprocessable(
            "client_id: an appointment keeps its client; cancel it and book the other client",
        ));
    }
    let over = owner_override(&a, b.override_reason.as_deref())?;
    let zone = clinic_zone(&st, c).await?;
    let p = premises::load(&st, c).await?;
    let (mut n, slot, kind) = new_appointment(&zone, &b, old.client_id, &p, over.as_ref())?;
    if b.kind.is_none() {
        n.kind = old.kind.clone();
    }
    if b.purpose.is_none() {
        n.purpose = old.purpose.clone();
    }
    let kind = match n.kind.as_str() {
        "consultation" => Kind::Consultation,
        "touch-up" => Kind::TouchUp,
        _ => kind,
    };
    gate_booking(
        &st,
        &a,
        old.client_id,
        (kind, slot.start, &zone),
        over,
        &mut n,
    )
    .await?;
    let (z, told, by, seen) = (zone.clone(), zone.clone(), a.user.id, b.revision);
    let moved = db(&st, move |s| {
        let check = clash_rule(z, &n, id, slot);
        s.move_appointment(c, id, &n, seen, window(&n), &check, by)
            .map_err(super::stale_in(&told))
    })
    .await?;
    Ok(Json(view(&zone, &moved, a.user.role)?))
}

/// POST /api/appointments/{id}/cancel: cancels with a reason (the booking stays listed as cancelled).
pub(super) async fn cancel(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<AppointmentId>,
    ApiJson(b): ApiJson<CancelBody>,
) -> ApiResult<Json<Value>> {
    text("reason", &b.reason, TextKind::Name)?;
    let c = a.clinic();
    let by = a.user.id;
    let reason = b.reason.trim().to_string();
    let done = db(&st, move |s| s.cancel_appointment(c, id, &reason, by)).await?;
    Ok(Json(view(&clinic_zone(&st, c).await?, &done, a.user.role)?))
}

/// GET /api/appointments: the day or week view (`from`, `days` up to follicle-clinic's limit), optionally one
/// practitioner's, cancelled ones on request.
pub(super) async fn list(
    State(st): State<AppState>,
    a: Actor,
    ApiQuery(q): ApiQuery<RangeQuery>,
) -> ApiResult<Json<Value>> {
    let zone = clinic_zone(&st, a.clinic()).await?;
    let (from, days, start, end) = range(&zone, &q, 1)?;
    let query = AppointmentQuery {
        from: start,
        to: end,
        client: None,
        practitioner: q.practitioner,
        include_cancelled: q.cancelled.unwrap_or(false),
    };
    let c = a.clinic();
    let list = db(&st, move |s| s.appointments(c, &query)).await?;
    let p = premises::load(&st, c).await?;
    Ok(Json(json!({
        "from": from.to_string(),
        "days": days,
        "hours": premises::hours_by_day(&p, from, days),
        "rooms": p.rooms.iter().filter(|r| !r.retired).map(|r| r.name.as_str()).collect::<Vec<_>>(),
        "zone": zone.name(),
        "today": zone.today(now_utc()).to_string(),
        "appointments": views(&zone, &list, a.user.role)?.0,
    })))
}

/// A client's appointments from three months back to two years ahead, by start.
async fn client_list(
    st: &AppState,
    a: &Actor,
    client: ClientId,
    cancelled: bool,
) -> ApiResult<Vec<Appointment>> {
    let now = unix(now_utc());
    let query = AppointmentQuery {
        from: now - 92 * 86_400,
        to: now + appointment::MAX_DAYS_AHEAD * 86_400,
        client: Some(client),
        practitioner: None,
        include_cancelled: cancelled,
    };
    let c = a.clinic();
    db(st, move |s| s.appointments(c, &query)).await
}

/// GET /api/clients/{id}/appointments.
pub(super) async fn for_client(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
) -> ApiResult<Json<Vec<Value>>> {
    let list = client_list(&st, &a, id, true).await?;
    views(&clinic_zone(&st, a.clinic()).await?, &list, a.user.role)
}

/// GET /api/clients/{id}/proposals: the rest of the client's course as the screening allows it today (as in the
/// schedule feed), each visit marked when a booking with its label already exists. Front desk gets no touch-up.
/// `held_back`: why nothing is proposed (the screening's reason for medical roles, a neutral sentence for the
/// front desk); `book_on` is never beyond the furthest day a booking can be made.
pub(super) async fn proposals(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
) -> ApiResult<Json<Value>> {
    let today = today(&st, a.clinic()).await?;
    let medical = a.user.role.sees_medical();
    let c = a.clinic();
    let (rows, consultations, sessions) = db(&st, move |s| {
        let plans = s.plans(c, id)?;
        let followed = crate::followed::sessions_plan(&plans, &s.designs(c, id)?);
        Ok((
            s.sessions(c, id)?,
            crate::client_docs::held_by(s.consultations(c, id)?, today),
            crate::followed::course_sessions(&plans, followed),
        ))
    })
    .await?;
    // The course has the followed plan's sessions (outside test s48: a 4-session plan was proposed as
    // "Session 1 of 3" … "3 of 3", the default course).
    let settings = ScheduleSettings {
        sessions,
        ..ScheduleSettings::default()
    };
    let booked = client_list(&st, &a, id, false).await?;
    let open = premises::load(&st, c).await?.open_days();
    let o = open.clone();
    // The course starts tomorrow, the first day a one-click booking is offered: proposed for today, the first
    // session's one-day window lay before its own "Book" button (outside probe s26: "window 2026-12-04 –
    // 2026-12-04 | Book 2026-12-05").
    let first_day = today.add_days(1);
    let (v, held_back) = cpu(move || {
        super::schedule::course(
            &rows,
            consultations.first().map(|c| c.intake_json.as_str()),
            first_day,
            &settings,
            medical,
            today,
            &o,
        )
    })
    .await?;
    // One-click booking days: each on an open day, no earlier than tomorrow and at least the course's
    // shortest spacing after the previous visit's booking day (a run of closed days moves two proposals
    // onto the same first open day otherwise).
    // and never beyond the furthest day a booking may be made (the one click would be refused).
    // Which booking stands for each visit (follicle-clinic's rule: its label, else the next booking of its kind
    // from today on).
    let labels: Vec<(&str, String)> = v
        .iter()
        .map(|v| match v.kind {
            follicle_clinic::VisitKind::Session { index, of } => {
                ("session", format!("Session {index} of {of}"))
            }
            follicle_clinic::VisitKind::TouchUp => ("touch-up", "Touch-up".to_string()),
        })
        .collect();
    let visits: Vec<(&str, &str)> = labels.iter().map(|(k, l)| (*k, l.as_str())).collect();
    let live: Vec<(i64, &str, &str, i64)> = booked
        .iter()
        .filter(|b| b.status == "booked")
        .map(|b| (b.id.0, b.kind.as_str(), b.purpose.as_str(), b.starts_at))
        .collect();
    let from = unix(clinic_zone(&st, c).await?.at(today, 0, 0));
    let matched = appointment::match_visits(&visits, &live, from);
    let spacing = i64::from(ScheduleSettings::default().min_days);
    let mut after = today.add_days(1);
    let furthest = today.add_days(appointment::MAX_DAYS_AHEAD);
    let out: Vec<Value> = v
        .iter()
        .zip(&matched)
        .zip(&labels)
        .map(|((v, booking), (kind, purpose))| {
            let want = v.proposed.max(after);
            let open_on = open.next_open(want);
            let book_on = open_on.filter(|d| *d <= furthest);
            after = open_on.unwrap_or(want).add_days(spacing);
            json!({
                "kind": kind,
                "purpose": purpose,
                "earliest": v.earliest.to_string(),
                "proposed": v.proposed.to_string(),
                "latest": v.latest.to_string(),
                "overdue": v.overdue,
                "overdue_since": v.overdue_since.map(|d| d.to_string()),
                "overdue_note": v.overdue_note(today),
                "book_on": book_on.map(|d| d.to_string()),
                "book_note": match (open_on, book_on) {
                    (None, _) => Some(format!(
                        "The clinic is closed on every day for {} days from {want}: choose a day by hand.",
                        follicle_clinic::closures::MAX_SHIFT_DAYS + 1
                    )),
                    (Some(d), None) => Some(format!(
                        "Due on {d}, later than appointments can be made now (up to {furthest}): book it nearer the time."
                    )),
                    _ => None,
                },
                "booked": booking,
            })
        })
        .collect();
    Ok(Json(
        json!({ "today": today.to_string(), "visits": out, "held_back": held_back }),
    ))
}

/// The events of a calendar: who sees what. `client_view`: the client's own reminders (studio and practitioner
/// named); otherwise the staff's (client named).
fn events(list: &[Appointment], studio: &str, client_view: bool) -> ApiResult<Vec<TimedEvent>> {
    list.iter()
        .map(|a| {
            Ok(TimedEvent {
                id: a.id.0,
                sequence: u32::try_from(a.revision).unwrap_or(0),
                start: at_unix(a.starts_at)?,
                end: at_unix(a.ends_at)?,
                summary: if client_view {
                    format!("{} at {studio}", a.purpose)
                } else {
                    format!("{}: {}", a.client_name, a.purpose)
                },
                description: if client_view {
                    format!(
                        "{} with {} in {} at {studio}. Arrive with a clean, dry scalp; to move or cancel, call the studio.",
                        a.purpose, a.practitioner_name, a.room
                    )
                } else {
                    format!(
                        "{} for {} ({}) with {} in {}.",
                        a.purpose, a.client_name, a.client_reference, a.practitioner_name, a.room
                    )
                },
                location: format!("{studio}, {}", a.room),
                cancelled: a.status == "cancelled",
            })
        })
        .collect()
}

fn ics_response(text: String) -> Response {
    (
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        text,
    )
        .into_response()
}

async fn feed(st: &AppState, a: &Actor, list: Vec<Appointment>, client_view: bool) -> ApiResult {
    let c = a.clinic();
    let clinic = db(st, move |s| s.clinic(c)).await?;
    let zone = clinic_zone(st, c).await?;
    let text = cpu(move || {
        let ev = events(&list, &clinic.name, client_view)?;
        let info = FeedInfo {
            uid_domain: "follicle.invalid",
            now: now_utc(),
            zone: &zone,
        };
        Ok(timed_ics(&info, &ev))
    })
    .await?;
    Ok(ics_response(text))
}

/// GET /api/clients/{id}/appointments.ics: the client's appointments with reminders (cancelled ones published
/// as cancelled, so a subscribed calendar marks them instead of dropping them).
pub(super) async fn client_ics(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
) -> ApiResult {
    let list = client_list(&st, &a, id, true).await?;
    feed(&st, &a, list, true).await
}

/// GET /api/users/{id}/appointments.ics: one practitioner's appointments over a bounded range.
pub(super) async fn practitioner_ics(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<UserId>,
    ApiQuery(q): ApiQuery<RangeQuery>,
) -> ApiResult {
    let c = a.clinic();
    let users = db(&st, move |s| s.users(c)).await?;
    if !users.iter().any(|u| u.id == id) {
        return Err(ApiError::not_found("User not found"));
    }
    let (_, _, from, to) = range(&clinic_zone(&st, a.clinic()).await?, &q, 31)?;
    let query = AppointmentQuery {
        from,
        to,
        client: None,
        practitioner: Some(id),
        include_cancelled: true,
    };
    let list = db(&st, move |s| s.appointments(c, &query)).await?;
    feed(&st, &a, list, false).await
}

/// GET /api/appointments.ics: the clinic's appointments over a bounded range (default 31 days from today).
pub(super) async fn clinic_ics(
    State(st): State<AppState>,
    a: Actor,
    ApiQuery(q): ApiQuery<RangeQuery>,
) -> ApiResult {
    let (_, _, from, to) = range(&clinic_zone(&st, a.clinic()).await?, &q, 31)?;
    let query = AppointmentQuery {
        from,
        to,
        client: None,
        practitioner: q.practitioner,
        include_cancelled: true,
    };
    let c = a.clinic();
    let list = db(&st, move |s| s.appointments(c, &query)).await?;
    feed(&st, &a, list, false).await
}
