//! The SQLite backend (the default): one database file in the data directory, WAL journal, foreign keys on,
//! `synchronous = FULL` so an acknowledged commit survives a crash. One writer connection (writes take the
//! lock up front with `BEGIN IMMEDIATE`) and a few reader connections that run beside it under WAL.

use crate::driver::{Columns, Conn, Driver, Row, Val};
use crate::records::SqlStore;
use crate::{Result, StoreError};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The SQLite migrations, in order: (version, SQL).
pub const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("../migrations/sqlite/0001_records.sql")),
    (2, include_str!("../migrations/sqlite/0002_accounts.sql")),
    (
        3,
        include_str!("../migrations/sqlite/0003_landmarks_designs.sql"),
    ),
    (4, include_str!("../migrations/sqlite/0004_nodes.sql")),
    (5, include_str!("../migrations/sqlite/0005_user_access.sql")),
    (
        6,
        include_str!("../migrations/sqlite/0006_design_versions.sql"),
    ),
    (7, include_str!("../migrations/sqlite/0007_clinic_day.sql")),
    (
        8,
        include_str!("../migrations/sqlite/0008_records_rights.sql"),
    ),
    (9, include_str!("../migrations/sqlite/0009_premises.sql")),
    (
        10,
        include_str!("../migrations/sqlite/0010_photo_views.sql"),
    ),
    (11, include_str!("../migrations/sqlite/0011_closures.sql")),
    (
        12,
        include_str!("../migrations/sqlite/0012_proposed_landmarks.sql"),
    ),
    (
        13,
        include_str!("../migrations/sqlite/0013_closed_periods.sql"),
    ),
    (
        14,
        include_str!("../migrations/sqlite/0014_audit_free_text.sql"),
    ),
    (
        15,
        include_str!("../migrations/sqlite/0015_zone_and_logins.sql"),
    ),
    (
        16,
        include_str!("../migrations/sqlite/0016_week_entered.sql"),
    ),
    (17, include_str!("../migrations/sqlite/0017_name_keys.sql")),
    (
        18,
        include_str!("../migrations/sqlite/0018_tablet_handovers.sql"),
    ),
    (
        20,
        include_str!("../migrations/sqlite/0020_login_devices.sql"),
    ),
    (
        21,
        include_str!("../migrations/sqlite/0021_reference_keys.sql"),
    ),
    (
        22,
        include_str!("../migrations/sqlite/0022_search_keys.sql"),
    ),
];

/// Reader connections kept open beside the writer.
const READERS: usize = 4;

/// The SQLite driver.
pub struct Sqlite {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next: AtomicUsize,
}

fn backend(e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(f, msg) = &e {
        if f.code == rusqlite::ErrorCode::ConstraintViolation {
            return StoreError::Conflict(msg.clone().unwrap_or_else(|| e.to_string()));
        }
    }
    StoreError::Backend(e.to_string())
}

fn connect(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let c = Connection::open_with_flags(path, flags)
        .map_err(|e| StoreError::Backend(format!("{}: {e}", path.display())))?;
    c.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(backend)?;
    c.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
    )
    .map_err(backend)?;
    unicode_lower(&c)?;
    Ok(c)
}

/// Replaces SQLite's `LOWER()`, which lowers only A–Z, by Rust's Unicode lower case (as PostgreSQL's): the same
/// SQL then finds "Żółkiewski", "Özdemir" or "Élodie" when searched for in any case on both backends (probe s7
/// N25: the default backend found none of them, even typed exactly). Text is lowered; any other value is
/// returned as it is.
fn unicode_lower(c: &Connection) -> Result<()> {
    use rusqlite::functions::FunctionFlags;
    use rusqlite::types::{Value, ValueRef};
    c.create_scalar_function(
        "lower",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            Ok(match ctx.get_raw(0) {
                ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).to_lowercase()),
                ValueRef::Null => Value::Null,
                ValueRef::Integer(i) => Value::Integer(i),
                ValueRef::Real(f) => Value::Real(f),
                ValueRef::Blob(b) => Value::Blob(b.to_vec()),
            })
        },
    )
    .map_err(backend)
}

/// Opens (creating when missing) the database file and migrates it to the newest version.
pub fn open(path: &Path) -> Result<SqlStore<Sqlite>> {
    open_at_version(path, u32::MAX)
}

/// Opens the database and migrates it up to `target` (tests use this to start from an older version).
pub fn open_at_version(path: &Path, target: u32) -> Result<SqlStore<Sqlite>> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.exists() {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Backend(format!("cannot create {}: {e}", dir.display()))
            })?;
            private(dir, 0o700)?;
        }
    }
    // Health records: the file (and the -wal/-shm files SQLite gives the same mode) readable by this user only.
    if !path.exists() {
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
        o.open(path)
            .map_err(|e| StoreError::Backend(format!("cannot create {}: {e}", path.display())))?;
    }
    private(path, 0o600)?;
    let mut writer = connect(path)?;
    migrate(&mut writer, target)?;
    let readers = (0..READERS)
        .map(|_| connect(path).map(Mutex::new))
        .collect::<Result<Vec<_>>>()?;
    SqlStore::new(Sqlite {
        path: path.to_path_buf(),
        writer: Mutex::new(writer),
        readers,
        next: AtomicUsize::new(0),
    })
}

