//! The retention purge (follicle_store::retention) on both backends: who is listed (retention ended by the
//! clinic's day, pseudonymised or not; nobody without treatment records or still within the period), the purge
//! deleting exactly them with audit rows, a second run finding nothing (idempotent), other clinics untouched,
//! a purge confirmed by another list than the one shown deleting nobody, and six purges racing (several server
//! nodes) deleting each client once.

use follicle_store::testing::owner;
use follicle_store::*;
use std::sync::Arc;

/// A client with a consultation held on `held_on` (None: no treatment record).
fn client(
    s: &dyn Store,
    clinic: ClinicId,
    by: UserId,
    reference: &str,
    held_on: Option<&str>,
) -> ClientId {
    let c = s
        .create_client(
            clinic,
            &ClientFields {
                reference: reference.into(),
                name: format!("Client {reference}"),
                date_of_birth: None,
                email: Some(format!("{reference}@example.org")),
                phone: None,
            },
            by,
        )
        .unwrap()
        .id;
    if let Some(day) = held_on {
        s.add_consultation(
            clinic,
            c,
            &NewConsultation {
                held_on: day.into(),
                outcome: "go".into(),
                intake_json: format!(r#"{{"client":{{"id":"{reference}"}}}}"#),
                screening_json: r#"{"outcome":"go","findings":[]}"#.into(),
            },
            by,
        )
        .unwrap();
    }
    c
}

struct World {
    clinic: ClinicId,
    other: ClinicId,
    by: UserId,
    /// Last treatment 2010: ended 2020.
    old: ClientId,
    /// Erased on request in 2015 (pseudonymised), last treatment 2014: ended 2024.
    erased: ClientId,
    /// Last treatment 2020: kept until 2030.
    recent: ClientId,
    /// No treatment record.
    prospect: ClientId,
    /// The other clinic's client treated in 2010.
    theirs: ClientId,
}

fn world(s: &dyn Store) -> World {
    let (a, alice) = s
        .create_clinic_with_owner("Clinic A", &owner("alice"))
        .unwrap();
    let (b, bob) = s
        .create_clinic_with_owner("Clinic B", &owner("bob"))
        .unwrap();
    let old = client(s, a.id, alice.id, "OLD-1", Some("2010-05-04"));
    let erased = client(s, a.id, alice.id, "ERA-1", Some("2014-02-28"));
    let done = s
        .erase_client(
            a.id,
            erased,
            "2015-01-01",
            "asked by e-mail",
            Some(alice.id),
        )
        .unwrap();
    assert!(
        matches!(done, Erasure::Pseudonymised { ref retain_until, .. } if retain_until == "2024-02-28")
    );
    let recent = client(s, a.id, alice.id, "NEW-1", Some("2020-06-01"));
    let prospect = client(s, a.id, alice.id, "PRO-1", None);
    let theirs = client(s, b.id, bob.id, "OLD-1", Some("2010-05-04"));
    World {
        clinic: a.id,
        other: b.id,
        by: alice.id,
        old,
        erased,
        recent,
        prospect,
        theirs,
    }
}

fn ids(list: &[RetentionEnded]) -> Vec<ClientId> {
    list.iter().map(|e| e.client_id).collect()
}

fn suite(s: &dyn Store) {
    let w = world(s);
    // The dry run lists, oldest end first, and writes nothing.
    let listed = s.retention_ended(w.clinic, "2026-11-30").unwrap();
    assert_eq!(ids(&listed), [w.old, w.erased]);
    assert_eq!(
        (
            listed[0].last_treatment.as_str(),
            listed[0].retain_until.as_str(),
            listed[0].pseudonymised
        ),
        ("2010-05-04", "2020-05-04", false)
    );
    assert!(listed[1].pseudonymised && listed[1].reference.starts_with("erased-"));
    assert_eq!(
        s.client(w.clinic, w.old).unwrap().id,
        w.old,
        "a dry run deletes nothing"
    );
    // The day the period ends is the first day the client goes.
    assert_eq!(
        ids(&s.retention_ended(w.clinic, "2024-02-27").unwrap()),
        [w.old]
    );
    assert_eq!(
        ids(&s.retention_ended(w.clinic, "2024-02-28").unwrap()),
        [w.old, w.erased]
    );
    assert!(s.retention_ended(w.clinic, "not a day").is_err());

    // The purge: exactly those, audited, in the clinic's 10-year setting.
    let before = s.audit(w.clinic, 1000, 0).unwrap().len();
    assert!(
        matches!(
            s.purge_retention_ended(w.clinic, "2026-11-30", "", None, None),
            Err(StoreError::Conflict(_))
        ),
        "a reason is required"
    );
    // Confirmed by the list the owner saw: any other list deletes nobody and says what changed.
    for (seen, want) in [
        (
            vec![w.old],
            "The list has changed since you looked: 1 client you were not shown is now due (erased-",
        ),
        (
            vec![w.old, w.erased, w.recent],
            "The list has changed since you looked: 1 client you were shown is no longer due. Nobody was deleted; please look at the list again before purging.",
        ),
        (
            vec![],
            "2 clients you were not shown are now due (",
        ),
    ] {
        match s.purge_retention_ended(w.clinic, "2026-11-30", "yearly retention purge", Some(w.by), Some(&seen)) {
            Err(StoreError::Conflict(m)) => assert!(m.contains(want), "{want}: {m}"),
            other => panic!("{seen:?}: {other:?}"),
        }
        assert_eq!(s.client(w.clinic, w.old).unwrap().id, w.old, "nobody deleted");
        assert_eq!(s.audit(w.clinic, 1000, 0).unwrap().len(), before, "nothing audited");
    }
    let p = s
        .purge_retention_ended(
            w.clinic,
            "2026-11-30",
            "yearly retention purge",
            Some(w.by),
            Some(&[w.erased, w.old, w.old]),
        )
        .unwrap();
    assert_eq!(ids(&p.purged), [w.old, w.erased]);
    for gone in [w.old, w.erased] {
        assert!(matches!(
            s.client(w.clinic, gone),
            Err(StoreError::NotFound(_))
        ));
    }
    for kept in [w.recent, w.prospect] {
        assert_eq!(s.client(w.clinic, kept).unwrap().id, kept);
    }
    assert_eq!(
        s.client(w.other, w.theirs).unwrap().id,
        w.theirs,
        "another clinic's client stays"
    );
    let audit = s.audit(w.clinic, 1000, 0).unwrap();
    let purged: Vec<_> = audit
        .iter()
        .take(audit.len() - before)
        .filter(|e| e.action == "purge")
        .collect();
    assert_eq!(purged.len(), 2, "{purged:?}");
    assert!(purged
        .iter()
        .all(|e| e.user_id == Some(w.by) && e.detail.contains("yearly retention purge")));
    assert!(
        purged
            .iter()
            .all(|e| !e.detail.contains("OLD-1") && !e.detail.contains("example.org")),
        "no identity in the audit: {purged:?}"
    );

    // Idempotent: again, nothing; the run is still on record.
    let again = s
        .purge_retention_ended(w.clinic, "2026-11-30", "yearly retention purge", None, None)
        .unwrap();
    assert!(again.purged.is_empty());
    assert_eq!(s.audit(w.clinic, 1, 0).unwrap()[0].action, "purge");

    // A shorter retention setting brings the recent client's end forward.
    s.set_clinic_settings(
        w.clinic,
        &ClinicSettingsUpdate {
            retention_years: Some(5),
            ..Default::default()
        },
        w.by,
    )
    .unwrap();
    assert_eq!(
        ids(&s.retention_ended(w.clinic, "2026-11-30").unwrap()),
        [w.recent]
    );
}

/// Six purges at once (six nodes): each client is deleted once, every purge succeeds.
fn racing(s: Arc<dyn Store>) {
    let (a, alice) = s
        .create_clinic_with_owner("Clinic Race", &owner("carol"))
        .unwrap();
    let many: Vec<ClientId> = (0..12)
        .map(|i| client(&*s, a.id, alice.id, &format!("R-{i}"), Some("2001-01-01")))
        .collect();
    let handles: Vec<_> = (0..6)
        .map(|_| {
            let s = s.clone();
            std::thread::spawn(move || {
                s.purge_retention_ended(a.id, "2026-11-30", "purge from every node", None, None)
            })
        })
        .collect();
    let results: Vec<Purge> = handles
        .into_iter()
        .map(|h| h.join().unwrap().unwrap())
        .collect();
    let mut all: Vec<ClientId> = results.iter().flat_map(|p| ids(&p.purged)).collect();
    all.sort_unstable();
    assert_eq!(all, many, "each client purged exactly once");
    let audit = s.audit(a.id, 1000, 0).unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|e| e.action == "purge" && e.entity == "client")
            .count(),
        12
    );
}

fn both(s: Arc<dyn Store>) {
    suite(&*s);
    racing(s);
}

#[test]
fn sqlite_retention_purge() {
    let dir = tempfile::tempdir().unwrap();
    testing::on_sqlite(dir.path(), both);
}

#[test]
fn postgres_retention_purge() {
    testing::on_postgres("retention", both);
}
