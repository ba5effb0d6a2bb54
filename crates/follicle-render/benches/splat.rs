//! Compositing benchmark: 50,000 impressions onto a 24-megapixel photo (6000×4000) on one core, the fast
//! compositor (touched pixels only, lookup-table sRGB) against the naive baseline (whole photo to linear
//! f64 with powf and back), in the same run; decode and encode excluded. Prints medians.
//! Run: `cargo bench -p follicle-render --bench splat`.

use follicle_render::color::SrgbLut;
use follicle_render::optics::State;
use follicle_render::photo::Photo;
use follicle_render::preview::LookTable;
use follicle_render::register::{register, Frontal, Marks, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM};
use follicle_render::splat::{composite, composite_naive, Spot, Srgb8Canvas};
use follicle_render::Catalogue;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let (w, h) = (6000usize, 4000usize);
    let plan = follicle_core::plan(&follicle_core::demo_design()).expect("demo plan");
    // Register a synthetic frontal photo: head about 3000 px wide (≈ 19 px/mm), centred.
    let f = Frontal::new(&plan, FRONTAL_DISTANCE_MM);
    let named = plan.landmarks.named();
    let points = [
        "glabella",
        "mid_frontal",
        "frontotemporal_left",
        "frontotemporal_right",
        "lateral_canthus_left",
        "lateral_canthus_right",
    ]
    .iter()
    .map(|n| {
        let (u, v, _) = f
            .project(named.iter().find(|(m, _)| m == n).unwrap().1)
            .unwrap();
        (n.to_string(), [3000.0 + 19.0 * u, 2600.0 + 19.0 * v])
    })
    .collect();
    let reg = register(
        &plan,
        &Marks {
            points,
            skin: None,
            hair: None,
        },
        FRONTAL_DISTANCE_MM,
        MAX_RESIDUAL_MM,
    )
    .expect("registration");
    let skin = follicle_render::color::lin_from_srgb8([214, 172, 146]);
    let table = LookTable::new(
        &plan,
        &Catalogue::builtin(),
        skin,
        State::Healed,
        plan.sessions.len(),
    );
    // 50,000 spots: the plan's visible impressions, repeated with small offsets until there are 50k.
    let base = follicle_render::photo::photo_spots(
        &plan,
        &table,
        State::Healed,
        plan.sessions.len(),
        &reg,
        w,
        h,
    );
    let mut spots: Vec<Spot> = Vec::with_capacity(50_000);
    let mut k = 0;
    while spots.len() < 50_000 {
        let mut s = base[k % base.len()];
        let round = (k / base.len()) as f32;
        s.x += round * 9.7;
        s.y += round * 6.3;
        spots.push(s);
        k += 1;
    }
    let photo = Photo {
        w,
        h,
        rgb: (0..w * h * 3).map(|i| (120 + (i % 97)) as u8).collect(),
        exif_orientation: 1,
    };
    let lut = SrgbLut::new();
    let (mut fast, mut naive) = (Vec::new(), Vec::new());
    for _ in 0..7 {
        let mut a = photo.rgb.clone();
        let t = Instant::now();
        composite(
            &mut Srgb8Canvas {
                data: &mut a,
                w,
                h,
                lut: &lut,
            },
            &spots,
            &table.looks,
        );
        fast.push(t.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(&a);
    }
    for _ in 0..3 {
        let mut b = photo.rgb.clone();
        let t = Instant::now();
        composite_naive(&mut b, w, h, &spots, &table.looks);
        naive.push(t.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(&b);
    }
    println!(
        "composite 50000 impressions on 6000x4000 (24 MP), one core, {:.1} px/mm",
        reg.px_per_mm
    );
    println!(
        "  fast (touched pixels, LUT sRGB):      median {:8.1} ms over {} runs",
        median(fast.clone()),
        fast.len()
    );
    println!(
        "  naive (whole photo f64 powf):         median {:8.1} ms over {} runs",
        median(naive.clone()),
        naive.len()
    );
    println!("  speed-up {:.1}x", median(naive) / median(fast));
}
