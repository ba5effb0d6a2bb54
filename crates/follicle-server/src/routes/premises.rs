//! The clinic's premises: opening hours with their breaks, closures (single closed days and periods such as two
//! weeks in summer) and the managed room list (every role reads them; the owner edits them), and the checks a
//! booking passes against them (follicle-clinic's `premises` and `closures`): inside one day's opening hours,
//! outside its breaks, on no day of a closure, in a room in use.
//! The owner may book outside the hours, in a break or on a closed date, or despite the screening gate, with a
//! written reason (`override_reason`), which is stored with the booking and audited; a room not on the list is
//! never booked. Proposed follow-ups move to the next open day ([`OpenDays`]).

use super::*;
use follicle_clinic::appointment::{room_key, Slot};
use follicle_clinic::closures::{self, ClosedPeriod as TypedClosure, Closures, DayBreak};
use follicle_clinic::premises::{self, DayHours, OpeningHours, Room};
use follicle_clinic::ClinicZone;
use follicle_clinic::DateTime;

/// Body of PUT /api/clinic/hours: the weekdays, open with their times or `"closed": true` (a weekday left out is
/// closed; none at all: no hours entered) and their breaks (left out: the breaks already kept, those on a day
/// that no longer opens dropped and listed, the others still within the new hours).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HoursBody {
    days: Vec<DayHours>,
    #[serde(default)]
    breaks: Option<Vec<DayBreak>>,
}

/// Body of PUT /api/clinic/closed-dates: every closure the clinic keeps, a single day (`from`, or `date`) or a
/// period (`from` and `to`), each with its reason (replaces the list).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ClosedDatesBody {
    dates: Vec<TypedClosure>,
}

/// Body of POST /api/rooms.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NewRoomBody {
    name: String,
}

/// Body of PUT /api/rooms/{id}: a new name and/or retired or back in use.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RoomBody {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    retired: Option<bool>,
}

/// The clinic's hours, breaks, closed dates and rooms as the booking checks use them.
pub(super) struct Premises {
    pub hours: OpeningHours,
    pub closures: Closures,
    pub rooms: Vec<Room>,
}

/// The days the clinic opens (hours and closed dates), for moving proposed visits.
#[derive(Clone, Default)]
pub struct OpenDays {
    hours: OpeningHours,
    closures: Closures,
}

impl OpenDays {
    /// The first day on or after `day` the clinic opens (follicle-clinic's `Closures::next_open_day`).
    pub fn next(&self, day: Date) -> Date {
        self.closures.next_open_day(&self.hours, day)
    }

    /// The first day on or after `day` the clinic opens, `None` when none lies within follicle-clinic's
    /// `MAX_SHIFT_DAYS` (a long closure): such a visit is booked by hand, never on a closed day.
    pub fn next_open(&self, day: Date) -> Option<Date> {
        Some(self.next(day)).filter(|d| self.closures.open_on(&self.hours, *d))
    }
}

impl Premises {
    /// The open days, to move proposed visits to.
    pub fn open_days(&self) -> OpenDays {
        OpenDays {
            hours: self.hours,
            closures: self.closures.clone(),
        }
    }
}

/// The days `clinic` opens, read from the store: the same hours, breaks and closed dates the server's
/// proposals follow (for `follicle schedule --as USER`, which has no server).
pub fn open_days(s: &dyn Store, clinic: ClinicId) -> Result<OpenDays, StoreError> {
    Ok(OpenDays {
        hours: hours_of(&s.opening_hours(clinic)?, s.week_entered(clinic)?),
        closures: closures_of(&s.opening_breaks(clinic)?, &s.closed_periods(clinic)?),
    })
}

/// Reads the clinic's hours, breaks, closed dates and rooms.
pub(super) async fn load(st: &AppState, clinic: ClinicId) -> ApiResult<Premises> {
    let (spans, entered, breaks, days, rooms) = db(st, move |s| {
        Ok((
            s.opening_hours(clinic)?,
            s.week_entered(clinic)?,
            s.opening_breaks(clinic)?,
            s.closed_periods(clinic)?,
            s.rooms(clinic)?,
        ))
    })
    .await?;
    Ok(Premises {
        hours: hours_of(&spans, entered),
        closures: closures_of(&breaks, &days),
        rooms: rooms
            .into_iter()
            .map(|r| Room {
                id: r.id.0,
                name: r.name,
                retired: r.retired_at.is_some(),
            })
            .collect(),
    })
}

