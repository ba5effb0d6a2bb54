//! The PostgreSQL backend, for a chain of clinics and several server processes: an r2d2 pool of blocking
//! `postgres` clients (call it from a blocking thread, never from async code) that tests each connection at
//! checkout and replaces broken ones (a restarted server is reconnected to without restarting follicle), TLS by
//! rustls (`sslmode` in the URL), prepared statements cached per connection, migrations under an advisory lock
//! so that several servers can start at once, and the same SQL as SQLite with `?` numbered into `$n`.

use crate::driver::{Columns, Conn, Driver, Row, Val};
use crate::records::SqlStore;
use crate::{redact, Result, StoreError};
use postgres::config::SslMode;
use postgres::types::{ToSql, Type};
use postgres::{Client, Statement};
use postgres_rustls::MakeTlsConnector;
use r2d2_postgres::PostgresConnectionManager;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// The PostgreSQL migrations, in order: (version, SQL).
pub const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("../migrations/postgres/0001_records.sql")),
    (2, include_str!("../migrations/postgres/0002_accounts.sql")),
    (
        3,
        include_str!("../migrations/postgres/0003_landmarks_designs.sql"),
    ),
    (4, include_str!("../migrations/postgres/0004_nodes.sql")),
    (
        5,
        include_str!("../migrations/postgres/0005_user_access.sql"),
    ),
    (
        6,
        include_str!("../migrations/postgres/0006_design_versions.sql"),
    ),
    (
        7,
        include_str!("../migrations/postgres/0007_clinic_day.sql"),
    ),
    (
        8,
        include_str!("../migrations/postgres/0008_records_rights.sql"),
    ),
    (9, include_str!("../migrations/postgres/0009_premises.sql")),
    (
        10,
        include_str!("../migrations/postgres/0010_photo_views.sql"),
    ),
    (11, include_str!("../migrations/postgres/0011_closures.sql")),
    (
        12,
        include_str!("../migrations/postgres/0012_proposed_landmarks.sql"),
    ),
    (
        13,
        include_str!("../migrations/postgres/0013_closed_periods.sql"),
    ),
    (
        14,
        include_str!("../migrations/postgres/0014_audit_free_text.sql"),
    ),
    (
        15,
        include_str!("../migrations/postgres/0015_zone_and_logins.sql"),
    ),
    (
        16,
        include_str!("../migrations/postgres/0016_week_entered.sql"),
    ),
    (
        17,
        include_str!("../migrations/postgres/0017_name_keys.sql"),
    ),
    (
        18,
        include_str!("../migrations/postgres/0018_tablet_handovers.sql"),
    ),
    (
        20,
        include_str!("../migrations/postgres/0020_login_devices.sql"),
    ),
    (
        21,
        include_str!("../migrations/postgres/0021_reference_keys.sql"),
    ),
    (
        22,
        include_str!("../migrations/postgres/0022_search_keys.sql"),
    ),
];

/// Connections in the pool unless the URL says `pool_size=N`.
pub const DEFAULT_POOL_SIZE: u32 = 16;
/// How long a request waits for a connection (while PostgreSQL is unreachable) before it fails.
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(5);
/// Connect timeout when the URL does not set `connect_timeout`.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 256;
/// Limits every pooled session carries (PostgreSQL's startup `options`), so that one stalled node cannot stop
/// the studio (outside test s43: a node frozen inside a write kept the write lock, every other node's writes
/// waited on it until their requests gave up after 30 s, took their whole pools and with them reads, logins and
/// the health check; and each write answered "did not answer in time" was stored minutes later, when the node
/// came back):
/// - a transaction left idle for 5 s (its node frozen, cut off or gone) is ended by the server, its lock freed
///   and nothing of it stored;
/// - a statement waiting 10 s for a lock (the write lock another node holds) gives up, rolled back, and is
///   answered "try again in a moment": never stored after its request gave up;
/// - no statement runs past 25 s, under the server's 30 s answer limit, for the same reason.
///
/// Migrations lift the three limits inside their own transaction.
const SESSION_LIMITS: &str =
    "-c idle_in_transaction_session_timeout=5000 -c lock_timeout=10000 -c statement_timeout=25000";

