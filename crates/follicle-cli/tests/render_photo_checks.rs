//! End-to-end, through the binary: bad photos and bad marks (issue 11 items 3, 4, 9; probe s8 findings 3,
//! 9, 10, 13, 14). A JPEG damaged mid-file, a photo with no head, a photo too small for a scalp, landmarks
//! off the photo and an `--out` into a missing folder are refused in words naming what to fix; a large photo
//! is reduced on load; marking mistakes on the real photo are named; warnings are said once.

use std::path::{Path, PathBuf};

mod render_support;
use render_support::{
    demo_plan, follicle, hand_marks_moved, on_the_real_photo, real_photo, render, texts, HAND_MARKS,
};

/// A textured baseline JPEG (every block has AC coefficients, so damage desynchronises its data).
fn textured_jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let t = ((x * 7 + y * 13) ^ (x * y)) as u8;
        image::Rgb([t, t.wrapping_mul(3), 255 - t])
    });
    let mut jpg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpg, 90)
        .encode_image(&img)
        .unwrap();
    jpg
}

/// The pictures are PNG: another name is refused (`--out m.jpg` wrote PNG bytes under a JPEG's name), and
/// `--guard` (the client's own hair) without a photo is said, not ignored (outside probe s18).
#[test]
fn a_picture_named_other_than_png_and_a_guard_without_a_photo_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let plan = demo_plan(dir.path());
    for (args, said) in [
        (&["--out", "m.jpg"][..], "--out: m.jpg is not a .png name"),
        (&["--out", "m"][..], "--out: m is not a .png name"),
        (
            &["--heatmap", "h.webp"][..],
            "--heatmap: h.webp is not a .png name",
        ),
        (
            &["--guard", "3"][..],
            "--guard: the clipper length is for the client's own hair",
        ),
        // Outside test s42: ignored without a word with a photo.
        (
            &["--size", "300", "--photo", "p.png", "--landmarks", "p.toml"][..],
            "--size: a photo's preview is drawn at the photo's own size",
        ),
    ] {
        let o = follicle()
            .current_dir(dir.path())
            .arg("render")
            .arg(&plan)
            .args(args)
            .output()
            .unwrap();
        let (_, err) = texts(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(said), "{args:?}: {err}");
        assert!(!dir.path().join("m.jpg").exists() && !dir.path().join("m").exists());
    }
    let o = follicle()
        .current_dir(dir.path())
        .arg("render")
        .arg(&plan)
        .args(["--out", "UPPER.PNG", "--size", "64"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", texts(&o).1);
}

#[test]
fn out_into_a_missing_folder_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let plan = demo_plan(dir.path());
    let missing = dir.path().join("no-such-folder");
    for extra in [&[][..], &["--view", "top"][..]] {
        let o = follicle()
            .arg("render")
            .arg(&plan)
            .args(extra)
            .arg("--out")
            .arg(missing.join("x.png"))
            .output()
            .unwrap();
        let (_, err) = texts(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            err.contains("--out")
                && err.contains("no-such-folder")
                && err.contains("does not exist"),
            "{err}"
        );
        assert!(!missing.exists(), "the folder was created");
    }
    // --heatmap and shade's --out too.
    let o = follicle()
        .arg("render")
        .arg(&plan)
        .arg("--out")
        .arg(dir.path().join("ok.png"))
        .arg("--heatmap")
        .arg(missing.join("h.png"))
        .output()
        .unwrap();
    let (_, err) = texts(&o);
    assert!(
        err.contains("--heatmap") && err.contains("does not exist"),
        "{err}"
    );
    assert!(
        !dir.path().join("ok.png").exists(),
        "refused before drawing"
    );
    let o = follicle()
        .arg("shade")
        .arg(&plan)
        .args(["--skin", "fitzpatrick:3", "--hair", "dark-brown", "--out"])
        .arg(missing.join("s.png"))
        .output()
        .unwrap();
    assert!(texts(&o).1.contains("does not exist"));
    assert!(!missing.exists());
    // A file where the folder should be.
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let o = follicle()
        .arg("render")
        .arg(&plan)
        .arg("--out")
        .arg(file.join("x.png"))
        .output()
        .unwrap();
    assert!(
        texts(&o).1.contains("is a file, not a folder"),
        "{}",
        texts(&o).1
    );
}

/// Outside test s44: `--hair purple` was refused only after the photo had been read and its warnings printed.
/// A hair colour that is not one is refused before anything is read (here the photo does not even exist).
#[test]
fn a_hair_colour_that_is_not_one_is_refused_before_the_photo_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let plan = demo_plan(dir.path());
    // Outside test s44: magenta was taken and drawn as stubble; no hair grows in it.
    for (hair, said) in [
        ("purple", "purple"),
        ("#ff00ff", "not a natural hair colour"),
    ] {
        let o = follicle()
            .arg("render")
            .arg(&plan)
            .args(["--hair", hair, "--photo"])
            .arg(dir.path().join("no-such-photo.jpg"))
            .arg("--landmarks")
            .arg(dir.path().join("no-such-marks.toml"))
            .arg("--out")
            .arg(dir.path().join("x.png"))
            .output()
            .unwrap();
        let (_, err) = texts(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            err.contains("--hair") && err.contains(said) && !err.contains("no-such-photo"),
            "{err}"
        );
    }
}

