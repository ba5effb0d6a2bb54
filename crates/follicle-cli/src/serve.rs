//! `follicle serve`: opens the studio server on a database (a SQLite file under ./follicle-data by default, or
//! PostgreSQL), prints its URL and the set-up step, and serves until Ctrl-C. `--init` creates the first clinic
//! and owner and prints the owner's generated password once.

use crate::input::shown;
use clap::Args;
use follicle_clinic::text;
use follicle_server::{AppState, Settings};
use follicle_store::{NewUser, PhotoStore, Role};
use miette::{miette, IntoDiagnostic, Result, WrapErr};
use std::path::PathBuf;
use std::process::ExitCode;

/// A database URL whose password never shows in Debug output or messages.
#[derive(Clone)]
pub struct DatabaseUrl(pub String);

impl std::str::FromStr for DatabaseUrl {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<DatabaseUrl, String> {
        if s.starts_with("sqlite:")
            || s.starts_with("postgres://")
            || s.starts_with("postgresql://")
        {
            Ok(DatabaseUrl(s.to_string()))
        } else {
            Err("use sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DB".into())
        }
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", follicle_store::redact(&self.0))
    }
}

/// Options of `follicle serve`.
#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  follicle serve --init\n  follicle serve --database sqlite:/srv/follicle/follicle.db --listen 127.0.0.1:8470\n  follicle serve --database postgres://follicle:PASSWORD@db.internal:5432/follicle --secure-cookies\n\nSee docs/server.md for deployment, backups and TLS."
)]
pub struct ServeArgs {
    /// Database: sqlite:PATH (one file; the default) or postgres://USER:PASSWORD@HOST:PORT/DB.
    #[arg(long, default_value = "sqlite:follicle-data/follicle.db")]
    pub database: DatabaseUrl,
    /// Address and port to listen on (keep it on localhost behind a TLS reverse proxy).
    #[arg(long, default_value = "127.0.0.1:8470")]
    pub listen: String,
    /// Directory for photo files (default: photos/ beside the SQLite file, ./follicle-data/photos for PostgreSQL).
    #[arg(long)]
    pub photos: Option<PathBuf>,
    /// Create the first clinic and its owner (the password is generated and printed once), then serve.
    #[arg(long)]
    pub init: bool,
    /// Add another clinic with its own owner to a database that already has clinics (a chain on one
    /// database; every clinic's records stay isolated), then serve.
    #[arg(long, conflicts_with = "init", requires = "owner")]
    pub add_clinic: bool,
    /// With --init or --add-clinic: the clinic's name.
    #[arg(long, default_value = "My studio")]
    pub clinic: String,
    /// With --init or --add-clinic: the owner's user name (user names are unique across clinics).
    #[arg(long, default_value = "owner")]
    pub owner: String,
    /// Mark cookies Secure: set this when browsers reach the studio over HTTPS (a TLS reverse proxy).
    #[arg(long)]
    pub secure_cookies: bool,
    /// A reverse proxy (address like 10.0.0.5, or network like 10.0.0.0/24) whose X-Forwarded-For header names the
    /// client for the login throttle; repeat for several. Without it the header is ignored (the TCP peer counts).
    #[arg(long = "trusted-proxy", value_name = "ADDR_OR_NET", value_parser = parse_proxy)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

/// An address (a single host) or a network in CIDR notation.
fn parse_proxy(s: &str) -> std::result::Result<ipnet::IpNet, String> {
    s.parse::<ipnet::IpNet>()
        .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("`{s}` is neither an IP address nor a network such as 10.0.0.0/8"))
}

/// Logs requests and errors to stderr: `FOLLICLE_LOG` takes tracing targets (e.g. `info`,
/// `warn,tower_http=info`); the default is `info` (`warn` with --quiet).
fn init_logging(quiet: bool) {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::prelude::*;
    let default = Targets::new().with_default(if quiet {
        LevelFilter::WARN
    } else {
        LevelFilter::INFO
    });
    let filter = std::env::var("FOLLICLE_LOG")
        .ok()
        .and_then(|s| s.parse::<Targets>().ok())
        .unwrap_or(default);
    let _ = tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_target(false),
        )
        .with(filter)
        .try_init();
}

