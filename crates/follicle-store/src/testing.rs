//! For tests that need a real PostgreSQL server: its URL comes from `FOLLICLE_TEST_POSTGRES_URL` (scripts/test.sh
//! starts a private server and sets it). Without it the PostgreSQL tests are skipped with a message, except when
//! `CI` is set: then they fail, so a CI run can never pass without having run them.

/// The test server's URL; `None` (the test should return) when it is not set outside CI.
///
/// # Panics
/// When `CI` is set and `FOLLICLE_TEST_POSTGRES_URL` is not.
pub fn postgres_url(test: &str) -> Option<String> {
    if let Some(url) = std::env::var("FOLLICLE_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        return Some(url);
    }
    if std::env::var("CI").is_ok_and(|v| !v.is_empty()) {
        panic!("{test}: CI is set but FOLLICLE_TEST_POSTGRES_URL is not; the PostgreSQL tests must run (bash scripts/test.sh starts a server)");
    }
    eprintln!("{test}: FOLLICLE_TEST_POSTGRES_URL is not set: this PostgreSQL test is skipped (bash scripts/test.sh runs it)");
    None
}

/// The URL of `url` with its database replaced by `name` (query parameters kept).
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let root = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    format!(
        "{root}/{name}{}",
        query.map(|q| format!("?{q}")).unwrap_or_default()
    )
}

/// A fresh, empty database `follicle_test_<pid>_<tag>` on the test server (dropped first if it exists), or `None`
/// as [`postgres_url`] says. Safe to call from async tests (it connects on its own thread).
///
/// # Panics
/// When the server cannot be reached or the database cannot be made.
pub fn fresh_database(tag: &str) -> Option<String> {
    let url = postgres_url(tag)?;
    let name = format!("follicle_test_{}_{tag}", std::process::id());
    let admin_url = url.clone();
    let db = name.clone();
    std::thread::spawn(move || {
        let mut admin =
            postgres::Client::connect(&admin_url, postgres::NoTls).unwrap_or_else(|e| {
                panic!("FOLLICLE_TEST_POSTGRES_URL is set but the server cannot be reached: {e}")
            });
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
            .unwrap();
        admin
            .batch_execute(&format!("CREATE DATABASE {db}"))
            .unwrap();
    })
    .join()
    .unwrap_or_else(|_| panic!("cannot create the test database {name}"));
    Some(with_database(&url, &name))
}

/// An owner to create a clinic with in tests (the password hash is never checked by the store).
pub fn owner(name: &str) -> crate::NewUser {
    crate::NewUser {
        username: name.into(),
        display_name: format!("{name} (owner)"),
        role: crate::Role::Owner,
        password_hash: "$argon2id$test".into(),
    }
}

/// Runs `suite` on a new SQLite database in the (temporary) directory `dir`.
pub fn on_sqlite(dir: &std::path::Path, suite: impl FnOnce(std::sync::Arc<dyn crate::Store>)) {
    suite(std::sync::Arc::new(
        crate::sqlite::open(&dir.join("r.db")).unwrap(),
    ));
}

/// Runs `suite` on a fresh PostgreSQL database `tag` ([`fresh_database`]; returns without it as [`postgres_url`]
/// says).
pub fn on_postgres(tag: &str, suite: impl FnOnce(std::sync::Arc<dyn crate::Store>)) {
    if let Some(url) = fresh_database(tag) {
        suite(std::sync::Arc::new(crate::postgres::open(&url).unwrap()));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_database_is_replaced_and_parameters_kept() {
        assert_eq!(
            super::with_database("postgres://u@h:5432/postgres?sslmode=disable", "x"),
            "postgres://u@h:5432/x?sslmode=disable"
        );
        assert_eq!(
            super::with_database("postgres://u@h:5432", "x"),
            "postgres://u@h:5432/x"
        );
    }
}