#[test]
fn a_photo_too_small_for_a_scalp_is_refused_as_on_upload() {
    let dir = tempfile::tempdir().unwrap();
    let plan = demo_plan(dir.path());
    let small = dir.path().join("thumb.jpg");
    std::fs::write(&small, textured_jpeg(300, 200)).unwrap();
    let marks = dir.path().join("m.toml");
    std::fs::write(&marks, "[landmarks]\nglabella = [150, 100]\nlateral_canthus_right = [120, 110]\nlateral_canthus_left = [180, 110]\n").unwrap();
    let o = render(&plan, &small, &marks, &dir.path().join("c.png"));
    let (_, err) = texts(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("thumb.jpg")
            && err.contains("300 × 200 pixels")
            && err.contains("at least 260 pixels"),
        "{err}"
    );
}

#[test]
fn a_jpeg_damaged_mid_file_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let plan = demo_plan(dir.path());
    let marks = dir.path().join("m.toml");
    std::fs::write(&marks, HAND_MARKS).unwrap();
    let mut cases = vec![("synthetic.jpg", textured_jpeg(420, 471), 20_000)];
    if let Some(p) = real_photo() {
        // Probe s8 finding 9: 400 bytes zeroed at byte 30000 drew a grey block and exited 0.
        cases.push(("corrupt-mid.jpg", std::fs::read(p).unwrap(), 30_000));
    }
    for (name, whole, at) in cases {
        let mut bad = whole.clone();
        bad[at..at + 400].fill(0);
        let path = dir.path().join(name);
        std::fs::write(&path, &bad).unwrap();
        let o = render(&plan, &path, &marks, &dir.path().join("c.png"));
        let (_, err) = texts(&o);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(
            err.contains(name) && err.contains("damaged") && err.contains("copy the photo again"),
            "{name}: {err}"
        );
        assert!(!dir.path().join("c-after.png").exists());
    }
}

#[test]
fn landmarks_off_the_photo_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let plan = demo_plan(dir.path());
    let photo = dir.path().join("p.jpg");
    std::fs::write(&photo, textured_jpeg(420, 471)).unwrap();
    // On or beyond the far edges: the position and the photo's size; negative or not a number: refused
    // when the file is read.
    for (glabella, said) in [
        (
            "[420, 195]",
            "at (420, 195) px is outside the 420×471 photo",
        ),
        (
            "[202, 471]",
            "at (202, 471) px is outside the 420×471 photo",
        ),
        (
            "[1e300, 195]",
            "at (1e300, 195) px is outside the 420×471 photo",
        ),
        ("[-1, 195]", "[-1, 195] is not a pixel of the photo"),
        ("[202, -0.5]", "[202, -0.5] is not a pixel of the photo"),
        ("[nan, 195]", "nan and inf are not positions"),
        ("[202, inf]", "nan and inf are not positions"),
        // A third number was cut off silently (outside probe s18).
        ("[202, 195, 0]", "two numbers, [x, y] (here 3)"),
        ("[202]", "two numbers, [x, y] (here 1)"),
    ] {
        let marks = dir.path().join("m.toml");
        std::fs::write(
            &marks,
            HAND_MARKS.replace("glabella = [202, 195]", &format!("glabella = {glabella}")),
        )
        .unwrap();
        let o = render(&plan, &photo, &marks, &dir.path().join("c.png"));
        let (_, err) = texts(&o);
        assert_eq!(o.status.code(), Some(2), "{glabella}: {err}");
        assert!(
            err.contains("glabella") && err.contains(said) && err.contains("m.toml"),
            "{glabella}: {err}"
        );
        // A value the file's reader refuses names its line (outside probe s30: no line).
        if said.contains("nan and inf") || said.contains("two numbers") {
            assert!(err.contains("m.toml:2:"), "{glabella}: {err}");
        }
    }
}

