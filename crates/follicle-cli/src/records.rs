//! `follicle client export` and `follicle client erase`: the client's rights from the command line, on the
//! studio's database (SQLite or PostgreSQL), by the same library calls as the studio (follicle_server's
//! client_docs and follicle_store's rights): one zip archive with everything about a client, and erasure on
//! request within the clinic's retention period. Both act as a named owner or practitioner of the clinic
//! (erasure: owner) and are audited under that name.

use crate::serve::DatabaseUrl;
use clap::{Args, Subcommand};
use follicle_clinic::ClinicZone;
use follicle_store::{ClientQuery, Role, Store, User};
use miette::{miette, IntoDiagnostic, Result, WrapErr};
use std::path::PathBuf;
use std::process::ExitCode;

/// Options of `follicle client`.
#[derive(Args, Debug)]
pub struct ClientArgs {
    #[command(subcommand)]
    pub command: ClientCommand,
}

/// What to do for a client.
#[derive(Subcommand, Debug)]
pub enum ClientCommand {
    /// Write everything the clinic holds about a client into one zip archive (records, plans, photos, PDFs).
    Export(ExportArgs),
    /// Erase a client on request: their identity, contact details and photos; treatment records are kept
    /// under a pseudonym until the clinic's retention period ends, then deleted by erasing again.
    Erase(EraseArgs),
}

/// Who acts, on which database.
#[derive(Args, Debug)]
pub struct Who {
    /// The studio's database.
    #[arg(long, default_value = "sqlite:follicle-data/follicle.db")]
    pub database: DatabaseUrl,
    /// Photo directory (default: photos/ beside the SQLite file).
    #[arg(long)]
    pub photos: Option<PathBuf>,
    /// The user name of the owner or practitioner doing this (recorded in the audit log).
    #[arg(long = "as", value_name = "USER")]
    pub user: String,
    /// The client's reference (as in the studio).
    #[arg(long, value_name = "REFERENCE")]
    pub client: String,
}

/// Options of `follicle client export`.
#[derive(Args, Debug)]
#[command(
    after_help = "Example:\n  follicle client export --as owner --client c-2025-014 --out c-2025-014-records.zip"
)]
pub struct ExportArgs {
    #[command(flatten)]
    pub who: Who,
    /// The archive to write (never overwritten).
    #[arg(long, value_name = "FILE.zip")]
    pub out: PathBuf,
}

/// Options of `follicle client erase`.
#[derive(Args, Debug)]
#[command(
    after_help = "Example:\n  follicle client erase --as owner --client c-2025-014 --confirm c-2025-014 --reason \"asked by e-mail on 2 March\""
)]
pub struct EraseArgs {
    #[command(flatten)]
    pub who: Who,
    /// Why (kept in the audit log; do not write the client's name).
    #[arg(long)]
    pub reason: String,
    /// The client's reference typed again, to confirm.
    #[arg(long, value_name = "REFERENCE")]
    pub confirm: String,
}

/// The store, the photo store and the acting user (an active owner or practitioner; erasure: an owner).
fn open(
    w: &Who,
    owner_only: bool,
) -> Result<(std::sync::Arc<dyn Store>, follicle_store::PhotoStore, User)> {
    let store = follicle_store::open(&w.database.0)
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot open the database {:?}", w.database))?;
    let dir = w
        .photos
        .clone()
        .unwrap_or_else(|| follicle_server::default_photo_dir(&w.database.0));
    let photos = follicle_store::PhotoStore::for_store(store.clone(), &dir).into_diagnostic()?;
    let (user, _) = store
        .user_for_login(&w.user)
        .into_diagnostic()?
        .ok_or_else(|| miette!("no active user `{}` in this studio", w.user))?;
    let allowed = if owner_only {
        user.role == Role::Owner
    } else {
        user.role.sees_medical()
    };
    if !allowed {
        return Err(miette!(
            "`{}` is {}: {}",
            user.username,
            user.role.as_str().replace('_', " "),
            if owner_only {
                "only the clinic's owner may erase a client"
            } else {
                "only the owner and practitioners may export a client's records"
            }
        ));
    }
    Ok((store, photos, user))
}

/// The clinic's client with exactly this reference.
fn find_client(
    store: &dyn Store,
    clinic: follicle_store::ClinicId,
    reference: &str,
) -> Result<follicle_store::Client> {
    let page = store
        .list_clients(
            clinic,
            &ClientQuery {
                search: Some(reference.to_string()),
                limit: 500,
                offset: 0,
            },
        )
        .into_diagnostic()?;
    page.items
        .into_iter()
        .find(|c| c.fields.reference == reference)
        .ok_or_else(|| miette!("no client with the reference `{reference}` in this clinic"))
}