/// An arbitrary constant naming the advisory lock the migrations hold.
const MIGRATION_LOCK: i64 = 0x0f01_11c1e;
/// An arbitrary constant naming the advisory lock every write transaction holds until it ends: writes run one
/// at a time across every node, as SQLite's one writer does, so the store's check-then-write rules (the last
/// active owner, an erased client, a lot in use, a pigment with lots, a practitioner being disabled) hold when
/// two nodes write at once. Clinic writes are a few a second; reads never wait for it.
pub const WRITE_LOCK: i64 = 0x0f01_11c1f;

type Manager = PostgresConnectionManager<MakeTlsConnector>;

/// The PostgreSQL driver: an r2d2 pool of blocking clients. Every checkout is tested with an empty query, so a
/// connection that died (the server restarted, a network cut) is dropped and replaced, and requests succeed again
/// as soon as the server answers. Each connection keeps its prepared statements.
pub struct Postgres {
    pool: Option<r2d2::Pool<Manager>>,
}

/// Prepared statements of one pooled connection, by SQL text.
#[derive(Default)]
struct StatementCache(HashMap<String, Statement>);

fn backend(e: postgres::Error) -> StoreError {
    use postgres::error::SqlState;
    match e.code() {
        Some(c)
            if *c == SqlState::UNIQUE_VIOLATION
                || *c == SqlState::FOREIGN_KEY_VIOLATION
                || *c == SqlState::CHECK_VIOLATION =>
        {
            StoreError::Conflict(
                e.as_db_error()
                    .map(|d| d.message().to_string())
                    .unwrap_or_else(|| e.to_string()),
            )
        }
        // A lock not granted within `lock_timeout` (the write lock held by a stalled node) or a statement ended by
        // `statement_timeout`: rolled back, nothing stored, and the same request may succeed in a moment.
        Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE || *c == SqlState::QUERY_CANCELED => {
            StoreError::Unavailable(
                e.as_db_error()
                    .map(|d| d.message().to_string())
                    .unwrap_or_else(|| e.to_string()),
            )
        }
        // The connection is gone, or the server is shutting down or starting up: the database does not answer.
        Some(c)
            if c.code().starts_with("08")
                || *c == SqlState::IDLE_IN_TRANSACTION_SESSION_TIMEOUT
                || *c == SqlState::ADMIN_SHUTDOWN
                || *c == SqlState::CRASH_SHUTDOWN
                || *c == SqlState::CANNOT_CONNECT_NOW =>
        {
            StoreError::Unavailable(
                e.as_db_error()
                    .map(|d| d.message().to_string())
                    .unwrap_or_else(|| e.to_string()),
            )
        }
        None if e.is_closed()
            || std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>()) =>
        {
            StoreError::Unavailable(e.to_string())
        }
        _ => StoreError::Backend(
            e.as_db_error()
                .map(|d| d.message().to_string())
                .unwrap_or_else(|| e.to_string()),
        ),
    }
}

/// What a database URL says beyond what the `postgres` crate reads: TLS roots and the pool size.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// The connection settings (host, user, database, `sslmode`, …).
    pub config: postgres::Config,
    /// `sslrootcert=PATH`: PEM file of the certificate authorities to trust (default: the system's roots).
    pub root_cert: Option<std::path::PathBuf>,
    /// `pool_size=N`.
    pub pool_size: u32,
}

