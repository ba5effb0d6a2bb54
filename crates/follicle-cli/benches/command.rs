//! Whole-command benchmark: `follicle plan examples/cases/full-scalp.toml --out DIR -q` as a process
//! (start-up, parsing, planning, the quality pass, every output written) against the fast_poisson crate
//! generating the same number of points as a process of its own and writing them
//! (examples/fast_poisson_baseline.rs, run here by re-executing this benchmark). The two commands
//! alternate run by run so machine load hits both alike; medians are reported.
//! Run: cargo bench -p follicle-cli --bench command [-- --runs N]

#[path = "../examples/fast_poisson_baseline.rs"]
mod baseline;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn run_ok(cmd: &mut Command) -> Duration {
    let t = Instant::now();
    let out = cmd.output().expect("starts");
    let d = t.elapsed();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    d
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "--baseline") {
        // Re-executed as the baseline process.
        baseline::run(&args[1..]).expect("baseline runs");
        return;
    }
    let runs: usize = args
        .iter()
        .skip_while(|a| *a != "--runs")
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(if args.iter().any(|a| a == "--quick") {
            5
        } else {
            15
        });
    let follicle = env!("CARGO_BIN_EXE_follicle");
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/cases/full-scalp.toml");
    let dir = tempfile::tempdir().expect("temporary directory");
    let out = dir.path().join("fs");
    let csv = dir.path().join("baseline.csv");
    let me = std::env::current_exe().expect("own path");
    let mut plan_cmd = Command::new(follicle);
    plan_cmd
        .arg("plan")
        .arg(&case)
        .arg("--out")
        .arg(&out)
        .arg("-q");

    // The count to match, then the baseline's radius for it (outside the timed runs).
    run_ok(&mut plan_cmd);
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("plan.json")).unwrap()).unwrap();
    let n = plan["impressions"].as_array().unwrap().len();
    let radius = baseline::calibrate(n);
    let points = baseline::generate_and_write(radius, &csv).unwrap();
    let mut base_cmd = Command::new(&me);
    base_cmd
        .arg("--baseline")
        .arg("--radius")
        .arg(radius.to_string())
        .arg(&csv);
    run_ok(&mut base_cmd);

    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        ours.push(run_ok(&mut plan_cmd));
        theirs.push(run_ok(&mut base_cmd));
    }
    let (a, b) = (median(ours), median(theirs));
    println!("whole process, medians of {runs} alternating runs");
    println!("  follicle plan examples/cases/full-scalp.toml --out DIR -q ({n} impressions, every output): {:.1} ms", a.as_secs_f64() * 1e3);
    println!("  fast_poisson generating {points} points and writing them as CSV (own process):          {:.1} ms", b.as_secs_f64() * 1e3);
    println!(
        "  ratio follicle / fast_poisson = {:.2} (target ≤ 0.35)",
        a.as_secs_f64() / b.as_secs_f64()
    );
}
