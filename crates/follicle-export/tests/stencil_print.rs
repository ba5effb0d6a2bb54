//! The stencil PDF checked with independent tools (poppler's pdfinfo, pdftoppm and pdftotext): every page
//! renders, the page count is the tiling's, the paper size is right, every page says which page it is, the
//! distances are labelled, and a 10 mm bar measures 10 mm on the rendered page (true 1:1 scale).

use follicle_export::pdf::stencil_pdf;
use follicle_export::stencil;
use follicle_export::tiles::Paper;
use std::path::Path;
use std::process::Command;

fn tool(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} must be installed (poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A binary PGM (P5) as (width, height, pixels).
fn read_pgm(path: &Path) -> (usize, usize, Vec<u8>) {
    let bytes = std::fs::read(path).unwrap();
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let data = bytes[i + 1..].to_vec();
    assert_eq!(data.len(), w * h);
    (w, h, data)
}

/// Solid dark horizontal bars on the page: runs of dark pixels 60–140 px long that repeat at the same place
/// on at least `min_rows` consecutive rows. Returns (length in px, rows) of each.
fn bars(w: usize, h: usize, px: &[u8], min_rows: usize) -> Vec<(usize, usize)> {
    let mut open: Vec<(usize, usize, usize)> = Vec::new(); // start, len, rows
    let mut found = Vec::new();
    for y in 0..h {
        let row = &px[y * w..(y + 1) * w];
        let mut runs = Vec::new();
        let mut x = 0;
        while x < w {
            if row[x] < 90 {
                let s = x;
                while x < w && row[x] < 90 {
                    x += 1;
                }
                if (60..=140).contains(&(x - s)) {
                    runs.push((s, x - s));
                }
            } else {
                x += 1;
            }
        }
        let mut next = Vec::new();
        for &(s, l) in &runs {
            let rows = open
                .iter()
                .find(|o| o.0.abs_diff(s) <= 1 && o.1.abs_diff(l) <= 1)
                .map_or(1, |o| o.2 + 1);
            next.push((s, l, rows));
        }
        for o in &open {
            if !next
                .iter()
                .any(|n| n.0.abs_diff(o.0) <= 1 && n.1.abs_diff(o.1) <= 1)
                && o.2 >= min_rows
            {
                found.push((o.1, o.2));
            }
        }
        open = next;
    }
    found.extend(open.iter().filter(|o| o.2 >= min_rows).map(|o| (o.1, o.2)));
    found
}

fn check(paper: Paper, size_line: &str) {
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let st = stencil::build(
        &plan,
        "Stencil test — client Zoë",
        follicle_export::tiles::Paper::A4,
    );
    let tiling = st.tiling(paper);
    assert!(
        tiling.pages() >= 2,
        "the demo stencil is larger than one page: {tiling:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("stencil.pdf");
    std::fs::write(&pdf, stencil_pdf(&st, paper)).unwrap();
    let pdf = pdf.to_str().unwrap();

    let info = tool("pdfinfo", &[pdf]);
    assert!(
        info.contains(&format!("Pages:           {}", tiling.pages())),
        "{info}"
    );
    assert!(info.contains(size_line), "{info}");

    let text = tool("pdftotext", &["-layout", pdf, "-"]);
    let n = tiling.pages();
    for t in tiling.tiles() {
        // Each of the demo's views fits a page: each page says which it is and the view it holds, with no
        // row and column (there are no pages to lay together).
        let label = st.page_label(&tiling, &t);
        assert!(
            label.starts_with(&format!("page {} of {n}: ", t.page))
                && (label.ends_with(" view") || label.ends_with("(face up)")),
            "{label}"
        );
        assert!(
            text.contains(&label),
            "page {} label missing:\n{text}",
            t.page
        );
    }
    assert!(!text.contains(" col "), "{text}");
    // The printing instruction whole on every page, to its last words (session 37's longer words ran off
    // the page: pdftotext lost "lay marks on marks").
    assert_eq!(
        text.matches("lay marks on marks, tape.").count(),
        n,
        "the instruction on every page:\n{text}"
    );
    let d = st.distances;
    for label in [
        format!(
            "glabella to mid-frontal point: {:.1} mm along the scalp",
            d.glabella_to_mid_frontal_mm
        ),
        format!(
            "frontotemporal width: {:.1} mm along the scalp",
            d.frontotemporal_width_mm
        ),
        format!(
            "hairline length (red): {:.1} mm along the scalp",
            d.hairline_mm.unwrap()
        ),
        "client Zoë".to_string(),
    ] {
        assert!(text.contains(&label), "`{label}` missing:\n{text}");
    }

    // Every page renders; at 254 dpi 10 mm is 100 px.
    let prefix = dir.path().join("page");
    tool(
        "pdftoppm",
        &["-r", "254", "-gray", pdf, prefix.to_str().unwrap()],
    );
    let mut pages: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pgm"))
        .collect();
    pages.sort();
    assert_eq!(pages.len(), n);
    let (pw, ph) = paper.size_mm();
    let mut all_bars = 0;
    for p in &pages {
        let (w, h, px) = read_pgm(p);
        assert!(
            (w as f64 - pw * 10.0).abs() <= 2.0 && (h as f64 - ph * 10.0).abs() <= 2.0,
            "{}: {w}x{h} px",
            p.display()
        );
        let dark = px.iter().filter(|&&v| v < 200).count();
        assert!(dark > 10_000, "{} is nearly blank", p.display());
        let found = bars(w, h, &px, 12);
        // The page's own scale bar (1.5 mm = 15 px tall) at least, each 10 mm ± 0.2 mm.
        assert!(!found.is_empty(), "{}: no scale bar", p.display());
        for (len, rows) in &found {
            assert!(
                len.abs_diff(100) <= 2 && (12..=18).contains(rows),
                "{}: a bar of {len} px x {rows} rows is not 10 mm x 1.5 mm",
                p.display()
            );
        }
        all_bars += found.len();
    }
    // The sheet's own scale bar is drawn through the tile's transformation: it measures 10 mm too.
    assert!(
        all_bars > n,
        "{all_bars} bars on {n} pages: the stencil's own scale bar was not found"
    );
}

#[test]
fn a4_stencil_prints_at_true_scale_on_every_page() {
    check(Paper::A4, "Page size:       595 x 842 pts (A4)");
}

#[test]
fn letter_stencil_prints_at_true_scale_on_every_page() {
    check(Paper::Letter, "Page size:       612 x 792 pts (letter)");
}

/// A client's name in any script prints and copies back as written (the text is set in embedded Unicode
/// fonts, not WinAnsi Helvetica, which printed "?" for every letter outside Latin-1).
#[test]
fn names_in_any_script_print_and_copy_back() {
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "李小龍",
        "Łukasz Żółkiewski",
        "محمد",
        "Søren Ødegård-王",
        "Ana 🌸 Kowalska",
    ] {
        let st = stencil::build(
            &plan,
            &format!("Stencil for {name}"),
            follicle_export::tiles::Paper::A4,
        );
        let path = dir.path().join("stencil.pdf");
        let bytes = stencil_pdf(&st, Paper::A4);
        std::fs::write(&path, &bytes).unwrap();
        let pdf = path.to_str().unwrap();
        // pdftotext wraps a right-to-left run in embedding marks (U+202B … U+202C); the letters are what count.
        let text: String = tool("pdftotext", &[pdf, "-"])
            .chars()
            .filter(|c| !('\u{202a}'..='\u{202e}').contains(c))
            .collect();
        let pages = st.tiling(Paper::A4).pages();
        // On each page's label (and in the sheet's own title where a page shows it).
        assert_eq!(
            text.matches(&format!("- Stencil for {name}\n")).count(),
            pages,
            "`{name}` on each of the {pages} page labels:\n{text}"
        );
        assert!(!text.contains('?'), "no letter lost:\n{text}");
        let fonts = tool("pdffonts", &[pdf]);
        assert!(
            fonts.lines().skip(2).all(|l| l.contains(" yes yes ")),
            "every font embedded and subsetted:\n{fonts}"
        );
        // The subsets keep the file small: the full CJK face alone is 4 MB.
        assert!(bytes.len() < 1_000_000, "{name}: {} bytes", bytes.len());
        // Every page still renders.
        tool(
            "pdftoppm",
            &[
                "-r",
                "20",
                "-gray",
                pdf,
                dir.path().join("p").to_str().unwrap(),
            ],
        );
    }
}
