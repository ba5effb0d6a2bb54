//! Content-addressed photo files beside the database: each photo is stored once under the SHA-256 of its
//! bytes (`photos/ab/abcdef….bin`), written to a temporary file, synced and renamed into place, so a crash
//! never leaves a half-written photo under a real name. The database row is written only after this.

use crate::{sha256_hex, Result, StoreError};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The photo directory.
#[derive(Debug, Clone)]
pub struct PhotoStore {
    dir: PathBuf,
}

fn io(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Backend(format!("{}: {e}", path.display()))
}

impl PhotoStore {
    /// Uses (and creates) `dir`.
    pub fn new(dir: &Path) -> Result<PhotoStore> {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        Ok(PhotoStore { dir: dir.to_path_buf() })
    }

    /// Where the bytes with this hash live.
    fn path(&self, sha256: &str) -> Option<PathBuf> {
        (sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit())).then(|| self.dir.join(&sha256[..2]).join(format!("{sha256}.bin")))
    }

    /// Stores the bytes durably and returns their SHA-256 (hex); storing the same bytes twice is a no-op.
    pub fn put(&self, bytes: &[u8]) -> Result<String> {
        let sha = sha256_hex(bytes);
        let path = self.path(&sha).expect("a SHA-256 hex digest is a valid name");
        if path.exists() {
            return Ok(sha);
        }
        let sub = path.parent().expect("photo paths have a parent");
        std::fs::create_dir_all(sub).map_err(|e| io(sub, e))?;
        let tmp = sub.join(format!(".{sha}.{}.tmp", std::process::id()));
        let mut f = std::fs::File::create(&tmp).map_err(|e| io(&tmp, e))?;
        f.write_all(bytes).and_then(|_| f.sync_all()).map_err(|e| io(&tmp, e))?;
        drop(f);
        std::fs::rename(&tmp, &path).map_err(|e| io(&path, e))?;
        if let Ok(d) = std::fs::File::open(sub) {
            let _ = d.sync_all();
        }
        Ok(sha)
    }

    /// Reads the bytes with this hash.
    pub fn get(&self, sha256: &str) -> Result<Vec<u8>> {
        let path = self.path(sha256).ok_or_else(|| StoreError::NotFound("photo".into()))?;
        std::fs::read(&path).map_err(|e| if e.kind() == std::io::ErrorKind::NotFound { StoreError::NotFound("photo file".into()) } else { io(&path, e) })
    }
}
