//! A set of dense ids (actors, regions, domains, commitments) as a bitset:
//! membership and intersection are word operations, so conditions never
//! search lists on the hot path.

use serde::{Serialize, Serializer};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct IdSet {
    words: Vec<u64>,
}

/// `clone_from` reuses the words' allocation (a derived `Clone` would
/// allocate anew): Monte Carlo copies cascades into finished ones.
impl Clone for IdSet {
    fn clone(&self) -> IdSet {
        IdSet { words: self.words.clone() }
    }

    fn clone_from(&mut self, source: &IdSet) {
        self.words.clone_from(&source.words);
    }
}

impl IdSet {
    pub fn new() -> IdSet {
        IdSet::default()
    }

    pub fn insert(&mut self, id: usize) {
        let word = id / 64;
        if word >= self.words.len() {
            self.words.resize(word + 1, 0);
        }
        self.words[word] |= 1 << (id % 64);
    }

    pub fn remove(&mut self, id: usize) {
        if let Some(word) = self.words.get_mut(id / 64) {
            *word &= !(1 << (id % 64));
        }
    }

    /// Removes every id, keeping the allocation.
    pub fn clear(&mut self) {
        self.words.fill(0);
    }

    pub fn contains(&self, id: usize) -> bool {
        self.words.get(id / 64).is_some_and(|w| w & (1 << (id % 64)) != 0)
    }

    pub fn intersects(&self, other: &IdSet) -> bool {
        self.words.iter().zip(&other.words).any(|(a, b)| a & b != 0)
    }

    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    pub fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The ids in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &word)| bits(word).map(move |b| i * 64 + b))
    }

    /// How many members other than `except` are in none of `covered`.
    pub fn count_outside(&self, covered: &[Option<&IdSet>], except: usize) -> usize {
        self.outside_words(covered, except).map(|(_, w)| w.count_ones() as usize).sum()
    }

    /// The members other than `except` that are in none of `covered`, in
    /// increasing order.
    pub fn iter_outside<'a>(
        &'a self,
        covered: &'a [Option<&'a IdSet>],
        except: usize,
    ) -> impl Iterator<Item = usize> + 'a {
        self.outside_words(covered, except).flat_map(|(i, word)| bits(word).map(move |b| i * 64 + b))
    }

    fn outside_words<'a>(
        &'a self,
        covered: &'a [Option<&'a IdSet>],
        except: usize,
    ) -> impl Iterator<Item = (usize, u64)> + 'a {
        let (word, bit) = (except / 64, 1u64 << (except % 64));
        self.words.iter().enumerate().map(move |(i, &w)| {
            let covered = covered.iter().flatten().fold(0, |all, c| all | c.words.get(i).copied().unwrap_or(0));
            let except = if i == word { bit } else { 0 };
            (i, w & !covered & !except)
        })
    }

    pub fn union_with(&mut self, other: &IdSet) {
        if other.words.len() > self.words.len() {
            self.words.resize(other.words.len(), 0);
        }
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }
}

/// The set bits of `word`, lowest first. Each step clears the lowest set
/// bit: as many steps as members.
fn bits(word: u64) -> impl Iterator<Item = usize> {
    std::iter::successors((word != 0).then_some(word), |&w| {
        let rest = w & (w - 1);
        (rest != 0).then_some(rest)
    })
    .map(|w| w.trailing_zeros() as usize)
}

impl FromIterator<usize> for IdSet {
    fn from_iter<I: IntoIterator<Item = usize>>(ids: I) -> IdSet {
        let mut set = IdSet::new();
        for id in ids {
            set.insert(id);
        }
        set
    }
}

/// Serialised as the sorted list of ids, which is what a reader wants to see.
impl Serialize for IdSet {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::IdSet;

    #[test]
    fn membership_intersection_and_order() {
        let a: IdSet = [3, 70, 1].into_iter().collect();
        let b: IdSet = [70].into_iter().collect();
        let c: IdSet = [2, 200].into_iter().collect();
        assert!(a.contains(70) && a.contains(1) && !a.contains(2) && !a.contains(500));
        assert!(a.intersects(&b) && !a.intersects(&c));
        assert_eq!(a.iter().collect::<Vec<_>>(), vec![1, 3, 70]);
        assert_eq!(a.len(), 3);
        assert!(IdSet::new().is_empty());
        assert_eq!(serde_json::to_string(&a).unwrap(), "[1,3,70]");
        let covered: IdSet = [1, 130].into_iter().collect();
        let d: IdSet = [1, 3, 64, 70, 130].into_iter().collect();
        assert_eq!(d.iter_outside(&[Some(&covered)], 64).collect::<Vec<_>>(), vec![3, 70]);
        assert_eq!(d.count_outside(&[Some(&covered)], 64), 2);
        assert_eq!(d.iter_outside(&[Some(&covered), None, Some(&b)], 64).collect::<Vec<_>>(), vec![3]);
        assert_eq!((d.count_outside(&[None], 3), b.count_outside(&[Some(&d)], 0), b.count_outside(&[], 70)), (4, 0, 0));
    }
}
