//! The client documents print any client's name: an ink passport for "Łukasz Żółkiewski-Søren 王"
//! (Polish, Danish and a CJK ideograph) is read back by poppler's `pdftotext`, rendered page by page by
//! `pdftoppm`, and `pdffonts` finds every font embedded.

use follicle_clinic::export::{passport_document, pdf};
use follicle_clinic::{Catalogue, Format, InkPassport, Intake, SessionLog};
use std::path::{Path, PathBuf};
use std::process::Command;

const PIGMENTS: &str = include_str!("../../../examples/pigments.toml");
const SESSIONS: &str = include_str!("../../../examples/sessions-c-2025-014.toml");
const DANIEL: &str = include_str!("../../../examples/intake-norwood6-go.toml");

const NAME: &str = "Łukasz Żółkiewski-Søren 王";

fn require(program: &str, probe: &[&str]) {
    let ok = Command::new(program)
        .args(probe)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(ok, "poppler-utils' `{program}` is not installed: run `apt-get install -y poppler-utils` (scripts/test.sh does)");
}

fn run(program: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(program).args(args).arg(file).output().unwrap();
    assert!(
        out.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{program} complained: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("poppler writes UTF-8")
}

/// A passport for the Unicode-named client, with `sessions_repeated` copies of the session rows.
fn passport(sessions_repeated: usize) -> InkPassport {
    passport_for(NAME, sessions_repeated)
}

/// A passport for a client called `name`, with `sessions_repeated` copies of the session rows.
fn passport_for(name: &str, sessions_repeated: usize) -> InkPassport {
    let toml = DANIEL.replace("name = \"Daniel Mensah\"", &format!("name = \"{name}\""));
    assert_ne!(
        toml, DANIEL,
        "the example intake's name line changed; update this test"
    );
    let client = Intake::from_toml(&toml).unwrap();
    let log = SessionLog::parse(SESSIONS, Format::Toml).unwrap();
    let mut p = InkPassport::build(
        &client,
        &log,
        &Catalogue::parse(PIGMENTS, Format::Toml).unwrap(),
    )
    .unwrap();
    assert_eq!(p.client_name, name);
    let one = p.entries.clone();
    for _ in 1..sessions_repeated {
        p.entries.extend(one.iter().cloned());
    }
    p
}

#[test]
fn a_passport_prints_every_character_of_the_clients_name() {
    require("pdftotext", &["-v"]);
    let dir = tempfile::tempdir().unwrap();
    let file = passport_pdf(dir.path(), &passport(1));
    let text = run_to_file_text(&file);
    assert!(
        text.contains(&format!("Ink passport: {NAME}")),
        "title: {text}"
    );
    assert!(text.contains(NAME), "{text}");
    assert!(!text.contains('?'), "no character may print as '?': {text}");
    assert!(
        text.contains("Mixture for use in tattoos or permanent make-up"),
        "{text}"
    );
    assert!(text.contains("Page 1 of 1"), "{text}");
}

/// An Arabic name is set right to left with its letters joined (shaped by follicle-fonts, as on the stencil)
/// and copies back as typed; the page renders.
#[test]
fn an_arabic_name_prints_right_to_left_and_copies_back() {
    require("pdftotext", &["-v"]);
    let name = "محمد علي";
    let dir = tempfile::tempdir().unwrap();
    let file = passport_pdf(dir.path(), &passport_for(name, 1));
    // pdftotext wraps a right-to-left run in embedding marks (U+202A … U+202E); the letters are what count.
    let text: String = run_to_file_text(&file)
        .chars()
        .filter(|c| !('\u{202a}'..='\u{202e}').contains(c))
        .collect();
    assert!(text.contains(name), "{text}");
    assert!(!text.contains('?'), "{text}");
    // Drawn in visual order: had the letters been drawn left to right as typed, poppler would give them back
    // reversed.
    assert!(!text.contains("دمحم"), "{text}");
}

/// A name with emoji (a flower, a thumbs-up with a skin tone) prints with the embedded emoji face, not as
/// missing-glyph boxes, and copies back as typed.
#[test]
fn emoji_in_a_name_print_with_the_emoji_face_and_copy_back() {
    require("pdffonts", &["-v"]);
    let name = "Ana 🌸 Kowalska 👍🏽";
    let dir = tempfile::tempdir().unwrap();
    let file = passport_pdf(dir.path(), &passport_for(name, 1));
    let text = run_to_file_text(&file);
    assert!(text.contains(name), "{text}");
    let fonts = run("pdffonts", &[], &file);
    assert!(
        fonts.contains("Symbola"),
        "the emoji face is embedded: {fonts}"
    );
    assert!(
        fonts
            .lines()
            .skip(2)
            .all(|r| r.split_whitespace().rev().nth(4) == Some("yes")),
        "every font embedded: {fonts}"
    );
}

/// `passport`'s document as PDF (issued 2025-03-20), written into `dir`.
fn passport_pdf(dir: &Path, passport: &InkPassport) -> PathBuf {
    let file = dir.join("passport.pdf");
    let doc = passport_document(passport, "2025-03-20".parse().unwrap());
    std::fs::write(&file, pdf::render(&doc).unwrap()).unwrap();
    file
}

/// pdftotext's text of `file`, to standard output.
fn run_to_file_text(file: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(file)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "pdftotext complained: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("poppler writes UTF-8")
}

#[test]
fn every_page_renders_and_every_font_is_embedded() {
    require("pdftoppm", &["-v"]);
    let dir = tempfile::tempdir().unwrap();
    let file = passport_pdf(dir.path(), &passport(40));
    let info = run("pdfinfo", &[], &file);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .expect("pdfinfo prints Pages")
        .trim()
        .parse()
        .unwrap();
    assert!(
        pages >= 2,
        "80 session rows span several pages, got {pages}"
    );
    assert!(info.contains("595 x 842 pts (A4)"), "A4 pages: {info}");
    let out = Command::new("pdftoppm")
        .args(["-png", "-r", "40"])
        .arg(&file)
        .arg(dir.path().join("page"))
        .output()
        .unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "pdftoppm: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pngs = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "png")
        })
        .count();
    assert_eq!(pngs, pages, "one picture per page");
    let text = run_to_file_text(&file);
    assert!(text.contains(&format!("Page {pages} of {pages}")), "{text}");
    let fonts = run("pdffonts", &[], &file);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(
        rows.len() >= 3,
        "regular, bold and the CJK fallback: {fonts}"
    );
    assert!(
        rows.iter()
            .all(|r| r.split_whitespace().rev().nth(4) == Some("yes")),
        "every font embedded: {fonts}"
    );
    assert!(
        fonts.contains("DejaVuSans-Bold") && fonts.contains("DroidSansFallback"),
        "{fonts}"
    );
}
