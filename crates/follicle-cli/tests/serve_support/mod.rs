//! Shared by the tests that run the real `follicle serve` binary: starting it on a free port over a data
//! directory, and a minimal blocking HTTP/1.1 client (one connection per request) with a login session.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The example case the tests plan.
pub const CASE: &str = include_str!("../../../../examples/cases/norwood6-average.toml");

/// A running `follicle serve`.
pub struct ServerProc {
    /// The child process.
    pub child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// The owner's password when started with `--init`.
    pub password: Option<String>,
    /// The one-time set-up token it printed (started with [`ServerProc::start_unset`]).
    pub setup_token: Option<String>,
}

/// The SQLite URL of the database in a data directory.
pub fn db_url(data: &Path) -> String {
    format!("sqlite:{}", data.join("follicle.db").display())
}

impl ServerProc {
    /// Starts `follicle serve` on the database in `data` on a free port (`--init` creates the owner `owner`).
    pub fn start(data: &Path, init: bool) -> ServerProc {
        ServerProc::start_on(&db_url(data), init, &[])
    }

    /// Starts `follicle serve --database URL` on a free port with `extra` arguments (e.g. `--photos DIR`).
    pub fn start_on(url: &str, init: bool, extra: &[&str]) -> ServerProc {
        ServerProc::launch(url, init, false, extra)
    }

    /// Starts `follicle serve` on a database without users and reads the set-up token it prints.
    pub fn start_unset(url: &str, extra: &[&str]) -> ServerProc {
        ServerProc::launch(url, false, true, extra)
    }

    fn launch(url: &str, init: bool, token: bool, extra: &[&str]) -> ServerProc {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_follicle"));
        cmd.args(["serve", "--database", url, "--listen", "127.0.0.1:0"])
            .args(extra);
        if init {
            cmd.arg("--init");
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("follicle serve starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let (mut addr, mut password, mut setup_token) = (None, None, None);
        while addr.is_none() || (init && password.is_none()) || (token && setup_token.is_none()) {
            let line = lines
                .next()
                .unwrap_or_else(|| panic!("follicle serve exited early: {:?}", child.try_wait()))
                .unwrap();
            if let Some(rest) = line.strip_prefix("follicle studio on http://") {
                addr = Some(rest.split('/').next().unwrap().to_string());
            }
            if let Some(i) = line.find("{\"token\":\"") {
                setup_token = line[i + 10..].split('"').next().map(str::to_string);
            }
            if let Some(i) = line.find("password ") {
                password = Some(line[i + 9..].split_whitespace().next().unwrap().to_string());
            }
        }
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        ServerProc {
            child,
            addr: addr.unwrap(),
            password,
            setup_token,
        }
    }

    /// SIGKILL: no shutdown code runs.
    pub fn kill9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for ServerProc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP reply.
#[derive(Debug)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
}

impl Reply {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A logged-in client (cookie and CSRF token), or an anonymous one.
#[derive(Clone, Debug, Default)]
pub struct Client {
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// `follicle_session=…`.
    pub cookie: String,
    /// The CSRF token.
    pub csrf: String,
}

impl Client {
    /// Logs in.
    pub fn login(addr: &str, user: &str, password: &str) -> Client {
        let anon = Client {
            addr: addr.into(),
            ..Client::default()
        };
        let r = anon
            .send(
                "POST",
                "/api/login",
                Some("application/json"),
                serde_json::json!({ "username": user, "password": password })
                    .to_string()
                    .as_bytes(),
            )
            .unwrap();
        assert_eq!(r.status, 200, "login: {}", String::from_utf8_lossy(&r.body));
        let cookie = r
            .headers
            .iter()
            .find(|(k, v)| k == "set-cookie" && v.starts_with("follicle_session="))
            .unwrap()
            .1
            .split(';')
            .next()
            .unwrap()
            .to_string();
        Client {
            addr: addr.into(),
            cookie,
            csrf: r.json()["csrf_token"].as_str().unwrap().to_string(),
        }
    }

    /// The same session against another address (the server restarted on a new port).
    pub fn at(&self, addr: &str) -> Client {
        Client {
            addr: addr.into(),
            ..self.clone()
        }
    }

    /// Sends one request on a fresh connection; an I/O error means no reply came (e.g. the server died).
    pub fn send(
        &self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> std::io::Result<Reply> {
        self.send_with(method, path, &[], content_type, body)
    }

    /// [`Client::send`] with extra request headers.
    pub fn send_with(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        content_type: Option<&str>,
        body: &[u8],
    ) -> std::io::Result<Reply> {
        let mut s = TcpStream::connect(&self.addr)?;
        s.set_read_timeout(Some(Duration::from_secs(60)))?;
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nhost: {}\r\nconnection: close\r\ncontent-length: {}\r\n",
            self.addr,
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if !self.cookie.is_empty() {
            head.push_str(&format!(
                "cookie: {}\r\nx-csrf-token: {}\r\n",
                self.cookie, self.csrf
            ));
        }
        if let Some(ct) = content_type {
            head.push_str(&format!("content-type: {ct}\r\n"));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes())?;
        s.write_all(body)?;
        let mut raw = Vec::new();
        s.read_to_end(&mut raw)?;
        parse(&raw).ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "truncated HTTP reply")
        })
    }

    /// GET.
    pub fn get(&self, path: &str) -> Reply {
        self.send("GET", path, None, b"")
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// POST a JSON value.
    pub fn post(&self, path: &str, v: serde_json::Value) -> Reply {
        self.send(
            "POST",
            path,
            Some("application/json"),
            v.to_string().as_bytes(),
        )
        .unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }
}

fn parse(raw: &[u8]) -> Option<Reply> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let get = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    if get("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        body = dechunk(&body)?;
    } else if let Some(len) = get("content-length") {
        if body.len() != len.parse::<usize>().ok()? {
            return None;
        }
    }
    Some(Reply {
        status,
        headers,
        body,
    })
}

fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = b.windows(2).position(|w| w == b"\r\n")?;
        let n = usize::from_str_radix(
            std::str::from_utf8(&b[..eol])
                .ok()?
                .split(';')
                .next()?
                .trim(),
            16,
        )
        .ok()?;
        b = &b[eol + 2..];
        if n == 0 {
            return Some(out);
        }
        out.extend_from_slice(b.get(..n)?);
        b = b.get(n + 2..)?;
    }
}

/// A small valid PNG whose pixels encode `n` (so every `n` gives different bytes).
pub fn png(n: u32, w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([
            (n & 0xff) as u8,
            ((n >> 8) & 0xff) as u8,
            ((x * 7 + y * 13 + n) & 0xff) as u8,
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Every file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.file_type().unwrap().is_dir() {
                dirs.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out
}
