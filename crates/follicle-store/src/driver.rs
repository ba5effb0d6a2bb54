//! The seam between the one implementation of the store ([`crate::records::SqlStore`]) and a database
//! backend: typed parameter values, rows read eagerly, and a transaction runner. SQL is written once with
//! `?` placeholders; the PostgreSQL driver numbers them (`$1`, `$2`, …).

use crate::{Result, StoreError};

/// A parameter or column value. Nulls are typed, because PostgreSQL checks parameter types.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// A 64-bit integer or NULL.
    I(Option<i64>),
    /// Text or NULL.
    T(Option<String>),
    /// Bytes (BYTEA, BLOB) or NULL.
    B(Option<Vec<u8>>),
}

/// An integer parameter.
pub fn int(v: i64) -> Val {
    Val::I(Some(v))
}
/// A text parameter.
pub fn text(v: &str) -> Val {
    Val::T(Some(v.to_string()))
}
/// A nullable text parameter.
pub fn opt_text(v: Option<&str>) -> Val {
    Val::T(v.map(str::to_string))
}
/// A bytes parameter.
pub fn bytes(v: &[u8]) -> Val {
    Val::B(Some(v.to_vec()))
}
/// A nullable integer parameter.
pub fn opt_int(v: Option<i64>) -> Val {
    Val::I(v)
}

/// One result row, read eagerly.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Val>);

impl Row {
    /// Column `i` as a nullable integer.
    pub fn oi(&self, i: usize) -> Option<i64> {
        match &self.0[i] {
            Val::I(v) => *v,
            Val::T(Some(s)) => s.parse().ok(),
            Val::T(None) | Val::B(_) => None,
        }
    }
    /// Column `i` as an integer (0 when NULL).
    pub fn i(&self, i: usize) -> i64 {
        self.oi(i).unwrap_or(0)
    }
    /// Column `i` as nullable text.
    pub fn ot(&self, i: usize) -> Option<String> {
        match &self.0[i] {
            Val::T(v) => v.clone(),
            Val::I(v) => v.map(|n| n.to_string()),
            Val::B(v) => v.as_ref().map(|b| String::from_utf8_lossy(b).into_owned()),
        }
    }
    /// Column `i` as nullable bytes.
    pub fn ob(&self, i: usize) -> Option<Vec<u8>> {
        match &self.0[i] {
            Val::B(v) => v.clone(),
            Val::T(v) => v.as_ref().map(|s| s.clone().into_bytes()),
            Val::I(_) => None,
        }
    }
    /// Column `i` as text (empty when NULL).
    pub fn t(&self, i: usize) -> String {
        self.ot(i).unwrap_or_default()
    }
}

/// A connection inside a transaction.
pub trait Conn {
    /// Runs a query and reads every row.
    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>>;
    /// Runs a statement; returns the rows changed.
    fn exec(&mut self, sql: &str, params: &[Val]) -> Result<u64>;
}

impl dyn Conn + '_ {
    /// The first row of a query, or `NotFound(what)`.
    pub fn one(&mut self, what: &str, sql: &str, params: &[Val]) -> Result<Row> {
        self.query(sql, params)?
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::NotFound(what.to_string()))
    }
}

/// A database backend: runs closures in transactions.
pub trait Driver: Send + Sync {
    /// `sqlite` or `postgres`.
    fn name(&self) -> &'static str;
    /// Runs `f` in a transaction (committed when it returns Ok, rolled back otherwise). `write` says whether it
    /// may write (SQLite takes the write lock up front).
    fn transaction<T>(&self, write: bool, f: impl FnOnce(&mut dyn Conn) -> Result<T>) -> Result<T>;
    /// The schema version the database is at.
    fn schema_version(&self) -> Result<u32>;
    /// Writes a consistent copy of the database to a file, where the backend can.
    fn backup_to(&self, dest: &std::path::Path) -> Result<()>;
}