/// Probe s8 finding 3 on the real photo: each 10 mm marking mistake is warned about (or refused) naming
/// that mark; the true marks give no such alarm; with three marks the residual is said to be unchecked.
#[test]
fn marking_mistakes_on_the_real_photo_name_the_moved_mark() {
    let Some((dir, plan, photo, marks)) = on_the_real_photo() else {
        return;
    };
    let run = |text: &str| {
        std::fs::write(&marks, text).unwrap();
        texts(&render(&plan, &photo, &marks, &dir.path().join("c.png")))
    };
    let (out, err) = run(HAND_MARKS);
    assert!(
        !err.contains("looks wrong") && !err.contains("check it") && !err.contains("check the"),
        "{err}"
    );
    assert!(
        out.contains("cannot be checked against each other (3 marks fit almost any head"),
        "{out}"
    );
    for (from, to, name) in [
        ("glabella = [202, 195]", "glabella = [218, 195]", "glabella"),
        ("glabella = [202, 195]", "glabella = [202, 211]", "glabella"),
        ("glabella = [202, 195]", "glabella = [202, 179]", "glabella"),
        // 9 mm toward the client's right: read as the left eye corner 47 mm out until the face's axis was
        // looked for about the glabella's foot too (outside probe s50).
        ("glabella = [202, 195]", "glabella = [188, 195]", "glabella"),
        (
            "lateral_canthus_left = [276, 228]",
            "lateral_canthus_left = [292, 228]",
            "lateral_canthus_left",
        ),
        // An eye corner far off (outside probe s18): it, not the glabella whose height its spread
        // throws off; refused as a turned head or by the residual.
        (
            "lateral_canthus_left = [276, 228]",
            "lateral_canthus_left = [400, 228]",
            "lateral_canthus_left",
        ),
        (
            "lateral_canthus_left = [276, 228]",
            "lateral_canthus_left = [320, 235]",
            "lateral_canthus_left",
        ),
        (
            "lateral_canthus_right = [141, 210]",
            "lateral_canthus_right = [60, 205]",
            "lateral_canthus_right",
        ),
        // An eye corner marked too low or too high (outside probe s21: 40 px low was fitted at 3.9 mm
        // RMS and the glabella named): the face's own mirror axis names the corner.
        (
            "lateral_canthus_right = [141, 210]",
            "lateral_canthus_right = [141, 250]",
            "lateral_canthus_right",
        ),
        (
            "lateral_canthus_left = [276, 228]",
            "lateral_canthus_left = [276, 208]",
            "lateral_canthus_left",
        ),
    ] {
        let (_, err) = run(&HAND_MARKS.replace(from, to));
        let named = if name == "glabella" {
            err.contains("the glabella mark looks wrong")
        } else {
            // Refused naming it, or warned about it in words.
            let words = name.replace("lateral_canthus_", "") + " outer eye corner";
            err.contains(&format!("mark (`{name}`) is"))
                || err.contains(&format!("mark (`{name}`) lies"))
                || err.contains(&format!("without the {words} mark (`{name}`)"))
                || err.contains("check both outer eye corner marks")
                || err.contains(&format!("the {words} mark looks wrong"))
                || err.contains(&format!("the {words} mark lies farther out"))
        };
        assert!(named, "{to}: {err}");
        if name != "glabella" {
            assert!(
                !err.contains("the glabella mark looks wrong"),
                "{to}: {err}"
            );
        }
        for other in ["glabella", "lateral_canthus_left", "lateral_canthus_right"] {
            if other != name {
                assert!(!err.contains(&format!("(`{other}`) is")), "{to}: {err}");
            }
        }
    }
    // The right corner slipped 5 px (3 mm) inward (outside probe s22): refused at 4.1 mm, it was said as
    // the left corner "20 mm from where the face's proportions put it". The corners' asymmetry cannot tell
    // one corner marked too far out from the other too far in: both are said, the farther out first.
    let (_, err) = run(&HAND_MARKS.replace(
        "lateral_canthus_right = [141, 210]",
        "lateral_canthus_right = [146, 210]",
    ));
    assert!(
        err.contains("uneven about the face's midline")
            && err.contains("(`lateral_canthus_right`)")
            && !err.contains("20 mm")
            && !err.contains("looks wrong"),
        "{err}"
    );
    // Only the two eye corners, one 30 mm off: most of the design falls off the head, so the picture is
    // refused (a warning until s12) with what to check, and nothing is written.
    for p in [
        "c.png",
        "c-before.png",
        "c-shaved.png",
        "c-after.png",
        "c-zoom.png",
    ] {
        let _ = std::fs::remove_file(dir.path().join(p));
    }
    let (_, err) =
        run("[landmarks]\nlateral_canthus_right = [141, 210]\nlateral_canthus_left = [300, 160]\n");
    assert!(
        err.contains("landed on the scalp found on the photo")
            && err.contains("no picture was written")
            && err.contains("check the landmarks"),
        "{err}"
    );
    assert!(!dir.path().join("c.png").exists());
    assert!(!dir.path().join("c-after.png").exists());
}