/// `follicle client …`.
pub fn run(a: &ClientArgs, quiet: bool, zone: &ClinicZone) -> Result<ExitCode> {
    let now = follicle_clinic::DateTime::from_unix_seconds(follicle_store::now_unix())
        .ok_or_else(|| miette!("the clock reads a time out of range"))?;
    // "Today" on the clinic's clocks: its stored zone (--tz only for a clinic with none stored yet).
    let today_in = |store: &dyn Store, clinic| -> Result<follicle_clinic::Date> {
        let stored = store.clinic_time_zone(clinic).into_diagnostic()?;
        Ok(ClinicZone::of_clinic(stored.as_deref(), Some(zone))
            .0
            .today(now))
    };
    match &a.command {
        ClientCommand::Export(e) => {
            if e.out.exists() {
                return Err(miette!(
                    "{} already exists; choose another file",
                    e.out.display()
                ));
            }
            let (store, photos, user) = open(&e.who, false)?;
            let client = find_client(&*store, user.clinic_id, &e.who.client)?;
            // Written straight to a 0600 temporary beside --out (never held in memory), then renamed into place
            // only if nothing took the name meanwhile; a failure leaves no file behind.
            let dir = match e.out.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => std::path::PathBuf::from("."),
            };
            let name = e
                .out
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            // Said before anything is made, in the words `render --out` uses (outside probe s30: "cannot write in
            // nodir ╰─▶ No such file or directory (os error 2) at path …/.c.zip.bfndez.tmp").
            match std::fs::metadata(&dir) {
                Ok(m) if m.is_dir() => {}
                Ok(_) => {
                    return Err(miette!(
                        "--out: {} is a file, not a folder: choose a folder that exists for {}",
                        dir.display(),
                        e.out.display()
                    ))
                }
                Err(_) => {
                    return Err(miette!(
                        "--out: the folder {} does not exist: create it first, or choose a folder that exists for {}",
                        dir.display(),
                        e.out.display()
                    ))
                }
            }
            let tmp = tempfile::Builder::new()
                .prefix(&format!(".{name}."))
                .suffix(".tmp")
                .tempfile_in(&dir)
                .into_diagnostic()
                .wrap_err_with(|| format!("cannot write in {}", dir.display()))?;
            let out = std::io::BufWriter::with_capacity(256 * 1024, tmp);
            let out = follicle_server::client_docs::export_archive(
                &*store,
                &photos,
                user.clinic_id,
                client.id,
                today_in(&*store, user.clinic_id)?,
                Some(user.id),
                "command line (follicle client export)",
                out,
            )
            .map_err(|e| miette!("{}", e.message))?;
            let tmp = out
                .into_inner()
                .map_err(|e| e.into_error())
                .into_diagnostic()
                .wrap_err_with(|| format!("cannot write {}", e.out.display()))?;
            tmp.as_file()
                .sync_all()
                .into_diagnostic()
                .wrap_err_with(|| format!("cannot write {}", e.out.display()))?;
            let len = tmp.as_file().metadata().into_diagnostic()?.len();
            tmp.persist_noclobber(&e.out)
                .map_err(|err| err.error)
                .into_diagnostic()
                .wrap_err_with(|| format!("cannot write {}", e.out.display()))?;
            if let Ok(d) = std::fs::File::open(&dir) {
                let _ = d.sync_all();
            }
            if !quiet {
                outln!("wrote {} ({len} bytes)", e.out.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        ClientCommand::Erase(e) => {
            let (store, photos, user) = open(&e.who, true)?;
            let today = today_in(&*store, user.clinic_id)?;
            let client = find_client(&*store, user.clinic_id, &e.who.client)?;
            if e.confirm != client.fields.reference {
                return Err(miette!(
                    "--confirm must repeat the client's reference exactly: {}",
                    client.fields.reference
                ));
            }
            follicle_clinic::text::check_erasure_reason(e.reason.trim())
                .map_err(|m| miette!("--reason: {m}"))?;
            let done = store
                .erase_client(
                    user.clinic_id,
                    client.id,
                    &today.to_string(),
                    &e.reason,
                    Some(user.id),
                )
                .map_err(|e| miette!("{e}"))?;
            for sha in done.photos_removed() {
                photos.remove(sha).into_diagnostic()?;
            }
            if !quiet {
                match &done {
                    follicle_store::Erasure::Deleted { .. } => {
                        outln!("erased: every record of the client is deleted")
                    }
                    follicle_store::Erasure::Pseudonymised { pseudonym, retain_until, bookings_cancelled, .. } => outln!(
                        "erased: name, date of birth, contact details and photos removed; {bookings_cancelled} booking(s) still ahead cancelled; treatment records kept as {pseudonym} until {retain_until}"
                    ),
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