fn hours_of(spans: &[OpeningSpan], entered: bool) -> OpeningHours {
    let rows: Vec<(u8, u16, u16)> = spans
        .iter()
        .filter_map(|s| {
            Some((
                u8::try_from(s.weekday).ok()?,
                u16::try_from(s.opens).ok()?,
                u16::try_from(s.closes).ok()?,
            ))
        })
        .collect();
    OpeningHours::from_stored(&rows, entered)
}

fn closures_of(breaks: &[BreakSpan], periods: &[ClosedPeriod]) -> Closures {
    let breaks: Vec<(u8, u16, u16)> = breaks
        .iter()
        .filter_map(|b| {
            Some((
                u8::try_from(b.weekday).ok()?,
                u16::try_from(b.starts).ok()?,
                u16::try_from(b.ends).ok()?,
            ))
        })
        .collect();
    let periods: Vec<(Date, Date, String)> = periods
        .iter()
        .filter_map(|p| {
            Some((
                p.first_day.parse().ok()?,
                p.last_day.parse().ok()?,
                p.reason.clone(),
            ))
        })
        .collect();
    Closures::from_stored(&breaks, &periods)
}

fn hours_view(h: &OpeningHours, c: &Closures) -> Value {
    json!({
        "set": h.is_set(),
        "days": h.days(),
        "breaks": c.breaks(),
        "week": (0u8..7).map(|w| json!({
            "weekday": w,
            "name": premises::WEEKDAYS[usize::from(w)],
            "hours": h.describe(w),
            "breaks": c.describe_breaks(w),
        })).collect::<Vec<_>>(),
    })
}

fn closed_view(c: &Closures) -> Value {
    json!({
        "dates": c.periods().into_iter().map(|(from, to, reason)| json!({
            "from": from.to_string(),
            "to": to.to_string(),
            "days": from.days_until(to) + 1,
            "reason": reason,
        })).collect::<Vec<_>>(),
        "max": closures::MAX_CLOSURES,
        "max_days": closures::MAX_CLOSURE_DAYS,
    })
}

/// Each day of a view with its opening hours in words ("09:00–18:00", "closed"; `null` when hours are not kept),
/// its breaks (`breaks`: ["13:00–14:00"], only when it has some) and, on a closed date, why the clinic is closed
/// (`closed`, only then).
pub(super) fn hours_by_day(p: &Premises, from: Date, days: u32) -> Vec<Value> {
    (0..i64::from(days))
        .map(|i| {
            let day = from.add_days(i);
            let w = day.to_jiff().weekday().to_monday_zero_offset() as u8;
            let mut v = json!({
                "date": day.to_string(),
                "hours": p.hours.is_set().then(|| p.hours.describe(w)),
            });
            let breaks = p.closures.describe_breaks(w);
            if !breaks.is_empty() {
                v["breaks"] = json!(breaks);
            }
            if let Some(why) = p.closures.closed_on(day) {
                v["closed"] = json!(why);
            }
            v
        })
        .collect()
}

/// What an owner's override lifted, for the booking to carry; `None` when nothing needed lifting.
pub(super) struct Lifted(pub Option<String>);

/// The room a booking names (the list's spelling when the clinic keeps one) and whether the slot lies inside the
/// opening hours, outside the breaks and not on a closed date; otherwise only an owner's override (already
/// checked to come from the owner) lets it pass.
pub(super) fn check(
    p: &Premises,
    zone: &ClinicZone,
    room: &str,
    slot: &Slot,
    override_reason: Option<&str>,
) -> ApiResult<(String, Lifted)> {
    let room = match premises::choose_room(&p.rooms, room).map_err(ApiError::unprocessable)? {
        Some(r) => r.name.clone(),
        None => room.trim().to_string(),
    };
    let lifted = match p
        .hours
        .check(zone, slot)
        .and_then(|()| p.closures.check(zone, slot))
    {
        Ok(()) => None,
        Err(_) if override_reason.is_some() => override_reason.map(str::to_string),
        Err(m) => return Err(ApiError::conflict(m).owner_may_override()),
    };
    Ok((room, Lifted(lifted)))
}

/// GET /api/clinic/hours: the clinic's opening hours and breaks (every role).
pub(super) async fn get_hours(State(st): State<AppState>, a: Actor) -> ApiResult<Json<Value>> {
    let p = load(&st, a.clinic()).await?;
    Ok(Json(hours_view(&p.hours, &p.closures)))
}

