//! Backup archives of a SQLite studio: one uncompressed tar file holding `backup.json` (what it is), a
//! consistent snapshot of the database (`follicle.db`, made by `VACUUM INTO` while the server keeps serving)
//! and every photo file (`photos/ab/ab….bin` and their thumbnails; caches and temporary files are left out).
//! The snapshot is taken before the photos are copied, and a photo file is always written before its database
//! row, so every photo row in the snapshot finds its file in the archive.
//!
//! Restoring checks everything before anything is put in place: the manifest, the database snapshot's
//! SHA-256 and `integrity_check`, and each photo's bytes against its name. PostgreSQL is backed up with its
//! own tools (`pg_dump`; see docs/server.md).

use crate::{now_unix, Result, StoreError};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// The manifest's `format`.
pub const FORMAT: &str = "follicle-backup";

/// What a backup archive holds (its `backup.json`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    /// Always `follicle-backup`.
    pub format: String,
    /// Format version (1).
    pub version: u32,
    /// Unix seconds when the snapshot was taken.
    pub created_at: i64,
    /// The database's schema version.
    pub schema_version: u32,
    /// SHA-256 (hex) of `follicle.db` in the archive.
    pub database_sha256: String,
    /// Size of `follicle.db`, bytes.
    pub database_bytes: u64,
    /// How many photo files (originals and thumbnails) the archive holds.
    pub photo_files: u64,
}

fn io(what: &Path, e: std::io::Error) -> StoreError {
    StoreError::Backend(format!("{}: {e}", what.display()))
}

fn bad(m: impl Into<String>) -> StoreError {
    StoreError::Backend(format!("backup archive: {}", m.into()))
}

