//! `follicle backup` and `follicle restore`: a SQLite studio (database and photos) to and from one tar archive,
//! by `follicle_store::archive`. The backup is consistent while `follicle serve` keeps running; PostgreSQL
//! studios are backed up with pg_dump (docs/server.md).

use crate::serve::DatabaseUrl;
use clap::Args;
use miette::{miette, IntoDiagnostic, Result, WrapErr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Options of `follicle backup`.
#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  follicle backup --out backups/follicle-2025-06-01.tar\n  follicle backup --database sqlite:/srv/follicle/follicle.db --out /mnt/offsite/follicle.tar\n\nPostgreSQL: pg_dump -Fc follicle > follicle.dump, plus a copy of the photo directory (docs/server.md)."
)]
pub struct BackupArgs {
    /// The studio's database (SQLite; the server may keep running).
    #[arg(long, default_value = "sqlite:follicle-data/follicle.db")]
    pub database: DatabaseUrl,
    /// Photo directory (default: photos/ beside the SQLite file).
    #[arg(long)]
    pub photos: Option<PathBuf>,
    /// The archive to write (a tar file; never overwritten).
    #[arg(long, value_name = "FILE.tar")]
    pub out: PathBuf,
}

/// Options of `follicle restore`.
#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  follicle restore --from backups/follicle-2025-06-01.tar\n  follicle restore --from follicle.tar --database sqlite:/srv/follicle-restored/follicle.db\n\nThe database file must not exist yet: stop the server and move the old data directory away first."
)]
pub struct RestoreArgs {
    /// The archive written by `follicle backup`.
    #[arg(long, value_name = "FILE.tar")]
    pub from: PathBuf,
    /// Where to restore the database (a new SQLite file).
    #[arg(long, default_value = "sqlite:follicle-data/follicle.db")]
    pub database: DatabaseUrl,
    /// Photo directory (default: photos/ beside the SQLite file).
    #[arg(long)]
    pub photos: Option<PathBuf>,
}

fn sqlite_path(url: &DatabaseUrl, what: &str) -> Result<PathBuf> {
    let u = &url.0;
    u.strip_prefix("sqlite://").or_else(|| u.strip_prefix("sqlite:")).map(PathBuf::from).ok_or_else(|| {
        miette!("{what} works on SQLite studios; for PostgreSQL use pg_dump / pg_restore and copy the photo directory (docs/server.md)")
    })
}

/// Writes a backup archive of a running (or stopped) SQLite studio.
pub fn backup(a: &BackupArgs, quiet: bool) -> Result<ExitCode> {
    let path = sqlite_path(&a.database, "follicle backup")?;
    if !path.is_file() {
        return Err(miette!("no database at {}", path.display()));
    }
    let store = follicle_store::open(&a.database.0)
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot open the database {:?}", a.database))?;
    let photos = a
        .photos
        .clone()
        .unwrap_or_else(|| follicle_server::default_photo_dir(&a.database.0));
    let m = follicle_store::archive::backup_sqlite(&*store, &photos, &a.out)
        .into_diagnostic()
        .wrap_err("backup failed (nothing written)")?;
    if !quiet {
        outln!(
            "wrote {}: database ({} bytes, schema {}, SHA-256 {}) and {} photo file(s) from {}",
            a.out.display(),
            m.database_bytes,
            m.schema_version,
            &m.database_sha256[..16],
            m.photo_files,
            photos.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Restores a backup archive into a new SQLite database and its photo directory.
pub fn restore(a: &RestoreArgs, quiet: bool) -> Result<ExitCode> {
    let path = sqlite_path(&a.database, "follicle restore")?;
    let photos = a
        .photos
        .clone()
        .unwrap_or_else(|| follicle_server::default_photo_dir(&a.database.0));
    let m = follicle_store::archive::restore_sqlite(&a.from, &path, &photos)
        .into_diagnostic()
        .wrap_err("restore failed (nothing put in place)")?;
    // Migrate to this build's schema now, so a failure shows here rather than at the next start.
    let store = follicle_store::open(&a.database.0).into_diagnostic()?;
    if !quiet {
        outln!(
            "restored {} (taken at Unix time {}, schema {} → {}) into {} with {} photo file(s) in {}",
            a.from.display(),
            m.created_at,
            m.schema_version,
            store.schema_version().into_diagnostic()?,
            Path::new(&path).display(),
            m.photo_files,
            photos.display()
        );
        outln!(
            "start the studio with: follicle serve --database {}",
            a.database.0
        );
    }
    Ok(ExitCode::SUCCESS)
}
