//! The seam between the one implementation of the store ([`crate::records::SqlStore`]) and a database
//! backend: typed parameter values, rows read eagerly, and a transaction runner. SQL is written once with
//! `?` placeholders; the PostgreSQL driver numbers them (`$1`, `$2`, …).

use crate::{Result, StoreError};
use std::sync::Arc;

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

/// An integer parameter (a number or a table's id).
pub fn int(v: impl Into<i64>) -> Val {
    Val::I(Some(v.into()))
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
/// A nullable integer parameter (a number or a table's id).
pub fn opt_int(v: Option<impl Into<i64>>) -> Val {
    Val::I(v.map(Into::into))
}

/// Where a row's columns come from: the table the query reads (the first one after FROM, or the one written to)
/// and each column's name, so that a value that does not decode names its table and column.
#[derive(Debug, Clone, PartialEq)]
pub struct Columns {
    /// The table the query reads or writes.
    pub table: String,
    /// The columns' names, in order.
    pub names: Vec<String>,
}

impl Columns {
    /// The columns of `sql`'s result, named `names`.
    pub fn of(sql: &str, names: Vec<String>) -> Arc<Columns> {
        Arc::new(Columns {
            table: table_of(sql),
            names,
        })
    }
}

/// The table a statement reads (the first name after FROM) or writes (after INSERT INTO or UPDATE).
fn table_of(sql: &str) -> String {
    let words: Vec<&str> = sql.split_whitespace().collect();
    let after = |kw: &[&str]| {
        words
            .windows(kw.len() + 1)
            .find(|w| {
                w[..kw.len()]
                    .iter()
                    .zip(kw)
                    .all(|(a, b)| a.eq_ignore_ascii_case(b))
            })
            .map(|w| w[kw.len()])
    };
    after(&["FROM"])
        .or_else(|| after(&["INSERT", "INTO"]))
        .or_else(|| after(&["UPDATE"]))
        .map(|t| {
            t.trim_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .to_string()
        })
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "query".to_string())
}

/// One result row, read eagerly. Its columns decode strictly: a NULL where a value is required, text that is not
/// a number where a number is, or bytes that are not UTF-8 where text is, is a [`StoreError::Decode`] naming the
/// table and column, never a default.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    vals: Vec<Val>,
    cols: Arc<Columns>,
}

