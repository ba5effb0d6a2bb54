//! End-to-end, through the binary: `follicle render` never writes a picture over its own inputs or over
//! another picture of the same run (outside test s42: `--out` naming the client's photo replaced it with the
//! before | shaved | after triple, exit 0 and no word; a photo named like OUT-after.png was overwritten the
//! same way; `--heatmap` naming OUT-after.png replaced the after picture with the heat map).

use std::path::Path;

mod render_support;
use render_support::{demo_plan, follicle, texts, HAND_MARKS};

/// Runs `follicle render PLAN --photo PHOTO --landmarks MARKS --out OUT [extra]` in `dir`; returns the exit
/// code and stderr.
fn render_in(
    dir: &Path,
    plan: &Path,
    photo: &str,
    out: &str,
    extra: &[&str],
) -> (Option<i32>, String) {
    let o = follicle()
        .current_dir(dir)
        .arg("render")
        .arg(plan)
        .args(["--photo", photo, "--landmarks", "marks.toml", "--out", out])
        .args(extra)
        .output()
        .unwrap();
    let (_, err) = texts(&o);
    (o.status.code(), err)
}

#[test]
fn no_picture_is_written_over_the_photo_its_marks_or_another_picture() {
    let dir = tempfile::tempdir().unwrap();
    let plan = demo_plan(dir.path());
    // The check comes before anything is read: the photo's bytes need not be a picture to be kept.
    let photo_bytes = b"the client's only photo".to_vec();
    for name in ["client.png", "client-after.png", "shot.png"] {
        std::fs::write(dir.path().join(name), &photo_bytes).unwrap();
    }
    std::fs::write(dir.path().join("marks.toml"), HAND_MARKS).unwrap();
    for (photo, out, extra, says) in [
        // --out is the photo, also written through another path to it.
        (
            "client.png",
            "client.png",
            &[][..],
            "--out (client.png) is the photo (--photo)",
        ),
        (
            "client.png",
            "./sub/../client.png",
            &[],
            "is the photo (--photo)",
        ),
        // The photo is named like a picture written beside --out.
        (
            "client-after.png",
            "client.png",
            &[],
            "the after picture beside --out (client-after.png) is the photo",
        ),
        // The heat map would replace the after picture.
        (
            "shot.png",
            "preview.png",
            &["--heatmap", "preview-after.png"],
            "--heatmap (preview-after.png) is also the after picture beside --out",
        ),
        // The landmarks file.
        ("shot.png", "marks.png", &["--heatmap", "marks.toml"], ""),
    ] {
        std::fs::create_dir_all(dir.path().join("sub")).unwrap();
        let (code, err) = render_in(dir.path(), &plan, photo, out, extra);
        assert_eq!(code, Some(2), "{photo} → {out} {extra:?}: {err}");
        assert!(err.contains(says), "{photo} → {out} {extra:?}: {err}");
        for name in ["client.png", "client-after.png", "shot.png"] {
            assert_eq!(
                std::fs::read(dir.path().join(name)).unwrap(),
                photo_bytes,
                "{name} was written over"
            );
        }
        assert_eq!(
            std::fs::read_to_string(dir.path().join("marks.toml")).unwrap(),
            HAND_MARKS
        );
        assert!(!dir.path().join("preview.png").exists());
    }
}
