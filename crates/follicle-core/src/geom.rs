//! Small 3D vector math used by the head model, hairline and sampler (no dependencies, f64 millimetres).

use std::ops::{Add, Mul, Neg, Sub};

/// A point or direction in the head frame, in millimetres (x: client's right, y: anterior, z: superior).
#[derive(Clone, Copy, Debug, Default, PartialEq, bytemuck::Zeroable)]
pub struct Vec3 {
    /// Toward the client's right.
    pub x: f64,
    /// Toward the face (anterior).
    pub y: f64,
    /// Upward (superior).
    pub z: f64,
}

impl Vec3 {
    /// Builds a vector from its components.
    pub const fn new(x: f64, y: f64, z: f64) -> Self {
        Self { x, y, z }
    }
    /// Builds a vector from an `[x, y, z]` array.
    pub const fn from_array(a: [f64; 3]) -> Self {
        Self {
            x: a[0],
            y: a[1],
            z: a[2],
        }
    }
    /// The components as an `[x, y, z]` array.
    pub const fn to_array(self) -> [f64; 3] {
        [self.x, self.y, self.z]
    }
    /// Dot product.
    pub fn dot(self, o: Self) -> f64 {
        self.x * o.x + self.y * o.y + self.z * o.z
    }
    /// Cross product (right-handed).
    pub fn cross(self, o: Self) -> Self {
        Self::new(
            self.y * o.z - self.z * o.y,
            self.z * o.x - self.x * o.z,
            self.x * o.y - self.y * o.x,
        )
    }
    /// Euclidean length.
    pub fn norm(self) -> f64 {
        self.dot(self).sqrt()
    }
    /// Squared length.
    pub fn norm2(self) -> f64 {
        self.dot(self)
    }
    /// The unit vector in this direction (the zero vector stays zero).
    pub fn normalized(self) -> Self {
        let n = self.norm();
        if n > 0.0 {
            self * (1.0 / n)
        } else {
            self
        }
    }
    /// Distance to another point.
    pub fn dist(self, o: Self) -> f64 {
        (self - o).norm()
    }
    /// Linear interpolation `self + (o - self) * t`.
    pub fn lerp(self, o: Self, t: f64) -> Self {
        self + (o - self) * t
    }
    /// Two unit vectors that with `self` (assumed unit) form an orthonormal basis.
    pub fn tangent_basis(self) -> (Self, Self) {
        let helper = if self.z.abs() < 0.9 {
            Vec3::new(0.0, 0.0, 1.0)
        } else {
            Vec3::new(1.0, 0.0, 0.0)
        };
        let t1 = helper.cross(self).normalized();
        let t2 = self.cross(t1);
        (t1, t2)
    }
}

impl Add for Vec3 {
    type Output = Self;
    fn add(self, o: Self) -> Self {
        Self::new(self.x + o.x, self.y + o.y, self.z + o.z)
    }
}
impl Sub for Vec3 {
    type Output = Self;
    fn sub(self, o: Self) -> Self {
        Self::new(self.x - o.x, self.y - o.y, self.z - o.z)
    }
}
impl Mul<f64> for Vec3 {
    type Output = Self;
    fn mul(self, s: f64) -> Self {
        Self::new(self.x * s, self.y * s, self.z * s)
    }
}
impl Neg for Vec3 {
    type Output = Self;
    fn neg(self) -> Self {
        Self::new(-self.x, -self.y, -self.z)
    }
}

/// A point in the head's 2D chart (stereographic coordinates of the direction from the head centre).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Chart2 {
    /// Toward the client's right.
    pub u: f64,
    /// Toward the face.
    pub v: f64,
}

impl Chart2 {
    /// Builds a chart point.
    pub const fn new(u: f64, v: f64) -> Self {
        Self { u, v }
    }
}

/// Whether two closed segments `a-b` and `c-d` in the plane properly cross or touch.
pub fn segments_intersect(a: Chart2, b: Chart2, c: Chart2, d: Chart2) -> bool {
    fn orient(p: Chart2, q: Chart2, r: Chart2) -> f64 {
        (q.u - p.u) * (r.v - p.v) - (q.v - p.v) * (r.u - p.u)
    }
    fn on_seg(p: Chart2, q: Chart2, r: Chart2) -> bool {
        r.u >= p.u.min(q.u) && r.u <= p.u.max(q.u) && r.v >= p.v.min(q.v) && r.v <= p.v.max(q.v)
    }
    let (o1, o2, o3, o4) = (
        orient(a, b, c),
        orient(a, b, d),
        orient(c, d, a),
        orient(c, d, b),
    );
    if ((o1 > 0.0 && o2 < 0.0) || (o1 < 0.0 && o2 > 0.0))
        && ((o3 > 0.0 && o4 < 0.0) || (o3 < 0.0 && o4 > 0.0))
    {
        return true;
    }
    (o1 == 0.0 && on_seg(a, b, c))
        || (o2 == 0.0 && on_seg(a, b, d))
        || (o3 == 0.0 && on_seg(c, d, a))
        || (o4 == 0.0 && on_seg(c, d, b))
}

/// The first pair of non-adjacent edges of a closed polygon that cross, as edge indices.
pub fn polygon_self_intersection(poly: &[Chart2]) -> Option<(usize, usize)> {
    let n = poly.len();
    for i in 0..n {
        for j in (i + 1)..n {
            if j == i + 1 || (i == 0 && j == n - 1) {
                continue;
            }
            if segments_intersect(poly[i], poly[(i + 1) % n], poly[j], poly[(j + 1) % n]) {
                return Some((i, j));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_is_right_handed() {
        let z = Vec3::new(1.0, 0.0, 0.0).cross(Vec3::new(0.0, 1.0, 0.0));
        assert_eq!(z, Vec3::new(0.0, 0.0, 1.0));
    }

    #[test]
    fn bowtie_is_self_intersecting_square_is_not() {
        let sq = [
            Chart2::new(0., 0.),
            Chart2::new(1., 0.),
            Chart2::new(1., 1.),
            Chart2::new(0., 1.),
        ];
        assert_eq!(polygon_self_intersection(&sq), None);
        let bow = [
            Chart2::new(0., 0.),
            Chart2::new(1., 1.),
            Chart2::new(1., 0.),
            Chart2::new(0., 1.),
        ];
        assert!(polygon_self_intersection(&bow).is_some());
    }

    #[test]
    fn tangent_basis_is_orthonormal() {
        for n in [
            Vec3::new(0., 0., 1.),
            Vec3::new(0.3, -0.5, 0.2).normalized(),
            Vec3::new(1., 0., 0.),
        ] {
            let (a, b) = n.tangent_basis();
            assert!((a.norm() - 1.0).abs() < 1e-12 && (b.norm() - 1.0).abs() < 1e-12);
            assert!(a.dot(n).abs() < 1e-12 && b.dot(n).abs() < 1e-12 && a.dot(b).abs() < 1e-12);
        }
    }
}
