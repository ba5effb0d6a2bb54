//! The cells where the zone raster changes between 4-neighbours (another zone, or the face mark), listed
//! row by row. The cell of a region nearest to a point outside it lies on the region's border (a step
//! toward the point from an inner cell comes nearer), so the feather pass's searches for the nearest
//! lighter, denser or untreated cell look only at these: a few per row of the search window instead of
//! every cell of it (the density ramps' search was a third of a full-scalp plan's time).

/// Border cells by row (see the module doc).
pub(super) struct Borders {
    nu: usize,
    /// Where each row's columns start in `cols` (one more entry than rows).
    row_start: Vec<usize>,
    /// The border cells' columns, ascending within each row.
    cols: Vec<u32>,
}

impl Borders {
    /// The border cells of a raster of `nu` × `nv` cells with `zone` and `face` per cell.
    pub(super) fn new(nu: usize, nv: usize, zone: &[u8], face: &[bool]) -> Borders {
        let same = |a: usize, b: usize| zone[a] == zone[b] && face[a] == face[b];
        let mut row_start = Vec::with_capacity(nv + 1);
        let mut cols = Vec::new();
        for j in 0..nv {
            row_start.push(cols.len());
            for i in 0..nu {
                let k = j * nu + i;
                let border = (i > 0 && !same(k, k - 1))
                    || (i + 1 < nu && !same(k, k + 1))
                    || (j > 0 && !same(k, k - nu))
                    || (j + 1 < nv && !same(k, k + nu));
                if border {
                    cols.push(i as u32);
                }
            }
        }
        row_start.push(cols.len());
        Borders {
            nu,
            row_start,
            cols,
        }
    }

    /// The raster indices of row `j`'s border cells in columns `i0..=i1`.
    pub(super) fn in_row(
        &self,
        j: usize,
        i0: usize,
        i1: usize,
    ) -> impl Iterator<Item = usize> + '_ {
        let row = &self.cols[self.row_start[j]..self.row_start[j + 1]];
        let from = row.partition_point(|&c| (c as usize) < i0);
        let base = j * self.nu;
        row[from..]
            .iter()
            .take_while(move |&&c| c as usize <= i1)
            .map(move |&c| base + c as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// On a regular grid, the nearest cell of any zone to any cell outside it (within a square window,
        /// as the feather pass searches) is found among the border cells alone.
        #[test]
        fn the_nearest_cell_of_a_zone_is_a_border_cell(
            seed in any::<u64>(),
            nu in 3usize..24,
            nv in 3usize..24,
            r in 1usize..8,
        ) {
            // Blobs: each cell takes the zone of the nearest of a few seeded centres (0–3), some face.
            let mut s = seed | 1;
            let mut next = || { s ^= s << 13; s ^= s >> 7; s ^= s << 17; s };
            let centres: Vec<(f64, f64, u8)> = (0..5)
                .map(|_| ((next() % nu as u64) as f64, (next() % nv as u64) as f64, (next() % 4) as u8))
                .collect();
            let zone: Vec<u8> = (0..nu * nv)
                .map(|k| {
                    let (i, j) = ((k % nu) as f64, (k / nu) as f64);
                    centres
                        .iter()
                        .min_by(|a, b| {
                            let da = (a.0 - i).powi(2) + (a.1 - j).powi(2);
                            let db = (b.0 - i).powi(2) + (b.1 - j).powi(2);
                            da.total_cmp(&db)
                        })
                        .unwrap()
                        .2
                })
                .collect();
            let face: Vec<bool> = (0..nu * nv).map(|_| next() % 9 == 0).collect();
            let b = Borders::new(nu, nv, &zone, &face);
            let d2 = |a: usize, c: usize| {
                let (ai, aj, ci, cj) = ((a % nu) as i64, (a / nu) as i64, (c % nu) as i64, (c / nu) as i64);
                (ai - ci).pow(2) + (aj - cj).pow(2)
            };
            for k in 0..nu * nv {
                let (i, j) = (k % nu, k / nu);
                let (i0, i1) = (i.saturating_sub(r), (i + r).min(nu - 1));
                let (j0, j1) = (j.saturating_sub(r), (j + r).min(nv - 1));
                // Regions: each zone, and each zone's cells that are not face (what the blend fade looks for).
                for z in 0..4u8 {
                    for not_face in [false, true] {
                        let inside = |m: usize| zone[m] == z && (!not_face || !face[m]);
                        if inside(k) {
                            continue;
                        }
                        let all = (j0..=j1)
                            .flat_map(|jj| (i0..=i1).map(move |ii| jj * nu + ii))
                            .filter(|&m| inside(m))
                            .map(|m| d2(k, m))
                            .min();
                        let borders = (j0..=j1)
                            .flat_map(|jj| b.in_row(jj, i0, i1))
                            .filter(|&m| inside(m))
                            .map(|m| d2(k, m))
                            .min();
                        prop_assert_eq!(all, borders, "cell {} zone {} not_face {}", k, z, not_face);
                    }
                }
            }
        }
    }

    #[test]
    fn a_row_lists_its_border_cells_in_the_columns_asked() {
        // Two zones split at column 3 of a 6 × 2 raster: columns 2 and 3 are the border in both rows.
        let zone: Vec<u8> = (0..12).map(|k| u8::from(k % 6 >= 3)).collect();
        let b = Borders::new(6, 2, &zone, &[false; 12]);
        assert_eq!(b.in_row(1, 0, 5).collect::<Vec<_>>(), vec![8, 9]);
        assert_eq!(b.in_row(0, 3, 5).collect::<Vec<_>>(), vec![3]);
        assert_eq!(b.in_row(0, 4, 5).count(), 0);
    }
}
