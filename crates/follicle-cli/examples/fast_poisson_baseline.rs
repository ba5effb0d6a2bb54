//! The whole-process baseline for `follicle plan`: the fast_poisson crate (Bridson, uniform 2D, k = 30)
//! generating a given number of points in a 1000 × 1000 square, written as a CSV with four decimals, as a
//! program of its own (start-up, generation, formatting, file).
//!
//!     fast_poisson_baseline COUNT OUT.csv
//!
//! The disk radius for COUNT points is calibrated before the clock that matters starts: the first run
//! with `--calibrate` prints it, later runs take it with `--radius R`, so a timed run only generates and
//! writes. Used by crates/follicle-cli/benches/command.rs and scripts/bench-command.sh.

use std::io::Write;

const SIDE: f64 = 1000.0;

/// The radius that gives about `count` points (the same calibration as the planning benchmark).
pub fn calibrate(count: usize) -> f64 {
    let mut radius = (SIDE * SIDE / count as f64 * 0.68f64).sqrt();
    for _ in 0..4 {
        let got = fast_poisson::Poisson2D::new()
            .with_dimensions([SIDE, SIDE], radius)
            .with_seed(1)
            .generate()
            .len();
        radius *= (got as f64 / count as f64).sqrt();
    }
    radius
}

/// Generates the points with `radius` and writes them to `out`; returns how many.
pub fn generate_and_write(radius: f64, out: &std::path::Path) -> std::io::Result<usize> {
    let pts = fast_poisson::Poisson2D::new()
        .with_dimensions([SIDE, SIDE], radius)
        .with_seed(1)
        .generate();
    let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(out)?);
    writeln!(w, "index,x,y")?;
    for (i, p) in pts.iter().enumerate() {
        writeln!(w, "{},{:.4},{:.4}", i + 1, p[0], p[1])?;
    }
    w.flush()?;
    Ok(pts.len())
}

/// `[--calibrate COUNT] | [--radius R OUT.csv]`
pub fn run(args: &[String]) -> Result<(), String> {
    match args {
        [flag, count] if flag == "--calibrate" => {
            let n: usize = count.parse().map_err(|e| format!("COUNT: {e}"))?;
            println!("{}", calibrate(n));
            Ok(())
        }
        [flag, radius, out] if flag == "--radius" => {
            let r: f64 = radius.parse().map_err(|e| format!("R: {e}"))?;
            generate_and_write(r, std::path::Path::new(out))
                .map(|_| ())
                .map_err(|e| format!("{out}: {e}"))
        }
        _ => Err("usage: fast_poisson_baseline --calibrate COUNT | --radius R OUT.csv".into()),
    }
}

#[allow(dead_code)]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(e) = run(&args) {
        eprintln!("{e}");
        std::process::exit(2);
    }
}