/// Outside probe s31b: the left outer eye corner marked 15 mm toward the nose was drawn, exit 0, as a pale
/// helmet over the whole top with the glabella blamed; the eye marks on the pupils were refused naming the
/// glabella. At those spacings the head on the photo would be wider than any adult head: refused naming
/// both eye corners, nothing written. The hand marks still render.
#[test]
fn eye_corners_marked_too_close_together_are_named() {
    let Some((dir, plan, photo, marks)) = on_the_real_photo() else {
        return;
    };
    let out = dir.path().join("c.png");
    for (to, why) in [
        (
            HAND_MARKS.replace(
                "lateral_canthus_left = [276, 228]",
                "lateral_canthus_left = [252, 228]",
            ),
            "15 mm toward the nose",
        ),
        // Outside probe s32: the left corner on the pupil (in the studio, on another design, it fitted
        // "within 2.9 mm" and was drawn with the head-size advice only).
        (
            HAND_MARKS.replace(
                "lateral_canthus_left = [276, 228]",
                "lateral_canthus_left = [250, 225]",
            ),
            "the left corner on the pupil",
        ),
        (
            "[landmarks]\nglabella = [202, 195]\nlateral_canthus_right = [159, 201]\nlateral_canthus_left = [256, 214]\n"
                .to_string(),
            "on the pupils",
        ),
        // Outside test s44: both corners 17 or 22 px toward the nose, or on the pupils as that tester saw
        // them, were drawn (exit 0) with the hairline down the forehead: the outline the fit kept was the
        // clipped hair meeting bald skin, inside the head, and read 184–201 mm.
        (
            "[landmarks]\nglabella = [202, 195]\nlateral_canthus_right = [157.9, 212.2]\nlateral_canthus_left = [259.1, 225.8]\n"
                .to_string(),
            "both corners 17 px in",
        ),
        (
            "[landmarks]\nglabella = [202, 195]\nlateral_canthus_right = [162.8, 212.9]\nlateral_canthus_left = [254.2, 225.1]\n"
                .to_string(),
            "both corners 22 px in",
        ),
        (
            "[landmarks]\nglabella = [202, 195]\nlateral_canthus_right = [160, 212]\nlateral_canthus_left = [253, 225]\n"
                .to_string(),
            "on the pupils (s44)",
        ),
        // Outside test s45: the left corner, on the eye in shadow where no iris stands out, 21 or 25 px
        // toward the nose was drawn with the hairline on the forehead (the fit kept the clipped hair's
        // inner edge on one side, 170–178 mm, while the head's own edge read 201–211 mm).
        (
            HAND_MARKS.replace(
                "lateral_canthus_left = [276, 228]",
                "lateral_canthus_left = [255, 228]",
            ),
            "the left corner 21 px in",
        ),
        (
            HAND_MARKS.replace(
                "lateral_canthus_left = [276, 228]",
                "lateral_canthus_left = [251, 228]",
            ),
            "the left corner 25 px in",
        ),
    ] {
        std::fs::write(&marks, &to).unwrap();
        let o = render(&plan, &photo, &marks, &out);
        let (_, err) = texts(&o);
        let said = err.replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(o.status.code(), Some(2), "{why}: {said}");
        assert!(
            said.contains("the outer eye corner marks are too close together")
                && said.contains("wider than any adult head")
                && said.contains("not on the pupil or toward the nose")
                && said.contains("(`lateral_canthus_right`, `lateral_canthus_left`)")
                && !said.contains("the glabella mark is"),
            "{why}: {said}"
        );
        assert!(!out.exists(), "{why}: a picture was written");
    }
    std::fs::write(&marks, HAND_MARKS).unwrap();
    let o = render(&plan, &photo, &marks, &out);
    assert!(o.status.success() && out.exists(), "{}", texts(&o).1);
    // The photo enlarged 2× with the left corner 21 px in (before enlarging): no height of the outline
    // agreed with the marks' head, and a flat beige helmet was drawn down the forehead (outside test s45).
    let big = dir.path().join("big.png");
    let img = image::open(&photo).unwrap().to_rgb8();
    image::imageops::resize(
        &img,
        img.width() * 2,
        img.height() * 2,
        image::imageops::FilterType::Lanczos3,
    )
    .save(&big)
    .unwrap();
    std::fs::write(
        &marks,
        "[landmarks]\nglabella = [404.5, 390.5]\nlateral_canthus_right = [282.5, 420.5]\nlateral_canthus_left = [510.5, 456.5]\n",
    )
    .unwrap();
    let o = render(&plan, &big, &marks, &out);
    let said = texts(&o)
        .1
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(o.status.code(), Some(2), "2×: {said}");
    assert!(
        said.contains("the outer eye corner marks are too close together"),
        "2×: {said}"
    );
}

