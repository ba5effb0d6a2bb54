//! Bounded load run of the studio server on localhost with SQLite, or PostgreSQL when `FOLLICLE_LOAD_DATABASE`
//! names an empty database (issue 5's speed check): the real router
//! served over TCP from a temporary data directory, `CONNECTIONS` keep-alive clients for `FOLLICLE_LOAD_SECONDS`
//! (default 30) rotating the client list (`GET /api/clients?limit=50`), a plan read
//! (`GET /api/plans/{id}/plan.json`, a full-scalp plan, audited like every view, gzip as browsers ask) and
//! the same read revalidated with its ETag (`If-None-Match`, answered 304). Prints throughput, p50/p99
//! latency per endpoint and the error count (any non-2xx or I/O error), and the time to generate a full-scalp
//! plan through the API (`POST /api/clients/{id}/plans`, median of 5). Exits non-zero on any error.
//!
//!     cargo bench -p follicle-server --bench load

use follicle_server::{router, AppState, Settings};
use follicle_store::{NewUser, PhotoStore, Role};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const CASE: &str = include_str!("../../../examples/cases/norwood6-average.toml");
/// Concurrent keep-alive connections.
const CONNECTIONS: usize = 16;

/// One keep-alive HTTP/1.1 connection.
struct Conn {
    r: BufReader<TcpStream>,
    host: String,
    cookie: String,
    csrf: String,
}

impl Conn {
    async fn open(addr: &str, cookie: &str, csrf: &str) -> Conn {
        let s = TcpStream::connect(addr).await.unwrap();
        s.set_nodelay(true).unwrap();
        Conn {
            r: BufReader::new(s),
            host: addr.into(),
            cookie: cookie.into(),
            csrf: csrf.into(),
        }
    }
    async fn call(
        &mut self,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> std::io::Result<(u16, Vec<(String, String)>, Vec<u8>)> {
        self.call_with(method, path, body, "").await
    }
    /// `extra`: more header lines, each ending in CRLF.
    async fn call_with(
        &mut self,
        method: &str,
        path: &str,
        body: &[u8],
        extra: &str,
    ) -> std::io::Result<(u16, Vec<(String, String)>, Vec<u8>)> {
        let mut req = format!("{method} {path} HTTP/1.1\r\nhost: {}\r\ncontent-length: {}\r\ncontent-type: application/json\r\n{extra}", self.host, body.len());
        if !self.cookie.is_empty() {
            req.push_str(&format!(
                "cookie: {}\r\nx-csrf-token: {}\r\n",
                self.cookie, self.csrf
            ));
        }
        req.push_str("\r\n");
        let s = self.r.get_mut();
        s.write_all(req.as_bytes()).await?;
        s.write_all(body).await?;
        let mut line = String::new();
        self.r.read_line(&mut line).await?;
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.r.read_line(&mut line).await?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let chunked = headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
        let mut body = Vec::new();
        if chunked {
            // Compressed answers stream in chunks: size line (hex), data, CRLF; a zero size ends them.
            loop {
                line.clear();
                self.r.read_line(&mut line).await?;
                let size =
                    usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                        .map_err(|_| std::io::Error::other(format!("bad chunk size {line:?}")))?;
                let start = body.len();
                body.resize(start + size, 0);
                self.r.read_exact(&mut body[start..]).await?;
                line.clear();
                self.r.read_line(&mut line).await?;
                if size == 0 {
                    break;
                }
            }
        } else if status != 304 {
            let len: usize = headers
                .iter()
                .find(|(k, _)| k == "content-length")
                .and_then(|(_, v)| v.parse().ok())
                .ok_or_else(|| std::io::Error::other("no content-length"))?;
            body.resize(len, 0);
            self.r.read_exact(&mut body).await?;
        }
        Ok((status, headers, body))
    }
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1].as_secs_f64()
        * 1e3
}

