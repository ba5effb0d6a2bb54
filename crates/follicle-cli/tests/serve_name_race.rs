//! Names that differ only in capitals, sent at the same instant through the real `follicle serve`: two owners'
//! `POST /api/users` for `Alpha` and `alpha`, and two `follicle serve --add-clinic` runs with one clinic name. The
//! check in code runs before the password is hashed and the row written, so both requests pass it; the database's
//! unique name keys (schema 17) must refuse the second, in the JSON error shape and in words. On SQLite and
//! PostgreSQL (FOLLICLE_TEST_POSTGRES_URL; skipped without it outside CI).

mod serve_support;

use serde_json::json;
use serve_support::{db_url, Client, ServerProc};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};

/// Rounds of each race: one lucky ordering must not make the test pass.
const ROUNDS: usize = 6;

/// Runs `follicle serve --add-clinic` on `url` until it prints the new owner's password (Ok) or exits (Err with
/// its error, miette's wrapping undone).
fn add_clinic(url: &str, clinic: &str, owner: &str) -> Result<String, String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_follicle"))
        .args(["serve", "--database", url, "--listen", "127.0.0.1:0"])
        .args(["--add-clinic", "--clinic", clinic, "--owner", owner])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        if let Some(i) = line.find("password ") {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(line[i + 9..].split_whitespace().next().unwrap().to_string());
        }
    }
    let out = child.wait_with_output().unwrap();
    Err(String::from_utf8_lossy(&out.stderr)
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" "))
}

/// Runs `f(0)` and `f(1)` on two threads released at the same instant.
fn at_once<T: Send + 'static>(f: impl Fn(usize) -> T + Send + Sync + 'static) -> [T; 2] {
    let f = Arc::new(f);
    let gate = Arc::new(Barrier::new(2));
    let threads: Vec<_> = (0..2)
        .map(|i| {
            let (f, gate) = (f.clone(), gate.clone());
            std::thread::spawn(move || {
                gate.wait();
                f(i)
            })
        })
        .collect();
    let mut out = threads.into_iter().map(|t| t.join().unwrap());
    [out.next().unwrap(), out.next().unwrap()]
}

/// The race on one database: `url` has no clinic yet.
fn races_on(url: &str) {
    let srv = ServerProc::start_on(url, true, &[]);
    let owner = Client::login(&srv.addr, "owner", srv.password.as_deref().unwrap());
    for round in 0..ROUNDS {
        let names = [format!("Alpha{round}"), format!("alpha{round}")];
        let (o, n) = (owner.clone(), names.clone());
        let replies = at_once(move |i| {
            o.post(
                "/api/users",
                json!({ "username": n[i], "display_name": "Alpha Beta",
                        "role": "practitioner", "password": "a long pass phrase 7" }),
            )
        });
        let mut statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
        statuses.sort_unstable();
        assert_eq!(
            statuses,
            [201, 409],
            "round {round}: one of `{}` and `{}` is made, the other refused: {:?}",
            names[0],
            names[1],
            replies
                .iter()
                .map(|r| String::from_utf8_lossy(&r.body).into_owned())
                .collect::<Vec<_>>()
        );
        let refused = replies.iter().find(|r| r.status == 409).unwrap().json();
        let message = refused["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("reads the same")
                && message.contains("capital letters do not make a different name"),
            "round {round}: the refusal says why in words: {refused}"
        );
        for word in ["name_key", "UNIQUE", "constraint", "duplicate key"] {
            assert!(!message.contains(word), "no database words: {refused}");
        }
        let users = owner.get("/api/users").json();
        let same: Vec<_> = users
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| {
                u["username"]
                    .as_str()
                    .unwrap()
                    .eq_ignore_ascii_case(&names[0])
            })
            .collect();
        assert_eq!(
            same.len(),
            1,
            "round {round}: one account of the name: {users}"
        );
    }
    drop(srv);

    // Two `--add-clinic` runs at the same instant, one clinic name (capitals and spaces aside): one clinic is made.
    for round in 0..ROUNDS / 2 {
        let clinic = [
            format!("Studio Nord {round}"),
            format!(" studio nord {round}"),
        ];
        let owners = [format!("nord{round}a"), format!("nord{round}b")];
        let u = url.to_string();
        let results = at_once(move |i| add_clinic(&u, &clinic[i], &owners[i]));
        let made = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(made, 1, "round {round}: one clinic made: {results:?}");
        let err = results.iter().find_map(|r| r.as_ref().err()).unwrap();
        let said = err.to_lowercase();
        assert!(
            said.contains("a clinic named `")
                && said.contains(&format!("studio nord {round}` already uses this database")),
            "round {round}: the loser says why: {err}"
        );
        assert!(
            !err.contains("name_key") && !err.contains("UNIQUE"),
            "{err}"
        );
    }
    // And the same owner name in two spellings at once, with two clinic names.
    let u = url.to_string();
    let results =
        at_once(move |i| add_clinic(&u, ["Studio Ost", "Studio West"][i], ["Mara", "mara"][i]));
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "one owner `mara`: {results:?}"
    );
    let err = results.iter().find_map(|r| r.as_ref().err()).unwrap();
    assert!(err.contains("reads the same"), "{err}");
}

#[test]
fn names_that_differ_in_capitals_made_at_once_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    races_on(&db_url(&dir.path().join("studio")));
}

#[test]
fn names_that_differ_in_capitals_made_at_once_on_postgres() {
    if let Some(url) = follicle_store::testing::fresh_database("name_race") {
        races_on(&url);
    }
}
