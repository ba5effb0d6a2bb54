//! Where photo bytes live. With PostgreSQL (several server processes on one database) they live in the database
//! itself ([`PhotoStore::in_database`]: the `photo_blobs` table, one row per SHA-256, files made from them in
//! `photo_derived`), so every node serves every photo and `pg_dump` backs them up; only regenerable caches stay on
//! the local disk. With SQLite (one machine) they are content-addressed files beside the database, as follows.
//!
//! Content-addressed photo files beside the database: each photo is stored once under the SHA-256 of its
//! bytes (`photos/ab/abcdef….bin`), written to a temporary file, synced and renamed into place, so a crash
//! never leaves a half-written photo under a real name. The database row is written only after this.
//! Files derived from a photo (its thumbnail) live beside it under the same hash (`abcdef….thumb.png`), and
//! regenerable caches (rendered previews) under `.cache/`; both are written the same crash-safe way. Previews
//! made from a photo live in a folder named by the photo's hash (`.cache/previews/<sha>/`), deleted with the
//! photo and swept by every node ([`PhotoStore::sweep_previews`]) when the photo is gone or the file is old.
//!
//! After a crash (`kill -9`) two harmless kinds of leftovers can exist: a temporary file (`.…tmp`, never read;
//! swept at the next start once it is an hour old) and a photo file whose database row was never committed
//! (an orphan: never listed, and reused if the same bytes are uploaded again).

use crate::{sha256_hex, Result, Store, StoreError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Where photo bytes live: files in a directory, or the database (then the directory holds only caches).
#[derive(Clone)]
pub struct PhotoStore {
    dir: PathBuf,
    db: Option<Arc<dyn Store>>,
}

impl std::fmt::Debug for PhotoStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PhotoStore")
            .field("dir", &self.dir)
            .field("in_database", &self.db.is_some())
            .finish()
    }
}

fn io(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Backend(format!("{}: {e}", path.display()))
}

/// Temporary files older than this are swept when the store opens (younger ones may belong to another server
/// process sharing the directory).
const STALE_TEMP: std::time::Duration = std::time::Duration::from_secs(3600);

