//! The one JSON error shape of the API, `{"error": {"status": 404, "code": "not_found", "message": "…"}}`,
//! and extractors whose rejections (bad JSON, wrong types, oversize bodies, bad ids) use it.

use axum::extract::rejection::{BytesRejection, JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use follicle_store::StoreError;
use serde_json::json;

/// The `Retry-After` of a 503 while the database does not answer, seconds.
pub const UNAVAILABLE_RETRY_SECONDS: u64 = 5;

/// An API error: a status and a message for the client.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// What went wrong, in words a practitioner's tool can show.
    pub message: String,
    /// Seconds to wait before retrying (rate limiting).
    pub retry_after: Option<u64>,
    /// A refusal the clinic's owner may lift with a written reason (a deferral, a missing clearance, outside
    /// the opening hours): its code is [`OWNER_MAY_OVERRIDE`] instead of the status's, so the studio offers the
    /// reason field for these and never for a refusal nobody may lift ("not suitable").
    pub owner_may_override: bool,
}

/// The error code of a refusal the owner may lift with a written reason.
pub const OWNER_MAY_OVERRIDE: &str = "owner_may_override";

impl ApiError {
    /// An error with this status and message; a message that starts with a field's name as the code spells it
    /// (`date_of_birth: …`, `landmarks.glabella: …`) starts with its name in words instead ([`plain_field`]).
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: as_sentence(plain_field(message.into())),
            retry_after: None,
            owner_may_override: false,
        }
    }
    /// The same refusal, marked as one the owner may lift with a written reason.
    pub fn owner_may_override(mut self) -> ApiError {
        self.owner_may_override = true;
        self
    }
    /// 400: the request is malformed.
    pub fn bad_request(m: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, m)
    }
    /// 401: not logged in.
    pub fn unauthorized(m: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, m)
    }
    /// 403: logged in, but not allowed.
    pub fn forbidden(m: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, m)
    }
    /// 404: no such record (in this clinic).
    pub fn not_found(m: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, m)
    }
    /// 409: conflicts with what is stored.
    pub fn conflict(m: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, m)
    }
    /// 422: well-formed, but the content is not acceptable (a rule, a lot check, a case error).
    pub fn unprocessable(m: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, m)
    }
    /// 500: our fault; the detail goes to the log, not the client.
    pub fn internal(m: impl std::fmt::Display) -> ApiError {
        tracing::error!("internal error: {m}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error (see the server log)",
        )
    }
    /// 503 with `Retry-After`: the studio's database does not answer (down or restarting); the same request may
    /// work in a moment.
    pub fn unavailable() -> ApiError {
        let mut e = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "The studio's database is not answering; try again in a moment.",
        );
        e.retry_after = Some(UNAVAILABLE_RETRY_SECONDS);
        e
    }
    /// The machine-readable code for the status.
    pub fn code(&self) -> &'static str {
        if self.owner_may_override {
            return OWNER_MAY_OVERRIDE;
        }
        match self.status.as_u16() {
            400 => "bad_request",
            401 => "unauthorized",
            403 => "forbidden",
            404 => "not_found",
            405 => "method_not_allowed",
            409 => "conflict",
            408 => "request_timeout",
            413 => "payload_too_large",
            414 => "uri_too_long",
            415 => "unsupported_media_type",
            422 => "unprocessable",
            429 => "too_many_requests",
            503 => "unavailable",
            s if s >= 500 => "internal",
            _ => "error",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // Every message a sentence (outside probe s31: "log in first", "expected session number 2"), the names the
        // core and the store quote for the command line (`nonsense-zone`) in quotation marks.
        let message = said(&self.message);
        let body = json!({ "error": { "status": self.status.as_u16(), "code": self.code(), "message": message } });
        let mut r = (self.status, axum::Json(body)).into_response();
        if let Some(s) = self.retry_after {
            r.headers_mut().insert("retry-after", HeaderValue::from(s));
        }
        r
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::NotFound(what) => {
                ApiError::not_found(format!("{} not found", sentence(&what)))
            }
            // A database's own wording names tables and constraints (and can quote other rows): log it, say less.
            StoreError::Conflict(m) if looks_like_sql(&m) => {
                tracing::warn!("conflict: {m}");
                ApiError::conflict("This conflicts with a record already stored (for example, the same reference used twice).")
            }
            StoreError::Conflict(m) => ApiError::conflict(said(&m)),
            // Nothing is wrong with the request or the server: the database is down or restarting (PostgreSQL).
            StoreError::Unavailable(m) => {
                tracing::warn!("the database is unreachable: {m}");
                ApiError::unavailable()
            }
            // The write may be stored: "try again" could store it twice (probe s7 N1).
            StoreError::Unconfirmed(m) => {
                tracing::warn!("a write's commit is unconfirmed: {m}");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "The studio's database stopped answering while this was being saved, so it cannot tell whether it was saved. Reload the page and check before entering it again.",
                )
            }
            // The server's own zone where the handler did not say the clinic's (`routes::stale_in`).
            StoreError::Stale { what, by, at } => ApiError::conflict(stale_words(
                &what,
                by.as_deref(),
                at,
                &follicle_clinic::ClinicZone::utc(),
            )),
            e => ApiError::internal(e),
        }
    }
}

