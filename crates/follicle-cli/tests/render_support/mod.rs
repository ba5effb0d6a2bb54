//! Shared by the tests that run `follicle render` and `follicle shade` through the binary: the binary, the
//! demo plan written into a test's folder, and the reference photo of ../shared/photos with its README's
//! hand marks.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `follicle` binary under test.
pub fn follicle() -> Command {
    Command::new(env!("CARGO_BIN_EXE_follicle"))
}

/// `follicle demo` into `dir/demo`; the path of its plan.json.
pub fn demo_plan(dir: &Path) -> PathBuf {
    let out = dir.join("demo");
    let st = follicle()
        .args(["demo", "-q", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(st.success());
    out.join("plan.json")
}

/// The reference photo of ../shared/photos, or None (with a note; `FOLLICLE_REQUIRE_SHARED_PHOTOS=1`:
/// its absence fails).
pub fn real_photo() -> Option<PathBuf> {
    let photo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/photos/shaved-norwood-front.jpg");
    if photo.exists() {
        return Some(photo);
    }
    assert!(
        std::env::var_os("FOLLICLE_REQUIRE_SHARED_PHOTOS").is_none(),
        "{} is missing (FOLLICLE_REQUIRE_SHARED_PHOTOS is set)",
        photo.display()
    );
    eprintln!("SKIPPED: {} is not here", photo.display());
    None
}

/// The README's hand marks on the reference photo, as a landmarks file's text.
pub const HAND_MARKS: &str = "[landmarks]\nglabella = [202, 195]\nlateral_canthus_right = [141, 210]\nlateral_canthus_left = [276, 228]\n";

/// [`HAND_MARKS`] moved `down` pixels (up when negative): the marks of the reference photo laid lower on a
/// card or with its top cut away.
pub fn hand_marks_moved(down: i64) -> String {
    format!(
        "[landmarks]\nglabella = [202, {}]\nlateral_canthus_right = [141, {}]\nlateral_canthus_left = [276, {}]\n",
        195 + down,
        210 + down,
        228 + down
    )
}

/// `follicle render PLAN --photo PHOTO --landmarks MARKS --out OUT`, run.
pub fn render(plan: &Path, photo: &Path, marks: &Path, out: &Path) -> Output {
    render_with(plan, photo, marks, &[], out)
}

/// [`render`] with `extra` arguments before `--out`.
pub fn render_with(plan: &Path, photo: &Path, marks: &Path, extra: &[&str], out: &Path) -> Output {
    follicle()
        .arg("render")
        .arg(plan)
        .arg("--photo")
        .arg(photo)
        .arg("--landmarks")
        .arg(marks)
        .args(extra)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// stdout and stderr with miette's frame and line breaks flattened to single spaces.
pub fn texts(o: &Output) -> (String, String) {
    let flat = |b: &[u8]| {
        String::from_utf8_lossy(b)
            .replace('│', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    (flat(&o.stdout), flat(&o.stderr))
}

/// The real photo (None without ../shared/photos), a temporary folder holding the demo plan, and a landmarks
/// file there with the photo's hand marks: what every real-photo check here starts from.
pub fn on_the_real_photo() -> Option<(tempfile::TempDir, PathBuf, PathBuf, PathBuf)> {
    let photo = real_photo()?;
    let dir = tempfile::tempdir().unwrap();
    let plan = demo_plan(dir.path());
    let marks = dir.path().join("m.toml");
    std::fs::write(&marks, HAND_MARKS).unwrap();
    Some((dir, plan, photo, marks))
}
