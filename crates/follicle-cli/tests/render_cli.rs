//! End-to-end: `follicle render` and `follicle shade` on the demo plan write PNGs that decode at the
//! expected size; bad photos and landmarks are refused with messages naming the file.

use std::path::Path;
use std::process::Command;

fn follicle() -> Command {
    Command::new(env!("CARGO_BIN_EXE_follicle"))
}

fn demo_plan(dir: &Path) -> std::path::PathBuf {
    let out = dir.join("demo");
    let st = follicle().args(["demo", "-q", "--out"]).arg(&out).status().unwrap();
    assert!(st.success());
    out.join("plan.json")
}

fn png_size(path: &Path) -> (usize, usize) {
    let bytes = std::fs::read(path).unwrap();
    let p = follicle_render::photo::decode(&bytes, follicle_render::photo::PhotoLimits::default()).unwrap();
    (p.w, p.h)
}

#[test]
fn render_and_shade_the_demo_plan() {
    let dir = tempfile::tempdir().unwrap();
    let plan = demo_plan(dir.path());
    let out = dir.path().join("top.png");
    let o = follicle().arg("render").arg(&plan).args(["--view", "top", "--state", "years:3", "--size", "200", "--out"]).arg(&out).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(png_size(&out), (200, 200));
    let sw = dir.path().join("sw.png");
    let o = follicle().arg("shade").arg(&plan).args(["--skin", "fitzpatrick:3", "--hair", "dark-brown", "--out"]).arg(&sw).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("crown") && text.contains("ΔE00"), "{text}");
    assert!(png_size(&sw).0 > 100);
}

#[test]
fn bad_inputs_are_refused_with_the_file_named() {
    let dir = tempfile::tempdir().unwrap();
    let plan = demo_plan(dir.path());
    let not_photo = dir.path().join("notes.jpg");
    std::fs::write(&not_photo, "just text").unwrap();
    let marks = dir.path().join("marks.toml");
    std::fs::write(&marks, "[landmarks]\nglabella = [10.0, 10.0]\nmid_frontal = [10.0, 200.0]\n").unwrap();
    let o = follicle().arg("render").arg(&plan).arg("--photo").arg(&not_photo).arg("--landmarks").arg(&marks).output().unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("notes.jpg") && err.contains("not a JPEG or PNG"), "{err}");
    let o = follicle().arg("render").arg(&plan).args(["--state", "ancient"]).output().unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("years:N"));
}
