//! The outside probe's (s4) remaining server findings, through the real API on SQLite: a touch-up that would
//! add no impression is refused (L3); the clearance letter's file name follows the text rules, a second letter
//! is refused, and a "PDF" or picture must be readable (L5); a schedule's first day and a screening day are
//! bounded by the same rules as the CLI (L7, L8).

mod support;

use axum::http::StatusCode;
use serde_json::json;
use support::{Server, Setup};

const GO: &str = include_str!("../../../examples/intake-norwood6-go.toml");
const CASE: &str = include_str!("../../../examples/cases/scar-repair.toml");

/// A client with a consultation (screening go).
async fn client(srv: &Server, prac: &support::Session) -> i64 {
    let intake = follicle_clinic::Intake::from_toml(GO).unwrap();
    let r = srv
        .post(
            prac,
            "/api/clients",
            json!({ "reference": intake.client.id, "name": "Łukasz Żółkiewski" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    let id = r.json()["id"].as_i64().unwrap();
    let r = srv
        .post(
            prac,
            &format!("/api/clients/{id}/consultations"),
            serde_json::to_value(&intake).unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    id
}

#[tokio::test(flavor = "multi_thread")]
async fn a_touch_up_that_adds_nothing_is_refused() {
    let srv = support::sqlite_server(Setup::default());
    let (_, prac, _) = srv.clinic("tu", true).await;
    let id = client(&srv, &prac).await;
    let r = srv
        .post(
            &prac,
            &format!("/api/clients/{id}/plans"),
            json!({ "case": CASE, "sessions": 2 }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    let plan = r.json()["id"].as_i64().unwrap();
    let path = format!("/api/plans/{plan}/extend");
    for add in [json!(1e-300), json!(0), json!(0.001), json!(-1), json!(1.5)] {
        let r = srv.post(&prac, &path, json!({ "add": add })).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "add {add}");
        assert!(
            r.message()
                .contains("a touch-up adds from 0.01 (1 % of the full density) to 1"),
            "{}",
            r.message()
        );
    }
    let plans = srv
        .get(&prac, &format!("/api/clients/{id}/plans"))
        .await
        .json();
    assert_eq!(
        plans.as_array().map(Vec::len),
        Some(1),
        "no plan stored: {plans}"
    );
    let r = srv.post(&prac, &path, json!({ "add": 0.01 })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
    assert!(r.json()["impressions"].as_i64().unwrap() > 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn days_out_of_range_are_refused() {
    let srv = support::sqlite_server(Setup::default());
    let (_, prac, _) = srv.clinic("days", true).await;
    let id = client(&srv, &prac).await;
    for first in ["9999-12-31", "0000-01-01"] {
        let r = srv
            .get(
                &prac,
                &format!("/api/clients/{id}/schedule.ics?first={first}"),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{first}");
        assert!(
            r.message().starts_with(&format!("First: {first} is")),
            "{}",
            r.message()
        );
    }
    let intake = serde_json::to_value(follicle_clinic::Intake::from_toml(GO).unwrap()).unwrap();
    // Not before 1900, not years ahead, and not before the consultation the screening reads.
    for on in ["0000-01-01", "9999-12-31", "1990-05-01"] {
        let r = srv
            .post(
                &prac,
                &format!("/api/clients/{id}/consultations?on={on}"),
                intake.clone(),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{on}");
        assert!(
            r.message().starts_with(&format!("On: {on} is")),
            "{}",
            r.message()
        );
    }
}

const BOUNDARY: &str = "----follicle-probe";

/// A multipart form of (name, file name, bytes).
fn form(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file, content) in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes()),
            None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
        }
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// A small PDF with a cross-reference table (one empty page tree).
fn pdf() -> Vec<u8> {
    let objects = [
        "1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n",
        "2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n",
    ];
    let mut s = String::from("%PDF-1.4\n");
    let mut at = vec![];
    for o in objects {
        at.push(s.len());
        s.push_str(o);
    }
    let xref = s.len();
    s.push_str("xref\n0 3\n0000000000 65535 f \n");
    for o in at {
        s.push_str(&format!("{o:010} 00000 n \n"));
    }
    s.push_str(&format!(
        "trailer<</Size 3/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n"
    ));
    s.into_bytes()
}

/// A 16×16 PNG, whole.
fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(16, 16, image::Rgb([200, 180, 160]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[tokio::test(flavor = "multi_thread")]
async fn clearance_letters_are_checked() {
    let srv = support::sqlite_server(Setup::default());
    let (_, prac, _) = srv.clinic("letter", true).await;
    let id = client(&srv, &prac).await;
    let path = format!("/api/clients/{id}/clearance");
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    let today = srv.today().to_string();
    let upload = |parts: Vec<u8>| {
        let (srv, prac, path, ct) = (&srv, &prac, path.clone(), ct.clone());
        async move {
            srv.call(prac, "POST", &path, Some(ct.as_str()), parts)
                .await
        }
    };
    let good = pdf();
    let long = format!("{}.pdf", "a".repeat(5000));
    let png = png();
    let cut_png = &png[..png.len() - 20];
    for (parts, want) in [
        // The file's name follows the text rules of a name.
        (
            form(&[("by", None, b"Dr. R. Shah"), ("date", None, today.as_bytes()), ("letter", Some("\u{202e}gpj.exe"), &good)]),
            "Letter's file name: a text-direction control character is not allowed here; rename the file",
        ),
        (
            form(&[("by", None, b"Dr. R. Shah"), ("date", None, today.as_bytes()), ("letter", Some(&long), &good)]),
            "Letter's file name: at most 200 characters (this one has 5004)",
        ),
        // One letter per clearance, every field once.
        (
            form(&[("by", None, b"Dr. R. Shah"), ("date", None, today.as_bytes()), ("letter", Some("a.pdf"), &good), ("letter", Some("b.pdf"), &good)]),
            "The form has more than one letter",
        ),
        (
            form(&[("by", None, b"Dr. R. Shah"), ("by", None, b"Dr. Evil"), ("date", None, today.as_bytes()), ("letter", Some("a.pdf"), &good)]),
            "The form has the field “by” twice",
        ),
        // A PDF must look like one, a picture must decode.
        (
            form(&[("by", None, b"Dr. R. Shah"), ("date", None, today.as_bytes()), ("letter", Some("a.pdf"), b"%PDF-1.4\n%garbage")]),
            "The letter is not a readable PDF",
        ),
        (
            form(&[("by", None, b"Dr. R. Shah"), ("date", None, today.as_bytes()), ("letter", Some("a.pdf"), &good[..good.len() - 12])]),
            "The letter is not a readable PDF",
        ),
        (
            form(&[("by", None, b"Dr. R. Shah"), ("date", None, today.as_bytes()), ("letter", Some("scan.png"), cut_png)]),
            "The letter cannot be read (the picture is damaged or cut short)",
        ),
    ] {
        let r = upload(parts).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.message());
        assert!(r.message().contains(want), "want {want:?}, got {:?}", r.message());
    }
    let letters = format!("/api/clients/{id}/clearance-letters");
    assert_eq!(
        srv.get(&prac, &letters)
            .await
            .json()
            .as_array()
            .map(Vec::len),
        Some(0),
        "refused uploads store nothing"
    );
    // A real PDF and a whole picture are taken; the name is kept as typed (a dash, accents).
    for (name, bytes, kind) in [
        (
            "Dr Shah – lettre signée.pdf",
            good.as_slice(),
            "application/pdf",
        ),
        ("scan.png", png.as_slice(), "image/png"),
    ] {
        let r = upload(form(&[
            ("by", None, b"Dr. R. Shah"),
            ("date", None, today.as_bytes()),
            ("letter", Some(name), bytes),
        ]))
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.message());
        assert_eq!(r.json()["letter"]["filename"], name);
        assert_eq!(r.json()["letter"]["content_type"], kind);
    }
}
