//! The clinic's premises in the database: its opening hours (one row per open weekday) and its managed list of
//! rooms (retired, never deleted, so old bookings keep their names). The rules (which hours are valid, whether
//! a booking fits them, which room a typed name means) are follicle-clinic's `premises`; this stores them for
//! every node. Every change appends its audit row in the same transaction.

use crate::driver::{int, opt_int, text, Conn, Driver, Row};
use crate::records::{audit, insert, SqlStore};
use crate::*;
use serde::{Deserialize, Serialize};

/// One open weekday: minutes after midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningSpan {
    /// 0 = Monday … 6 = Sunday.
    pub weekday: i64,
    /// Opens, minutes after midnight.
    pub opens: i64,
    /// Closes, minutes after midnight (1440 = midnight).
    pub closes: i64,
}

/// A room of the clinic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomRecord {
    /// Id.
    pub id: RoomId,
    /// Clinic.
    pub clinic_id: ClinicId,
    /// Its name.
    pub name: String,
    /// How rooms are told apart (follicle-clinic's `room_key`).
    pub room_key: String,
    /// When it was retired (Unix seconds), if it was.
    pub retired_at: Option<i64>,
    /// Unix seconds.
    pub created_at: i64,
}

/// The most rooms one clinic keeps (follicle-clinic's `premises::MAX_ROOMS`).
pub const MAX_ROOMS: i64 = 100;

/// Opening hours and rooms (part of every [`Store`]).
pub trait Premises {
    /// The clinic's open weekdays, Monday first (empty: hours not entered).
    fn opening_hours(&self, clinic: ClinicId) -> Result<Vec<OpeningSpan>>;
    /// Replaces the clinic's opening hours in one transaction. Audited.
    fn set_opening_hours(
        &self,
        clinic: ClinicId,
        spans: &[OpeningSpan],
        by: UserId,
    ) -> Result<Vec<OpeningSpan>>;
    /// The clinic's rooms (in use and retired), by name.
    fn rooms(&self, clinic: ClinicId) -> Result<Vec<RoomRecord>>;
    /// Adds a room; `Conflict` when one of that name (key) exists or the clinic has [`MAX_ROOMS`]. Audited.
    fn add_room(&self, clinic: ClinicId, name: &str, key: &str, by: UserId) -> Result<RoomRecord>;
    /// Renames a room and/or retires or restores it; `Conflict` when the new name is another room's. Audited.
    fn update_room(
        &self,
        clinic: ClinicId,
        id: RoomId,
        name: Option<(&str, &str)>,
        retired: Option<bool>,
        by: UserId,
    ) -> Result<RoomRecord>;
}

const ROOM_COLS: &str = "id, clinic_id, name, room_key, retired_at, created_at";

fn room_row(r: &Row) -> Result<RoomRecord> {
    Ok(RoomRecord {
        id: r.i(0)?,
        clinic_id: r.i(1)?,
        name: r.t(2)?,
        room_key: r.t(3)?,
        retired_at: r.oi(4)?,
        created_at: r.i(5)?,
    })
}

pub(crate) fn spans(c: &mut dyn Conn, clinic: ClinicId) -> Result<Vec<OpeningSpan>> {
    c.query(
        "SELECT weekday, opens, closes FROM opening_hours WHERE clinic_id = ? ORDER BY weekday",
        &[int(clinic)],
    )?
    .iter()
    .map(|r| {
        Ok(OpeningSpan {
            weekday: r.i(0)?,
            opens: r.i(1)?,
            closes: r.i(2)?,
        })
    })
    .collect::<Result<Vec<_>>>()
}

fn same_name(c: &mut dyn Conn, clinic: ClinicId, key: &str, other_than: RoomId) -> Result<()> {
    let found = c.query(
        "SELECT name FROM rooms WHERE clinic_id = ? AND room_key = ? AND id <> ?",
        &[int(clinic), text(key), int(other_than)],
    )?;
    match found.first() {
        Some(r) => Err(StoreError::Conflict(format!(
            "There is already a room called {}.",
            r.t(0)?
        ))),
        None => Ok(()),
    }
}

/// Weekday names for the audit log, Monday first.
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