/// Reads a `postgres://` URL. `sslmode=require` (or `verify-full`, `verify-ca`) asks for TLS with the server's
/// certificate checked against the system's roots or `sslrootcert=PATH`; `disable` never uses TLS; `prefer` uses it
/// when the server offers it. Without `sslmode`, a server on localhost (or a Unix socket) is reached without TLS
/// and any other host with `prefer`.
pub fn connect_options(url: &str) -> Result<ConnectOptions> {
    let bad = |m: String| StoreError::Backend(format!("database URL {}: {m}", redact(url)));
    let (base, query) = url.split_once('?').map_or((url, ""), |(b, q)| (b, q));
    let (mut kept, mut root_cert, mut pool_size, mut mode) =
        (Vec::new(), None, DEFAULT_POOL_SIZE, None);
    for kv in query.split('&').filter(|kv| !kv.is_empty()) {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        match k {
            "sslrootcert" => root_cert = Some(std::path::PathBuf::from(v)),
            "pool_size" => {
                pool_size = v
                    .parse()
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .ok_or_else(|| bad(format!("pool_size={v}: give 1 to 1000")))?
            }
            "sslmode" => {
                mode = Some(match v {
                    "disable" => SslMode::Disable,
                    "prefer" | "allow" => SslMode::Prefer,
                    "require" | "verify-ca" | "verify-full" => SslMode::Require,
                    _ => return Err(bad(format!("sslmode={v}: use disable, prefer or require"))),
                })
            }
            _ => kept.push(kv),
        }
    }
    let plain = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    let mut config: postgres::Config = plain
        .parse()
        .map_err(|e: postgres::Error| bad(e.to_string()))?;
    let local = config.get_hosts().iter().all(|h| match h {
        postgres::config::Host::Tcp(name) => {
            matches!(name.as_str(), "localhost" | "127.0.0.1" | "::1" | "[::1]")
        }
        #[cfg(unix)]
        postgres::config::Host::Unix(_) => true,
    });
    config.ssl_mode(mode.unwrap_or(if local {
        SslMode::Disable
    } else {
        SslMode::Prefer
    }));
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    // Ours first, so a URL's own `options` may set other values.
    let options = match config.get_options() {
        Some(own) => format!("{SESSION_LIMITS} {own}"),
        None => SESSION_LIMITS.to_string(),
    };
    config.options(&options);
    // A peer that vanished (a node's host lost, a cable pulled) is noticed within about a minute, not hours.
    config
        .keepalives(true)
        .keepalives_idle(Duration::from_secs(30))
        .keepalives_interval(Duration::from_secs(10))
        .keepalives_retries(3);
    Ok(ConnectOptions {
        config,
        root_cert,
        pool_size,
    })
}

/// The rustls connector: trusting `root_cert` (a PEM file) or the system's certificate authorities.
fn tls_connector(o: &ConnectOptions) -> Result<MakeTlsConnector> {
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    if o.config.get_ssl_mode() != SslMode::Disable {
        match &o.root_cert {
            Some(path) => {
                let fail =
                    |e: String| StoreError::Backend(format!("sslrootcert {}: {e}", path.display()));
                for cert in rustls::pki_types::CertificateDer::pem_file_iter(path)
                    .map_err(|e| fail(e.to_string()))?
                {
                    roots
                        .add(cert.map_err(|e| fail(e.to_string()))?)
                        .map_err(|e| fail(e.to_string()))?;
                }
            }
            None => {
                for cert in rustls_native_certs::load_native_certs().certs {
                    let _ = roots.add(cert); // a system root rustls cannot parse is skipped
                }
            }
        }
        if roots.is_empty() {
            return Err(StoreError::Backend("TLS to PostgreSQL asked for, but no trusted certificate authority was found (set sslrootcert=PATH)".into()));
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::Backend(format!("TLS set-up: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(MakeTlsConnector::new(tokio_rustls::TlsConnector::from(
        Arc::new(config),
    )))
}

/// Connects to `url` and migrates the database to the newest version.
pub fn open(url: &str) -> Result<SqlStore<Postgres>> {
    open_at_version(url, u32::MAX)
}

/// Connects and migrates up to `target` (tests use this to start from an older version).
pub fn open_at_version(url: &str, target: u32) -> Result<SqlStore<Postgres>> {
    let o = connect_options(url)?;
    let manager = PostgresConnectionManager::new(o.config.clone(), tls_connector(&o)?);
    let pool = r2d2::Pool::builder()
        .max_size(o.pool_size)
        .min_idle(Some(o.pool_size.min(2)))
        .test_on_check_out(true)
        .connection_timeout(CHECKOUT_TIMEOUT)
        .build(manager)
        .map_err(|e| StoreError::Backend(format!("cannot connect to {}: {e}", redact(url))))?;
    let driver = Postgres { pool: Some(pool) };
    {
        let mut c = driver.checkout()?;
        migrate(&mut c, target)?;
    }
    SqlStore::new(driver)
}

impl Postgres {
    fn pool(&self) -> &r2d2::Pool<Manager> {
        self.pool.as_ref().expect("the pool lives until drop")
    }
    /// A tested connection from the pool (waits up to [`CHECKOUT_TIMEOUT`] while the server is unreachable).
    fn checkout(&self) -> Result<r2d2::PooledConnection<Manager>> {
        self.pool()
            .get()
            .map_err(|e| StoreError::Unavailable(e.to_string()))
    }
}

fn version(c: &mut impl postgres::GenericClient) -> Result<u32> {
    let r = c
        .query_one(
            "SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_migrations",
            &[],
        )
        .map_err(backend)?;
    Ok(r.get::<_, i64>(0) as u32)
}

fn migrate(c: &mut Client, target: u32) -> Result<()> {
    let mut tx = c.transaction().map_err(backend)?;
    // A node starting while another migrates waits for it, however long a migration of a large database takes.
    tx.batch_execute(
        "SET LOCAL idle_in_transaction_session_timeout = 0; SET LOCAL lock_timeout = 0; SET LOCAL statement_timeout = 0",
    )
    .map_err(backend)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(backend)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)").map_err(backend)?;
    // Each migration is known by its own version (not the highest applied), so migrations that branches added
    // side by side (6, 7, 8) all run, in order, whichever arrived first.
    let have: std::collections::HashSet<i64> = tx
        .query("SELECT version FROM schema_migrations", &[])
        .map_err(backend)?
        .iter()
        .map(|r| r.get::<_, i64>(0))
        .collect();
    for &(v, sql) in MIGRATIONS
        .iter()
        .filter(|(v, _)| *v <= target && !have.contains(&(*v as i64)))
    {
        tx.batch_execute(sql)
            .map_err(|e| StoreError::Backend(format!("migration {v}: {}", backend(e))))?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
            &[&(v as i64), &crate::now_unix()],
        )
        .map_err(backend)?;
    }
    tx.commit().map_err(backend)
}