/// PUT /api/clinic/hours: replaces the opening hours and their breaks (owner), checked by follicle-clinic, in
/// one transaction.
pub(super) async fn put_hours(
    State(st): State<AppState>,
    a: Actor,
    ApiJson(b): ApiJson<HoursBody>,
) -> ApiResult<Json<Value>> {
    if b.days.len() > 7 {
        return Err(ApiError::unprocessable(
            "A week has seven days: give each open weekday once.",
        ));
    }
    let most = 7 * closures::MAX_BREAKS_PER_DAY;
    if b.breaks.as_ref().is_some_and(|x| x.len() > most) {
        return Err(ApiError::unprocessable(format!(
            "At most {most} breaks a week ({} a day).",
            closures::MAX_BREAKS_PER_DAY
        )));
    }
    let h = OpeningHours::new(&b.days).map_err(ApiError::unprocessable)?;
    let c = a.clinic();
    let before = load(&st, c).await?;
    // Kept breaks on a day that no longer opens go (and are listed); the others must fit the new hours.
    let (breaks, dropped) = match b.breaks {
        Some(x) => (x, Vec::new()),
        None => before
            .closures
            .breaks()
            .into_iter()
            .partition(|x| h.span(x.weekday).is_some()),
    };
    let checked = Closures::new(&h, &breaks, &[]).map_err(ApiError::unprocessable)?;
    let spans: Vec<OpeningSpan> = h
        .minutes()
        .into_iter()
        .map(|(w, o, c)| OpeningSpan {
            weekday: i64::from(w),
            opens: i64::from(o),
            closes: i64::from(c),
        })
        .collect();
    let rows: Vec<BreakSpan> = checked
        .break_minutes()
        .into_iter()
        .map(|(w, s, e)| BreakSpan {
            weekday: i64::from(w),
            starts: i64::from(s),
            ends: i64::from(e),
        })
        .collect();
    let (by, entered) = (a.user.id, h.is_set());
    let (spans, rows) = db(&st, move |s| s.set_week(c, &spans, &rows, entered, by)).await?;
    let after = Premises {
        hours: hours_of(&spans, entered),
        closures: closures_of(&rows, &[]),
        rooms: Vec::new(),
    };
    let mut v = hours_view(&after.hours, &after.closures);
    v["dropped_breaks"] = json!(dropped
        .iter()
        .map(|x| format!(
            "{} {}–{}",
            premises::WEEKDAYS[usize::from(x.weekday.min(6))],
            x.starts.trim(),
            x.ends.trim()
        ))
        .collect::<Vec<_>>());
    let after = Premises {
        closures: Closures::from_stored(
            &after.closures.break_minutes(),
            &before.closures.periods(),
        ),
        ..after
    };
    v["bookings_to_move"] = json!(newly_outside(&st, c, &before, &after).await?);
    Ok(Json(v))
}

/// The clinic's bookings from now on (at most the store's list limit), of one practitioner when given.
pub(super) async fn bookings_ahead(
    st: &AppState,
    clinic: ClinicId,
    practitioner: Option<UserId>,
) -> ApiResult<Vec<Appointment>> {
    let q = AppointmentQuery {
        from: now_unix(),
        to: i64::MAX / 2,
        client: None,
        practitioner,
        include_cancelled: false,
    };
    db(st, move |s| s.appointments(clinic, &q)).await
}

/// A booking the owner must move, as the appointment views show it, with why (`why`).
pub(super) fn to_move(zone: &ClinicZone, a: &Appointment, why: &str) -> ApiResult<Value> {
    let mut v = super::appointments::view(zone, a, Role::Owner)?;
    v["why"] = json!(why);
    Ok(v)
}

/// The future bookings that lay inside the hours, outside the breaks and on no closed day before a change and
/// no longer do after it (follicle-clinic's checks), each with the sentence a booking at that time now gets, so
/// the owner can move them (the third probe's L7). Bookings an owner had placed outside on purpose are not
/// listed again.
pub(super) async fn newly_outside(
    st: &AppState,
    clinic: ClinicId,
    before: &Premises,
    after: &Premises,
) -> ApiResult<Vec<Value>> {
    let zone = super::clinic_zone(st, clinic).await?;
    let fits = |p: &Premises, slot: &Slot| {
        p.hours
            .check(&zone, slot)
            .and_then(|()| p.closures.check(&zone, slot))
    };
    let mut out = Vec::new();
    for a in bookings_ahead(st, clinic, None).await? {
        let (Some(start), Some(end)) = (
            DateTime::from_unix_seconds(a.starts_at),
            DateTime::from_unix_seconds(a.ends_at),
        ) else {
            continue;
        };
        let slot = Slot { start, end };
        if fits(before, &slot).is_ok() {
            if let Err(why) = fits(after, &slot) {
                out.push(to_move(&zone, &a, &why)?);
            }
        }
    }
    Ok(out)
}

