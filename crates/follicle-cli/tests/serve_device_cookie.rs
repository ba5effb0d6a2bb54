//! Known devices through the real binary (probe s8 N13): attackers on many addresses failing on `owner` re-arm the
//! account's delay for ever, but the owner's browser, which logged in before and holds its device cookie, is
//! counted by its own failures only and gets in at once; a forged token, another account's token or one forgotten
//! with a password reset gives no exemption; a device cookie issued by one node is honoured by another on the same
//! PostgreSQL database.

mod serve_support;

use serde_json::json;
use serve_support::{Client, Reply, ServerProc};

/// A login through the trusted proxy (127.0.0.1) for the client at `from`, with these cookies.
fn login(addr: &str, from: &str, cookie: Option<&str>, user: &str, password: &str) -> Reply {
    let mut headers = vec![("x-forwarded-for", from)];
    if let Some(c) = cookie {
        headers.push(("cookie", c));
    }
    Client {
        addr: addr.into(),
        ..Client::default()
    }
    .send_with(
        "POST",
        "/api/login",
        &headers,
        Some("application/json"),
        json!({ "username": user, "password": password })
            .to_string()
            .as_bytes(),
    )
    .unwrap()
}

/// The `follicle_device=TOKEN` pair a reply sets, after checking the cookie's attributes.
fn device_cookie(r: &Reply) -> String {
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let set = r
        .headers
        .iter()
        .find(|(k, v)| k == "set-cookie" && v.starts_with("follicle_device="))
        .map(|(_, v)| v.clone())
        .expect("a device cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/api"),
        "{set}"
    );
    set.split(';').next().unwrap().to_string()
}

/// Attackers, each request from another address (198.51.100.x, 198.51.101.x, …), fail on `user` until `failures`
/// failures are counted, trying again whenever the account's delay ends (re-arming it): afterwards anyone without a
/// device cookie of the account waits the delay of that many failures (7: 8 s). Returns the addresses used.
fn attack(addr: &str, user: &str, failures: u32) -> u32 {
    let (mut counted, mut i) = (0, 0u32);
    while counted < failures {
        i += 1;
        let from = format!("198.51.{}.{}", 100 + i / 200, i % 200 + 1);
        let r = login(addr, &from, None, user, "Summer2025!");
        match r.status {
            401 => counted += 1,
            429 => {
                let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
                std::thread::sleep(std::time::Duration::from_millis(wait * 1000 / 4));
            }
            s => panic!("{s}: {}", String::from_utf8_lossy(&r.body)),
        }
    }
    i
}

fn serve(url: &str, init: bool, photos: &std::path::Path) -> ServerProc {
    ServerProc::start_on(
        url,
        init,
        &[
            "--trusted-proxy",
            "127.0.0.1",
            "--photos",
            photos.to_str().unwrap(),
        ],
    )
}