/// `?` placeholders numbered for PostgreSQL (`$1`, `$2`, …). The store's SQL has no `?` inside literals.
fn number(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    for ch in sql.chars() {
        if ch == '?' {
            n += 1;
            out.push_str(&format!("${n}"));
        } else {
            out.push(ch);
        }
    }
    out
}

struct PgConn<'a, 'b> {
    tx: &'a mut postgres::Transaction<'b>,
    cache: &'a mut StatementCache,
}

impl PgConn<'_, '_> {
    /// The prepared statement for `sql` (`?` placeholders), from this connection's cache or prepared now.
    fn statement(&mut self, sql: &str) -> Result<Statement> {
        if let Some(st) = self.cache.0.get(sql) {
            return Ok(st.clone());
        }
        let st = self.tx.prepare(&number(sql)).map_err(backend)?;
        if self.cache.0.len() >= STATEMENT_CACHE {
            self.cache.0.clear();
        }
        self.cache.0.insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

fn params(ps: &[Val]) -> Vec<Box<dyn ToSql + Sync>> {
    ps.iter()
        .map(|p| -> Box<dyn ToSql + Sync> {
            match p {
                Val::I(v) => Box::new(*v),
                Val::T(v) => Box::new(v.clone()),
                Val::B(v) => Box::new(v.clone()),
            }
        })
        .collect()
}

impl Conn for PgConn<'_, '_> {
    fn query(&mut self, sql: &str, ps: &[Val]) -> Result<Vec<Row>> {
        let owned = params(ps);
        let refs: Vec<&(dyn ToSql + Sync)> = owned.iter().map(|b| b.as_ref()).collect();
        let st = self.statement(sql)?;
        let rows = self.tx.query(&st, &refs).map_err(|e| {
            self.cache.0.remove(sql); // a statement the server no longer knows (schema changed) is prepared again
            backend(e)
        })?;
        let cols = Columns::of(
            sql,
            st.columns().iter().map(|c| c.name().to_string()).collect(),
        );
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| {
                        let t = r.columns()[i].type_();
                        Ok(if *t == Type::BYTEA {
                            Val::B(r.try_get::<_, Option<Vec<u8>>>(i).map_err(backend)?)
                        } else if *t == Type::INT8 {
                            Val::I(r.try_get::<_, Option<i64>>(i).map_err(backend)?)
                        } else if *t == Type::INT4 {
                            Val::I(
                                r.try_get::<_, Option<i32>>(i)
                                    .map_err(backend)?
                                    .map(i64::from),
                            )
                        } else {
                            Val::T(r.try_get::<_, Option<String>>(i).map_err(backend)?)
                        })
                    })
                    .collect::<Result<Vec<_>>>()
                    .map(|vals| Row::new(cols.clone(), vals))
            })
            .collect()
    }
    fn exec(&mut self, sql: &str, ps: &[Val]) -> Result<u64> {
        let owned = params(ps);
        let refs: Vec<&(dyn ToSql + Sync)> = owned.iter().map(|b| b.as_ref()).collect();
        let st = self.statement(sql)?;
        self.tx.execute(&st, &refs).map_err(|e| {
            self.cache.0.remove(sql);
            backend(e)
        })
    }
}

