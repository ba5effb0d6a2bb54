//! Writes the demo plan's previews (the files `follicle demo` adds) into a folder, with timings:
//! `cargo run --release -p follicle-render --example previews -- OUT_DIR`.

fn main() {
    let out =
        std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "previews".into()));
    std::fs::create_dir_all(&out).expect("create the output folder");
    let t = std::time::Instant::now();
    let plan = follicle_core::plan(&follicle_core::demo_design()).expect("demo plan");
    let planned = t.elapsed();
    let files = follicle_render::demo_previews(&plan, follicle_render::mannequin::Face::Male)
        .expect("previews");
    println!(
        "plan {:.2} s, previews {:.2} s",
        planned.as_secs_f64(),
        (t.elapsed() - planned).as_secs_f64()
    );
    for (name, bytes) in files {
        std::fs::write(out.join(&name), &bytes).expect("write");
        println!("{name}: {} bytes", bytes.len());
    }
}
