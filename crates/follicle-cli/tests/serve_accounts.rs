//! Accounts through the real binary: user names that would look like another (finding L16 of the s5 probe), and
//! an early answer on a keep-alive connection (finding L14: a 403 from the role gate, given before the body was
//! read, lost the client's next request on that connection).

mod serve_support;

use serde_json::json;
use serve_support::{Client, ServerProc};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

#[test]
fn user_names_that_look_like_another_are_refused_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let srv = ServerProc::start(dir.path(), true);
    let owner = Client::login(&srv.addr, "owner", srv.password.as_deref().unwrap());
    let make = |name: &str| {
        owner.post(
            "/api/users",
            json!({ "username": name, "display_name": "x", "role": "front_desk", "password": "Reception-Desk-Lamp-31" }),
        )
    };
    assert_eq!(make("alpha").status, 201);
    for (name, words) in [
        ("ow\u{200b}ner", "invisible character"),
        ("al\u{ad}pha", "invisible character"),
        ("alpha\u{2060}", "invisible character"),
        ("al\u{200d}pha2", "invisible character"),
        ("\u{feff}alpha", "invisible character"),
        ("ａｌｐｈａ", "type it as “alpha”"),
        ("bet\u{430}", "different alphabets"),
    ] {
        let r = make(name);
        assert_eq!(
            r.status,
            422,
            "{name:?}: {}",
            String::from_utf8_lossy(&r.body)
        );
        let m = r.json()["error"]["message"].as_str().unwrap().to_string();
        assert!(m.starts_with("User name: "), "{m}");
        assert!(m.contains(words), "{name:?}: {m}");
    }
    for name in ["Alpha", "ALPHA", "Owner"] {
        let r = make(name);
        assert_eq!(
            r.status,
            409,
            "{name:?}: {}",
            String::from_utf8_lossy(&r.body)
        );
        let m = r.json()["error"]["message"].as_str().unwrap().to_string();
        assert!(m.contains("reads the same as an existing user name"), "{m}");
    }
    assert_eq!(make("alpha").status, 409, "the same name: taken");
    assert_eq!(make("Zoë").status, 201, "letters beyond ASCII are fine");
    let users = owner.get("/api/users").json();
    assert_eq!(users.as_array().unwrap().len(), 3, "{users}");
}

/// A reply's status, headers (name, value) and body.
type Reply = (u16, Vec<(String, String)>, Vec<u8>);

/// One HTTP/1.1 reply read from a keep-alive connection (Content-Length bodies only).
fn read_reply(r: &mut BufReader<TcpStream>) -> std::io::Result<Reply> {
    let mut status = String::new();
    if r.read_line(&mut status)? == 0 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "the server closed the connection without a reply",
        ));
    }
    let code = status.split(' ').nth(1).unwrap().parse().unwrap();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        r.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (k, v) = line.split_once(':').unwrap();
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
    }
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .map(|(_, v)| v.parse().unwrap())
        .expect("a Content-Length");
    let mut body = vec![0; len];
    r.read_exact(&mut body)?;
    Ok((code, headers, body))
}

