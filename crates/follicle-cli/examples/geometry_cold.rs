//! The zone raster of a case built cold, in a fresh process (BENCHMARKS.md, session 15): landmarks,
//! hairline, raster and its feathered finish of `examples/cases/full-scalp.toml` (or the case given), on
//! the CLI's threads (one per core) taking bands, timed stage by stage, then built twice more in the same
//! process (memory already touched) for comparison. Run it many times: the first line is the one `follicle
//! plan` pays.
//!
//!   cargo run --release -p follicle-cli --example geometry_cold [CASE.toml]

// The CLI's own threads (crates/follicle-cli/src/threads.rs): the example times the raster as `follicle plan`
// builds it.
#[path = "../src/threads.rs"]
mod threads;
use std::time::Instant;
use threads::Threads;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "examples/cases/full-scalp.toml".into());
    let src = std::fs::read_to_string(&path).expect("a readable case file");
    let case = follicle_case::parse(&path, &src, &Default::default()).expect("a valid case");
    let d = &case.design;
    let ms = |t: std::time::Duration| t.as_secs_f64() * 1e3;
    for pass in ["cold", "warm", "warm"] {
        let t = Instant::now();
        let head = follicle_core::head::Head::new(d.head);
        let lm = follicle_core::landmarks::construct(&head, d.hairline.mid_frontal_mm)
            .expect("landmarks");
        let t_lm = t.elapsed();
        let hl = follicle_core::hairline::construct(&head, &lm, &d.hairline, d.seed);
        let t_hl = t.elapsed();
        let raster = follicle_core::field::Field::raster_on(
            &head,
            &lm,
            Some(&hl),
            &d.zones,
            d.seed,
            &Threads,
        )
        .expect("a raster");
        let t_raster = t.elapsed();
        let field = raster
            .finish_on(&d.zones, d.seed, &Threads)
            .expect("a field");
        let t_finish = t.elapsed();
        println!(
            "{pass}: landmarks {:.1} ms, hairline {:.1} ms, raster {:.1} ms, finish {:.1} ms; raster + finish {:.1} ms ({} cells)",
            ms(t_lm),
            ms(t_hl - t_lm),
            ms(t_raster - t_hl),
            ms(t_finish - t_raster),
            ms(t_finish - t_hl),
            field.nu * field.nv
        );
    }
}
