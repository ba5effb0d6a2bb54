//! The PostgreSQL backend, for a chain of clinics: a small pool of blocking `postgres` clients (call it from
//! a blocking thread, never from async code), migrations under an advisory lock so that several servers can
//! start at once, and the same SQL as SQLite with `?` numbered into `$n`.

use crate::driver::{Conn, Driver, Row, Val};
use crate::records::SqlStore;
use crate::{redact, Result, StoreError};
use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The PostgreSQL migrations, in order: (version, SQL).
pub const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("../migrations/postgres/0001_records.sql")),
    (2, include_str!("../migrations/postgres/0002_accounts.sql")),
    (3, include_str!("../migrations/postgres/0003_landmarks_designs.sql")),
    (4, include_str!("../migrations/postgres/0004_user_access.sql")),
];

/// Connections in the pool.
const POOL: usize = 4;

/// An arbitrary constant naming the advisory lock the migrations hold.
const MIGRATION_LOCK: i64 = 0x0f01_11c1e;

/// The PostgreSQL driver.
pub struct Postgres {
    pool: Vec<Mutex<Client>>,
    next: AtomicUsize,
}

fn backend(e: postgres::Error) -> StoreError {
    use postgres::error::SqlState;
    match e.code() {
        Some(c) if *c == SqlState::UNIQUE_VIOLATION || *c == SqlState::FOREIGN_KEY_VIOLATION || *c == SqlState::CHECK_VIOLATION => {
            StoreError::Conflict(e.as_db_error().map(|d| d.message().to_string()).unwrap_or_else(|| e.to_string()))
        }
        _ => StoreError::Backend(e.as_db_error().map(|d| d.message().to_string()).unwrap_or_else(|| e.to_string())),
    }
}

/// Connects to `url` and migrates the database to the newest version.
pub fn open(url: &str) -> Result<SqlStore<Postgres>> {
    open_at_version(url, u32::MAX)
}

/// Connects and migrates up to `target` (tests use this to start from an older version).
pub fn open_at_version(url: &str, target: u32) -> Result<SqlStore<Postgres>> {
    let connect = || Client::connect(url, NoTls).map_err(|e| StoreError::Backend(format!("cannot connect to {}: {e}", redact(url))));
    let mut first = connect()?;
    migrate(&mut first, target)?;
    let mut pool = vec![Mutex::new(first)];
    for _ in 1..POOL {
        pool.push(Mutex::new(connect()?));
    }
    Ok(SqlStore::new(Postgres { pool, next: AtomicUsize::new(0) }))
}

fn version(c: &mut impl postgres::GenericClient) -> Result<u32> {
    let r = c.query_one("SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_migrations", &[]).map_err(backend)?;
    Ok(r.get::<_, i64>(0) as u32)
}

fn migrate(c: &mut Client, target: u32) -> Result<()> {
    let mut tx = c.transaction().map_err(backend)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).map_err(backend)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)").map_err(backend)?;
    let have = version(&mut tx)?;
    for &(v, sql) in MIGRATIONS.iter().filter(|(v, _)| *v <= target && *v > have) {
        tx.batch_execute(sql).map_err(|e| StoreError::Backend(format!("migration {v}: {}", backend(e))))?;
        tx.execute("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", &[&(v as i64), &crate::now_unix()]).map_err(backend)?;
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

struct PgConn<'a, 'b>(&'a mut postgres::Transaction<'b>);

fn params(ps: &[Val]) -> Vec<Box<dyn ToSql + Sync>> {
    ps.iter()
        .map(|p| -> Box<dyn ToSql + Sync> {
            match p {
                Val::I(v) => Box::new(*v),
                Val::T(v) => Box::new(v.clone()),
            }
        })
        .collect()
}

impl Conn for PgConn<'_, '_> {
    fn query(&mut self, sql: &str, ps: &[Val]) -> Result<Vec<Row>> {
        let owned = params(ps);
        let refs: Vec<&(dyn ToSql + Sync)> = owned.iter().map(|b| b.as_ref()).collect();
        let st = self.0.prepare(&number(sql)).map_err(backend)?;
        let rows = self.0.query(&st, &refs).map_err(backend)?;
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| {
                        let t = r.columns()[i].type_();
                        Ok(if *t == Type::INT8 {
                            Val::I(r.try_get::<_, Option<i64>>(i).map_err(backend)?)
                        } else if *t == Type::INT4 {
                            Val::I(r.try_get::<_, Option<i32>>(i).map_err(backend)?.map(i64::from))
                        } else {
                            Val::T(r.try_get::<_, Option<String>>(i).map_err(backend)?)
                        })
                    })
                    .collect::<Result<Vec<_>>>()
                    .map(Row)
            })
            .collect()
    }
    fn exec(&mut self, sql: &str, ps: &[Val]) -> Result<u64> {
        let owned = params(ps);
        let refs: Vec<&(dyn ToSql + Sync)> = owned.iter().map(|b| b.as_ref()).collect();
        self.0.execute(number(sql).as_str(), &refs).map_err(backend)
    }
}

impl Drop for Postgres {
    /// Closes the connections on a plain thread: the blocking client cannot be dropped inside an async runtime.
    fn drop(&mut self) {
        let pool = std::mem::take(&mut self.pool);
        let _ = std::thread::spawn(move || drop(pool)).join();
    }
}

impl Driver for Postgres {
    fn name(&self) -> &'static str {
        "postgres"
    }
    fn transaction<T>(&self, _write: bool, f: impl FnOnce(&mut dyn Conn) -> Result<T>) -> Result<T> {
        let slot = &self.pool[self.next.fetch_add(1, Ordering::Relaxed) % self.pool.len()];
        let mut client = slot.lock().unwrap_or_else(|p| p.into_inner());
        let mut tx = client.transaction().map_err(backend)?;
        let v = f(&mut PgConn(&mut tx))?; // dropping `tx` on error rolls back
        tx.commit().map_err(backend)?;
        Ok(v)
    }
    fn schema_version(&self) -> Result<u32> {
        let mut c = self.pool[0].lock().unwrap_or_else(|p| p.into_inner());
        version(&mut *c)
    }
    fn backup_to(&self, _dest: &std::path::Path) -> Result<()> {
        Err(StoreError::Backend("back up PostgreSQL with pg_dump (see docs/server.md)".into()))
    }
}