#[test]
fn the_owners_browser_gets_in_while_strangers_wait() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("studio");
    let srv = serve(&serve_support::db_url(&data), true, &data.join("photos"));
    let pw = srv.password.clone().unwrap();
    let owner_ip = "203.0.113.7";

    // The owner's browser logs in once: it is given a device cookie, and the same one again next time.
    let device = device_cookie(&login(&srv.addr, owner_ip, None, "owner", &pw));
    assert_eq!(
        device_cookie(&login(&srv.addr, owner_ip, Some(&device), "owner", &pw)),
        device,
        "a known device keeps its token"
    );
    // Another account's device cookie, for later.
    let owner = Client::login(&srv.addr, "owner", &pw);
    let r = owner.post("/api/users", json!({ "username": "deska", "display_name": "Desk A", "role": "front_desk", "password": "Quiet-Harbour-Lantern-42" }));
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let desk_device = device_cookie(&login(
        &srv.addr,
        "203.0.113.8",
        None,
        "deska",
        "Quiet-Harbour-Lantern-42",
    ));

    // Attackers on many addresses keep failing on `owner`: the account is delayed for anyone without its device
    // cookie.
    let addresses = attack(&srv.addr, "owner", 7);
    assert!(addresses > 7, "{addresses}");
    for (who, cookie) in [
        ("a stranger", None),
        ("the owner's own address without the cookie", None),
        (
            "a forged token",
            Some(format!("follicle_device={}", "ab".repeat(32))),
        ),
        ("another account's device", Some(desk_device.clone())),
        ("a malformed token", Some("follicle_device=../../x".into())),
    ] {
        let from = if who.contains("own address") {
            owner_ip
        } else {
            "192.0.2.99"
        };
        let r = login(&srv.addr, from, cookie.as_deref(), "owner", &pw);
        assert_eq!(r.status, 429, "{who}: {}", String::from_utf8_lossy(&r.body));
    }
    // The owner's browser, from anywhere, gets in at once with the right password.
    let r = login(&srv.addr, "192.0.2.50", Some(&device), "owner", &pw);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        login(&srv.addr, owner_ip, Some(&device), "owner", &pw).status,
        200,
        "and again"
    );
    // The attackers are still held up.
    assert_eq!(
        login(&srv.addr, "198.51.100.1", None, "owner", &pw).status,
        429
    );

    // A device is throttled by its own failures: five wrong passwords, then it waits too (a stolen device cookie
    // does not give unlimited guesses).
    for i in 0..5 {
        assert_eq!(
            login(
                &srv.addr,
                owner_ip,
                Some(&device),
                "owner",
                &format!("typo {i}")
            )
            .status,
            401
        );
    }
    let r = login(&srv.addr, owner_ip, Some(&device), "owner", &pw);
    assert_eq!(r.status, 429, "{}", String::from_utf8_lossy(&r.body));
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=30).contains(&wait), "{wait}");
    std::thread::sleep(std::time::Duration::from_secs(wait));
    assert_eq!(
        login(&srv.addr, owner_ip, Some(&device), "owner", &pw).status,
        200,
        "after its own delay"
    );

    // A password reset forgets the account's devices: deska's old cookie no longer exempts her browser.
    let desk_id = r_id(&owner, "deska");
    let token = owner
        .post(&format!("/api/users/{desk_id}/password-reset"), json!({}))
        .json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let anon = Client {
        addr: srv.addr.clone(),
        ..Client::default()
    };
    let r = anon.post(
        "/api/password-reset",
        json!({ "token": token, "password": "Lantern-Harbour-Quiet-43" }),
    );
    assert_eq!(r.status, 204, "{}", String::from_utf8_lossy(&r.body));
    attack(&srv.addr, "deska", 6);
    assert_eq!(
        login(
            &srv.addr,
            "203.0.113.8",
            Some(&desk_device),
            "deska",
            "Lantern-Harbour-Quiet-43"
        )
        .status,
        429,
        "a forgotten device is a stranger"
    );
}

/// The id of the user `name` in the owner's clinic.
fn r_id(owner: &Client, name: &str) -> i64 {
    owner
        .get("/api/users")
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == name)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[test]
fn a_device_cookie_from_one_node_is_honoured_by_another() {
    let Some(url) = follicle_store::testing::fresh_database("device_nodes") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let one = serve(&url, true, &dir.path().join("node1"));
    let two = serve(&url, false, &dir.path().join("node2"));
    let pw = one.password.clone().unwrap();
    let device = device_cookie(&login(&one.addr, "203.0.113.7", None, "owner", &pw));
    // The attack comes through node 2; strangers wait on both nodes, the owner's browser gets in on either.
    attack(&two.addr, "owner", 7);
    assert_eq!(
        login(&one.addr, "192.0.2.1", None, "owner", &pw).status,
        429
    );
    assert_eq!(
        login(&two.addr, "192.0.2.1", None, "owner", &pw).status,
        429
    );
    assert_eq!(
        login(&two.addr, "192.0.2.2", Some(&device), "owner", &pw).status,
        200,
        "node 2 honours node 1's device cookie"
    );
    assert_eq!(
        login(&one.addr, "192.0.2.2", Some(&device), "owner", &pw).status,
        200
    );
}