/// Outside test s45: both outer eye corners marked 20 px (12 mm) outward, on the temples, were drawn
/// with no word (the hairline 15 mm higher). The eye's iris then lies 20 mm in from the mark, about 14
/// at a corner: it is said, naming the mark; the hand marks say nothing of it.
#[test]
fn eye_corners_marked_on_the_temples_are_said() {
    let Some((dir, plan, photo, marks)) = on_the_real_photo() else {
        return;
    };
    let out = dir.path().join("t.png");
    let beyond = "mark may lie beyond the eye, on the skin toward the temple";
    std::fs::write(
        &marks,
        "[landmarks]\nglabella = [202, 195]\nlateral_canthus_right = [121, 210]\nlateral_canthus_left = [296, 228]\n",
    )
    .unwrap();
    let o = render(&plan, &photo, &marks, &out);
    let said = texts(&o)
        .1
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(o.status.success(), "{said}");
    assert!(
        said.contains(&format!("the right outer eye corner {beyond}")),
        "{said}"
    );
    std::fs::write(&marks, HAND_MARKS).unwrap();
    let o = render(&plan, &photo, &marks, &out);
    assert!(
        o.status.success() && !texts(&o).1.contains(beyond),
        "{}",
        texts(&o).1
    );
}

/// Outside probe s12, finding 1: the photo upside down (stored so, or turned by an EXIF tag a marking tool
/// ignored) with the marks of the upright photo drew pigment on the chin and the collar and wrote every
/// picture, with two warnings. It is refused now, nothing written.
#[test]
fn an_upside_down_photo_with_the_upright_marks_is_refused() {
    let Some((dir, plan, photo, _)) = on_the_real_photo() else {
        return;
    };
    // As stored, its marks' "forehead" runs into the photo's edge: refused before the fit (session 22),
    // saying to turn it upright; so it is laid 60 px down on a plain card (the card is found as a canvas,
    // session 23). Laid on a backdrop-coloured card with the backdrop's grain, it registers and is refused
    // as a plan off the head: until session 24 by its impressions (49 % of them on the scalp map: the chin
    // and neck are skin), now because no eye lies beside its eye-corner marks (probe s24: by the skin
    // facing the camera 76 % of the design landed, as on a fully bald head, which must be previewed).
    let img = image::open(&photo).unwrap().rotate180().to_rgb8();
    let out = dir.path().join("c.png");
    for (pad, grain, said) in [
        (0u32, 0u32, "upside down, turn it upright"),
        (60, 0, "upside down, turn it upright"),
        (60, 24, "no eye was found beside the outer eye corner marks"),
    ] {
        let mut card = image::RgbImage::from_fn(img.width(), img.height() + pad, |x, y| {
            let g = ((x * 7919 + y * 104_729) % 97 * grain / 97) as u8;
            image::Rgb([204 + g, 203 + g, 206 + g])
        });
        image::imageops::replace(&mut card, &img, 0, i64::from(pad));
        let turned = dir.path().join(format!("turned{pad}-{grain}.png"));
        card.save(&turned).unwrap();
        let moved = dir.path().join(format!("turned{pad}-{grain}.toml"));
        std::fs::write(&moved, hand_marks_moved(i64::from(pad))).unwrap();
        let o = render(&plan, &turned, &moved, &out);
        let (_, err) = texts(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(said), "pad {pad}, grain {grain}: {err}");
    }
    for p in ["c.png", "c-before.png", "c-shaved.png", "c-after.png"] {
        assert!(!dir.path().join(p).exists(), "{p} was written");
    }
}

/// Outside probe s12, finding 3: `--out` naming a folder rendered everything, failed at the end and left
/// the side pictures beside it. It is refused before any work.
#[test]
fn out_naming_a_folder_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let plan = demo_plan(dir.path());
    let folder = dir.path().join("pictures");
    std::fs::create_dir(&folder).unwrap();
    let o = follicle()
        .args(["render"])
        .arg(&plan)
        .arg("--out")
        .arg(&folder)
        .output()
        .unwrap();
    let (_, err) = texts(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("is a folder"), "{err}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "only the plan's folder and the pictures folder"
    );
}

/// Outside probe s12, finding 2: a control character in a landmarks file reached the terminal raw in the
/// parser's excerpt (ESC[2J cleared the screen). It is written out as `\u{1b}` and named.
#[test]
fn control_characters_in_a_landmarks_file_are_shown_not_obeyed() {
    let Some((dir, plan, photo, marks)) = on_the_real_photo() else {
        return;
    };
    for text in [
        format!("view = \"front\u{1b}[2J\"\n{HAND_MARKS}"),
        format!("# note \u{1b}[31mred\n{HAND_MARKS}"),
    ] {
        std::fs::write(&marks, &text).unwrap();
        let o = render(&plan, &photo, &marks, &dir.path().join("c.png"));
        assert_eq!(o.status.code(), Some(2));
        assert!(!o.stderr.contains(&0x1b), "raw ESC on stderr");
        let (_, err) = texts(&o);
        assert!(err.contains("\\u{1b}"), "{err}");
    }
}

/// Probe s8 finding 14: the head-outline sentence is said once (a warning on stderr, or on stdout).
#[test]
fn the_head_outline_is_said_once() {
    let Some((dir, plan, photo, marks)) = on_the_real_photo() else {
        return;
    };
    let (out, err) = texts(&render(&plan, &photo, &marks, &dir.path().join("c.png")));
    let n = out.matches("head outline:").count() + err.matches("head outline:").count();
    assert_eq!(n, 1, "{out}\n{err}");
}