/// "WHAT was changed by NAME at HH:MM on DAY since you opened it: reload to see their changes." (probe s8 N23),
/// the time on `zone`'s clock.
pub fn stale_words(
    what: &str,
    by: Option<&str>,
    at: Option<i64>,
    zone: &follicle_clinic::ClinicZone,
) -> String {
    let who = by.map(|b| format!(" by {b}")).unwrap_or_default();
    let when = at
        .and_then(follicle_clinic::DateTime::from_unix_seconds)
        .map(|t| {
            let (day, h, m) = zone.local(t);
            format!(" at {h:02}:{m:02} on {day}")
        })
        .unwrap_or_default();
    format!("{what} was changed{who}{when} since you opened it: reload to see their changes.")
}

/// Whether a conflict message is a database's own (constraint names, SQL words) rather than the store's words.
fn looks_like_sql(m: &str) -> bool {
    let l = m.to_lowercase();
    [
        "constraint",
        "duplicate key",
        "violates",
        "unique",
        "foreign key",
        "key (",
        "sqlite",
    ]
    .iter()
    .any(|w| l.contains(w))
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> ApiError {
        match r {
            JsonRejection::JsonDataError(e) => {
                tracing::debug!("JSON body refused: {}", e.body_text());
                ApiError::unprocessable(plain_json_error(&e.body_text()))
            }
            JsonRejection::JsonSyntaxError(e) => {
                tracing::debug!("JSON body refused: {}", e.body_text());
                not_well_formed()
            }
            JsonRejection::MissingJsonContentType(_) => not_json(),
            ref other => {
                tracing::debug!("JSON body refused: {}", other.body_text());
                let status = other.status();
                ApiError::new(
                    status,
                    if status == StatusCode::PAYLOAD_TOO_LARGE {
                        "What was sent is too large for this form."
                    } else {
                        "What was sent could not be read; please try again."
                    },
                )
            }
        }
    }
}

/// `what` as the start of a sentence: its first letter in capitals ("plan" → "Plan").
/// A message of the store's (written for the command line: lower case, names in `backticks`) as the studio
/// says it: a sentence, with names in quotation marks, ending in a full stop ("The user name “anna” is taken,
/// …; choose another.").
pub fn said(m: &str) -> String {
    let mut out = sentence(tamed(&quoted(&without_keys(m))).trim_end());
    if !out.ends_with(['.', '!', '?', ')', '”']) {
        out.push('.');
    }
    out
}

/// A run of more characters than this without a space is echoed input, not words: cut to its first
/// [`ECHO_KEPT`] characters and "…".
pub const LONGEST_RUN: usize = 80;
/// Characters kept of a run cut short.
pub const ECHO_KEPT: usize = 40;