#[test]
fn an_early_403_does_not_lose_the_next_request_on_the_connection() {
    let dir = tempfile::tempdir().unwrap();
    let srv = ServerProc::start(dir.path(), true);
    let owner = Client::login(&srv.addr, "owner", srv.password.as_deref().unwrap());
    let r = owner.post(
        "/api/users",
        json!({ "username": "desk", "display_name": "Desk", "role": "front_desk", "password": "Reception-Desk-Lamp-31" }),
    );
    assert_eq!(r.status, 201);
    let desk = Client::login(&srv.addr, "desk", "Reception-Desk-Lamp-31");
    let auth = format!("cookie: {}\r\nx-csrf-token: {}\r\n", desk.cookie, desk.csrf);
    let connect = || {
        let s = TcpStream::connect(&srv.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        BufReader::new(s)
    };
    let mut conn = connect();
    let mut reconnects = 0;
    for (i, (path, body)) in [
        ("/api/users/1", r#"{"active": false}"#.to_string()),
        ("/api/clinic/hours", r#"{"days":[]}"#.to_string()),
        (
            "/api/users/1",
            format!(r#"{{"active": false, "pad": "{}"}}"#, "x".repeat(5000)),
        ),
        (
            "/api/users/1",
            format!(r#"{{"active": false, "pad": "{}"}}"#, "x".repeat(200_000)),
        ),
    ]
    .iter()
    .cycle()
    .take(12)
    .enumerate()
    {
        // The body comes a moment after the head, as from a busy client: the role gate answers before it arrives.
        let head = format!(
            "PUT {path} HTTP/1.1\r\nhost: {}\r\n{auth}content-type: application/json\r\ncontent-length: {}\r\n\r\n",
            srv.addr,
            body.len()
        );
        conn.get_mut().write_all(head.as_bytes()).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        let large = body.len() > 64 * 1024;
        if !large {
            conn.get_mut().write_all(body.as_bytes()).unwrap();
        } // a large one is answered (and the connection closed) without waiting for it
        let (code, headers, reply) =
            read_reply(&mut conn).unwrap_or_else(|e| panic!("request {i}: {e}"));
        assert_eq!(code, 403, "{}", String::from_utf8_lossy(&reply));
        let closing = headers
            .iter()
            .any(|(k, v)| k == "connection" && v.eq_ignore_ascii_case("close"));
        assert_eq!(
            closing,
            large,
            "request {i}: a small body is read and the connection kept; a large one is closed in words"
        );
        if closing {
            conn = connect();
            reconnects += 1;
        }
        // The next request on the (kept) connection is answered.
        let next = format!("GET /api/me HTTP/1.1\r\nhost: {}\r\n{auth}\r\n", srv.addr);
        conn.get_mut().write_all(next.as_bytes()).unwrap();
        let (code, _, reply) = read_reply(&mut conn)
            .unwrap_or_else(|e| panic!("the request after early answer {i} was lost: {e}"));
        assert_eq!(code, 200, "{}", String::from_utf8_lossy(&reply));
    }
    assert_eq!(reconnects, 3);
}

/// Probe s9 finding 2: any answer given before the body was read — an address whose number is not a number (400),
/// a method the address does not take (405), a record of no clinic (404 from a handler that checks first) —
/// lost the client's next request on a keep-alive connection (hyper dropped it without `Connection: close`).
/// Every small body is now read and dropped after such an answer and the connection kept; a large one is
/// answered with `Connection: close`.
#[test]
fn any_answer_before_the_body_is_read_keeps_the_connection() {
    let dir = tempfile::tempdir().unwrap();
    let srv = ServerProc::start(dir.path(), true);
    let owner = Client::login(&srv.addr, "owner", srv.password.as_deref().unwrap());
    let auth = format!(
        "cookie: {}\r\nx-csrf-token: {}\r\n",
        owner.cookie, owner.csrf
    );
    let connect = || {
        let s = TcpStream::connect(&srv.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        BufReader::new(s)
    };
    let mut conn = connect();
    for (i, (method, path, want, pad)) in [
        ("POST", "/api/designs/abc/plans", 400, 0),
        ("POST", "/api/clients/abc", 405, 0),
        ("PUT", "/api/users/1%00", 400, 5000),
        ("POST", "/api/designs/abc/plans", 400, 200_000),
    ]
    .into_iter()
    .enumerate()
    {
        let body = format!(r#"{{"label": "x", "pad": "{}"}}"#, "x".repeat(pad));
        let head = format!(
            "{method} {path} HTTP/1.1\r\nhost: {}\r\n{auth}content-type: application/json\r\ncontent-length: {}\r\n\r\n",
            srv.addr,
            body.len()
        );
        conn.get_mut().write_all(head.as_bytes()).unwrap();
        // The body comes a moment after the head: the answer is ready before it arrives.
        std::thread::sleep(Duration::from_millis(150));
        let large = body.len() > 64 * 1024;
        if !large {
            conn.get_mut().write_all(body.as_bytes()).unwrap();
        }
        let (code, headers, reply) =
            read_reply(&mut conn).unwrap_or_else(|e| panic!("request {i}: {e}"));
        assert_eq!(code, want, "{}", String::from_utf8_lossy(&reply));
        let closing = headers
            .iter()
            .any(|(k, v)| k == "connection" && v.eq_ignore_ascii_case("close"));
        assert_eq!(closing, large, "request {i} ({method} {path})");
        if closing {
            conn = connect();
        }
        let next = format!("GET /api/me HTTP/1.1\r\nhost: {}\r\n{auth}\r\n", srv.addr);
        conn.get_mut().write_all(next.as_bytes()).unwrap();
        let (code, _, reply) = read_reply(&mut conn).unwrap_or_else(|e| {
            panic!("the request after answer {i} ({method} {path}) was lost: {e}")
        });
        assert_eq!(code, 200, "{}", String::from_utf8_lossy(&reply));
    }
}