/// Writes `bytes` to `path` durably and atomically: a uniquely named temporary file beside it, synced, renamed
/// into place, and the directory synced. A reader sees either no file or the whole file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let sub = path
        .parent()
        .ok_or_else(|| StoreError::Backend(format!("{}: no parent directory", path.display())))?;
    std::fs::create_dir_all(sub).map_err(|e| io(sub, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = sub.join(format!(
        ".{name}.{}-{}.tmp",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    if let Err(e) = written.and_then(|_| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(path, e));
    }
    if let Ok(d) = std::fs::File::open(sub) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn is_sha(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

impl PhotoStore {
    /// Uses (and creates) `dir`, readable by this user only (0700), sweeping temporary files left by a crash
    /// more than an hour ago.
    pub fn new(dir: &Path) -> Result<PhotoStore> {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        crate::sqlite::private(dir, 0o700)?;
        let store = PhotoStore {
            dir: dir.to_path_buf(),
            db: None,
        };
        store.sweep_temporaries(STALE_TEMP);
        Ok(store)
    }

    /// Photo bytes in the database `store` (every server process on it sees them); `dir` keeps only caches.
    pub fn in_database(store: Arc<dyn Store>, dir: &Path) -> Result<PhotoStore> {
        let mut p = PhotoStore::new(dir)?;
        p.db = Some(store);
        Ok(p)
    }

    /// The place a backend keeps photos in: the database for PostgreSQL (several nodes share it), files in `dir`
    /// for SQLite.
    pub fn for_store(store: Arc<dyn Store>, dir: &Path) -> Result<PhotoStore> {
        if store.backend() == "postgres" {
            PhotoStore::in_database(store, dir)
        } else {
            PhotoStore::new(dir)
        }
    }

    /// Whether the bytes live in the database.
    pub fn is_in_database(&self) -> bool {
        self.db.is_some()
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The directory for regenerable files (rendered previews): `.cache/` inside the photo directory, left out
    /// of backups.
    pub fn cache_dir(&self) -> PathBuf {
        self.dir.join(".cache")
    }

    /// The folder of the pictures and advice rendered from the photo with this hash (`.cache/previews/<sha>/`):
    /// deleted with the photo, so a preview never outlives it.
    pub fn preview_dir(&self, sha256: &str) -> Option<PathBuf> {
        is_sha(sha256).then(|| self.cache_dir().join("previews").join(sha256))
    }

    /// The folder of the plans rendered on the mannequin (no photo in them): `.cache/previews/plans/`.
    pub fn plan_preview_dir(&self) -> PathBuf {
        self.cache_dir().join("previews").join("plans")
    }

    /// The name of clinic `clinic`'s cached file for `key_hash` in a photo's preview folder: each clinic has
    /// files of its own, so one clinic never reads (or, by its timing, learns of) another's previews of the
    /// same photo bytes, and deleting its photo deletes only its own (outside test s47: clinic B's delete
    /// of a copy wiped clinic A's cache, and B's first preview came from A's cache in 11 ms).
    pub fn preview_file(clinic: i64, key_hash: &str, ext: &str) -> String {
        format!("c{clinic}-{key_hash}.{ext}")
    }

    /// The clinic whose cached file this is, from its name ([`PhotoStore::preview_file`]); `None` for a file
    /// written before previews had owners (any clinic's, so none may keep it).
    fn preview_owner(name: &str) -> Option<i64> {
        let (clinic, _) = name.strip_prefix('c')?.split_once('-')?;
        let digits = !clinic.is_empty() && clinic.bytes().all(|b| b.is_ascii_digit());
        digits.then(|| clinic.parse().ok()).flatten()
    }

    /// Deletes this node's cached pictures and advice that clinic `clinic` made from the photo with this hash,
    /// and those written before previews had owners (they may be this clinic's); another clinic's previews of
    /// the same bytes stay.
    pub fn forget_clinic_previews(&self, sha256: &str, clinic: i64) -> Result<()> {
        let Some(dir) = self.preview_dir(sha256) else {
            return Ok(());
        };
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(io(&dir, e)),
        };
        for e in entries.flatten() {
            let owner = Self::preview_owner(&e.file_name().to_string_lossy());
            if owner.map_or(true, |c| c == clinic) {
                match std::fs::remove_file(e.path()) {
                    Ok(()) => {}
                    Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                    Err(err) => return Err(io(&e.path(), err)),
                }
            }
        }
        // The folder goes with its last file (another clinic's files keep it).
        let _ = std::fs::remove_dir(&dir);
        Ok(())
    }

    /// Deletes this node's cached pictures and advice made from the photo with this hash.
    pub fn forget_previews(&self, sha256: &str) -> Result<()> {
        let Some(dir) = self.preview_dir(sha256) else {
            return Ok(());
        };
        match std::fs::remove_dir_all(&dir) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io(&dir, e)),
        }
    }

    /// Cleans this node's preview cache: deletes the folders of photos no photo row refers to any more
    /// (`in_use` answers which of the hashes it is given still are: the database, shared by every node), files
    /// older than `max_age`, and files of the earlier flat layout (which did not say whose photo they showed);
    /// then, while the cache still holds more than `max_bytes`, its least recently written files.
    /// Returns how many files went. Each node runs it on its own disk, at start-up and periodically.
    pub fn sweep_previews(
        &self,
        in_use: &dyn Fn(&[String]) -> Result<Vec<String>>,
        max_age: std::time::Duration,
        max_bytes: u64,
    ) -> Result<usize> {
        let removed = self.sweep_previews_by_photo_and_age(in_use, max_age)?;
        Ok(removed + self.trim_previews(max_bytes))
    }

    /// Deletes the oldest preview files (by the time they were written) until the cache holds at most
    /// `max_bytes`; returns how many went.
    fn trim_previews(&self, max_bytes: u64) -> usize {
        let root = self.cache_dir().join("previews");
        let mut files = Vec::new();
        let Ok(entries) = std::fs::read_dir(&root) else {
            return 0;
        };
        for dir in entries.flatten() {
            let Ok(inner) = std::fs::read_dir(dir.path()) else {
                continue;
            };
            for e in inner.flatten() {
                if e.file_name().to_string_lossy().starts_with('.') {
                    continue; // a file being written
                }
                if let Ok(m) = e.metadata() {
                    if m.is_file() {
                        let at = m.modified().unwrap_or(std::time::SystemTime::UNIX_EPOCH);
                        files.push((at, m.len(), e.path()));
                    }
                }
            }
        }
        let mut total: u64 = files.iter().map(|f| f.1).sum();
        if total <= max_bytes {
            return 0;
        }
        files.sort_by_key(|f| f.0);
        let mut removed = 0;
        for (_, len, path) in files {
            if total <= max_bytes {
                break;
            }
            if std::fs::remove_file(&path).is_ok() {
                total = total.saturating_sub(len);
                removed += 1;
            }
        }
        removed
    }

    fn sweep_previews_by_photo_and_age(
        &self,
        in_use: &dyn Fn(&[String]) -> Result<Vec<String>>,
        max_age: std::time::Duration,
    ) -> Result<usize> {
        let root = self.cache_dir().join("previews");
        let Ok(entries) = std::fs::read_dir(&root) else {
            return Ok(0);
        };
        let mut removed = 0;
        let mut photo_dirs = Vec::new();
        for e in entries.flatten() {
            let Ok(meta) = e.metadata() else { continue };
            let name = e.file_name().to_string_lossy().into_owned();
            if meta.is_dir() {
                if is_sha(&name) {
                    photo_dirs.push(name);
                } else if name == "plans" {
                    removed += remove_older(&e.path(), max_age);
                }
            } else if meta.is_file()
                && !name.starts_with('.')
                && std::fs::remove_file(e.path()).is_ok()
            {
                removed += 1;
            }
        }
        let mut kept = std::collections::HashSet::new();
        for chunk in photo_dirs.chunks(200) {
            kept.extend(in_use(chunk)?);
        }
        for sha in &photo_dirs {
            let dir = root.join(sha);
            if kept.contains(sha) {
                removed += remove_older(&dir, max_age);
            } else {
                removed += std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
                self.forget_previews(sha)?;
            }
        }
        Ok(removed)
    }

    /// Removes temporary files (`.….tmp`) older than `age` from the hash subdirectories and the cache; returns
    /// how many were removed.
    pub fn sweep_temporaries(&self, age: std::time::Duration) -> usize {
        let mut removed = 0;
        let mut dirs = vec![self.dir.clone()];
        while let Some(d) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                let Ok(meta) = e.metadata() else { continue };
                let name = e.file_name().to_string_lossy().into_owned();
                if meta.is_dir() {
                    dirs.push(p);
                } else if name.starts_with('.')
                    && name.ends_with(".tmp")
                    && meta
                        .modified()
                        .ok()
                        .and_then(|m| m.elapsed().ok())
                        .is_some_and(|el| el >= age)
                    && std::fs::remove_file(&p).is_ok()
                {
                    removed += 1;
                }
            }
        }
        removed
    }

    /// Where the bytes with this hash live.
    fn path(&self, sha256: &str) -> Option<PathBuf> {
        is_sha(sha256).then(|| self.dir.join(&sha256[..2]).join(format!("{sha256}.bin")))
    }

    /// Where a file derived from the photo with this hash lives (`suffix` such as `thumb.png`).
    fn derived_path(&self, sha256: &str, suffix: &str) -> Option<PathBuf> {
        let ok = !suffix.is_empty()
            && suffix
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
            && !suffix.starts_with('.');
        (is_sha(sha256) && ok).then(|| {
            self.dir
                .join(&sha256[..2])
                .join(format!("{sha256}.{suffix}"))
        })
    }

    /// Stores the bytes durably and returns their SHA-256 (hex); storing the same bytes twice is a no-op.
    pub fn put(&self, bytes: &[u8]) -> Result<String> {
        if let Some(db) = &self.db {
            return db.put_photo_blob(bytes);
        }
        let sha = sha256_hex(bytes);
        let path = self
            .path(&sha)
            .expect("a SHA-256 hex digest is a valid name");
        if !path.exists() {
            write_atomic(&path, bytes)?;
        }
        Ok(sha)
    }

    /// Deletes the file with this hash and the files made from it (erasure, photo deletion), once no photo row
    /// refers to it, and this node's cached previews of it. With photos in the database the bytes already went
    /// with the transaction that removed the rows; only the previews are left to this node.
    pub fn remove(&self, sha256: &str) -> Result<()> {
        self.forget_previews(sha256)?;
        if self.db.is_some() {
            return Ok(());
        }
        let Some(path) = self.path(sha256) else {
            return Ok(());
        };
        let shard = path.parent().map(Path::to_path_buf).unwrap_or_default();
        if let Ok(entries) = std::fs::read_dir(&shard) {
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with(sha256) {
                    match std::fs::remove_file(e.path()) {
                        Ok(()) => {}
                        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                        Err(err) => return Err(io(&e.path(), err)),
                    }
                }
            }
        }
        Ok(())
    }

    /// Reads the bytes with this hash.
    pub fn get(&self, sha256: &str) -> Result<Vec<u8>> {
        if let Some(db) = &self.db {
            return db
                .photo_blob(sha256)?
                .ok_or_else(|| StoreError::NotFound("photo".into()));
        }
        let path = self
            .path(sha256)
            .ok_or_else(|| StoreError::NotFound("photo".into()))?;
        read(&path, "photo file")
    }

    /// Stores a file derived from the photo with hash `sha256` (e.g. its thumbnail, `suffix` = `thumb.png`).
    pub fn put_derived(&self, sha256: &str, suffix: &str, bytes: &[u8]) -> Result<()> {
        let path = self
            .derived_path(sha256, suffix)
            .ok_or_else(|| StoreError::Backend(format!("bad derived name {sha256}.{suffix}")))?;
        match &self.db {
            Some(db) => db.put_photo_derived(sha256, suffix, bytes),
            None => write_atomic(&path, bytes),
        }
    }

    /// Reads a file derived from the photo with hash `sha256`; `None` when it was never made.
    pub fn get_derived(&self, sha256: &str, suffix: &str) -> Result<Option<Vec<u8>>> {
        let Some(path) = self.derived_path(sha256, suffix) else {
            return Ok(None);
        };
        if let Some(db) = &self.db {
            return db.photo_derived(sha256, suffix);
        }
        match read(&path, "derived file") {
            Ok(b) => Ok(Some(b)),
            Err(StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Removes the plain files in `dir` written more than `age` ago (temporary ones are left to
/// [`PhotoStore::sweep_temporaries`]); returns how many.
fn remove_older(dir: &Path, age: std::time::Duration) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| {
            !e.file_name().to_string_lossy().starts_with('.')
                && e.metadata().is_ok_and(|m| {
                    m.is_file()
                        && m.modified()
                            .ok()
                            .and_then(|t| t.elapsed().ok())
                            .is_some_and(|el| el >= age)
                })
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

fn read(path: &Path, what: &str) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            StoreError::NotFound(what.into())
        } else {
            io(path, e)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clinic_forgets_its_own_and_ownerless_previews_only() {
        let dir = tempfile::tempdir().unwrap();
        let photos = PhotoStore::new(dir.path()).unwrap();
        let sha = "ab".repeat(32);
        let folder = photos.preview_dir(&sha).unwrap();
        std::fs::create_dir_all(&folder).unwrap();
        let names = [
            PhotoStore::preview_file(1, "k1", "png"),
            PhotoStore::preview_file(12, "k1", "png"),
            PhotoStore::preview_file(2, "k1", "json"),
            "k0.png".to_string(),
            "c-k0.png".to_string(),
            "cx1-k0.png".to_string(),
        ];
        for n in &names {
            std::fs::write(folder.join(n), b"x").unwrap();
        }
        photos.forget_clinic_previews(&sha, 1).unwrap();
        let mut left: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        // Clinic 12's and 2's stay; clinic 1's and the three without an owner went.
        assert_eq!(left, ["c12-k1.png", "c2-k1.json"]);
        photos.forget_clinic_previews(&sha, 12).unwrap();
        photos.forget_clinic_previews(&sha, 2).unwrap();
        assert!(!folder.exists(), "the folder goes with its last file");
    }

    #[test]
    fn a_full_preview_cache_loses_its_oldest_files_first() {
        let dir = tempfile::tempdir().unwrap();
        let photos = PhotoStore::new(dir.path()).unwrap();
        let plans = photos.plan_preview_dir();
        std::fs::create_dir_all(&plans).unwrap();
        let now = std::time::SystemTime::now();
        for k in 0..5u64 {
            let p = plans.join(format!("p{k}.png"));
            std::fs::write(&p, vec![0u8; 1000]).unwrap();
            let f = std::fs::File::options().write(true).open(&p).unwrap();
            f.set_modified(now - std::time::Duration::from_secs(100 * (5 - k)))
                .unwrap();
        }
        let none = |_: &[String]| -> Result<Vec<String>> { Ok(Vec::new()) };
        let day = std::time::Duration::from_secs(86_400);
        // Under the limit nothing goes.
        assert_eq!(photos.sweep_previews(&none, day, 5000).unwrap(), 0);
        // Over it, the oldest go until the rest fits: p0, p1 and p2 were written first.
        assert_eq!(photos.sweep_previews(&none, day, 2500).unwrap(), 3);
        let mut left: Vec<String> = std::fs::read_dir(&plans)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["p3.png", "p4.png"]);
    }
}
