//! CIEDE2000 against the 34 published pairs of Sharma, Wu & Dalal (2005), to 4 decimals, both orders.

use follicle_render::color::{ciede2000, Lab};

#[test]
fn sharma_wu_dalal_2005_table_1() {
    let text = include_str!("data/ciede2000-sharma2005.txt");
    let mut n = 0;
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let v: Vec<f64> = line
            .split_whitespace()
            .map(|x| x.parse().unwrap())
            .collect();
        assert_eq!(v.len(), 7, "{line}");
        let (a, b) = (Lab::new(v[0], v[1], v[2]), Lab::new(v[3], v[4], v[5]));
        for (x, y) in [(a, b), (b, a)] {
            let de = ciede2000(x, y);
            assert!((de - v[6]).abs() < 5e-5, "pair {n}: {de:.6} vs {}", v[6]);
        }
        n += 1;
    }
    assert_eq!(n, 34);
}
