//! Numbers in sentences: every message that quotes a typed number (a case file's value, a command-line flag)
//! prints it with up to three decimals, and a huge or tiny one in exponent form, never as 300 digits.

/// A number for a sentence: up to three decimals, never a 300-digit integer (`1e308` stays `1e308`).
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return "no number".into();
    }
    if x.abs() >= 1e9 || (x != 0.0 && x.abs() < 1e-3) {
        return format!("{x:e}");
    }
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn numbers_stay_short() {
        assert_eq!(number(1e308), "1e308");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(80.0), "80");
        assert_eq!(number(1.23456), "1.235");
        assert_eq!(number(-2e-9), "-2e-9");
        assert_eq!(number(f64::NAN), "no number");
    }
}