/// GET /api/clinic/closed-dates: the clinic's closed dates with their reasons (every role).
pub(super) async fn get_closed_dates(
    State(st): State<AppState>,
    a: Actor,
) -> ApiResult<Json<Value>> {
    let p = load(&st, a.clinic()).await?;
    Ok(Json(closed_view(&p.closures)))
}

/// PUT /api/clinic/closed-dates: replaces the closures (owner), checked by follicle-clinic: real days, the
/// first not after the last, at most a year long, not overlapping, ending within the furthest a booking goes.
pub(super) async fn put_closed_dates(
    State(st): State<AppState>,
    a: Actor,
    ApiJson(b): ApiJson<ClosedDatesBody>,
) -> ApiResult<Json<Value>> {
    let checked =
        Closures::new(&OpeningHours::default(), &[], &b.dates).map_err(ApiError::unprocessable)?;
    let c = a.clinic();
    checked
        .within_reach(today(&st, c).await?)
        .map_err(ApiError::unprocessable)?;
    let periods: Vec<ClosedPeriod> = checked
        .periods()
        .into_iter()
        .map(|(from, to, reason)| ClosedPeriod {
            first_day: from.to_string(),
            last_day: to.to_string(),
            reason,
        })
        .collect();
    for p in &periods {
        text("reason", &p.reason, TextKind::Name)?;
    }
    let by = a.user.id;
    let before = load(&st, c).await?;
    let stored = db(&st, move |s| s.set_closed_periods(c, &periods, by)).await?;
    let mut v = closed_view(&closures_of(&[], &stored));
    let after = Premises {
        hours: before.hours,
        closures: Closures::from_stored(
            &before.closures.break_minutes(),
            &closures_of(&[], &stored).periods(),
        ),
        rooms: Vec::new(),
    };
    v["bookings_to_move"] = json!(newly_outside(&st, c, &before, &after).await?);
    Ok(Json(v))
}

/// GET /api/rooms: the clinic's rooms, in use and retired (every role).
pub(super) async fn list_rooms(
    State(st): State<AppState>,
    a: Actor,
) -> ApiResult<Json<Vec<RoomRecord>>> {
    let c = a.clinic();
    Ok(Json(db(&st, move |s| s.rooms(c)).await?))
}

fn room_name(name: &str) -> ApiResult<(String, String)> {
    premises::check_room_name(name).map_err(|e| ApiError::unprocessable(format!("Room: {e}")))?;
    text("name", name, TextKind::Name)?;
    Ok((name.trim().to_string(), room_key(name)))
}

/// POST /api/rooms: adds a room (owner); 409 when one of that name exists.
pub(super) async fn add_room(
    State(st): State<AppState>,
    a: Actor,
    ApiJson(b): ApiJson<NewRoomBody>,
) -> ApiResult<(StatusCode, Json<RoomRecord>)> {
    let (name, key) = room_name(&b.name)?;
    let (c, by) = (a.clinic(), a.user.id);
    let r = db(&st, move |s| s.add_room(c, &name, &key, by)).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// PUT /api/rooms/{id}: renames a room, retires it or puts it back in use (owner).
pub(super) async fn update_room(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<RoomId>,
    ApiJson(b): ApiJson<RoomBody>,
) -> ApiResult<Json<RoomRecord>> {
    if b.name.is_none() && b.retired.is_none() {
        return Err(ApiError::unprocessable(
            "Give the room a new name, or say whether it is retired.",
        ));
    }
    let name = b.name.as_deref().map(room_name).transpose()?;
    let (c, by) = (a.clinic(), a.user.id);
    let r = db(&st, move |s| {
        s.update_room(
            c,
            id,
            name.as_ref().map(|(n, k)| (n.as_str(), k.as_str())),
            b.retired,
            by,
        )
    })
    .await?;
    Ok(Json(r))
}
