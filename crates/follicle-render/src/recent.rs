//! A few values kept under their keys, the least recently used dropped first: the pictures a photo's scene
//! keeps for the next switch (`client::kept`) and the scenes `follicle serve` keeps per process. A cache only:
//! what is dropped is made again.

use std::borrow::Borrow;
use std::sync::Arc;

/// Values under keys `K`, at most `cap` of them; the least recently used goes first.
pub struct Recent<K, T> {
    cap: usize,
    /// Most recently used last.
    items: Vec<(K, Arc<T>)>,
}

impl<K: PartialEq, T> Recent<K, T> {
    /// Empty, keeping at most `cap` values (at least one).
    pub const fn new(cap: usize) -> Self {
        Self {
            cap,
            items: Vec::new(),
        }
    }

    /// The value under `key`, now the most recently used.
    pub fn get<Q: PartialEq + ?Sized>(&mut self, key: &Q) -> Option<Arc<T>>
    where
        K: Borrow<Q>,
    {
        let i = self.items.iter().position(|(k, _)| k.borrow() == key)?;
        let found = self.items.remove(i);
        let v = found.1.clone();
        self.items.push(found);
        Some(v)
    }

    /// Keeps `v` under `key` (replacing what was there), dropping the least recently used beyond the cap.
    pub fn put(&mut self, key: K, v: Arc<T>) {
        self.items.retain(|(k, _)| *k != key);
        while self.items.len() >= self.cap.max(1) {
            self.items.remove(0);
        }
        self.items.push((key, v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The least recently used goes first; one used again is kept; a key put again replaces its value.
    #[test]
    fn the_least_recently_used_goes_first() {
        let mut r = Recent::new(3);
        for (k, v) in [("a", 1), ("b", 2), ("c", 3)] {
            r.put(k.to_string(), Arc::new(v));
        }
        assert_eq!(r.get("a").as_deref(), Some(&1));
        r.put("d".into(), Arc::new(4));
        assert!(r.get("b").is_none(), "b was the least recently used");
        assert_eq!(r.get("a").as_deref(), Some(&1));
        r.put("c".into(), Arc::new(30));
        assert_eq!(r.get("c").as_deref(), Some(&30));
        assert_eq!(r.items.len(), 3);
        assert_eq!(
            r.items.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
            ["d", "a", "c"]
        );
    }
}