impl Row {
    /// A row of `vals` in the columns `cols`.
    pub fn new(cols: Arc<Columns>, vals: Vec<Val>) -> Row {
        Row { vals, cols }
    }
    /// The raw values.
    pub fn values(&self) -> &[Val] {
        &self.vals
    }
    /// The position of the column named `name`, when the row has one.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.cols.names.iter().position(|n| n == name)
    }
    /// The columns from `from` on (one table's columns in a join), as a row of their own.
    pub fn from_column(&self, from: usize) -> Row {
        Row {
            vals: self.vals[from..].to_vec(),
            cols: Arc::new(Columns {
                table: self.cols.table.clone(),
                names: self.cols.names.get(from..).unwrap_or_default().to_vec(),
            }),
        }
    }
    fn val(&self, i: usize) -> Result<&Val> {
        self.vals
            .get(i)
            .ok_or_else(|| self.error(i, "is missing from the query's result"))
    }
    fn error(&self, i: usize, problem: &str) -> StoreError {
        StoreError::Decode {
            table: self.cols.table.clone(),
            column: self
                .cols
                .names
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("column {i}")),
            problem: problem.to_string(),
        }
    }
    fn required<T>(&self, i: usize, v: Option<T>) -> Result<T> {
        v.ok_or_else(|| self.error(i, "is NULL where a value is required"))
    }
    /// Column `i` as a nullable integer (a number or a table's id); text that is not a whole number is an error.
    pub fn oi<T: From<i64>>(&self, i: usize) -> Result<Option<T>> {
        match self.val(i)? {
            Val::I(v) => Ok(v.map(T::from)),
            Val::T(Some(s)) => s
                .parse::<i64>()
                .map(|n| Some(T::from(n)))
                .map_err(|_| self.error(i, &format!("holds {s:?} where a whole number belongs"))),
            Val::T(None) | Val::B(None) => Ok(None),
            Val::B(Some(_)) => Err(self.error(i, "holds bytes where a whole number belongs")),
        }
    }
    /// Column `i` as an integer (a number or a table's id); NULL is an error.
    pub fn i<T: From<i64>>(&self, i: usize) -> Result<T> {
        let v = self.oi(i)?;
        self.required(i, v)
    }
    /// Column `i` as nullable text; bytes that are not UTF-8 are an error.
    pub fn ot(&self, i: usize) -> Result<Option<String>> {
        match self.val(i)? {
            Val::T(v) => Ok(v.clone()),
            Val::I(v) => Ok(v.map(|n| n.to_string())),
            Val::B(None) => Ok(None),
            Val::B(Some(b)) => String::from_utf8(b.clone())
                .map(Some)
                .map_err(|_| self.error(i, "holds bytes that are not UTF-8 text")),
        }
    }
    /// Column `i` as text; NULL is an error.
    pub fn t(&self, i: usize) -> Result<String> {
        let v = self.ot(i)?;
        self.required(i, v)
    }
    /// Column `i` as nullable bytes; a number is an error.
    pub fn ob(&self, i: usize) -> Result<Option<Vec<u8>>> {
        match self.val(i)? {
            Val::B(v) => Ok(v.clone()),
            Val::T(v) => Ok(v.as_ref().map(|s| s.clone().into_bytes())),
            Val::I(None) => Ok(None),
            Val::I(Some(_)) => Err(self.error(i, "holds a number where bytes belong")),
        }
    }
    /// Column `i` as bytes; NULL is an error.
    pub fn b(&self, i: usize) -> Result<Vec<u8>> {
        let v = self.ob(i)?;
        self.required(i, v)
    }
    /// Column `i`'s text read by `parse` (a role, a status); text it does not know is an error naming `what`.
    pub fn parsed<T>(
        &self,
        i: usize,
        what: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<T> {
        let s = self.t(i)?;
        parse(&s).ok_or_else(|| self.error(i, &format!("holds {s:?}, which is not a {what}")))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(vals: Vec<Val>) -> Row {
        let names = ["id", "name", "photo"].map(String::from).to_vec();
        Row::new(
            Columns::of("SELECT id, name, photo FROM clients WHERE id = ?", names),
            vals,
        )
    }

    #[test]
    fn the_table_is_read_from_the_statement() {
        assert_eq!(table_of("SELECT COUNT(*) FROM users"), "users");
        assert_eq!(
            table_of("select a.id from appointments a join users u"),
            "appointments"
        );
        assert_eq!(
            table_of("INSERT INTO lots (a) VALUES (?) RETURNING id"),
            "lots"
        );
        assert_eq!(
            table_of("UPDATE clients SET name = ? RETURNING id"),
            "clients"
        );
        assert_eq!(table_of("SELECT 1"), "query");
    }

    #[test]
    fn values_decode_into_their_types() {
        let r = row(vec![int(7), text("Ana"), bytes(b"png")]);
        assert_eq!(r.i::<i64>(0).unwrap(), 7);
        // A table's id decodes into its own type and binds as the same number.
        assert_eq!(r.i::<crate::ClientId>(0).unwrap(), crate::ClientId(7));
        assert_eq!(int(crate::ClientId(7)), int(7));
        assert_eq!(opt_int(Some(crate::PlanId(7))), opt_int(Some(7)));
        assert_eq!(r.t(1).unwrap(), "Ana");
        assert_eq!(r.b(2).unwrap(), b"png");
        let n = row(vec![Val::I(None), Val::T(None), Val::B(None)]);
        assert_eq!(n.oi::<i64>(0).unwrap(), None);
        assert_eq!(n.ot(1).unwrap(), None);
        assert_eq!(n.ob(2).unwrap(), None);
        // SQLite may hand back a number stored as text; it decodes when it is one.
        assert_eq!(
            row(vec![text("12"), int(5), Val::B(None)])
                .i::<i64>(0)
                .unwrap(),
            12
        );
    }

    #[test]
    fn null_and_mistyped_values_are_errors_naming_table_and_column() {
        let n = row(vec![Val::I(None), Val::T(None), Val::B(None)]);
        for (e, column) in [
            (n.i::<i64>(0).unwrap_err(), "id"),
            (n.t(1).unwrap_err(), "name"),
            (n.b(2).unwrap_err(), "photo"),
        ] {
            assert!(
                matches!(&e, StoreError::Decode { table, column: c, .. } if table == "clients" && c == column),
                "{e:?}"
            );
            assert!(
                e.to_string().contains(&format!("clients.{column} is NULL")),
                "{e}"
            );
        }
        let bad = row(vec![text("yesterday"), bytes(&[0xff, 0xfe]), int(3)]);
        assert_eq!(
            bad.i::<i64>(0).unwrap_err().to_string(),
            "the stored value in clients.id holds \"yesterday\" where a whole number belongs"
        );
        assert!(bad.t(1).unwrap_err().to_string().contains("not UTF-8"));
        assert!(bad.ob(2).is_err());
        assert!(
            bad.oi::<i64>(0).is_err(),
            "text that is not a number is not NULL either"
        );
        let role = row(vec![int(1), text("janitor"), Val::B(None)]);
        assert_eq!(
            role.parsed(1, "role", |s| (s == "owner").then_some(()))
                .unwrap_err()
                .to_string(),
            "the stored value in clients.name holds \"janitor\", which is not a role"
        );
        assert!(row(vec![int(1)])
            .t(1)
            .unwrap_err()
            .to_string()
            .contains("missing"));
    }
}
