//! End-to-end: `follicle shade` and `follicle render` read the client's colours and choose defaults as a
//! practitioner expects (probe s8 findings 4, 6 and 8): the advice is never a worse match than the plan
//! already has, the skin is read from mid-tone skin rather than a highlight, and the default guard is the
//! same for every session picture of one plan and photo.

mod render_support;
use render_support::{demo_plan, follicle, real_photo, render_with, HAND_MARKS};

/// The zone rows of `shade`'s table: (zone, recommended %, ΔE00, plan %, plan ΔE00).
fn rows(stdout: &str) -> Vec<(String, f64, f64, f64, f64)> {
    stdout
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let pct = |s: &str| s.strip_suffix('%')?.parse::<f64>().ok();
            if f.len() < 6 {
                return None;
            }
            let n = f.len();
            Some((
                f[0].to_string(),
                pct(f[n - 4])?,
                f[n - 3].parse().ok()?,
                pct(f[n - 2])?,
                f[n - 1].parse().ok()?,
            ))
        })
        .collect()
}

#[test]
fn shade_never_advises_a_worse_match_than_the_plan_has() {
    let dir = tempfile::tempdir().unwrap();
    let plan = demo_plan(dir.path());
    let o = follicle()
        .arg("shade")
        .arg(&plan)
        .args(["--skin", "fitzpatrick:6", "--hair", "black", "--out"])
        .arg(dir.path().join("sw.png"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows = rows(&stdout);
    assert!(rows.len() >= 5, "{stdout}");
    // The practice range (50–100 % on type VI) holds, every zone still a match; the plan's own 45 %,
    // closer by the model, is said and why the range holds (outside test s49: 38 % was advised on the
    // darkest skin, below its own range).
    for (zone, s, de, ps, pde) in &rows {
        assert!(
            *s >= 50.0 && *de <= 5.0,
            "{zone}: advised {s} % ΔE00 {de} (the plan's {ps} % ΔE00 {pde})\n{stdout}"
        );
    }
    assert!(
        stdout.contains("usually use on this skin")
            && stdout.contains("the plan's 45 % matches the target more closely")
            && stdout.contains("heals faint"),
        "{stdout}"
    );
}

/// The guard `render` says it shaved the sides to ("shaved to X mm").
fn guard_said(stdout: &str) -> f64 {
    let at = stdout.find("shaved to ").expect(stdout) + "shaved to ".len();
    stdout[at..]
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .expect(stdout)
}

#[test]
fn the_default_guard_is_the_same_for_every_session_picture() {
    let Some(photo) = real_photo() else { return };
    let dir = tempfile::tempdir().unwrap();
    let plan = demo_plan(dir.path());
    let marks = dir.path().join("marks.toml");
    std::fs::write(&marks, HAND_MARKS).unwrap();
    let run = |extra: &[&str]| {
        let o = render_with(&plan, &photo, &marks, extra, &dir.path().join("c.png"));
        let stdout = String::from_utf8_lossy(&o.stdout).to_string();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        guard_said(&stdout)
    };
    let finished = run(&[]);
    for extra in [
        &["--session", "1", "--state", "fresh"][..],
        &["--session", "1"][..],
        &["--state", "fresh"][..],
    ] {
        assert_eq!(run(extra), finished, "{extra:?}");
    }
}

/// `follicle shade` on the photo and its marks, its swatches written in `dir`: what it printed.
fn shade_on_photo(
    dir: &std::path::Path,
    plan: &std::path::Path,
    photo: &std::path::Path,
    marks: &std::path::Path,
) -> String {
    let o = follicle()
        .arg("shade")
        .arg(plan)
        .arg("--photo")
        .arg(photo)
        .arg("--landmarks")
        .arg(marks)
        .arg("--out")
        .arg(dir.join("sw.png"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).to_string()
}

#[test]
fn the_skin_is_read_from_mid_tone_skin_not_the_forehead_highlight() {
    let Some(photo) = real_photo() else { return };
    let dir = tempfile::tempdir().unwrap();
    let plan = demo_plan(dir.path());
    let marks = dir.path().join("marks.toml");
    std::fs::write(&marks, HAND_MARKS).unwrap();
    let stdout = shade_on_photo(dir.path(), &plan, &photo, &marks);
    let hex = &format!("#{}", hex_after(&stdout, "skin "));
    let lab = |h: &str| {
        follicle_render::color::lab_from_lin(follicle_render::shade::parse_skin(h).unwrap())
    };
    let (got, mid_a, mid_b, highlight) = (lab(hex), lab("#ecb385"), lab("#f9cd9f"), lab("#fce8d4"));
    // Near the mid-tones the probe measured on his forehead (L* 78 and 85), not the highlight (L* 93).
    let (lo, hi) = (mid_a.l.min(mid_b.l) - 6.0, mid_a.l.max(mid_b.l) + 3.0);
    assert!(
        (lo..=hi).contains(&got.l),
        "skin {hex} L* {:.1} outside {lo:.0}–{hi:.0}\n{stdout}",
        got.l
    );
    assert!(
        highlight.l - got.l > 5.0,
        "skin {hex} is still the highlight"
    );
    assert!(
        got.b > 15.0,
        "skin {hex} b* {:.1}: not the tanned skin's warmth",
        got.b
    );
}

/// The `rrggbb` after `key` (which ends in `#`) in `text`.
/// The six hex digits of the first colour said after `key` ("skin light beige (#f4c597)": f4c597).
fn hex_after<'a>(text: &'a str, key: &str) -> &'a str {
    let at = text.find(key).expect(text) + key.len();
    let at = at + text[at..].find('#').expect(text) + 1;
    &text[at..at + 6]
}

/// Outside probe s28: `shade` registered the photo by its face marks alone and `render` by the joint fit of
/// the marks and the head's outline, so the two sampled other pixels and named other colours for one client.
#[test]
fn shade_and_render_read_the_same_skin_and_hair_from_one_photo() {
    let Some(photo) = real_photo() else { return };
    let dir = tempfile::tempdir().unwrap();
    let plan = demo_plan(dir.path());
    let marks = dir.path().join("marks.toml");
    std::fs::write(&marks, HAND_MARKS).unwrap();
    let shade = shade_on_photo(dir.path(), &plan, &photo, &marks);
    let r = render_with(&plan, &photo, &marks, &[], &dir.path().join("r.png"));
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let render = String::from_utf8_lossy(&r.stdout).to_string();
    assert_eq!(
        (hex_after(&shade, "skin "), hex_after(&shade, "  hair ")),
        (hex_after(&render, "; skin "), hex_after(&render, "; hair ")),
        "shade:\n{shade}\nrender:\n{render}"
    );
}

/// `-q` prints nothing but what says the match failed, on stderr as `render`'s warnings are (outside tester
/// s38: `-q shade` dropped the "cannot match" and caution lines, so nothing said the match failed).
#[test]
fn quiet_shade_still_says_the_match_failed() {
    let dir = tempfile::tempdir().unwrap();
    let plan = demo_plan(dir.path());
    let run = |skin: &str, hair: &str| {
        let o = follicle()
            .args(["-q", "shade"])
            .arg(&plan)
            .args(["--skin", skin, "--hair", hair, "--out"])
            .arg(dir.path().join("sw.png"))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        (
            String::from_utf8_lossy(&o.stdout).to_string(),
            String::from_utf8_lossy(&o.stderr).to_string(),
        )
    };
    let (out, err) = run("fitzpatrick:6", "blond");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("warning: ") && err.contains("cannot match in ") && err.contains("caution: "),
        "{err}"
    );
    // A match: nothing at all.
    let (out, err) = run("fitzpatrick:3", "black");
    assert!(out.is_empty() && err.is_empty(), "{out}{err}");
}