/// Probe s8 finding 10: a picture with no head is refused naming what was not found; a black-and-white one
/// (outside probe s21) before its marks are read.
#[test]
fn a_photo_with_no_head_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let plan = demo_plan(dir.path());
    let marks = dir.path().join("m.toml");
    std::fs::write(&marks, "[landmarks]\nglabella = [300, 300]\nlateral_canthus_right = [230, 320]\nlateral_canthus_left = [370, 320]\n").unwrap();
    for (name, colour, words) in [
        ("grey.png", [128, 128, 128], "this photo is black and white"),
        (
            "wall.png",
            [200, 160, 130],
            "no head was found around the marks",
        ),
    ] {
        let path = dir.path().join(name);
        image::RgbImage::from_pixel(600, 700, image::Rgb(colour))
            .save(&path)
            .unwrap();
        let o = render(&plan, &path, &marks, &dir.path().join("c.png"));
        let (_, err) = texts(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(name) && err.contains(words), "{err}");
        assert!(!dir.path().join("c-after.png").exists());
    }
}

/// Probe s8 finding 10: a large photo is reduced on load to what the preview needs (said on stdout), its
/// marks with it; the pictures written are the reduced size. The real photo enlarged 6× (2520 × 2826, its
/// face at about 9.7 px/mm) is reduced to 8 px/mm.
#[test]
fn a_large_photo_is_reduced_on_load() {
    let Some((dir, plan, photo, _)) = on_the_real_photo() else {
        return;
    };
    let img = image::open(&photo).unwrap().to_rgb8();
    let big = image::imageops::resize(&img, 2520, 2826, image::imageops::FilterType::Triangle);
    let path = dir.path().join("big.jpg");
    let mut jpg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpg, 85)
        .encode_image(&big)
        .unwrap();
    std::fs::write(&path, jpg).unwrap();
    let marks = dir.path().join("m.toml");
    std::fs::write(&marks, "[landmarks]\nglabella = [1212, 1170]\nlateral_canthus_right = [846, 1260]\nlateral_canthus_left = [1656, 1368]\n").unwrap();
    let o = render(&plan, &path, &marks, &dir.path().join("c.png"));
    let (out, err) = texts(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.contains("photo reduced from 2520 × 2826 to"), "{out}");
    let before = image::open(dir.path().join("c-before.png")).unwrap();
    let (w, h) = (before.width(), before.height());
    assert!(w < 2520 && w > 1500 && h < 2826, "{w}×{h}");
    // The true marks, scaled: no mark named.
    assert!(
        !err.contains("looks wrong") && !err.contains("check it") && !err.contains("check the"),
        "{err}"
    );
}

/// Outside probe s12, finding 5: a photo that a viewer shows turned (EXIF orientation 6), marked as stored,
/// was refused as bad marks only ("check `glabella`"); the refusal names the turn now.
#[test]
fn a_photo_shown_turned_and_marked_as_stored_is_refused_naming_the_turn() {
    let Some((dir, plan, photo, marks)) = on_the_real_photo() else {
        return;
    };
    let turned = dir.path().join("turned.jpg");
    let bytes = std::fs::read(&photo).unwrap();
    std::fs::write(
        &turned,
        follicle_render::photo::insert_exif_orientation(&bytes, 6),
    )
    .unwrap();
    let o = render(&plan, &turned, &marks, &dir.path().join("c.png"));
    let (_, err) = texts(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("EXIF orientation 6"), "{err}");
    assert!(!dir.path().join("c.png").exists());
}

/// Outside probe s12: before the first session (`--session 0`) the command warned that the hairline was
/// "only 0.0 L* darker" and wrote no zoom without saying why. It gives no design advice then, and says why
/// there is no zoom.
#[test]
fn before_the_first_session_no_advice_and_the_missing_zoom_is_explained() {
    let Some((dir, plan, photo, marks)) = on_the_real_photo() else {
        return;
    };
    let o = follicle()
        .arg("render")
        .arg(&plan)
        .args(["--session", "0", "--photo"])
        .arg(&photo)
        .arg("--landmarks")
        .arg(&marks)
        .arg("--out")
        .arg(dir.path().join("c.png"))
        .output()
        .unwrap();
    let (out, err) = texts(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        !err.contains("darker behind than in front on this picture"),
        "{err}"
    );
    assert!(out.contains("no -zoom"), "{out}");
}