/// `--clinic` and `--owner` against the rules the API applies to the same names (POST /api/setup): the
/// clinic's name is a name (one line, at most 200 characters, no control or text-direction characters), the
/// owner's a user name (follicle-clinic's user-name rule, no spaces at its ends).
fn check_names(a: &ServeArgs) -> Result<()> {
    text::check("--clinic", &a.clinic, text::TextKind::Name).map_err(|e| miette!("{e}"))?;
    text::check_user_name("--owner", &a.owner).map_err(|e| miette!("{e}"))?;
    if a.owner.trim() != a.owner {
        return Err(miette!("--owner: no spaces at the start or end"));
    }
    Ok(())
}

/// Starts the studio server and serves until interrupted.
/// `zone` is the zone given to this node (`--tz`, `FOLLICLE_TZ`), `assumed` when none was and it is UTC
/// (follicle-clinic's `ClinicZone::of_clinic`): it is said when stored for a clinic.
pub fn serve(
    a: &ServeArgs,
    quiet: bool,
    zone: &follicle_clinic::ClinicZone,
    assumed: bool,
) -> Result<ExitCode> {
    // Before any thread allocates: the allocator's arenas bounded, so memory freed after a burst of documents
    // is reused rather than kept in one arena per thread.
    follicle_server::arenas::bound();
    init_logging(quiet);
    if a.init || a.add_clinic {
        check_names(a)?;
    }
    let url = &a.database.0;
    let store = follicle_store::open(url)
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot open the database {:?}", a.database))?;
    let photo_dir = a
        .photos
        .clone()
        .unwrap_or_else(|| follicle_server::default_photo_dir(url));
    // PostgreSQL: photo bytes live in the database (every node serves them); the directory keeps only caches.
    let photos = PhotoStore::for_store(store.clone(), &photo_dir).into_diagnostic()?;
    if photos.is_in_database() {
        // Bytes of uploads cut off more than an hour ago, that no photo refers to.
        store
            .purge_unreferenced_photo_blobs(follicle_store::now_unix() - 3600)
            .into_diagnostic()?;
    }
    let settings = Settings {
        secure_cookies: a.secure_cookies,
        trusted_proxies: a.trusted_proxies.clone(),
        zone: zone.clone(),
        ..Settings::default()
    };
    let state = AppState::new(store.clone(), photos, settings);
    let mut setup_step = None;
    if a.init || a.add_clinic {
        let users = store.count_users().into_diagnostic()?;
        if a.init && users > 0 {
            return Err(miette!("--init: this database already has users; log in with an existing owner (or add a clinic with --add-clinic)"));
        }
        if a.add_clinic && users == 0 {
            return Err(miette!(
                "--add-clinic: this database has no clinic yet; use --init for the first one"
            ));
        }
        // A chain's clinics are told apart by name (the owner's lists, the audit): no second clinic of the same
        // name, capitals and spaces at the ends aside.
        let same_clinic = |n: &str| text::clinic_name_key(n) == text::clinic_name_key(&a.clinic);
        if let Some(same) = store
            .clinic_names()
            .into_diagnostic()?
            .into_iter()
            .find(|n| same_clinic(n))
        {
            return Err(miette!(
                "--clinic: a clinic named `{}` already uses this database; give this one another name (for example with its town)",
                shown(&same)
            ));
        }
        // As POST /api/users: no second user name that reads the same (`Owner` beside `owner`).
        let key = text::user_name_key(&a.owner);
        if let Some(same) = store
            .user_names()
            .into_diagnostic()?
            .into_iter()
            .find(|n| *n != a.owner && text::user_name_key(n) == key)
        {
            return Err(miette!(
                "--owner: the user name `{}` reads the same as the existing user name `{}` (capital letters do not make a different name); choose another",
                a.owner,
                shown(&same)
            ));
        }
        let password = follicle_server::auth::random_token()[..20].to_string();
        let hash = follicle_server::auth::hash_password(&password)
            .map_err(|e| miette!("{}", e.message))?;
        let owner = NewUser {
            username: a.owner.clone(),
            display_name: a.owner.clone(),
            role: Role::Owner,
            password_hash: hash,
        };
        store
            .create_clinic_with_owner(&a.clinic, &owner)
            .map_err(|e| match e {
                // Another `--add-clinic` (or a user made through the API) with a name that reads the same got there
                // between the check above and this write: the database's unique name keys refuse it, in words.
                follicle_store::StoreError::Conflict(m) => {
                    miette!("cannot create clinic `{}` with owner `{}`: {} (user names are unique across clinics)", shown(&a.clinic), shown(&a.owner), shown(&m))
                }
                e => miette!("cannot create clinic `{}` with owner `{}`: {e}", shown(&a.clinic), shown(&a.owner)),
            })?;
        setup_step = Some(format!(
            "created clinic `{}` with owner `{}`, password {password} (shown once: store it now)",
            a.clinic, a.owner
        ));
    } else if let Some(token) = state.arm_setup_token().into_diagnostic()? {
        setup_step = Some(format!(
            "first start: create the clinic and its owner with this one-time token:\n  curl -X POST http://{}/api/setup -H 'content-type: application/json' \\\n    -d '{{\"token\":\"{token}\",\"clinic\":\"My studio\",\"username\":\"owner\",\"display_name\":\"Owner\",\"password\":\"at least 10 characters\"}}'\n  (or stop and run `follicle serve --init`)",
            a.listen
        ));
    }
    // Clinics without a stored time zone (just made above, or made before the zone was stored) get this node's
    // --tz; from then on every node uses the clinic's zone, whatever its own --tz.
    let filled = store
        .fill_clinic_time_zones(zone.name())
        .into_diagnostic()?;
    if filled > 0 && !quiet {
        let why = if assumed {
            ": none was given with --tz or FOLLICLE_TZ, so UTC is assumed"
        } else {
            ""
        };
        eprintln!(
            "time zone {} stored for {filled} clinic(s){why} (the owner can change it in the clinic settings)",
            zone.name()
        );
    }
    raise_open_file_limit();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .into_diagnostic()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&a.listen)
            .await
            .into_diagnostic()
            .wrap_err_with(|| format!("cannot listen on {}", a.listen))?;
        let addr = listener.local_addr().into_diagnostic()?;
        if !quiet {
            let photos_at = if state.photos.is_in_database() {
                "in the database".to_string()
            } else {
                format!("in {}", photo_dir.display())
            };
            outln!(
                "follicle studio on http://{addr}/ ({} database {:?}, photos {photos_at})",
                store.backend(),
                a.database
            );
            outln!("API description: http://{addr}/api/openapi.json");
        }
        // This node's preview cache: swept now and every quarter of an hour (previews of deleted photos, old files).
        follicle_server::spawn_preview_sweeper(state.clone());
        // The set-up step is printed even with --quiet: without it nobody can log in.
        if let Some(step) = &setup_step {
            outln!("{step}");
        }
        // The API and the studio's browser UI on one port.
        follicle_server::serve_app(
            listener,
            follicle_server::studio(state, follicle_studio_ui::router()),
        )
        .await
        .into_diagnostic()
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Raises this process's limit on open files to the most the system allows it (systemd's default soft limit is
/// 1,024, under the server's connection cap: outside test s43, a node started under it was shut out by about a
/// thousand slow connections). Said, not fatal, where it cannot.
fn raise_open_file_limit() {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
        let now = getrlimit(Resource::Nofile);
        if now.current != now.maximum {
            let raised = Rlimit {
                current: now.maximum,
                maximum: now.maximum,
            };
            if let Err(e) = setrlimit(Resource::Nofile, raised) {
                eprintln!(
                    "warning: the open-file limit stays at {}: {e}",
                    now.current.map_or("no limit".into(), |n| n.to_string())
                );
            }
        }
        let limit = getrlimit(Resource::Nofile).current;
        if let Some(n) = limit.filter(|&n| n < 2 * follicle_server::MAX_CONNECTIONS as u64) {
            eprintln!(
                "warning: this process may open only {n} files: raise LimitNOFILE (systemd) or `ulimit -n` to at least {} so that {} connections leave room for the database and photos",
                2 * follicle_server::MAX_CONNECTIONS,
                follicle_server::MAX_CONNECTIONS
            );
        }
    }
}
