//! What the client sees of the design on their photo, said by `follicle render` (probe s8 finding 1):
//! the step across the designed hairline and the top against the sides in the light of each, and, when the
//! picture shown cannot show the design, what to change in words a practitioner uses. On the real photo of
//! ../shared/photos (skipped when the folder is absent).

use std::path::Path;
use std::process::Command;

fn follicle() -> Command {
    Command::new(env!("CARGO_BIN_EXE_follicle"))
}

/// Renders the demo plan on the real photo with `extra` arguments: (stdout, stderr), or `None` without
/// the shared photo.
fn render(extra: &[&str]) -> Option<(String, String)> {
    let photo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/photos/shaved-norwood-front.jpg");
    if !photo.exists() {
        assert!(
            std::env::var_os("FOLLICLE_REQUIRE_SHARED_PHOTOS").is_none(),
            "{} is missing (FOLLICLE_REQUIRE_SHARED_PHOTOS is set)",
            photo.display()
        );
        eprintln!("SKIPPED: {} is not here", photo.display());
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    assert!(follicle()
        .args(["demo", "-q", "--out"])
        .arg(&out)
        .status()
        .unwrap()
        .success());
    let marks = dir.path().join("marks.toml");
    std::fs::write(
        &marks,
        "[landmarks]\nglabella = [202, 195]\nlateral_canthus_right = [141, 210]\nlateral_canthus_left = [276, 228]\n",
    )
    .unwrap();
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
    let Some((stdout, stderr)) = render(&[]) else {
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
    // After the first session alone (30 % of the density, the lightest shade) it does not, and the
    // render says what would.
    let Some((_, stderr)) = render(&["--session", "1"]) else {
        return;
    };
    eprintln!("{stderr}");
    assert!(
        stderr.contains("the pigment makes the designed hairline only")
            && stderr.contains("raise the hairline zone's strength or density"),
        "{stderr}"
    );
}
