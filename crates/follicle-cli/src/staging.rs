//! The output directory of `follicle plan`/`demo`, written atomically: every file goes into a staging
//! directory beside it and moves into place only when all are written.

use miette::{IntoDiagnostic, Result, WrapErr};
use std::path::{Path, PathBuf};

/// An output directory being written: every file goes into a staging directory beside it, and only when
/// all are written do they move into place, so a failure never leaves a half-written output directory
/// behind (dropping an uncommitted staging directory removes it).
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    committed: bool,
}

impl Staging {
    pub fn new(out: &Path) -> Result<Staging> {
        // Outside probe s28: `--out afile` said "cannot replace afile/plan.json: Not a directory" after
        // planning, and `--out /proc/x` named the hidden staging folder.
        if out.exists() && !out.is_dir() {
            return Err(miette::miette!(
                help =
                    "give the name of a folder: follicle creates it, or writes its files into it",
                "--out {}: this is a file, not a folder",
                out.display()
            ));
        }
        let parent = out
            .parent()
            .filter(|x| !x.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let cannot = |e: std::io::Error| {
            miette::miette!(
                help = "choose a folder you can write to (--out)",
                "--out {}: cannot create the folder there: {}",
                out.display(),
                crate::input::io_words(&e)
            )
        };
        std::fs::create_dir_all(parent).map_err(cannot)?;
        let name = out
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| "out".into());
        let dir = parent.join(format!(".{name}.partial-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(cannot)?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            committed: false,
        })
    }

    /// Writes one file (one system call for the whole content).
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let path = self.dir.join(name);
        std::fs::write(&path, bytes)
            .into_diagnostic()
            .wrap_err_with(|| format!("cannot write {}", path.display()))
    }

    /// Writes one file from consecutive parts.
    pub fn write_parts(&self, name: &str, parts: &[&[u8]]) -> Result<()> {
        use std::io::Write;
        let path = self.dir.join(name);
        let mut f = std::fs::File::create(&path)
            .into_diagnostic()
            .wrap_err_with(|| format!("cannot write {}", path.display()))?;
        for part in parts {
            f.write_all(part)
                .into_diagnostic()
                .wrap_err_with(|| format!("cannot write {}", path.display()))?;
        }
        Ok(())
    }

    /// Moves the written files into the output directory (or the staging directory becomes it). An output
    /// directory that holds nothing but files of these names (a run before) is swapped with the staging
    /// directory in one step and then removed: no file is renamed over an existing one, which on ext4 starts
    /// writing that file back at once (10–20 ms of a full-scalp run). Otherwise file by file.
    pub fn commit(mut self, names: &[String]) -> Result<()> {
        let out = &self.out;
        if out.exists() && only_these(out, names) && exchange(&self.dir, out) {
            // The staging directory's name now holds the previous run's files.
            self.committed = true;
            let _ = std::fs::remove_dir_all(&self.dir);
            return Ok(());
        }
        if out.exists() {
            for f in names {
                std::fs::rename(self.dir.join(f), out.join(f))
                    .into_diagnostic()
                    .wrap_err_with(|| format!("cannot replace {}", out.join(f).display()))?;
            }
            std::fs::remove_dir(&self.dir).into_diagnostic()?;
        } else {
            std::fs::rename(&self.dir, out)
                .into_diagnostic()
                .wrap_err_with(|| format!("cannot create {}", out.display()))?;
        }
        self.committed = true;
        Ok(())
    }
}

/// Whether directory `dir` holds only plain files named in `names`.
fn only_these(dir: &Path, names: &[String]) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.into_iter().all(|e| {
        e.is_ok_and(|e| {
            e.file_type().is_ok_and(|t| t.is_file())
                && names.iter().any(|n| e.file_name().to_str() == Some(n))
        })
    })
}

/// Swaps two directories in one step (Linux renameat2 RENAME_EXCHANGE); false where that is not possible.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
