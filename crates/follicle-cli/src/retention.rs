//! `follicle records purge`: the retention purge on the studio's database (SQLite or PostgreSQL). Medical records
//! are kept for the clinic's retention period after the last treatment (clinic setting, default 10 years); once
//! it has ended, every record of the client goes, pseudonymised or not, unless the client has a booking still
//! ahead (kept, and listed with it). `--dry-run` lists who would go, and who is kept and why, and writes nothing. The purge is follicle_store's `purge_retention_ended`: one transaction under the clinic's lock,
//! so it is safe to run from several nodes at once and again (a second run finds nothing). Acts as a named
//! owner and is audited under that name.

use crate::serve::DatabaseUrl;
use clap::{Args, Subcommand};
use follicle_clinic::ClinicZone;
use follicle_store::{Role, Store};
use miette::{miette, IntoDiagnostic, Result, WrapErr};
use std::path::PathBuf;
use std::process::ExitCode;

/// Options of `follicle records`.
#[derive(Args, Debug)]
pub struct RecordsArgs {
    #[command(subcommand)]
    pub command: RecordsCommand,
}

/// What to do with the clinic's records.
#[derive(Subcommand, Debug)]
pub enum RecordsCommand {
    /// Delete every record of the clients whose medical-record retention has ended (the clinic's retention
    /// period after their last treatment).
    Purge(PurgeArgs),
}

/// Options of `follicle records purge`.
#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  follicle records purge --as owner --dry-run\n  follicle records purge --as owner --reason \"yearly retention purge\""
)]
pub struct PurgeArgs {
    /// The studio's database.
    #[arg(long, default_value = "sqlite:follicle-data/follicle.db")]
    pub database: DatabaseUrl,
    /// Photo directory (default: photos/ beside the SQLite file).
    #[arg(long)]
    pub photos: Option<PathBuf>,
    /// The user name of the clinic's owner (recorded in the audit log).
    #[arg(long = "as", value_name = "USER")]
    pub user: String,
    /// List who would be purged; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Why (kept in the audit log).
    #[arg(long, default_value = "the clinic's retention period ended")]
    pub reason: String,
}

/// `follicle records …`.
pub fn run(a: &RecordsArgs, quiet: bool, zone: &ClinicZone) -> Result<ExitCode> {
    let RecordsCommand::Purge(p) = &a.command;
    let now = follicle_clinic::DateTime::from_unix_seconds(follicle_store::now_unix())
        .ok_or_else(|| miette!("the clock reads a time out of range"))?;
    let store: std::sync::Arc<dyn Store> = follicle_store::open(&p.database.0)
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot open the database {:?}", p.database))?;
    let (user, _) = store
        .user_for_login(&p.user)
        .into_diagnostic()?
        .ok_or_else(|| miette!("no active user `{}` in this studio", p.user))?;
    if user.role != Role::Owner {
        return Err(miette!(
            "`{}` is {}: only the clinic's owner may purge records",
            user.username,
            user.role.as_str().replace('_', " ")
        ));
    }
    let clinic = user.clinic_id;
    let settings = store.clinic_settings(clinic).into_diagnostic()?;
    // "Today" on the clinic's clocks: its stored zone (--tz only for a clinic with none stored yet).
    let today = ClinicZone::of_clinic(settings.time_zone.as_deref(), Some(zone))
        .0
        .today(now)
        .to_string();
    if p.dry_run {
        let list = store
            .retention_ended(clinic, &today)
            .map_err(|e| miette!("{e}"))?;
        if !quiet {
            outln!(
                "{} client(s) whose {}-year retention has ended by {today} (nothing changed):",
                list.len(),
                settings.retention_years
            );
            for e in &list {
                outln!(
                    "  {}  last treatment {}  retention ended {}{}",
                    crate::input::shown(&e.reference),
                    e.last_treatment,
                    e.retain_until,
                    if e.pseudonymised {
                        "  (erased on request, kept under a pseudonym)"
                    } else {
                        ""
                    }
                );
            }
            let held = store
                .retention_held(clinic, &today)
                .map_err(|e| miette!("{e}"))?;
            if !held.is_empty() {
                outln!(
                    "{} more whose retention has ended are kept because they have a booking ahead:",
                    held.len()
                );
                for e in &held {
                    outln!(
                        "  {}  retention ended {}  kept: {}",
                        crate::input::shown(&e.reference),
                        e.retain_until,
                        follicle_server::routes::booked_words(zone, e.booked_at)
                    );
                }
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let dir = p
        .photos
        .clone()
        .unwrap_or_else(|| follicle_server::default_photo_dir(&p.database.0));
    let photos = follicle_store::PhotoStore::for_store(store.clone(), &dir).into_diagnostic()?;
    let done = store
        .purge_retention_ended(clinic, &today, &p.reason, Some(user.id), None)
        .map_err(|e| miette!("{e}"))?;
    for sha in &done.photos_removed {
        photos.remove(sha).into_diagnostic()?;
    }
    if !quiet {
        outln!(
            "purged {} client(s) whose {}-year retention had ended by {today}:",
            done.purged.len(),
            settings.retention_years
        );
        for e in &done.purged {
            outln!(
                "  {}  retention ended {}",
                crate::input::shown(&e.reference),
                e.retain_until
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
