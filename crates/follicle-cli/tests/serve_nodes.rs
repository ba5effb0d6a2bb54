//! Two `follicle serve` processes on one PostgreSQL database (a chain with several nodes behind a load balancer):
//! a photo uploaded through one is served, bytes and thumbnail, by the other; a login on one works on the other;
//! failed logins count across both; and the set-up token one prints works on the other, once.

mod serve_support;

use serde_json::json;
use serve_support::{png, Client, Reply, ServerProc};

fn login(addr: &str, user: &str, password: &str) -> Reply {
    Client {
        addr: addr.into(),
        ..Client::default()
    }
    .post(
        "/api/login",
        json!({ "username": user, "password": password }),
    )
}

fn node(url: &str, init: bool, photos: &std::path::Path) -> ServerProc {
    ServerProc::start_on(url, init, &["--photos", photos.to_str().unwrap()])
}

#[test]
fn two_nodes_share_photos_logins_and_throttling() {
    let Some(url) = follicle_store::testing::fresh_database("two_nodes") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let one = node(&url, true, &dir.path().join("node1"));
    let two = node(&url, false, &dir.path().join("node2"));
    let password = one.password.clone().unwrap();

    // A login on node 1 works on node 2.
    let on_one = Client::login(&one.addr, "owner", &password);
    let on_two = on_one.at(&two.addr);
    assert_eq!(on_two.get("/api/me").json()["user"]["username"], "owner");

    // A photo uploaded through node 1 is served by node 2, bytes and thumbnail.
    let client = on_one
        .post(
            "/api/clients",
            json!({ "reference": "N-1", "name": "Node Client" }),
        )
        .json()["id"]
        .as_i64()
        .unwrap();
    let bytes = png(7, 320, 260);
    let up = on_one
        .send(
            "POST",
            &format!("/api/clients/{client}/photos"),
            Some("image/png"),
            &bytes,
        )
        .unwrap();
    assert_eq!(up.status, 201, "{}", String::from_utf8_lossy(&up.body));
    let photo = up.json()["id"].as_i64().unwrap();
    let got = on_two.get(&format!("/api/photos/{photo}"));
    assert_eq!(
        (got.status, got.body == bytes),
        (200, true),
        "node 2 serves the bytes node 1 stored"
    );
    let thumb = on_two.get(&format!("/api/photos/{photo}/thumbnail"));
    assert_eq!(thumb.status, 200);
    let t = image::load_from_memory(&thumb.body).unwrap();
    assert_eq!((t.width(), t.height()), (256, 208));
    // The same bytes uploaded again through node 2: the photo already on the record, said so (200,
    // `already_stored`), one stored content.
    let again = on_two
        .send(
            "POST",
            &format!("/api/clients/{client}/photos"),
            Some("image/png"),
            &bytes,
        )
        .unwrap();
    assert_eq!(
        again.status,
        200,
        "{}",
        String::from_utf8_lossy(&again.body)
    );
    assert_eq!(
        (
            again.json()["id"].as_i64(),
            again.json()["already_stored"].as_bool()
        ),
        (Some(photo), Some(true))
    );
    let store = follicle_store::open(&url).unwrap();
    assert_eq!(
        store.photo_blob_count().unwrap(),
        1,
        "content-addressed: stored once"
    );
    let on_disk: Vec<_> = ["node1", "node2"]
        .iter()
        .flat_map(|n| serve_support::files_under(&dir.path().join(n)))
        .collect();
    assert!(
        on_disk.is_empty(),
        "no photo bytes on a node's disk: {on_disk:?}"
    );

    // Failed logins count across both nodes: three on node 1 and two on node 2 delay the account on both.
    for addr in [&one.addr, &one.addr, &one.addr, &two.addr, &two.addr] {
        assert_eq!(login(addr, "owner", "wrong password").status, 401);
    }
    let r = login(&one.addr, "owner", &password);
    assert_eq!(r.status, 429, "{}", String::from_utf8_lossy(&r.body));
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert_eq!(
        login(&two.addr, "owner", &password).status,
        429,
        "node 2 knows node 1's count"
    );
    std::thread::sleep(std::time::Duration::from_secs(wait));
    assert_eq!(
        login(&two.addr, "owner", &password).status,
        200,
        "after the delay the owner gets in on either node"
    );
    assert!(
        store.throttle_rows().unwrap() <= 2,
        "one row for the address at most, the account's cleared"
    );
}

#[test]
fn a_set_up_token_printed_by_one_node_works_once_on_another() {
    let Some(url) = follicle_store::testing::fresh_database("setup_nodes") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let one = ServerProc::start_unset(
        &url,
        &["--photos", dir.path().join("node1").to_str().unwrap()],
    );
    let token = one
        .setup_token
        .clone()
        .expect("node 1 prints a set-up token");
    drop(one); // the token lives in the database, not in node 1
    let two = node(&url, false, &dir.path().join("node2"));
    let anon = Client {
        addr: two.addr.clone(),
        ..Client::default()
    };
    let body = |t: &str| json!({ "token": t, "clinic": "Chain", "username": "boss", "display_name": "Boss", "password": "a long enough secret" });
    assert_eq!(anon.post("/api/setup", body("wrong")).status, 403);
    let r = anon.post("/api/setup", body(&token));
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(anon.post("/api/setup", body(&token)).status, 409, "once");
    assert_eq!(login(&two.addr, "boss", "a long enough secret").status, 200);
    let store = follicle_store::open(&url).unwrap();
    assert!(
        !store
            .setup_token_live(
                &follicle_store::sha256_hex(token.as_bytes()),
                follicle_store::now_unix()
            )
            .unwrap(),
        "spent"
    );
}