/// `m` as a page may show it: a run longer than [`LONGEST_RUN`] characters cut short, the characters that
/// reorder or hide text (bidirectional controls, zero-width marks) written out as `\u{202e}`, and a landmark's
/// file key (`lateral_canthus_right`) in its words ("right outer eye corner") (outside test s47: a 7,000-character
/// value came back in full, 50 right-to-left overrides flipped the message, and "a front photo needs at least
/// 2 marks of: glabella, lateral_canthus_right, …").
pub fn tamed(m: &str) -> String {
    let hidden = |c: char| matches!(c, '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}');
    let mut out = String::with_capacity(m.len().min(4096));
    let mut rest = m;
    while !rest.is_empty() {
        let start = rest
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(rest.len());
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let run = &rest[..end];
        rest = &rest[end..];
        let n = run.chars().count();
        let word: String = if n > LONGEST_RUN {
            // Its closing quotation mark and punctuation stay.
            let tail: Vec<char> = run
                .chars()
                .rev()
                .take(4)
                .take_while(|c| {
                    matches!(
                        c,
                        '”' | '"' | '`' | '\'' | '.' | ',' | ';' | ':' | ')' | '!' | '?'
                    )
                })
                .collect();
            let mut w: String = run.chars().take(ECHO_KEPT).collect();
            w.push('…');
            w.extend(tail.into_iter().rev());
            w
        } else {
            run.to_string()
        };
        // A landmark key, alone or before punctuation, in its words.
        let key_end = word
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(word.len());
        let (key, tail) = word.split_at(key_end);
        let word = if key.contains('_') && follicle_render::views::label(key) != key {
            format!("{}{tail}", follicle_render::views::label(key))
        } else {
            word
        };
        for c in word.chars() {
            if hidden(c) {
                out.push_str(&format!("\\u{{{:04x}}}", c as u32));
            } else {
                out.push(c);
            }
        }
    }
    out
}

