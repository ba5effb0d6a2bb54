//! The clinic's premises: opening hours and the managed room list (every role reads them; the owner edits them),
//! and the checks a booking passes against them (follicle-clinic's `premises`): inside one day's opening hours,
//! in a room in use. The owner may book outside the hours, or despite the screening gate, with a written reason
//! (`override_reason`), which is stored with the booking and audited; a room not on the list is never booked.

use super::*;
use follicle_clinic::appointment::{room_key, Slot};
use follicle_clinic::premises::{self, DayHours, OpeningHours, Room};
use follicle_clinic::ClinicZone;

/// Body of PUT /api/clinic/hours: the open weekdays (a weekday left out is closed; none: hours not kept).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HoursBody {
    days: Vec<DayHours>,
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

/// The clinic's hours and rooms as the booking checks use them.
pub(super) struct Premises {
    pub hours: OpeningHours,
    pub rooms: Vec<Room>,
}

/// Reads the clinic's hours and rooms.
pub(super) async fn load(st: &AppState, clinic: ClinicId) -> ApiResult<Premises> {
    let (spans, rooms) = db(st, move |s| {
        Ok((s.opening_hours(clinic)?, s.rooms(clinic)?))
    })
    .await?;
    Ok(Premises {
        hours: hours_of(&spans),
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

fn hours_of(spans: &[OpeningSpan]) -> OpeningHours {
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
    OpeningHours::from_minutes(&rows)
}

fn hours_view(h: &OpeningHours) -> Value {
    json!({
        "set": h.is_set(),
        "days": h.days(),
        "week": (0u8..7).map(|w| json!({
            "weekday": w,
            "name": premises::WEEKDAYS[usize::from(w)],
            "hours": h.describe(w),
        })).collect::<Vec<_>>(),
    })
}

/// Each day of a view with its opening hours in words ("09:00–18:00", "closed"; `null` when hours are not kept).
pub(super) fn hours_by_day(h: &OpeningHours, from: Date, days: u32) -> Vec<Value> {
    (0..i64::from(days))
        .map(|i| {
            let day = from.add_days(i);
            let w = day.to_jiff().weekday().to_monday_zero_offset() as u8;
            json!({
                "date": day.to_string(),
                "hours": h.is_set().then(|| h.describe(w)),
            })
        })
        .collect()
}

/// What an owner's override lifted, for the booking to carry; `None` when nothing needed lifting.
pub(super) struct Lifted(pub Option<String>);

/// The room a booking names (the list's spelling when the clinic keeps one) and whether the slot lies inside the
/// opening hours; outside them only an owner's override (already checked to come from the owner) lets it pass.
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
    let lifted = match p.hours.check(zone, slot) {
        Ok(()) => None,
        Err(_) if override_reason.is_some() => override_reason.map(str::to_string),
        Err(m) => return Err(ApiError::conflict(m)),
    };
    Ok((room, Lifted(lifted)))
}

/// GET /api/clinic/hours: the clinic's opening hours (every role).
pub(super) async fn get_hours(State(st): State<AppState>, a: Actor) -> ApiResult<Json<Value>> {
    let c = a.clinic();
    let spans = db(&st, move |s| s.opening_hours(c)).await?;
    Ok(Json(hours_view(&hours_of(&spans))))
}

/// PUT /api/clinic/hours: replaces the opening hours (owner), checked by follicle-clinic.
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
    let h = OpeningHours::new(&b.days).map_err(ApiError::unprocessable)?;
    let spans: Vec<OpeningSpan> = h
        .minutes()
        .into_iter()
        .map(|(w, o, c)| OpeningSpan {
            weekday: i64::from(w),
            opens: i64::from(o),
            closes: i64::from(c),
        })
        .collect();
    let (c, by) = (a.clinic(), a.user.id);
    let stored = db(&st, move |s| s.set_opening_hours(c, &spans, by)).await?;
    Ok(Json(hours_view(&hours_of(&stored))))
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
