//! What the client sees of the design on their photo, said by `follicle render` (probe s8 finding 1):
//! the step across the designed hairline and the top against the sides in the light of each, and, when the
//! picture shown cannot show the design, what to change in words a practitioner uses. On the real photo of
//! ../shared/photos (skipped when the folder is absent).

use std::path::Path;

mod render_support;
use render_support::{follicle, real_photo, HAND_MARKS};

/// Renders the plan of `plan_case` (a case.toml's text; none: the demo plan) on the real photo with `extra` arguments: (stdout, stderr), or
/// `None` without the shared photo.
fn render(plan_case: Option<&str>, extra: &[&str]) -> Option<(String, String)> {
    let photo = real_photo()?;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan");
    let st = match plan_case {
        None => follicle()
            .args(["demo", "-q", "--out"])
            .arg(&out)
            .status()
            .unwrap(),
        Some(case) => {
            let f = dir.path().join("case.toml");
            std::fs::write(&f, case).unwrap();
            follicle()
                .arg("plan")
                .arg(&f)
                .arg("--out")
                .arg(&out)
                .status()
                .unwrap()
        }
    };
    assert!(st.success());
    let marks = dir.path().join("marks.toml");
    std::fs::write(&marks, HAND_MARKS).unwrap();
    let o = follicle()
        .arg("render")
        .arg(out.join("plan.json"))
        .arg("--photo")
        .arg(&photo)
        .arg("--landmarks")
        .arg(&marks)
        .args(extra)
        .arg("--out")
        .arg(dir.path().join("c.png"))
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    );
    assert!(o.status.success(), "{stderr}");
    Some((stdout, stderr))
}

#[test]
fn render_says_what_the_client_sees_and_what_to_change_when_the_hairline_does_not_show() {
    let Some((stdout, stderr)) = render(None, &[]) else {
        return;
    };
    let line = stdout
        .lines()
        .find(|l| l.starts_with("what the client sees: "))
        .unwrap_or_else(|| panic!("{stdout}"));
    eprintln!("{line}");
    assert!(
        line.contains("designed hairline") && line.contains("darker than the skin under them"),
        "{line}"
    );
    // The finished plan shows its hairline on this photo: no advice to change it.
    assert!(
        !stderr.contains("the pigment makes the designed hairline only"),
        "{stderr}"
    );
    // After the first session alone (30 % of the density, the lightest shade) it does not: the later
    // sessions build it up (no change to the plan asked for).
    let Some((_, stderr)) = render(None, &["--session", "1"]) else {
        return;
    };
    eprintln!("{stderr}");
    assert!(
        stderr.contains("after session 1 of 3, the pigment makes the designed hairline only")
            && stderr.contains("the later sessions build it up")
            && !stderr.contains("raise the hairline zone"),
        "{stderr}"
    );
    // A finished plan whose hairline is too light to show: the render says what to change in it.
    let case = format!(
        "{}\n[zones.hairline]\ndilution = [0.05, 0.05, 0.05]\n",
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../examples/cases/norwood6-average.toml")
        )
        .unwrap()
    );
    let Some((_, stderr)) = render(Some(&case), &[]) else {
        return;
    };
    eprintln!("{stderr}");
    assert!(
        stderr.contains("the pigment makes the designed hairline only")
            && stderr.contains("raise the hairline zone's strength or density (now 5 % in the last session at 80 impressions/cm²)"),
        "{stderr}"
    );
}
