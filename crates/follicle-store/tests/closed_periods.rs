//! Schema 13 turns the closed dates of schema 11 into one-day closures, keeping each date and its reason, on
//! both backends (PostgreSQL when FOLLICLE_TEST_POSTGRES_URL is set, as in backends.rs).

use follicle_store::{postgres, sqlite, ClinicId, ClosedPeriod, Store};

fn owner() -> follicle_store::NewUser {
    follicle_store::NewUser {
        username: "o".into(),
        display_name: "O".into(),
        role: follicle_store::Role::Owner,
        password_hash: "h".into(),
    }
}

/// The closed dates entered under schema 11.
const OLD: [(&str, &str); 3] = [
    ("2026-12-25", "Christmas Day"),
    ("2026-12-24", "Christmas Eve"),
    ("2027-01-06", "Epiphany"),
];

fn expect(s: &dyn Store, clinic: ClinicId) {
    let want: Vec<ClosedPeriod> = [OLD[1], OLD[0], OLD[2]]
        .iter()
        .map(|(d, r)| ClosedPeriod {
            first_day: d.to_string(),
            last_day: d.to_string(),
            reason: r.to_string(),
        })
        .collect();
    assert_eq!(s.closed_periods(clinic).unwrap(), want);
    // The other clinic had none.
    assert!(s.closed_periods(ClinicId(clinic.0 + 1)).unwrap().is_empty());
}

#[test]
fn sqlite_closed_dates_become_one_day_closures() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("follicle.db");
    let clinic = {
        let v = sqlite::open_at_version(&path, 11).unwrap();
        let a = v.create_clinic_with_owner("Old clinic", &owner()).unwrap();
        let mut other = owner();
        other.username = "p".into();
        v.create_clinic_with_owner("Other clinic", &other).unwrap();
        a.0.id
    };
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        for (d, r) in OLD {
            c.execute(
                "INSERT INTO closed_dates (clinic_id, day, reason) VALUES (?1, ?2, ?3)",
                rusqlite::params![clinic.0, d, r],
            )
            .unwrap();
        }
    }
    let s = sqlite::open(&path).unwrap();
    expect(&s, clinic);
    let c = rusqlite::Connection::open(&path).unwrap();
    let old: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'closed_dates'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(old, 0, "the old table is gone");
}

#[test]
fn postgres_closed_dates_become_one_day_closures() {
    let Some(url) = follicle_store::testing::fresh_database("periods") else {
        return;
    };
    let clinic = {
        let v = postgres::open_at_version(&url, 11).unwrap();
        let a = v.create_clinic_with_owner("Old clinic", &owner()).unwrap();
        let mut other = owner();
        other.username = "p".into();
        v.create_clinic_with_owner("Other clinic", &other).unwrap();
        a.0.id
    };
    {
        let mut c = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
        for (d, r) in OLD {
            c.execute(
                "INSERT INTO closed_dates (clinic_id, day, reason) VALUES ($1, $2, $3)",
                &[&clinic.0, &d, &r],
            )
            .unwrap();
        }
    }
    let s = postgres::open(&url).unwrap();
    expect(&s, clinic);
    let mut c = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
    let old: i64 = c
        .query_one(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'closed_dates'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(old, 0, "the old table is gone");
}
