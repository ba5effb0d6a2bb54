//! What the client sees of the design on their photo, said by `follicle render` (probe s8 finding 1):
//! the step across the designed hairline and the top against the sides in the light of each, and, when the
//! picture shown cannot show the design, what to change in words a practitioner uses. On the real photo of
//! ../shared/photos (skipped when the folder is absent).

use std::path::Path;

mod render_support;
use render_support::{follicle, real_photo, render_with, texts, HAND_MARKS};

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
    let o = render_with(
        &out.join("plan.json"),
        &photo,
        &marks,
        extra,
        &dir.path().join("c.png"),
    );
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

#[test]
fn a_design_the_photo_hardly_shows_is_said_and_one_it_shows_is_not() {
    // The demo design on the reference photo: its treated top faces the camera over tens of cm².
    let Some((stdout, stderr)) = render(None, &[]) else {
        return;
    };
    let seen: f64 = stdout
        .split("covering about ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(seen >= 20.0, "{stdout}");
    assert!(!stderr.contains("faces the camera on this"), "{stderr}");
    // The crown alone (outside probe s26: a design a front photo sees edge-on left the after picture as
    // the before, and nothing said so): the render says it and what photo shows it.
    let crown_only = "seed = 5\nsessions = 3\npattern = \"norwood-4\"\n[head]\nsex = \"male\"\n\
        [zones.hairline]\ntreated = false\n[zones.frontal]\ntreated = false\n[zones.temples]\ntreated = false\n\
        [zones.sides]\ntreated = false\n[zones.back]\ntreated = false\n[zones.mid_scalp]\ntreated = false\n";
    let Some((_, stderr)) = render(Some(crown_only), &[]) else {
        return;
    };
    let flat = stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    // The crown: 50 mm around the whorl on the surface, its edge wandering (about 80 cm²).
    let crown_cm2: f64 = flat
        .split("of the design (")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{flat}"));
    assert!(
        (70.0..90.0).contains(&crown_cm2)
            && flat.contains("cm² on the scalp) faces the camera on this front photo")
            && flat.contains("a top photo shows the hairline and the crown"),
        "{flat}"
    );
    // Before the first session nothing is drawn on purpose: nothing to say.
    let Some((_, stderr)) = render(Some(crown_only), &["--session", "0"]) else {
        return;
    };
    assert!(!stderr.contains("faces the camera on this"), "{stderr}");
}

/// The shaved picture of `photo` with `marks` (the demo plan), as RGB.
fn shaved(dir: &Path, plan: &Path, photo: &Path, marks: &str, name: &str) -> image::RgbImage {
    let m = dir.join(format!("{name}.toml"));
    std::fs::write(&m, marks).unwrap();
    let out = dir.join(format!("{name}-preview.png"));
    let o = follicle()
        .arg("render")
        .arg(plan)
        .arg("--photo")
        .arg(photo)
        .arg("--landmarks")
        .arg(&m)
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    image::open(dir.join(format!("{name}-preview-shaved.png")))
        .unwrap()
        .to_rgb8()
}

/// Outside probe s22: the real photo laid on a large dark or white canvas got a blob of canvas colour above
/// the head in the shaved picture (the clipped hair took the wall mirrored onto the canvas), and jagged
/// hair down its right side (the dark canvas taught the background model dark hair). The photo proper is
/// found inside its canvas: where the photo alone turns clipped hair into wall, the padded photo shows the
/// same wall.
#[test]
fn a_photo_laid_on_a_plain_canvas_is_shaved_as_the_photo_itself() {
    let Some(photo) = real_photo() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let plan = render_support::demo_plan(dir.path());
    let alone = shaved(dir.path(), &plan, &photo, HAND_MARKS, "alone");
    let before = image::open(&photo).unwrap().to_rgb8();
    // Pixels that the clipping turns into wall on the photo alone (light there, not light before).
    let light = |p: &image::Rgb<u8>| p.0.iter().all(|&c| c > 180);
    let (left, top) = (300u32, 240u32);
    for canvas in [[25u8, 25, 27], [255, 255, 255]] {
        let mut laid = image::RgbImage::from_pixel(
            before.width() + 2 * left,
            before.height() + top + 200,
            image::Rgb(canvas),
        );
        image::imageops::replace(&mut laid, &before, left as i64, top as i64);
        let path = dir.path().join("laid.png");
        laid.save(&path).unwrap();
        let marks = format!(
            "[landmarks]\nglabella = [{}, {}]\nlateral_canthus_right = [{}, {}]\nlateral_canthus_left = [{}, {}]\n",
            202 + left, 195 + top, 141 + left, 210 + top, 276 + left, 228 + top
        );
        let on_canvas = shaved(dir.path(), &plan, &path, &marks, "laid");
        let (mut wall, mut off, mut sum) = (0, 0, 0u64);
        for (x, y, p) in alone.enumerate_pixels() {
            if !light(p) || light(before.get_pixel(x, y)) {
                continue;
            }
            let q = on_canvas.get_pixel(x + left, y + top);
            let d = (0..3).map(|c| p.0[c].abs_diff(q.0[c])).max().unwrap();
            wall += 1;
            sum += d as u64;
            off += usize::from(d > 40);
        }
        let mean = sum as f64 / wall as f64;
        eprintln!(
            "canvas {canvas:?}: {wall} pixels of new wall, {off} differ by over 40, mean {mean:.1}"
        );
        assert!(wall > 1000, "{wall}");
        assert!(
            off * 100 < wall && mean < 15.0,
            "canvas {canvas:?}: {off} of {wall}, mean {mean:.1}"
        );
    }
}

#[test]
fn a_design_among_the_clients_own_hair_is_shown_with_that_hair_as_worn() {
    // Outside probe s26: the Ludwig II example (treated among the hair she keeps) was shown razor-shaved,
    // with a 0 guard recommended.
    let Some(photo) = real_photo() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let case = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/cases/diffuse-thinning-female.toml");
    let st = follicle()
        .args(["plan", "-q"])
        .arg(&case)
        .arg("--out")
        .arg(dir.path().join("p"))
        .status()
        .unwrap();
    assert!(st.success());
    let marks = dir.path().join("m.toml");
    std::fs::write(&marks, HAND_MARKS).unwrap();
    let run = |name: &str, extra: &[&str]| {
        let o = render_with(
            &dir.path().join("p/plan.json"),
            &photo,
            &marks,
            extra,
            &dir.path().join(format!("{name}.png")),
        );
        assert!(o.status.success(), "{}", texts(&o).1);
        let pic = |stage: &str| {
            image::open(dir.path().join(format!("{name}-{stage}.png")))
                .unwrap()
                .to_rgb8()
        };
        (texts(&o).0, pic("before"), pic("shaved"), pic("after"))
    };
    let (out, before, kept, after) = run("worn", &[]);
    assert!(
        out.contains("the client's own hair kept as worn") && !out.contains("shaved to"),
        "{out}"
    );
    // Nothing is clipped: the middle picture is the photo (within the softening every picture gets).
    let max_step = |a: &image::RgbImage, b: &image::RgbImage| {
        a.pixels()
            .zip(b.pixels())
            .map(|(p, q)| (0..3).map(|c| p[c].abs_diff(q[c])).max().unwrap())
            .max()
            .unwrap()
    };
    let changed = |a: &image::RgbImage, b: &image::RgbImage| {
        a.pixels()
            .zip(b.pixels())
            .filter(|(p, q)| (0..3).any(|c| p[c].abs_diff(q[c]) > 8))
            .count()
    };
    assert_eq!(
        changed(&before, &kept),
        0,
        "max step {}",
        max_step(&before, &kept)
    );
    assert!(
        changed(&kept, &after) > 500,
        "the impressions show on the bald top"
    );
    // Asked for, a guard clips the hair all the same.
    let (out, before, shaved, _) = run("clipped", &["--guard", "0"]);
    assert!(out.contains("retained hair shaved to 0 mm"), "{out}");
    assert!(changed(&before, &shaved) > 500, "the hair is clipped");
}