impl Drop for Postgres {
    /// Closes the connections on a plain thread: the blocking client cannot be dropped inside an async runtime.
    fn drop(&mut self) {
        let pool = self.pool.take();
        let _ = std::thread::spawn(move || drop(pool)).join();
    }
}

impl Driver for Postgres {
    fn name(&self) -> &'static str {
        "postgres"
    }
    fn transaction<T>(&self, write: bool, f: impl FnOnce(&mut dyn Conn) -> Result<T>) -> Result<T> {
        let mut conn = self.checkout()?;
        let mut cache = r2d2::PooledConnection::extensions_mut(&mut conn)
            .remove::<StatementCache>()
            .unwrap_or_default();
        let result = (|| {
            let mut tx = conn.transaction().map_err(backend)?;
            if write {
                tx.batch_execute(&format!("SELECT pg_advisory_xact_lock({WRITE_LOCK})"))
                    .map_err(backend)?;
            }
            let v = f(&mut PgConn {
                tx: &mut tx,
                cache: &mut cache,
            })?; // dropping `tx` on error rolls back
            tx.commit().map_err(|e| match backend(e) {
                // The connection broke during COMMIT: the write may or may not be stored.
                StoreError::Unavailable(m) if write => StoreError::Unconfirmed(m),
                e => e,
            })?;
            Ok(v)
        })();
        r2d2::PooledConnection::extensions_mut(&mut conn).insert(cache);
        result
    }
    fn schema_version(&self) -> Result<u32> {
        version(&mut *self.checkout()?)
    }
    fn backup_to(&self, _dest: &std::path::Path) -> Result<()> {
        Err(StoreError::Backend(
            "back up PostgreSQL with pg_dump (see docs/server.md)".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_tls_and_pool_size() {
        let local = connect_options("postgres://u:pw@127.0.0.1:5432/db").unwrap();
        assert_eq!(
            (local.config.get_ssl_mode(), local.pool_size),
            (SslMode::Disable, DEFAULT_POOL_SIZE),
            "localhost: no TLS by default"
        );
        assert_eq!(local.config.get_connect_timeout(), Some(&CONNECT_TIMEOUT));
        // Every session carries the limits that keep one stalled node from stopping the others; a URL's own
        // options come after them, so they may change them.
        assert_eq!(local.config.get_options(), Some(SESSION_LIMITS));
        assert!(local.config.get_keepalives());
        let own =
            connect_options("postgres://u@localhost/db?options=-c%20lock_timeout%3D3000").unwrap();
        assert_eq!(
            own.config.get_options(),
            Some(format!("{SESSION_LIMITS} -c lock_timeout=3000").as_str())
        );
        let remote = connect_options("postgres://u@db.internal/db").unwrap();
        assert_eq!(remote.config.get_ssl_mode(), SslMode::Prefer);
        let o = connect_options("postgres://u@db.internal/db?sslmode=verify-full&sslrootcert=/etc/ca.pem&pool_size=4&application_name=x").unwrap();
        assert_eq!(
            (o.config.get_ssl_mode(), o.root_cert.as_deref(), o.pool_size),
            (
                SslMode::Require,
                Some(std::path::Path::new("/etc/ca.pem")),
                4
            )
        );
        assert_eq!(
            o.config.get_application_name(),
            Some("x"),
            "other parameters reach the postgres crate"
        );
        assert_eq!(
            connect_options("postgres://u@localhost/db?sslmode=require")
                .unwrap()
                .config
                .get_ssl_mode(),
            SslMode::Require
        );
        let err = connect_options("postgres://u:secret@h/db?pool_size=0")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("pool_size=0") && !err.contains("secret"),
            "{err}"
        );
        assert!(connect_options("postgres://u@h/db?sslmode=sometimes")
            .unwrap_err()
            .to_string()
            .contains("sslmode=sometimes"));
    }

    #[test]
    fn a_missing_root_certificate_file_is_named() {
        let o =
            connect_options("postgres://u@h/db?sslmode=require&sslrootcert=/nonexistent/ca.pem")
                .unwrap();
        let err = tls_connector(&o).err().expect("refused").to_string();
        assert!(err.contains("/nonexistent/ca.pem"), "{err}");
    }
}