/// Sets a file's or directory's permission bits (Unix; elsewhere nothing to do).
pub(crate) fn private(path: &Path, mode: u32) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .map_err(|e| StoreError::Backend(format!("cannot restrict {}: {e}", path.display())))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

fn version(c: &Connection) -> Result<u32> {
    c.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        [],
        |r| r.get::<_, i64>(0),
    )
    .map(|v| v as u32)
    .map_err(backend)
}

/// Applies every migration up to `target` that the database has not recorded yet, each in its own transaction.
/// A migration is known by its own version, not by the highest one applied, so branches that add migrations side
/// by side (6, 7, 8) merge in any order: a database at 8 still gets 6 and 7 when they arrive.
fn migrate(c: &mut Connection, target: u32) -> Result<()> {
    c.execute_batch("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)").map_err(backend)?;
    for &(v, sql) in MIGRATIONS.iter().filter(|(v, _)| *v <= target) {
        let tx = c
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(backend)?;
        let applied = tx
            .query_row(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = ?1",
                [v],
                |r| r.get::<_, i64>(0),
            )
            .map_err(backend)?
            > 0;
        if !applied {
            tx.execute_batch(sql)
                .map_err(|e| StoreError::Backend(format!("migration {v}: {e}")))?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
                rusqlite::params![v, crate::now_unix()],
            )
            .map_err(backend)?;
        }
        tx.commit().map_err(backend)?;
    }
    Ok(())
}

struct SqliteConn<'a>(&'a Connection);

fn bind(params: &[Val]) -> Vec<rusqlite::types::Value> {
    use rusqlite::types::Value;
    params
        .iter()
        .map(|p| match p {
            Val::I(Some(i)) => Value::Integer(*i),
            Val::T(Some(s)) => Value::Text(s.clone()),
            Val::B(Some(b)) => Value::Blob(b.clone()),
            Val::I(None) | Val::T(None) | Val::B(None) => Value::Null,
        })
        .collect()
}

impl Conn for SqliteConn<'_> {
    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>> {
        let mut st = self.0.prepare_cached(sql).map_err(backend)?;
        let n = st.column_count();
        let cols = Columns::of(
            sql,
            st.column_names().iter().map(|c| c.to_string()).collect(),
        );
        let mut rows = st
            .query(rusqlite::params_from_iter(bind(params)))
            .map_err(backend)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(backend)? {
            let mut vals = Vec::with_capacity(n);
            for i in 0..n {
                vals.push(match r.get_ref(i).map_err(backend)? {
                    ValueRef::Null => Val::T(None),
                    ValueRef::Integer(v) => Val::I(Some(v)),
                    ValueRef::Real(v) => Val::T(Some(v.to_string())),
                    ValueRef::Text(t) => Val::T(Some(String::from_utf8_lossy(t).into_owned())),
                    ValueRef::Blob(b) => Val::B(Some(b.to_vec())),
                });
            }
            out.push(Row::new(cols.clone(), vals));
        }
        Ok(out)
    }
    fn exec(&mut self, sql: &str, params: &[Val]) -> Result<u64> {
        let mut st = self.0.prepare_cached(sql).map_err(backend)?;
        st.execute(rusqlite::params_from_iter(bind(params)))
            .map(|n| n as u64)
            .map_err(backend)
    }
}

impl Driver for Sqlite {
    fn name(&self) -> &'static str {
        "sqlite"
    }
    fn transaction<T>(&self, write: bool, f: impl FnOnce(&mut dyn Conn) -> Result<T>) -> Result<T> {
        let lock = if write {
            &self.writer
        } else {
            &self.readers[self.next.fetch_add(1, Ordering::Relaxed) % self.readers.len()]
        };
        let c = lock.lock().unwrap_or_else(|p| p.into_inner());
        c.execute_batch(if write { "BEGIN IMMEDIATE" } else { "BEGIN" })
            .map_err(backend)?;
        match f(&mut SqliteConn(&c)) {
            Ok(v) => match c.execute_batch("COMMIT") {
                Ok(()) => Ok(v),
                Err(e) => {
                    let _ = c.execute_batch("ROLLBACK");
                    Err(backend(e))
                }
            },
            Err(e) => {
                let _ = c.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }
    fn schema_version(&self) -> Result<u32> {
        version(&self.writer.lock().unwrap_or_else(|p| p.into_inner()))
    }
    fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            return Err(StoreError::Conflict(format!(
                "{} already exists",
                dest.display()
            )));
        }
        let c = self.readers[0].lock().unwrap_or_else(|p| p.into_inner());
        // VACUUM INTO writes a consistent snapshot while the server keeps serving.
        c.execute("VACUUM INTO ?1", [dest.to_string_lossy()])
            .map_err(|e| {
                StoreError::Backend(format!(
                    "backup of {} to {}: {e}",
                    self.path.display(),
                    dest.display()
                ))
            })?;
        Ok(())
    }
}
