//! Probe s8 through the API: client references compared as a receptionist reads them (L3: `AB-12` and `ab-12` are
//! one reference in a clinic, on both backends), a photo too small to show a scalp refused in words (L5), and the
//! words of every error a set of bad requests gets: no SQL, JSON, serde or Rust words, no field names as the code
//! spells them.

mod support;

use axum::http::StatusCode;
use serde_json::json;
use support::{Server, Session, Setup};

async fn references_read_as_people_read_them(srv: Server) {
    let (owner, prac, desk) = srv.clinic("refs", true).await;
    let r = srv
        .post(
            &desk,
            "/api/clients",
            json!({ "reference": "AB-12", "name": "Ada Brook" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let first = r.json()["id"].as_i64().unwrap();
    for (who, reference) in [
        (&desk, "ab-12"),
        (&prac, "Ab-12"),
        (&owner, " AB-12 "),
        (&desk, "AB-12"),
    ] {
        let m = srv
            .post(
                who,
                "/api/clients",
                json!({ "reference": reference, "name": "Second Person" }),
            )
            .await
            .error(StatusCode::CONFLICT);
        assert!(
            m.contains(&format!("the reference “{reference}”"))
                && m.contains("only in capital letters, already exists"),
            "{reference}: {m}"
        );
        for word in [
            "reference_key",
            "UNIQUE",
            "constraint",
            "duplicate key",
            "clients",
        ] {
            assert!(!m.contains(word), "{m}");
        }
    }
    // Renaming another client to it is refused the same way, directly and as a correction with a reason.
    let second = srv
        .post(
            &desk,
            "/api/clients",
            json!({ "reference": "CD-34", "name": "Cy Dale" }),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let m = srv
        .put(
            &desk,
            &format!("/api/clients/{second}"),
            json!({ "reference": "aB-12", "name": "Cy Dale", "reason": "typo" }),
        )
        .await
        .error(StatusCode::CONFLICT);
    assert!(m.contains("capital letters"), "{m}");
    let m = srv
        .put(
            &owner,
            &format!("/api/clients/{second}/edit"),
            json!({ "client": { "reference": "ab-12", "name": "Cy Dale" }, "reason": "typo" }),
        )
        .await
        .error(StatusCode::CONFLICT);
    assert!(
        m.contains("the reference “ab-12”") && m.contains("capital letters"),
        "{m}"
    );
    // The client's own reference in other capitals is fine, and another clinic may use it.
    let r = srv
        .put(
            &desk,
            &format!("/api/clients/{first}"),
            json!({ "reference": "ab-12", "name": "Ada Brook", "reason": "written in lower case" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let (_, _, other_desk) = srv.clinic("refs2", false).await;
    let r = srv
        .post(
            &other_desk,
            "/api/clients",
            json!({ "reference": "AB-12", "name": "Elsewhere" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
}

#[tokio::test]
async fn references_differing_in_capitals_are_one_reference_sqlite() {
    references_read_as_people_read_them(support::sqlite_server(Setup::default())).await;
}

#[tokio::test]
async fn references_differing_in_capitals_are_one_reference_postgres() {
    if let Some(srv) = support::postgres_server("s8_refs", Setup::default()) {
        references_read_as_people_read_them(srv).await;
    }
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img =
        image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 3) as u8, (y * 5) as u8, 120]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[tokio::test]
async fn a_photo_too_small_to_show_a_scalp_is_refused_in_words() {
    let srv = support::sqlite_server(Setup::default());
    let (_, prac, _) = srv.clinic("tiny", true).await;
    let client = srv
        .post(
            &prac,
            "/api/clients",
            json!({ "reference": "T-1", "name": "Tiny Photo" }),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let up = format!("/api/clients/{client}/photos");
    for (w, h) in [(16, 16), (1200, 200), (259, 4000)] {
        let m = srv
            .call(&prac, "POST", &up, Some("image/png"), png(w, h))
            .await
            .error(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            m.contains(&format!("only {w} × {h} pixels"))
                && m.contains("at least 260 pixels on its shorter side"),
            "{m}"
        );
    }
    let listed = srv.get(&prac, &up).await.json();
    assert_eq!(
        listed.as_array().map(Vec::len),
        Some(0),
        "nothing stored: {listed}"
    );
    let r = srv
        .call(&prac, "POST", &up, Some("image/png"), png(260, 260))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
}

/// Words no error sentence may hold: the machinery's, not the clinic's.
const DEVELOPER_WORDS: [&str; 22] = [
    "SQL",
    "sqlite",
    "postgres",
    "JSON",
    "json",
    "deserializ",
    "serde",
    "constraint",
    "UNIQUE",
    "duplicate key",
    "violates",
    "String",
    "u32",
    "i64",
    "usize",
    "Option<",
    "endpoint",
    "csrf",
    "header",
    "UTF-8",
    "IHDR",
    "row(s)",
];

/// Whether `m` names a field as the code spells it: `date_of_birth`, `client_id:` and the like.
fn code_field(m: &str) -> Option<&str> {
    m.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|w| {
            w.contains('_') && w.chars().all(|c| c.is_ascii_lowercase() || c == '_') && w.len() > 2
        })
}

/// A bad request: who sends it, method, path, content type and body.
type BadRequest<'a> = (&'a Session, &'a str, String, Option<&'a str>, Vec<u8>);

#[tokio::test]
async fn bad_requests_are_answered_in_the_clinics_words() {
    let srv = support::sqlite_server(Setup::default());
    let (owner, prac, desk) = srv.clinic("words", true).await;
    let client = srv
        .post(
            &desk,
            "/api/clients",
            json!({ "reference": "W-1", "name": "Wendy Words" }),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let no_csrf = Session {
        cookie: prac.cookie.clone(),
        csrf: String::new(),
    };
    let anon = Session::default();
    let js = Some("application/json");
    let cases: Vec<BadRequest> = vec![
        (&anon, "GET", "/api/clients".into(), None, vec![]),
        (&no_csrf, "POST", "/api/clients".into(), js, br#"{"reference":"X-1","name":"X"}"#.to_vec()),
        (&desk, "GET", "/api/nowhere".into(), None, vec![]),
        (&desk, "PATCH", "/api/clients".into(), None, vec![]),
        (&desk, "POST", "/api/clients".into(), Some("text/plain"), b"reference=X".to_vec()),
        (&desk, "POST", "/api/clients".into(), js, b"{".to_vec()),
        (&desk, "POST", "/api/clients".into(), js, br#"{"name":"No Reference"}"#.to_vec()),
        (&desk, "POST", "/api/clients".into(), js, br#"{"reference":"X-2","name":"X","nick":"x"}"#.to_vec()),
        (&desk, "POST", "/api/clients".into(), js, br#"{"reference":5,"name":"X"}"#.to_vec()),
        (&desk, "POST", "/api/clients".into(), js, br#"{"reference":"X-3","name":"X","date_of_birth":"yesterday"}"#.to_vec()),
        (&desk, "POST", "/api/clients".into(), js, br#"{"reference":"X-4","name":"X","date_of_birth":"2999-01-01"}"#.to_vec()),
        (&desk, "POST", "/api/clients".into(), js, br#"{"reference":"X-5","name":"Two\nLines"}"#.to_vec()),
        (&desk, "POST", "/api/clients".into(), js, format!(r#"{{"reference":"X-6","name":"{}"}}"#, "n".repeat(300)).into_bytes()),
        (&desk, "POST", "/api/clients".into(), js, br#"{"reference":"w-1","name":"Copy"}"#.to_vec()),
        (&desk, "GET", "/api/clients?limit=0".into(), None, vec![]),
        (&desk, "GET", "/api/clients?limit=many".into(), None, vec![]),
        (&desk, "GET", "/api/clients?limit=5&limit=6".into(), None, vec![]),
        (&desk, "GET", "/api/clients/abc".into(), None, vec![]),
        (&desk, "GET", "/api/clients/999999".into(), None, vec![]),
        (&desk, "GET", format!("/api/clients/{client}/consultations"), None, vec![]),
        (&prac, "POST", format!("/api/clients/{client}/photos"), Some("image/png"), png(16, 16)),
        (&prac, "POST", format!("/api/clients/{client}/photos"), Some("image/png"), b"\x89PNG\r\n\x1a\nshort".to_vec()),
        (&prac, "POST", format!("/api/clients/{client}/photos"), Some("image/png"), b"GIF89a".to_vec()),
        (&anon, "POST", "/api/login".into(), js, json!({ "username": "u".repeat(500), "password": "x" }).to_string().into_bytes()),
        (&anon, "POST", "/api/login".into(), js, br#"{"username":"words-owner"}"#.to_vec()),
        (&owner, "POST", "/api/users".into(), js, br#"{"username":"new_one","display_name":"New","role":"boss","password":"a good long passphrase"}"#.to_vec()),
        (&owner, "POST", "/api/users".into(), js, br#"{"username":" spaced","display_name":"New","role":"practitioner","password":"a good long passphrase"}"#.to_vec()),
        (&owner, "POST", "/api/users".into(), js, br#"{"username":"weak","display_name":"Weak","role":"practitioner","password":"password123"}"#.to_vec()),
        (&owner, "POST", "/api/users".into(), js, br#"{"username":"words-OWNER","display_name":"Copy","role":"practitioner","password":"a good long passphrase"}"#.to_vec()),
        (&desk, "POST", "/api/appointments".into(), js, br#"{"date":"2030-01-01","time":"25:00","minutes":60,"practitioner_id":1,"room":"Room 1"}"#.to_vec()),
        (&desk, "POST", "/api/appointments".into(), js, br#"{"client_id":999999,"date":"someday","time":"10:00","minutes":-5,"practitioner_id":1,"room":"Room 1"}"#.to_vec()),
        (&desk, "GET", format!("/api/clients/{client}/schedule.ics?course=4294967295"), None, vec![]),
        (&desk, "GET", "/api/appointments?days=100000".into(), None, vec![]),
        (&owner, "PUT", "/api/clinic/settings".into(), js, br#"{"retention_years":0}"#.to_vec()),
        (&owner, "PUT", "/api/clinic/logo".into(), Some("image/png"), b"not a picture".to_vec()),
        (&prac, "POST", "/api/lots".into(), js, br#"{"pigment_key":"nope","number":"","expiry":"soon"}"#.to_vec()),
    ];
    let mut seen = 0;
    for (who, method, path, ct, body) in cases {
        let r = srv.call(who, method, &path, ct, body).await;
        assert!(
            r.status.is_client_error(),
            "{method} {path}: {} {}",
            r.status,
            r.text()
        );
        let m = r.error(r.status);
        for word in DEVELOPER_WORDS {
            assert!(!m.contains(word), "{method} {path} says {word:?}: {m}");
        }
        assert_eq!(code_field(&m), None, "{method} {path}: {m}");
        seen += 1;
    }
    assert_eq!(seen, 36);
}
