use follicle_core::*;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let pat = match args.get(1).map(|s| s.as_str()) { Some("full") => Pattern::FullScalp, _ => Pattern::Norwood(6) };
    let d = pattern_design(pat, HeadMeasurements::median(Sex::Male), 3, 42);
    let t = std::time::Instant::now();
    let p = plan(&d).unwrap();
    let el = t.elapsed();
    println!("{} impressions in {:?}", p.impressions.len(), el); if std::env::var("NOQ").is_err() { fp(p.impressions.len()); }
    for z in &p.zones { println!("{:10} {:6.1} cm2 {:6} {:?}", z.spec.id, z.area_cm2, z.impressions, z.cumulative); }
    if std::env::var("NOQ").is_err() { for q in quality::measure(&p) { println!("{:?}", q); } }
}
#[allow(dead_code)]
fn fp(n: usize) {
    // uniform 2D points, same count: square of side s with radius chosen for n points
    let side = 1000.0f64;
    let r = (side * side / n as f64 * 0.70f64).sqrt();
    let t = std::time::Instant::now();
    let v = fast_poisson::Poisson2D::new().with_dimensions([side, side], r).with_seed(1).generate();
    println!("fast_poisson {} pts in {:?}", v.len(), t.elapsed());
}