/// `m` without the file keys the command line names after their words: " (`lateral_canthus_left`)" or
/// " (`lateral_canthus_right`, `lateral_canthus_left`)" (follicle-render's `views::mark_ref`) go; the studio
/// names marks by their words alone (outside test s41: underscored keys in what a practitioner reads).
pub fn without_keys(m: &str) -> String {
    let is_key = |t: &str| {
        let t = t.trim();
        t.len() > 2
            && t.starts_with('`')
            && t.ends_with('`')
            && t[1..t.len() - 1].contains('_')
            && t[1..t.len() - 1]
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    let mut out = String::with_capacity(m.len());
    let mut rest = m;
    while let Some(i) = rest.find(" (`") {
        let after = &rest[i + 2..];
        match after.find(')') {
            Some(j) if after[..j].split(',').all(is_key) => {
                out.push_str(&rest[..i]);
                rest = &after[j + 1..];
            }
            _ => {
                out.push_str(&rest[..i + 3]);
                rest = &rest[i + 3..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `m` with each pair of backticks turned into quotation marks (“…”). A quote closes only at a backtick that ends
/// a word (followed by a space, punctuation or the end), so a backtick typed inside a name stays as typed: the
/// field “b`y” (outside probe s31 read “b”y“).
fn quoted(m: &str) -> String {
    if !m.contains('`') {
        return m.to_string();
    }
    let chars: Vec<char> = m.chars().collect();
    let mut out = String::with_capacity(m.len() + 8);
    let mut open = false;
    for (i, &c) in chars.iter().enumerate() {
        if c != '`' {
            out.push(c);
            continue;
        }
        let next = chars.get(i + 1).copied();
        let ends_word = !next.is_some_and(char::is_alphanumeric);
        if open && ends_word {
            out.push('”');
            open = false;
        } else if !open && chars[i + 1..].contains(&'`') {
            out.push('“');
            open = true;
        } else {
            out.push(c);
        }
    }
    if open {
        // An opening quote never closed: the backtick was typed, not a quote.
        return m.to_string();
    }
    out
}

fn sentence(what: &str) -> String {
    let mut c = what.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `message` with a leading field name as the code spells it (`date_of_birth: …`, `landmarks.glabella: …`,
/// `client_id: …`: lower-case letters, digits and `_ . [ ]`, with at least one `_`, `.` or `[`) written as people say
/// it ([`label`]: "Date of birth: …", "Glabella: …", "Client: …"); any other message as it is.
pub fn plain_field(message: String) -> String {
    if let Some((head, rest)) = message.split_once(": ") {
        let code_like = !head.is_empty()
            && head
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.[]".contains(c))
            && head.contains(['_', '.', '[']);
        if code_like {
            return format!("{}: {rest}", label(head));
        }
    }
    message
}

/// A message as a sentence: a first letter in capital and a full stop at its end, as docs/server.md promises
/// every message (outside test s42 found many without). A quotation at the start is left as typed.
pub fn as_sentence(message: String) -> String {
    let mut out = String::with_capacity(message.len() + 1);
    let mut first = true;
    for c in message.chars() {
        if first && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        first = false;
    }
    let trimmed = out.trim_end();
    if !trimmed.is_empty() && !trimmed.ends_with(['.', '?', '!', '…']) {
        out.truncate(trimmed.len());
        out.push('.');
    }
    out
}

/// A field name as people say it: `date_of_birth` → "date of birth", `client.name` → "name", `client_id` →
/// "client".
pub fn label(field: &str) -> String {
    let last = field
        .rsplit('.')
        .find(|p| !p.is_empty() && !p.starts_with('['))
        .unwrap_or(field);
    let last = last.split('[').next().unwrap_or(last);
    // The names the forms show, where they differ from the field's.
    let shown = match last {
        "username" => "user name",
        "display_name" => "name",
        "held_on" => "day",
        "signed_at" => "time of signing",
        "config" => "needle",
        other => other.strip_suffix("_id").unwrap_or(other),
    };
    let words = match shown.strip_suffix("_mm") {
        Some(measure) => format!("{} (mm)", measure.replace(['_', '-'], " ")),
        None => shown.replace(['_', '-'], " "),
    };
    let mut c = words.trim().chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => "A field".into(),
    }
}

/// serde's wording of a refused JSON body ("Failed to deserialize the JSON body into the target type:
/// client.date_of_birth: missing field `x` at line 1 column 20") as a sentence for the person at the desk: no
/// serde paths, positions or Rust type names.
pub fn plain_json_error(text: &str) -> String {
    let detail = text
        .split_once("target type: ")
        .or_else(|| text.split_once("query string: "))
        .map_or(text, |(_, d)| d)
        .trim();
    let detail = detail
        .rsplit_once(" at line ")
        .map_or(detail, |(d, _)| d)
        .trim();
    let quoted = |s: &str, key: &str| -> Option<String> {
        let rest = &s[s.find(key)? + key.len()..];
        let rest = rest.strip_prefix('`')?;
        Some(rest[..rest.find('`')?].to_string())
    };
    // "path: message" where the path is the field whose value was refused.
    let (path, message) = match detail.split_once(": ") {
        Some((p, m)) if !p.contains(' ') => (Some(p), m),
        _ => (None, detail),
    };
    if let Some(f) = quoted(message, "missing field ") {
        return format!("Please fill in “{}”.", label(&f).to_lowercase());
    }
    if let Some(f) = quoted(message, "unknown field ") {
        // In an address's query: an option the page does not take, with the ones it does (outside test s47:
        // `preview.png?size=` was told "the form sent “size”, which is not part of this record").
        if text.contains("query string: ") {
            let options: Vec<&str> = message
                .split_once("expected one of ")
                .map(|(_, list)| list.split(", ").map(|o| o.trim_matches('`')).collect())
                .unwrap_or_default();
            return match options.is_empty() {
                true => format!("“{f}” is not an option of this address."),
                false => format!(
                    "“{f}” is not an option of this address; its options are: {}.",
                    options.join(", ")
                ),
            };
        }
        return format!(
            "The form sent “{}”, which is not part of this record. Please reload the page and try again.",
            label(&f).to_lowercase()
        );
    }
    if let Some(f) = quoted(message, "duplicate field ") {
        return format!(
            "“{}” was given twice; give it once.",
            label(&f).to_lowercase()
        );
    }
    if let Some(v) = quoted(message, "unknown variant ") {
        return match path {
            Some(p) => format!(
                "“{v}” is not one of the choices for {}.",
                label(p).to_lowercase()
            ),
            None => format!("“{v}” is not one of the allowed choices."),
        };
    }
    match path {
        Some(p) if message.starts_with("invalid type") || message.starts_with("invalid value") => {
            match message
                .rsplit_once(", expected ")
                .and_then(|(_, e)| expected_words(e))
            {
                Some(want) => format!("{} has a value of the wrong kind: give {want}.", label(p)),
                None => format!(
                    "{} has a value of the wrong kind; please check it.",
                    label(p)
                ),
            }
        }
        // A yes-or-no option of an address given as 1 or yes (outside test s47: "Zoom could not be read").
        Some(p) if message.contains("provided string was not `true` or `false`") => {
            format!("{} takes true or false.", label(p))
        }
        Some(p) => format!("{} could not be read; please check it.", label(p)),
        None => "Some of the information could not be read; please check the form.".into(),
    }
}

/// What serde says a field expected, in words: "u32" → "a whole number from 0 to 4294967295" (outside probe
/// s29: an impression count of 10^12 was only "a value of the wrong kind"); an expectation in words (a
/// visitor's own) as it is; a Rust type or a structure's name, `None`.
fn expected_words(e: &str) -> Option<String> {
    let e = e.trim();
    let max = match e {
        "u8" => Some(u64::from(u8::MAX)),
        "u16" => Some(u64::from(u16::MAX)),
        "u32" => Some(u64::from(u32::MAX)),
        // 18446744073709551615 is no bound a person reads (outside probe s31): the field's own range is checked
        // and said after it is read.
        "u64" | "usize" => return Some("a whole number, 0 or more".into()),
        _ => None,
    };
    if let Some(max) = max {
        return Some(format!("a whole number from 0 to {max}"));
    }
    let said = match e {
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "a string" | "a borrowed string" => "text",
        "a boolean" => "true or false",
        "a sequence" => "a list",
        other
            if other.starts_with("a ")
                && !other.contains(['`', ':', '<'])
                && !other.contains("struct")
                && !other.contains("enum") =>
        {
            other
        }
        _ => return None,
    };
    Some(said.to_string())
}

/// A consultation's intake that could not be read, in words: serde's structural messages ("missing field
/// `format`", "unknown field …, expected one of …", "invalid type: integer `1`, expected a string") become the
/// sentences of a refused body ([`plain_json_error`], the field's name in words); the intake's own checks
/// (vocabulary with "did you mean", dates) are sentences already and are kept, after "Intake:".
pub fn intake_error(e: &follicle_clinic::SourceError) -> ApiError {
    let m = &e.message;
    let structural = [
        "missing field `",
        "unknown field `",
        "duplicate field `",
        "invalid type:",
        "invalid value:",
        "invalid length",
        "expected value",
        "expected `",
        "EOF while parsing",
        "trailing characters",
        "recursion limit",
    ]
    .iter()
    .any(|k| m.contains(k))
        || (m.contains("unknown variant `") && !m.contains("did you mean"));
    if !structural {
        // The field in words, never its path (outside test s43: "Intake: “conditions[0].in_area”: …").
        return ApiError::unprocessable(if e.path.is_empty() {
            format!("Intake: {m}")
        } else {
            format!("Intake, “{}”: {m}", label(&e.path).to_lowercase())
        });
    }
    let path = if e.path.is_empty() {
        "intake".to_string()
    } else {
        format!("intake.{}", e.path)
    };
    ApiError::unprocessable(plain_json_error(&format!("{path}: {m}")))
}

/// Reads a JSON value into `T` (a body read in parts), refused in the words of a refused body
/// ([`plain_json_error`]): the field's name, never serde's types ("expected u32") or positions. `what`
/// prefixes the field's path (e.g. `override`).
pub fn from_value<T: serde::de::DeserializeOwned>(
    what: &str,
    v: serde_json::Value,
) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        tracing::debug!("JSON value refused at {what} {path}: {inner}");
        let path = match (what, path.as_str()) {
            ("", ".") => String::new(),
            (w, ".") => format!("{w}: "),
            ("", p) => format!("{p}: "),
            (w, p) => format!("{w}.{p}: "),
        };
        ApiError::unprocessable(plain_json_error(&format!("{path}{inner}")))
    })
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> ApiError {
        tracing::debug!("path refused: {}", r.body_text());
        ApiError::bad_request("This address names no record (the number in it is not valid).")
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> ApiError {
        tracing::debug!("query refused: {}", r.body_text());
        ApiError::bad_request(plain_json_error(&r.body_text()))
    }
}

impl From<BytesRejection> for ApiError {
    fn from(r: BytesRejection) -> ApiError {
        tracing::debug!("body refused: {}", r.body_text());
        let status = r.status();
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "What was sent is too large for this form."
        } else {
            "What was sent could not be read; please try again."
        };
        ApiError::new(status, message)
    }
}

/// `axum::Json` whose rejection is an [`ApiError`].
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// A JSON body read as bytes (for the routes that read it in steps: a session's override, an intake's own
/// reader), sent as JSON: `Content-Type: application/json` (or a `+json` type), as [`ApiJson`] asks; any other
/// type is refused with [`ApiJson`]'s 415 (outside probe s31: an intake sent as text/plain was stored).
pub struct JsonBytes(pub axum::body::Bytes);

impl<S: Send + Sync> axum::extract::FromRequest<S> for JsonBytes {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        if !sent_as_json(req.headers()) {
            return Err(not_json());
        }
        axum::body::Bytes::from_request(req, state)
            .await
            .map(JsonBytes)
            .map_err(ApiError::from)
    }
}

/// Whether the request says its body is JSON (`application/json`, or an `application/…+json` type).
pub fn sent_as_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase())
        .is_some_and(|t| {
            t == "application/json" || (t.starts_with("application/") && t.ends_with("+json"))
        })
}

/// 400: a JSON body that does not parse.
pub fn not_well_formed() -> ApiError {
    ApiError::bad_request(
        "The information sent could not be read (it is not well-formed). Please try again.",
    )
}

/// 415: a body that is not sent as JSON.
pub fn not_json() -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "The information was sent in a form the studio does not accept; send it from the studio's own pages.",
    )
}