/// Writes a backup archive of a SQLite store and its photo directory to `out` (never overwriting a file);
/// returns its manifest. Safe while a server is using the same database and photos.
pub fn backup_sqlite(store: &dyn crate::Store, photos: &Path, out: &Path) -> Result<Manifest> {
    if store.backend() != "sqlite" {
        return Err(StoreError::Backend("`follicle backup` archives SQLite studios; back up PostgreSQL with pg_dump (docs/server.md)".into()));
    }
    if out.exists() {
        return Err(StoreError::Conflict(format!(
            "{} already exists",
            out.display()
        )));
    }
    let dir = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let stem = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let snapshot = dir.join(format!(".{stem}.{}.db", std::process::id()));
    let partial = dir.join(format!(".{stem}.{}.partial", std::process::id()));
    let result = (|| {
        let _ = std::fs::remove_file(&snapshot);
        store.backup_to(&snapshot)?;
        let (database_sha256, database_bytes) = hash_file(&snapshot)?;
        let files = photo_files(photos)?;
        let manifest = Manifest {
            format: FORMAT.into(),
            version: 1,
            created_at: now_unix(),
            schema_version: store.schema_version()?,
            database_sha256,
            database_bytes,
            photo_files: files.len() as u64,
        };
        let f = File::create(&partial).map_err(|e| io(&partial, e))?;
        // The whole studio, health records and client photos: readable by this user only (probe s7 L17).
        crate::sqlite::private(&partial, 0o600)?;
        let mut w = BufWriter::new(f);
        let json = serde_json::to_vec_pretty(&manifest).map_err(|e| bad(e.to_string()))?;
        tar_entry(&mut w, "backup.json", json.len() as u64, &mut &json[..])
            .map_err(|e| io(out, e))?;
        tar_entry(
            &mut w,
            "follicle.db",
            database_bytes,
            &mut File::open(&snapshot).map_err(|e| io(&snapshot, e))?,
        )
        .map_err(|e| io(out, e))?;
        for (rel, path) in &files {
            let f = File::open(path).map_err(|e| io(path, e))?;
            let len = f.metadata().map_err(|e| io(path, e))?.len();
            tar_entry(&mut w, &format!("photos/{rel}"), len, &mut f.take(len))
                .map_err(|e| io(out, e))?;
        }
        w.write_all(&[0u8; 1024]).map_err(|e| io(out, e))?;
        let f = w.into_inner().map_err(|e| io(out, e.into_error()))?;
        f.sync_all().map_err(|e| io(&partial, e))?;
        drop(f);
        std::fs::rename(&partial, out).map_err(|e| io(out, e))?;
        Ok(manifest)
    })();
    let _ = std::fs::remove_file(&snapshot);
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

/// Restores a backup archive into a new SQLite database file and photo directory, checking every byte first.
/// Refuses when the database file already exists.
pub fn restore_sqlite(archive: &Path, database: &Path, photos: &Path) -> Result<Manifest> {
    if database.exists() {
        return Err(StoreError::Conflict(format!(
            "{} already exists: restore into a new location, or move the old database away first",
            database.display()
        )));
    }
    let dir = database
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let staged_db = dir.join(format!(".restore.{}.db", std::process::id()));
    let staged_photos = photos.with_file_name(format!(".restore.{}.photos", std::process::id()));
    let result = (|| {
        let mut r = BufReader::new(File::open(archive).map_err(|e| io(archive, e))?);
        let mut manifest: Option<Manifest> = None;
        let mut db_seen = false;
        let mut photo_count = 0u64;
        while let Some((name, size)) = tar_header(&mut r).map_err(|e| io(archive, e))? {
            let mut body = (&mut r).take(size);
            if name == "backup.json" {
                let mut text = Vec::new();
                body.read_to_end(&mut text).map_err(|e| io(archive, e))?;
                let m: Manifest =
                    serde_json::from_slice(&text).map_err(|e| bad(format!("backup.json: {e}")))?;
                if m.format != FORMAT || m.version != 1 {
                    return Err(bad(format!(
                        "not a follicle backup (format {} version {})",
                        m.format, m.version
                    )));
                }
                manifest = Some(m);
            } else if name == "follicle.db" {
                let m = manifest
                    .as_ref()
                    .ok_or_else(|| bad("backup.json must come first"))?;
                let sha = copy_hashed(&mut body, &staged_db)?;
                if sha != m.database_sha256 {
                    return Err(bad(
                        "follicle.db does not match its SHA-256 in backup.json (damaged archive)",
                    ));
                }
                db_seen = true;
            } else if let Some(rel) = name.strip_prefix("photos/") {
                let (sub, file) = rel
                    .split_once('/')
                    .ok_or_else(|| bad(format!("unexpected entry {name}")))?;
                let sha = file.split('.').next().unwrap_or("");
                let safe = sub.len() == 2
                    && sha.len() == 64
                    && sha.starts_with(sub)
                    && sha.bytes().all(|b| b.is_ascii_hexdigit())
                    && file.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.');
                if !safe {
                    return Err(bad(format!("unexpected entry {name}")));
                }
                let target = staged_photos.join(sub).join(file);
                std::fs::create_dir_all(target.parent().expect("has a parent"))
                    .map_err(|e| io(&target, e))?;
                let got = copy_hashed(&mut body, &target)?;
                if file.ends_with(".bin") && got != sha {
                    return Err(bad(format!(
                        "{name}: the bytes do not match their SHA-256 name (damaged archive)"
                    )));
                }
                photo_count += 1;
            } else {
                return Err(bad(format!("unexpected entry {name}")));
            }
            std::io::copy(&mut body, &mut std::io::sink()).map_err(|e| io(archive, e))?;
            let pad = (512 - size % 512) % 512;
            std::io::copy(&mut (&mut r).take(pad), &mut std::io::sink())
                .map_err(|e| io(archive, e))?;
        }
        let m = manifest.ok_or_else(|| bad("no backup.json"))?;
        if !db_seen || photo_count != m.photo_files {
            return Err(bad(format!(
                "incomplete archive ({} of {} photo files, database {})",
                photo_count,
                m.photo_files,
                if db_seen { "present" } else { "missing" }
            )));
        }
        {
            let c = rusqlite::Connection::open(&staged_db).map_err(|e| bad(e.to_string()))?;
            let ok: String = c
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                .map_err(|e| bad(e.to_string()))?;
            if ok != "ok" {
                return Err(bad(format!(
                    "the database snapshot fails integrity_check: {ok}"
                )));
            }
        }
        // Everything checked: move the photos in (keeping any already there), then the database.
        std::fs::create_dir_all(photos).map_err(|e| io(photos, e))?;
        for (rel, path) in photo_files(&staged_photos)? {
            let target = photos.join(&rel);
            if !target.exists() {
                std::fs::create_dir_all(target.parent().expect("has a parent"))
                    .map_err(|e| io(&target, e))?;
                std::fs::rename(&path, &target).map_err(|e| io(&target, e))?;
            }
        }
        std::fs::rename(&staged_db, database).map_err(|e| io(database, e))?;
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(m)
    })();
    let _ = std::fs::remove_file(&staged_db);
    let _ = std::fs::remove_dir_all(&staged_photos);
    result
}

/// Photo files to archive, as (path relative to the photo directory, full path), sorted; dot-files (caches,
/// temporaries) are left out.
fn photo_files(photos: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let Ok(subs) = std::fs::read_dir(photos) else {
        return Ok(out);
    };
    for sub in subs.flatten() {
        let sname = sub.file_name().to_string_lossy().into_owned();
        if sname.starts_with('.') || !sub.path().is_dir() {
            continue;
        }
        for f in std::fs::read_dir(sub.path())
            .map_err(|e| io(&sub.path(), e))?
            .flatten()
        {
            let fname = f.file_name().to_string_lossy().into_owned();
            if !fname.starts_with('.') && f.path().is_file() {
                out.push((format!("{sname}/{fname}"), f.path()));
            }
        }
    }
    out.sort();
    Ok(out)
}

fn hash_file(path: &Path) -> Result<(String, u64)> {
    let mut f = File::open(path).map_err(|e| io(path, e))?;
    let mut h = Sha256::new();
    let n = std::io::copy(&mut f, &mut h).map_err(|e| io(path, e))?;
    Ok((hex(&h.finalize()), n))
}

/// Copies `r` into a new file at `path` (synced), returning the SHA-256 of the bytes.
fn copy_hashed(r: &mut impl Read, path: &Path) -> Result<String> {
    let mut f = File::create(path).map_err(|e| io(path, e))?;
    crate::sqlite::private(path, 0o600)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = r.read(&mut buf).map_err(|e| io(path, e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        f.write_all(&buf[..n]).map_err(|e| io(path, e))?;
    }
    f.sync_all().map_err(|e| io(path, e))?;
    Ok(hex(&h.finalize()))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Writes one regular-file entry of a ustar archive: the header, `size` bytes from `r`, padding.
fn tar_entry(w: &mut impl Write, name: &str, size: u64, r: &mut impl Read) -> std::io::Result<()> {
    if name.len() > 100 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("name too long for tar: {name}"),
        ));
    }
    let mut h = [0u8; 512];
    h[..name.len()].copy_from_slice(name.as_bytes());
    let octal = |h: &mut [u8; 512], at: usize, width: usize, v: u64| {
        let s = format!("{v:0w$o}\0", w = width - 1);
        h[at..at + width].copy_from_slice(s.as_bytes());
    };
    octal(&mut h, 100, 8, 0o644);
    octal(&mut h, 108, 8, 0);
    octal(&mut h, 116, 8, 0);
    octal(&mut h, 124, 12, size);
    octal(&mut h, 136, 12, now_unix().max(0) as u64);
    h[156] = b'0';
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    w.write_all(&h)?;
    let copied = std::io::copy(&mut r.take(size), w)?;
    if copied != size {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            format!("{name} shrank while being archived"),
        ));
    }
    w.write_all(&vec![0u8; ((512 - size % 512) % 512) as usize])
}

