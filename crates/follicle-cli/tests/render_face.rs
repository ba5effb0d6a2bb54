//! The head's sex travels with the design (issue 10): plan.json keeps the case's `[head] sex` as `head.sex`,
//! `follicle render` draws that face unless `--face` says otherwise, a touch-up keeps it, and a plan written
//! before the field (or of a case that does not say) still renders, as the median man.

use std::path::{Path, PathBuf};
use std::process::Output;

mod render_support;
use render_support::{demo_plan, follicle};

fn said(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A small one-session woman's case (Norwood 2 zones keep it quick), planned into `dir/name`.
fn plan_case(dir: &Path, name: &str, head: &str) -> PathBuf {
    let case = dir.join(format!("{name}.toml"));
    std::fs::write(
        &case,
        format!("seed = 9\nsessions = 1\npattern = \"norwood-2\"\n\n[head]\n{head}\n"),
    )
    .unwrap();
    let out = dir.join(name);
    let o = follicle()
        .args(["plan", "-q"])
        .arg(&case)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", said(&o));
    out.join("plan.json")
}

/// The front view of `plan` at client size, with `args` added; the PNG's bytes.
fn front(dir: &Path, plan: &Path, tag: &str, args: &[&str]) -> Vec<u8> {
    let out = dir.join(format!("{tag}.png"));
    let o = follicle()
        .arg("render")
        .arg(plan)
        .args(["--view", "front", "--size", "160"])
        .args(args)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{tag}: {}", said(&o));
    std::fs::read(&out).unwrap()
}

fn head_sex(plan: &Path) -> serde_json::Value {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(plan).unwrap()).unwrap();
    v["head"]["sex"].clone()
}

#[test]
fn a_saved_plan_renders_the_clients_face_without_being_told() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let woman = plan_case(d, "woman", "sex = \"female\"");
    assert_eq!(head_sex(&woman), "female");
    let unsaid = plan_case(d, "unsaid", "");
    assert!(
        head_sex(&unsaid).is_null(),
        "a case that does not say writes no sex"
    );

    let plain = front(d, &woman, "plain", &[]);
    let female = front(d, &woman, "female", &["--face", "female"]);
    let male = front(d, &woman, "male", &["--face", "male"]);
    assert_eq!(plain, female, "the plan's own face is the woman's");
    assert_ne!(plain, male, "--face male overrides the plan's");

    // A plan written before the field: the same file without `head.sex` still renders, as the median man.
    let text = std::fs::read_to_string(&woman).unwrap();
    let older = text.replacen(",\n    \"sex\": \"female\"", "", 1);
    assert_ne!(older, text, "the field as written");
    let old = d.join("old-plan.json");
    std::fs::write(&old, older).unwrap();
    assert_eq!(front(d, &old, "old", &[]), male);

    // A touch-up keeps the sex (and so the face).
    let touch = d.join("touch");
    let o = follicle()
        .args(["plan", "-q", "--extend"])
        .arg(&woman)
        .arg("--out")
        .arg(&touch)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", said(&o));
    assert_eq!(head_sex(&touch.join("plan.json")), "female");

    // A value that is not a sex is refused in words naming the field, never drawn as someone.
    let odd = d.join("odd.json");
    std::fs::write(
        &odd,
        text.replacen(
            "\"sex\": \"female\"",
            &format!("\"sex\": \"robot\\u001b[31m{}\"", "x".repeat(500)),
            1,
        ),
    )
    .unwrap();
    let o = follicle()
        .arg("render")
        .arg(&odd)
        .arg("--out")
        .arg(d.join("odd.png"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(
        said(&o).contains("head.sex") && said(&o).contains("male or female"),
        "{}",
        said(&o)
    );
    assert!(
        !said(&o).contains('\u{1b}') && said(&o).len() < 600,
        "the file's text is shown escaped and cut short: {}",
        said(&o)
    );
}

/// The mannequin wears the client's face (issue 10, h18 item 3): `--face female` draws a woman's face (the
/// front view differs from the man's), and a word that is not a face is refused in words.
#[test]
fn render_wears_the_face_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let plan = demo_plan(dir.path());
    let pictures: Vec<Vec<u8>> = ["male", "female"]
        .iter()
        .map(|face| {
            let out = dir.path().join(format!("{face}.png"));
            let s = follicle()
                .arg("render")
                .arg(&plan)
                .args(["--view", "front", "--size", "160", "--face", face, "--out"])
                .arg(&out)
                .status()
                .unwrap();
            assert!(s.success(), "{face}");
            std::fs::read(&out).unwrap()
        })
        .collect();
    assert_ne!(pictures[0], pictures[1], "a woman's face is not the man's");
    let o = follicle()
        .arg("render")
        .arg(&plan)
        .args(["--face", "robot"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("use male or female"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
