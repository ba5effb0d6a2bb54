//! Login throttling through the real binary (findings H1, M1, M2 of issue 12): huge user names are refused before
//! anything is counted or kept; counters are keyed by the exact account a name resolves to (`deskb` is not
//! `deska`); an account's failures impose a growing delay, never a lockout, after which the right password works;
//! an address that fails too often waits, whatever `X-Forwarded-For` it claims, unless the header comes through a
//! configured trusted proxy.

mod serve_support;

use serde_json::json;
use serve_support::{Client, Reply, ServerProc};

fn login(addr: &str, user: &str, password: &str, headers: &[(&str, &str)]) -> Reply {
    let anon = Client {
        addr: addr.into(),
        ..Client::default()
    };
    anon.send_with(
        "POST",
        "/api/login",
        headers,
        Some("application/json"),
        json!({ "username": user, "password": password })
            .to_string()
            .as_bytes(),
    )
    .unwrap()
}

fn throttle_rows(data: &std::path::Path) -> i64 {
    let c = rusqlite::Connection::open(data.join("follicle.db")).unwrap();
    c.query_row("SELECT COUNT(*) FROM login_throttle", [], |r| r.get(0))
        .unwrap()
}

fn retry_after(r: &Reply) -> u64 {
    assert_eq!(r.status, 429, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["error"]["code"], "too_many_requests");
    r.header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap()
}

#[test]
fn huge_user_names_are_refused_and_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let srv = ServerProc::start(dir.path(), true);
    let huge = "x".repeat(1024 * 1000);
    for i in 0..40 {
        let r = login(&srv.addr, &format!("{i}{huge}"), "whatever password", &[]);
        assert_eq!(r.status, 422, "{}", String::from_utf8_lossy(&r.body));
    }
    assert_eq!(
        login(&srv.addr, &"y".repeat(201), "whatever password", &[]).status,
        422,
        "201 bytes is too long"
    );
    assert_eq!(
        throttle_rows(dir.path()),
        0,
        "no counter for a refused name"
    );
    // A name of 200 bytes is looked up; an unknown name counts against the address only: one fixed-size row.
    assert_eq!(
        login(&srv.addr, &"é".repeat(100), "whatever password", &[]).status,
        401
    );
    assert_eq!(
        login(&srv.addr, &"z".repeat(200), "whatever password", &[]).status,
        401
    );
    assert_eq!(
        throttle_rows(dir.path()),
        1,
        "one row for the address, none for names that are no account"
    );
    Client::login(&srv.addr, "owner", srv.password.as_deref().unwrap());
}

#[test]
fn accounts_are_counted_exactly_and_delayed_not_locked() {
    let dir = tempfile::tempdir().unwrap();
    let srv = ServerProc::start(dir.path(), true);
    let owner = Client::login(&srv.addr, "owner", srv.password.as_deref().unwrap());
    // Two accounts (a name that differs only in case is refused since the third probe's L16, so the
    // accounts differ by a letter): each one's failures are its own.
    for name in ["deska", "deskb"] {
        let r = owner.post("/api/users", json!({ "username": name, "display_name": name, "role": "front_desk", "password": format!("{name} long password") }));
        assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    }
    // deskb's failures are deskb's: deska is not held up by them.
    for _ in 0..5 {
        assert_eq!(login(&srv.addr, "deskb", "wrong password", &[]).status, 401);
    }
    assert_eq!(
        login(&srv.addr, "deska", "deska long password", &[]).status,
        200,
        "deska is another account"
    );
    assert!(
        retry_after(&login(&srv.addr, "deskb", "deskb long password", &[])) >= 1,
        "deskb waits"
    );
    std::thread::sleep(std::time::Duration::from_secs(3));
    // deska's failures are not reset by deskb's successful login.
    for _ in 0..5 {
        assert_eq!(login(&srv.addr, "deska", "wrong password", &[]).status, 401);
    }
    assert_eq!(
        login(&srv.addr, "deskb", "deskb long password", &[]).status,
        200,
        "deskb's delay is over"
    );
    let wait = retry_after(&login(&srv.addr, "deska", "deska long password", &[]));
    assert!(
        (1..=30).contains(&wait),
        "a short delay, not a lockout: {wait}"
    );
    // After the delay the owner of the account gets in, and their success clears the account's failures.
    std::thread::sleep(std::time::Duration::from_secs(wait));
    assert_eq!(
        login(&srv.addr, "deska", "deska long password", &[]).status,
        200,
        "the right password works after the delay"
    );
    assert_eq!(
        login(&srv.addr, "deska", "wrong password", &[]).status,
        401,
        "counting starts again: no 429"
    );
}

#[test]
fn an_address_that_fails_too_often_waits_whatever_it_forwards() {
    let dir = tempfile::tempdir().unwrap();
    let srv = ServerProc::start(dir.path(), true);
    // Password spraying: one guess per invented account, each claiming another X-Forwarded-For.
    for i in 0..30 {
        let spoof = format!("203.0.113.{i}");
        assert_eq!(
            login(
                &srv.addr,
                &format!("user{i}"),
                "Summer2025!",
                &[("x-forwarded-for", &spoof)]
            )
            .status,
            401,
            "guess {i}"
        );
    }
    let wait = retry_after(&login(
        &srv.addr,
        "user99",
        "Summer2025!",
        &[("x-forwarded-for", "198.51.100.1")],
    ));
    assert!(wait > 60, "the address waits out the window: {wait}");
    let r = login(
        &srv.addr,
        "owner",
        srv.password.as_deref().unwrap(),
        &[("x-forwarded-for", "198.51.100.2")],
    );
    assert_eq!(
        r.status, 429,
        "the spoofed header is ignored: the peer address counts"
    );
    assert_eq!(
        throttle_rows(dir.path()),
        1,
        "one row for the one real address"
    );
}