fn main() {
    let seconds: u64 = std::env::var("FOLLICLE_LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let dir = tempfile::tempdir().unwrap();
    // FOLLICLE_LOAD_DATABASE=postgres://… runs the same load on an empty PostgreSQL database instead.
    let url = std::env::var("FOLLICLE_LOAD_DATABASE")
        .unwrap_or_else(|_| format!("sqlite:{}", dir.path().join("follicle.db").display()));
    let store = follicle_store::open(&url).unwrap();
    println!("backend: {}", store.backend());
    let hash = follicle_server::auth::hash_password("load test password").unwrap();
    store
        .create_clinic_with_owner(
            "Load clinic",
            &NewUser {
                username: "owner".into(),
                display_name: "Owner".into(),
                role: Role::Owner,
                password_hash: hash,
            },
        )
        .unwrap();
    let photos = PhotoStore::for_store(store.clone(), &dir.path().join("photos")).unwrap();
    let backend = store.backend();
    let state = AppState::new(store, photos, Settings::default());
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let listener = server_rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    server_rt.spawn(async move { axum::serve(listener, router(state)).await.unwrap() });

    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    client_rt.block_on(async move {
        let mut c = Conn::open(&addr, "", "").await;
        let (st, headers, body) = c.call("POST", "/api/login", br#"{"username":"owner","password":"load test password"}"#).await.unwrap();
        assert_eq!(st, 200);
        let cookie = headers.iter().find(|(k, v)| k == "set-cookie" && v.starts_with("follicle_session=")).unwrap().1.split(';').next().unwrap().to_string();
        let csrf = serde_json::from_slice::<serde_json::Value>(&body).unwrap()["csrf_token"].as_str().unwrap().to_string();
        let mut c = Conn::open(&addr, &cookie, &csrf).await;
        let mut client = 0;
        for i in 0..500 {
            let (st, _, body) = c.call("POST", "/api/clients", format!(r#"{{"reference":"L-{i:04}","name":"Client {i:04}","email":"c{i}@example.org"}}"#).as_bytes()).await.unwrap();
            assert_eq!(st, 201);
            client = serde_json::from_slice::<serde_json::Value>(&body).unwrap()["id"].as_i64().unwrap();
        }
        // Full-scalp plan generation through the API, end to end.
        let body = serde_json::json!({ "case": CASE }).to_string();
        let mut times = Vec::new();
        let mut plan = 0;
        for _ in 0..5 {
            let t = Instant::now();
            let (st, _, b) = c.call("POST", &format!("/api/clients/{client}/plans"), body.as_bytes()).await.unwrap();
            times.push(t.elapsed());
            assert_eq!(st, 201, "{}", String::from_utf8_lossy(&b));
            let v: serde_json::Value = serde_json::from_slice(&b).unwrap();
            plan = v["id"].as_i64().unwrap();
            if times.len() == 1 {
                println!("plan: {} impressions, {} sessions", v["impressions"], v["sessions"]);
            }
        }
        times.sort();
        println!("POST /api/clients/{{id}}/plans (full scalp, Norwood 6 example): median {:.0} ms, max {:.0} ms over 5", pct(&times, 0.5), times[4].as_secs_f64() * 1e3);
        let plan_path = format!("/api/plans/{plan}/plan.json");
        let (_, plan_headers, plan_body) = c.call("GET", &plan_path, b"").await.unwrap();
        let plan_bytes = plan_body.len();
        let etag = plan_headers.iter().find(|(k, _)| k == "etag").map(|(_, v)| v.clone()).expect("plan.json has an ETag");
        let gzip_bytes = c.call_with("GET", &plan_path, b"", "accept-encoding: gzip\r\n").await.unwrap().2.len();

        // The client list; plan.json compressed (as a browser asks for it); plan.json re-read with its ETag (304).
        let paths = ["/api/clients?limit=50".to_string(), plan_path.clone(), plan_path];
        let extras = [String::new(), "accept-encoding: gzip\r\n".to_string(), format!("accept-encoding: gzip\r\nif-none-match: {etag}\r\n")];
        let end = Instant::now() + Duration::from_secs(seconds);
        let tasks: Vec<_> = (0..CONNECTIONS)
            .map(|n| {
                let (addr, cookie, csrf, paths, extras) = (addr.clone(), cookie.clone(), csrf.clone(), paths.clone(), extras.clone());
                tokio::spawn(async move {
                    let mut c = Conn::open(&addr, &cookie, &csrf).await;
                    let mut lat: [Vec<Duration>; 3] = [Vec::new(), Vec::new(), Vec::new()];
                    let mut errors = 0u64;
                    let mut k = n;
                    while Instant::now() < end {
                        let which = k % 3;
                        k += 1;
                        let t = Instant::now();
                        let want = if which == 2 { 304 } else { 200 };
                        match c.call_with("GET", &paths[which], b"", &extras[which]).await {
                            Ok((s, _, _)) if s == want => lat[which].push(t.elapsed()),
                            Ok((s, _, b)) => {
                                errors += 1;
                                eprintln!("{s}: {}", String::from_utf8_lossy(&b));
                            }
                            Err(e) => {
                                errors += 1;
                                eprintln!("{e}");
                                c = Conn::open(&addr, &cookie, &csrf).await;
                            }
                        }
                    }
                    (lat, errors)
                })
            })
            .collect();
        let started = Instant::now();
        let mut all: [Vec<Duration>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        let mut errors = 0;
        for t in tasks {
            let (lat, e) = t.await.unwrap();
            errors += e;
            for i in 0..3 {
                all[i].extend(lat[i].iter().copied());
            }
        }
        let wall = started.elapsed().as_secs_f64();
        let total: usize = all.iter().map(Vec::len).sum();
        println!("load: {seconds} s, {CONNECTIONS} keep-alive connections, {backend}, 500 clients, plan.json of {plan_bytes} bytes ({gzip_bytes} gzip)");
        for (i, name) in ["GET /api/clients?limit=50", "GET plan.json (gzip)", "GET plan.json, ETag re-read (304)"].iter().enumerate() {
            all[i].sort();
            println!("  {name:<32} {:>7} requests  {:>8.1} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms", all[i].len(), all[i].len() as f64 / wall, pct(&all[i], 0.5), pct(&all[i], 0.99));
        }
        println!("  total {total} requests, {:.1} req/s, errors {errors}", total as f64 / wall);
        if errors > 0 {
            std::process::exit(1);
        }
    });
}