pub(crate) fn describe(s: &[OpeningSpan]) -> String {
    if s.is_empty() {
        return "opening hours cleared".into();
    }
    let hm = |m: i64| format!("{:02}:{:02}", m / 60, m % 60);
    s.iter()
        .map(|x| {
            let day = usize::try_from(x.weekday)
                .ok()
                .and_then(|w| DAYS.get(w))
                .unwrap_or(&"?");
            format!("{day} {}–{}", hm(x.opens), hm(x.closes))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl<D: Driver> Premises for SqlStore<D> {
    fn opening_hours(&self, clinic: ClinicId) -> Result<Vec<OpeningSpan>> {
        self.read_tx(|c| spans(c, clinic))
    }

    fn set_opening_hours(
        &self,
        clinic: ClinicId,
        new: &[OpeningSpan],
        by: UserId,
    ) -> Result<Vec<OpeningSpan>> {
        self.write_tx(|c| {
            crate::clinic_day::lock_bookings(c, clinic)?;
            c.exec("DELETE FROM opening_hours WHERE clinic_id = ?", &[int(clinic)])?;
            for s in new {
                c.exec(
                    "INSERT INTO opening_hours (clinic_id, weekday, opens, closes) VALUES (?, ?, ?, ?)",
                    &[int(clinic), int(s.weekday), int(s.opens), int(s.closes)],
                )?;
            }
            c.exec(
                "UPDATE clinics SET week_entered = ? WHERE id = ?",
                &[int(i64::from(!new.is_empty())), int(clinic)],
            )?;
            audit(c, clinic, Some(by), "update", "opening_hours", None::<Id>, None, &describe(new))?;
            spans(c, clinic)
        })
    }

    fn rooms(&self, clinic: ClinicId) -> Result<Vec<RoomRecord>> {
        self.read_tx(|c| {
            c.query(
                &format!("SELECT {ROOM_COLS} FROM rooms WHERE clinic_id = ? ORDER BY room_key, id"),
                &[int(clinic)],
            )?
            .iter()
            .map(room_row)
            .collect::<Result<Vec<_>>>()
        })
    }

    fn add_room(&self, clinic: ClinicId, name: &str, key: &str, by: UserId) -> Result<RoomRecord> {
        self.write_tx(|c| {
            same_name(c, clinic, key, RoomId(0))?;
            let n = c
                .one("rooms", "SELECT COUNT(*) FROM rooms WHERE clinic_id = ?", &[int(clinic)])?
                .i::<i64>(0)?;
            if n >= MAX_ROOMS {
                return Err(StoreError::Conflict(format!(
                    "A clinic keeps at most {MAX_ROOMS} rooms: retire or rename one instead."
                )));
            }
            let r = room_row(&insert(
                c,
                &format!("INSERT INTO rooms (clinic_id, name, room_key, retired_at, created_at) VALUES (?, ?, ?, NULL, ?) RETURNING {ROOM_COLS}"),
                &[int(clinic), text(name), text(key), int(now_unix())],
            )?)?;
            audit(c, clinic, Some(by), "create", "room", Some(r.id), None, name)?;
            Ok(r)
        })
    }

    fn update_room(
        &self,
        clinic: ClinicId,
        id: RoomId,
        name: Option<(&str, &str)>,
        retired: Option<bool>,
        by: UserId,
    ) -> Result<RoomRecord> {
        self.write_tx(|c| {
            let old = room_row(&c.one(
                "room",
                &format!("SELECT {ROOM_COLS} FROM rooms WHERE id = ? AND clinic_id = ?"),
                &[int(id), int(clinic)],
            )?)?;
            let mut what = Vec::new();
            if let Some((name, key)) = name {
                same_name(c, clinic, key, id)?;
                c.exec(
                    "UPDATE rooms SET name = ?, room_key = ? WHERE id = ? AND clinic_id = ?",
                    &[text(name), text(key), int(id), int(clinic)],
                )?;
                what.push(format!("renamed from {} to {name}", old.name));
            }
            if let Some(retired) = retired {
                let at = if retired {
                    Some(old.retired_at.unwrap_or_else(now_unix))
                } else {
                    None
                };
                c.exec(
                    "UPDATE rooms SET retired_at = ? WHERE id = ? AND clinic_id = ?",
                    &[opt_int(at), int(id), int(clinic)],
                )?;
                what.push(if retired { "retired" } else { "back in use" }.to_string());
            }
            audit(
                c,
                clinic,
                Some(by),
                "update",
                "room",
                Some(id),
                None,
                &format!("{}: {}", old.name, what.join(", ")),
            )?;
            room_row(&c.one(
                "room",
                &format!("SELECT {ROOM_COLS} FROM rooms WHERE id = ? AND clinic_id = ?"),
                &[int(id), int(clinic)],
            )?)
        })
    }
}
