use follicle_core::*;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let pat = match args.get(1).map(|s| s.as_str()) { Some("full") => Pattern::FullScalp, _ => Pattern::Norwood(6) };
    let d = pattern_design(pat, HeadMeasurements::median(Sex::Male), 3, 42);
    let t = std::time::Instant::now();
    let p = plan(&d).unwrap();
    let el = t.elapsed();
    println!("{} impressions in {:?}", p.impressions.len(), el);
    for z in &p.zones { println!("{:10} {:6.1} cm2 {:6} {:?}", z.spec.id, z.area_cm2, z.impressions, z.cumulative); }
    for q in quality::measure(&p) { println!("{:?}", q); }
}