/// Outside probe s12: a photo enlarged from a smaller one was believed at its pixel count (no "use a closer
/// photo", crisp dots on a blurred head). The real photo (1.5 px/mm on the scalp) enlarged 2× has 3 px/mm of
/// pixels and still 1.5 of detail: the warning names the photo's softness, and the full picture shows the
/// impressions' shade, not dots. The photo as taken is not called soft.
#[test]
fn a_photo_enlarged_from_a_smaller_one_is_not_believed_at_its_pixels() {
    let Some((dir, plan, photo, _)) = on_the_real_photo() else {
        return;
    };
    let img = image::open(&photo).unwrap().to_rgb8();
    let big = image::imageops::resize(
        &img,
        img.width() * 2,
        img.height() * 2,
        image::imageops::FilterType::Triangle,
    );
    let enlarged = dir.path().join("enlarged.jpg");
    big.save(&enlarged).unwrap();
    let marks = dir.path().join("m2.toml");
    std::fs::write(
        &marks,
        "[landmarks]\nglabella = [404, 390]\nlateral_canthus_right = [282, 420]\nlateral_canthus_left = [552, 456]\n",
    )
    .unwrap();
    let o = render(&plan, &enlarged, &marks, &dir.path().join("e.png"));
    let (out, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("coarser than its pixels") && err.contains("use a closer photo"),
        "{err}"
    );
    assert!(out.contains("scalp 3.0 px/mm (its detail about"), "{out}");
    // The stubble and the impressions are as soft as the photo: no crisp specks on the blurred head (the
    // after picture holds no more fine detail than the before; crisp follicles doubled it).
    let fine = |name: &str| {
        let img = image::open(dir.path().join(name)).unwrap().to_luma32f();
        let (w, h) = img.dimensions();
        let mut e = 0.0f64;
        for y in 1..h - 1 {
            for x in 1..w - 1 {
                let p = |dx: i32, dy: i32| {
                    img.get_pixel((x as i32 + dx) as u32, (y as i32 + dy) as u32)[0] as f64
                };
                let around = (p(-1, 0) + p(1, 0) + p(0, -1) + p(0, 1)) / 4.0;
                e += (p(0, 0) - around).powi(2);
            }
        }
        e
    };
    let (before, after) = (fine("e-before.png"), fine("e-after.png"));
    assert!(
        after < 1.2 * before,
        "fine detail {before} before, {after} after"
    );
    let o = render(
        &plan,
        &photo,
        &dir.path().join("m.toml"),
        &dir.path().join("o.png"),
    );
    let (out, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("coarser than its pixels"), "{err}");
    assert!(!out.contains("its detail about"), "{out}");
    // The photo blurred at its own size (outside test s44: σ 3 px, told only "use a closer photo"): both its
    // few pixels and its softness are said.
    let blurred = dir.path().join("blurred.png");
    image::imageops::blur(&img, 3.0).save(&blurred).unwrap();
    let o = render(
        &plan,
        &blurred,
        &dir.path().join("m.toml"),
        &dir.path().join("b.png"),
    );
    let (_, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("use a closer photo") && err.contains("coarser than its pixels (out of focus"),
        "{err}"
    );
}

/// `photo` with every channel scaled by `factor` (clipped at white), saved as the PNG `to`.
fn with_brightness(photo: &Path, factor: f64, to: &Path) -> PathBuf {
    let mut img = image::open(photo).unwrap().to_rgb8();
    for p in img.pixels_mut() {
        for c in p.0.iter_mut() {
            *c = (*c as f64 * factor).round().min(255.0) as u8;
        }
    }
    img.save(to).unwrap();
    to.to_path_buf()
}

/// Outside probe s22: the real photo brightened 1.3× (half its forehead burnt out to white) was refused as
/// "not a colour photo"; it is refused as overexposed, with what to do.
#[test]
fn an_overexposed_photo_is_said_to_be_overexposed() {
    let Some((dir, plan, photo, marks)) = on_the_real_photo() else {
        return;
    };
    let bright = with_brightness(&photo, 1.3, &dir.path().join("bright.png"));
    let o = render(&plan, &bright, &marks, &dir.path().join("c.png"));
    let (_, err) = texts(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("the forehead is overexposed") && err.contains("softer light"),
        "{err}"
    );
}