/// Reads the next entry header of a ustar archive: (name, size), or `None` at the end marker.
fn tar_header(r: &mut impl Read) -> std::io::Result<Option<(String, u64)>> {
    let mut h = [0u8; 512];
    r.read_exact(&mut h)?;
    if h.iter().all(|&b| b == 0) {
        return Ok(None);
    }
    let invalid = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_string());
    let stored: u32 = std::str::from_utf8(&h[148..156])
        .ok()
        .and_then(|s| u32::from_str_radix(s.trim_matches(|c: char| c == '\0' || c == ' '), 8).ok())
        .ok_or_else(|| invalid("bad tar checksum field"))?;
    let mut sum_h = h;
    sum_h[148..156].copy_from_slice(b"        ");
    if sum_h.iter().map(|&b| u32::from(b)).sum::<u32>() != stored {
        return Err(invalid("tar header checksum mismatch (damaged archive)"));
    }
    if h[156] != b'0' && h[156] != 0 {
        return Err(invalid(
            "only regular files are expected in a follicle backup",
        ));
    }
    let name_end = h[..100].iter().position(|&b| b == 0).unwrap_or(100);
    let name = String::from_utf8(h[..name_end].to_vec()).map_err(|_| invalid("non-UTF-8 name"))?;
    let size = std::str::from_utf8(&h[124..136])
        .ok()
        .and_then(|s| u64::from_str_radix(s.trim_matches(|c: char| c == '\0' || c == ' '), 8).ok())
        .ok_or_else(|| invalid("bad tar size field"))?;
    Ok(Some((name, size)))
}
