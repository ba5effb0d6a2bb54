//! Schema 17 keys user and clinic names as people read them (capitals, spaces at the ends and Unicode's look-alike
//! forms aside) under unique indexes. A database made before it may already hold `Alpha` beside `alpha`: it still
//! opens, both accounts still log in, and no third spelling of either name can be made. Both backends (PostgreSQL
//! when FOLLICLE_TEST_POSTGRES_URL is set).

use follicle_store::testing::owner;
use follicle_store::{postgres, sqlite, Store, StoreError};

/// What the store at schema 16 holds: two clinics whose names differ in capitals, and users `Alpha` and `alpha`.
fn before(s: &dyn Store) {
    let (nord, alpha) = s
        .create_clinic_with_owner("Studio Nord", &owner("Alpha"))
        .unwrap();
    s.create_user(nord.id, &owner("alpha"), alpha.id).unwrap();
    s.create_clinic_with_owner("STUDIO NORD ", &owner("beta"))
        .unwrap();
}

fn after(s: &dyn Store) {
    assert!(s.schema_version().unwrap() >= 17);
    assert_eq!(s.count_users().unwrap(), 3, "every old account is kept");
    for name in ["Alpha", "alpha", "beta"] {
        assert!(
            s.user_for_login(name).unwrap().is_some(),
            "`{name}` still logs in"
        );
    }
    let nord = s.user_for_login("Alpha").unwrap().unwrap().0;
    for name in ["ALPHA", "ａｌｐｈａ", "Beta"] {
        match s.create_user(nord.clinic_id, &owner(name), nord.id) {
            Err(StoreError::Conflict(m)) => assert!(m.contains("reads the same"), "{m}"),
            other => panic!("`{name}` was made beside the old names: {other:?}"),
        }
    }
    match s.create_clinic_with_owner("studio nord", &owner("gamma")) {
        Err(StoreError::Conflict(m)) => {
            assert!(
                m.contains("a clinic named `studio nord` already uses"),
                "{m}"
            )
        }
        other => panic!("a third `studio nord`: {other:?}"),
    }
    // A new name is still welcome, and opening again changes nothing.
    s.create_user(nord.clinic_id, &owner("delta"), nord.id)
        .unwrap();
    assert_eq!(s.count_users().unwrap(), 4);
}

#[test]
fn sqlite_names_made_before_schema_17_keep_working() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("follicle.db");
    before(&sqlite::open_at_version(&path, 16).unwrap());
    after(&sqlite::open(&path).unwrap());
    assert_eq!(sqlite::open(&path).unwrap().count_users().unwrap(), 4);
}

#[test]
fn postgres_names_made_before_schema_17_keep_working() {
    let Some(url) = follicle_store::testing::fresh_database("name_keys") else {
        return;
    };
    before(&postgres::open_at_version(&url, 16).unwrap());
    after(&postgres::open(&url).unwrap());
    assert_eq!(postgres::open(&url).unwrap().count_users().unwrap(), 4);
}
