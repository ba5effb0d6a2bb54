//! Writer benchmark (one thread): how long each output of the full-scalp plan takes to produce, and the
//! quality pass. Run: cargo bench -p follicle-export --bench writers
//! The whole command (planning, quality and outputs on threads, files) is timed by
//! crates/follicle-cli/benches/command.rs.

use follicle_core::design::Pattern;
use follicle_core::{pattern_design, HeadMeasurements, Sex};
use follicle_export::tiles::Paper;
use std::time::{Duration, Instant};

fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut v: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let runs = if std::env::args().any(|a| a == "--quick") {
        3
    } else {
        11
    };
    let design = pattern_design(
        Pattern::FullScalp,
        HeadMeasurements::median(Sex::Male),
        3,
        42,
    );
    let p = follicle_core::plan(&design).expect("plans");
    let st = follicle_export::stencil::build(&p, "bench", follicle_export::tiles::Paper::A4);
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    if let Some(only) = std::env::args().skip_while(|a| a != "--only").nth(1) {
        // One stage only, repeated (for `perf stat`): quality, json, csv, stencil, svg or pdf.
        for _ in 0..runs {
            match only.as_str() {
                "quality" => drop(std::hint::black_box(follicle_core::quality::measure(&p))),
                "json" => drop(std::hint::black_box(follicle_export::plan_to_json(&p))),
                "csv" => drop(std::hint::black_box(follicle_export::csv::impressions_csv(
                    &p,
                ))),
                "stencil" => drop(std::hint::black_box(follicle_export::stencil::build(
                    &p,
                    "bench",
                    Paper::A4,
                ))),
                "svg" => drop(std::hint::black_box(follicle_export::svg::stencil_svg_on(
                    &st,
                    Paper::A4,
                ))),
                "pdf" => drop(std::hint::black_box(follicle_export::pdf::stencil_pdf(
                    &st,
                    Paper::A4,
                ))),
                other => panic!("unknown stage {other}"),
            }
        }
        return;
    }
    println!(
        "full-scalp plan, {} impressions; medians of {runs} runs, one thread",
        p.impressions.len()
    );
    println!(
        "  quality pass        {:7.1} ms",
        ms(median(runs, || follicle_core::quality::measure(&p)))
    );
    println!(
        "  plan.json           {:7.1} ms",
        ms(median(runs, || follicle_export::plan_to_json(&p)))
    );
    println!(
        "  impressions.csv     {:7.1} ms",
        ms(median(runs, || follicle_export::csv::impressions_csv(&p)))
    );
    println!(
        "  stencil drawing     {:7.1} ms",
        ms(median(runs, || follicle_export::stencil::build(
            &p,
            "bench",
            Paper::A4
        )))
    );
    println!(
        "  stencil.svg         {:7.1} ms",
        ms(median(runs, || follicle_export::svg::stencil_svg_on(
            &st,
            Paper::A4
        )))
    );
    println!(
        "  stencil.pdf         {:7.1} ms",
        ms(median(runs, || follicle_export::pdf::stencil_pdf(
            &st,
            Paper::A4
        )))
    );
}