/// Outside probe s22: the real photo at 30 % of its brightness was previewed without a word about the light,
/// its skin read as #493b2d and the plan advised on from it. It is said to be underexposed; the photo as
/// taken is not.
#[test]
fn an_underexposed_photo_is_said_to_be_underexposed() {
    let Some((dir, plan, photo, marks)) = on_the_real_photo() else {
        return;
    };
    let dark = with_brightness(&photo, 0.3, &dir.path().join("dark.png"));
    let o = render(&plan, &dark, &marks, &dir.path().join("c.png"));
    let (_, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("this photo is underexposed") && err.contains("more light"),
        "{err}"
    );
    // Outside probe s27: at 60 % of its brightness it was not said (its brightest parts at 55–60 % of white,
    // the rule then at 45 %), and the dark tones told the practitioner to raise the hairline's strength.
    // It is said now, and no design advice is read from its tones.
    let dim = with_brightness(&photo, 0.6, &dir.path().join("dim.png"));
    let o = render(&plan, &dim, &marks, &dir.path().join("d.png"));
    let (_, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("this photo is underexposed") && err.contains("design advice"),
        "{err}"
    );
    assert!(
        !err.contains("raise the hairline zone") && !err.contains("darker than the clipped sides"),
        "{err}"
    );
    // Nor is a pigment matched to its colours (outside test s48: `shade` printed a confident table from
    // the underexposed photo, more confident than from the photo as taken); given the skin, it is.
    let shade = |extra: &[&str]| {
        follicle()
            .arg("shade")
            .arg(&plan)
            .arg("--photo")
            .arg(&dim)
            .arg("--landmarks")
            .arg(&marks)
            .args(extra)
            .arg("--out")
            .arg(dir.path().join("sw.png"))
            .output()
            .unwrap()
    };
    let o = shade(&[]);
    let (out, err) = texts(&o);
    assert_ne!(o.status.code(), Some(0), "{out}{err}");
    assert!(
        err.contains("this photo is underexposed")
            && err.contains(
                "no pigment is matched to this photo's colours: give the skin colour (--skin"
            )
            && !out.contains("recommended"),
        "{out}{err}"
    );
    let o = shade(&["--skin", "fitzpatrick:2"]);
    assert_eq!(o.status.code(), Some(0), "{}", texts(&o).1);
    assert!(texts(&o).0.contains("recommended"), "{}", texts(&o).0);
    let o = render(&plan, &photo, &marks, &dir.path().join("w.png"));
    assert!(!texts(&o).1.contains("underexposed"), "{}", texts(&o).1);
}

/// Outside probe s27: the eye corners swapped on the upright photo (or a mirrored selfie marked as it shows
/// the client) were first told to turn the photo upright. Swapped marks are said to be swapped; the photo
/// turned upside down and marked where its eyes now are is still said to be upside down.
#[test]
fn swapped_eye_corners_are_told_from_an_upside_down_photo() {
    let Some((dir, plan, photo, _)) = on_the_real_photo() else {
        return;
    };
    let swapped = dir.path().join("swapped.toml");
    std::fs::write(
        &swapped,
        "[landmarks]\nglabella = [202, 195]\nlateral_canthus_right = [276, 228]\nlateral_canthus_left = [141, 210]\n",
    )
    .unwrap();
    let o = render(&plan, &photo, &swapped, &dir.path().join("s.png"));
    let (_, err) = texts(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("the outer eye corners are swapped") && !err.contains("upside down"),
        "{err}"
    );
    // Turned 180° (420 × 471 px): each mark at (419 − x, 470 − y).
    let img = image::open(&photo).unwrap().rotate180().to_rgb8();
    let turned = dir.path().join("turned.png");
    img.save(&turned).unwrap();
    let marks = dir.path().join("turned.toml");
    std::fs::write(
        &marks,
        "[landmarks]\nglabella = [217, 275]\nlateral_canthus_right = [278, 260]\nlateral_canthus_left = [143, 242]\n",
    )
    .unwrap();
    let o = render(&plan, &turned, &marks, &dir.path().join("t.png"));
    let (_, err) = texts(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("upside down") && !err.contains("are swapped"),
        "{err}"
    );
    // The glabella put on the nose of the upright photo: that mark is named, not the photo turned (outside
    // test s53: "the face would be upside down on the photo (turned 142°)").
    let nose = dir.path().join("nose.toml");
    std::fs::write(
        &nose,
        "[landmarks]\nglabella = [205, 280]\nlateral_canthus_right = [141, 210]\nlateral_canthus_left = [276, 228]\n",
    )
    .unwrap();
    let o = render(&plan, &photo, &nose, &dir.path().join("n.png"));
    let (_, err) = texts(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "the glabella mark (`glabella`, at 205, 280 px) lies below the outer eye corner marks"
        ) && !err.contains("upside down on the photo"),
        "{err}"
    );
}

/// Outside probe s31: a `hair` region mostly on the wall drew the shaved sides in the wall's grey without a
/// word. A region far from the hair found on the photo is said; one on his hair is not. The head-size gap is
/// said once, not as two warnings.
#[test]
fn a_hair_region_off_the_hair_is_said() {
    let Some((dir, plan, photo, marks)) = on_the_real_photo() else {
        return;
    };
    let (_, err) = texts(&render(&plan, &photo, &marks, &dir.path().join("c.png")));
    assert!(err.matches("wider than").count() <= 1, "{err}");
    for (hair, said) in [
        ("[60, 100, 90, 180]", true),
        ("[320, 110, 335, 170]", false),
    ] {
        std::fs::write(&marks, format!("{HAND_MARKS}[regions]\nhair = {hair}\n")).unwrap();
        let o = render(&plan, &photo, &marks, &dir.path().join("c.png"));
        let (_, err) = texts(&o);
        assert_eq!(o.status.code(), Some(0), "{err}");
        assert_eq!(
            err.contains("the `hair` region reads"),
            said,
            "{hair}: {err}"
        );
    }
}