#[test]
fn forwarded_addresses_count_behind_a_trusted_proxy() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("studio");
    let srv = ServerProc::start_on(
        &serve_support::db_url(&data),
        true,
        &["--trusted-proxy", "127.0.0.1"],
    );
    let far = [("x-forwarded-for", "203.0.113.50, 127.0.0.1")];
    for i in 0..30 {
        assert_eq!(
            login(&srv.addr, &format!("user{i}"), "Summer2025!", &far).status,
            401
        );
    }
    retry_after(&login(&srv.addr, "user99", "Summer2025!", &far));
    // Another client behind the same proxy is not held up.
    let near = [("x-forwarded-for", "203.0.113.51")];
    assert_eq!(login(&srv.addr, "user99", "Summer2025!", &near).status, 401);
    assert_eq!(
        login(&srv.addr, "owner", srv.password.as_deref().unwrap(), &near).status,
        200
    );
}

/// Makes a user through the owner and returns their id.
fn make_user(owner: &Client, name: &str, role: &str, password: &str) -> i64 {
    let r = owner.post(
        "/api/users",
        json!({ "username": name, "display_name": name, "role": role, "password": password }),
    );
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    r.json()["id"].as_i64().unwrap()
}

#[test]
fn wrong_current_passwords_count_like_failed_logins() {
    // Finding M4 of the s5 probe: a stolen session could test passwords at full speed on POST /api/me/password.
    let dir = tempfile::tempdir().unwrap();
    let srv = ServerProc::start(dir.path(), true);
    let owner = Client::login(&srv.addr, "owner", srv.password.as_deref().unwrap());
    let pw = "Quiet-Harbour-Lantern-42";
    make_user(&owner, "u1", "practitioner", pw);
    let u1 = Client::login(&srv.addr, "u1", pw);
    let change = |current: &str| {
        u1.post(
            "/api/me/password",
            json!({ "current": current, "new": "Correct-Horse-Battery-9!" }),
        )
    };
    for i in 0..5 {
        let r = change(&format!("guess{i}"));
        assert_eq!(r.status, 403, "{}", String::from_utf8_lossy(&r.body));
        assert_eq!(
            r.json()["error"]["message"],
            "The current password is wrong."
        );
    }
    let r = change("guess5");
    let wait = retry_after(&r);
    assert!((1..=30).contains(&wait), "{wait}");
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("try again in"));
    // The right password waits too (nothing is learnt from a 429), and so does a login to the same account.
    assert_eq!(change(pw).status, 429);
    assert_eq!(login(&srv.addr, "u1", pw, &[]).status, 429);
    // After the delay the right current password works.
    std::thread::sleep(std::time::Duration::from_secs(wait + 1));
    assert_eq!(change(pw).status, 204);
    // The shared counters are per account: another account's session is not held up.
    assert_eq!(
        owner
            .post(
                "/api/me/password",
                json!({ "current": "nope", "new": "Correct-Horse-Battery-9!" })
            )
            .status,
        403
    );
}

#[test]
fn an_owner_cannot_issue_a_reset_for_themselves() {
    // Variant of M4: a reset token skips the current password, so an owner's session could take the account.
    let dir = tempfile::tempdir().unwrap();
    let srv = ServerProc::start(dir.path(), true);
    let owner = Client::login(&srv.addr, "owner", srv.password.as_deref().unwrap());
    let pw = "Second-Owner-Walks-Home-7";
    let own2 = make_user(&owner, "own2", "owner", pw);
    let second = Client::login(&srv.addr, "own2", pw);
    let r = second.post(&format!("/api/users/{own2}/password-reset"), json!({}));
    assert_eq!(r.status, 403, "{}", String::from_utf8_lossy(&r.body));
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("your current one"));
    // Another owner still can (the way back for someone who forgot their password).
    let r = owner.post(&format!("/api/users/{own2}/password-reset"), json!({}));
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
}

#[test]
fn a_burst_of_right_passwords_is_never_refused() {
    // Finding L8 of the s5 probe: eight logins at once with the right password got three 429 "too many failed
    // logins", because every attempt was counted as a failure before its password was checked.
    let dir = tempfile::tempdir().unwrap();
    let srv = ServerProc::start(dir.path(), true);
    let owner = Client::login(&srv.addr, "owner", srv.password.as_deref().unwrap());
    let pw = "Tablets-At-Opening-Time-8";
    make_user(&owner, "par", "practitioner", pw);
    for round in 0..3 {
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(8));
        let statuses: Vec<u16> = (0..8)
            .map(|_| {
                let (addr, barrier) = (srv.addr.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    login(&addr, "par", pw, &[]).status
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| t.join().unwrap())
            .collect();
        assert_eq!(statuses, [200; 8], "round {round}");
    }
    // The race stays closed: twelve wrong guesses at once on another account get at most five checks (the
    // free failures); the rest wait for them and are then refused.
    make_user(&owner, "par2", "practitioner", pw);
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(12));
    let statuses: Vec<u16> = (0..12)
        .map(|i| {
            let (addr, barrier) = (srv.addr.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                login(&addr, "par2", &format!("guess number {i}"), &[]).status
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        7,
        "{statuses:?}"
    );
}