/// `axum::extract::Path` whose rejection is an [`ApiError`].
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// `axum::extract::Query` whose rejection is an [`ApiError`].
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoed_input_is_cut_short_and_cannot_flip_or_hide_text() {
        // Outside test s47: a 7,000-character value came back in full; 50 right-to-left overrides came back as sent.
        let long = said(&format!(
            "stage `{}`: use before, shaved or after",
            "a".repeat(7000)
        ));
        assert!(long.len() < 200, "{long}");
        assert!(
            long.starts_with("Stage “aaaa") && long.contains("…”: use before"),
            "{long}"
        );
        let flipped = said(&format!(
            "“{}x” is not a look the preview draws",
            "\u{202e}".repeat(3)
        ));
        assert!(!flipped.contains('\u{202e}'), "{flipped}");
        assert!(
            flipped.contains("\\u{202e}\\u{202e}\\u{202e}x"),
            "{flipped}"
        );
        // A landmark's key in its words; other underscored words as they are.
        let marks = said("a front photo needs at least 2 marks of: glabella, lateral_canthus_right, ear_top_left; 1 given");
        assert!(
            marks.contains("glabella, right outer eye corner, ")
                && !marks.contains("lateral_canthus"),
            "{marks}"
        );
        assert!(!marks.contains("ear_top"), "{marks}");
        assert_eq!(
            said("unknown field `cumulative_fractions`"),
            "Unknown field “cumulative_fractions”"
        );
    }

    #[test]
    fn every_message_is_a_sentence() {
        for (m, want) in [
            (
                "“view” was given twice; give it once.",
                "“view” was given twice; give it once.",
            ),
            (
                "Guard must be 0–6 mm (longer hair is not a shaved head)",
                "Guard must be 0–6 mm (longer hair is not a shaved head).",
            ),
            ("Is this right?", "Is this right?"),
            ("  trailing space  ", "  trailing space."),
            ("12 photos at most", "12 photos at most."),
            ("", ""),
        ] {
            assert_eq!(as_sentence(m.into()), want);
        }
        assert_eq!(
            ApiError::unprocessable("landmarks.nape: too far").message,
            "Nape: too far."
        );
    }

    #[test]
    fn a_store_message_is_said_as_a_sentence_with_quotation_marks() {
        assert_eq!(
            said("the user name `anna` is taken, or reads the same as one that is (capital letters do not make a different name); choose another"),
            "The user name “anna” is taken, or reads the same as one that is (capital letters do not make a different name); choose another."
        );
        assert_eq!(
            said("There is already a room called Room 1."),
            "There is already a room called Room 1."
        );
        assert_eq!(said("`x` is used"), "“x” is used.");
        // The command line's file keys after a mark's words go; other quoted words stay.
        assert_eq!(
            said("check the left outer eye corner mark (`lateral_canthus_left`) first"),
            "Check the left outer eye corner mark first."
        );
        assert_eq!(
            said("check both marks (`lateral_canthus_right`, `lateral_canthus_left`); then go"),
            "Check both marks; then go."
        );
        assert_eq!(said("a field (`name`) stays"), "A field (“name”) stays.");
        // A backtick typed inside a name is kept as typed; one never closed is not a quote.
        assert_eq!(
            said("the form has an unknown field `b`y`"),
            "The form has an unknown field “b`y”"
        );
        assert_eq!(said("name `a` and `b`: see"), "Name “a” and “b”: see.");
        assert_eq!(said("it`s `odd"), "It`s `odd.");
    }

    #[test]
    fn refused_json_reads_as_a_sentence() {
        let cases = [
            ("Failed to deserialize the JSON body into the target type: missing field `reference` at line 1 column 20", "Please fill in “reference”."),
            ("Failed to deserialize query string: limit: invalid digit found in string", "Limit could not be read; please check it."),
            ("Failed to deserialize query string: duplicate field `limit`", "“limit” was given twice; give it once."),
            ("Failed to deserialize query string: missing field `entity`", "Please fill in “entity”."),
            ("Failed to deserialize the JSON body into the target type: missing field `date_of_birth` at line 1 column 2", "Please fill in “date of birth”."),
            ("Failed to deserialize the JSON body into the target type: client.date_of_birth: invalid type: integer `5`, expected a string at line 1 column 30", "Date of birth has a value of the wrong kind: give text."),
            ("Failed to deserialize the JSON body into the target type: impressions: invalid value: integer `1000000000000`, expected u32 at line 1 column 30", "Impressions has a value of the wrong kind: give a whole number from 0 to 4294967295."),
            ("Failed to deserialize the JSON body into the target type: x: invalid type: map, expected struct Foo at line 1 column 3", "X has a value of the wrong kind; please check it."),
            ("Failed to deserialize the JSON body into the target type: role: unknown variant `boss`, expected one of `owner`, `practitioner` at line 1 column 9", "“boss” is not one of the choices for role."),
            ("Failed to deserialize the JSON body into the target type: unknown field `nickname`, expected one of `reference`, `name` at line 1 column 12", "The form sent “nickname”, which is not part of this record. Please reload the page and try again."),
            ("something else entirely", "Some of the information could not be read; please check the form."),
            ("Failed to deserialize query string: unknown field `size`, expected one of `stage`, `zoom`", "“size” is not an option of this address; its options are: stage, zoom."),
            ("Failed to deserialize query string: zoom: provided string was not `true` or `false`", "Zoom takes true or false."),
        ];
        for (serde, plain) in cases {
            let got = plain_json_error(serde);
            assert_eq!(got, plain);
            for internal in ["`", "deserialize", "line 1", "column", "_", "expected"] {
                assert!(!got.contains(internal), "{got}");
            }
        }
        // A value read in parts (a session's body): the field, never serde's type names (the third probe's L6).
        let e = from_value::<std::collections::BTreeMap<String, u32>>(
            "",
            serde_json::json!({ "impressions": "many" }),
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "Impressions has a value of the wrong kind: give a whole number from 0 to 4294967295."
        );
        assert_eq!(label("intake.client.date_of_birth"), "Date of birth");
        assert_eq!(label("items[3]"), "Items");
        assert_eq!(label("username"), "User name");
        assert_eq!(label("client_id"), "Client");
        assert_eq!(
            label("hairline.mid_frontal_height_mm"),
            "Mid frontal height (mm)"
        );
    }

    #[test]
    fn messages_name_fields_in_words() {
        let m = |s: &str| ApiError::unprocessable(s).message;
        assert_eq!(
            m("date_of_birth: at most 200 characters"),
            "Date of birth: at most 200 characters."
        );
        assert_eq!(m("landmarks.glabella: outside"), "Glabella: outside.");
        assert_eq!(
            m("client_id: choose the client"),
            "Client: choose the client."
        );
        assert_eq!(
            m("display_name: must not be empty"),
            "Name: must not be empty."
        );
        // Plain words and sentences stay as they are.
        assert_eq!(m("password: too short"), "Password: too short.");
        assert_eq!(m("Room: taken"), "Room: taken.");
        assert_eq!(
            m("the reference `AB_1`: taken"),
            "The reference `AB_1`: taken."
        );
    }
}
