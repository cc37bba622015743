//! The global namespace: each name to its first definition. A table of
//! `u32` slots, each the index of a definition in
//! [`References::definitions`](super::references::References), whose name is
//! read from the source through the definition: 4 bytes a slot, where a
//! `HashMap<&str, _>` of a million names took 2²¹ slots of 24 bytes.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

const EMPTY: u32 = u32::MAX;

/// Open addressing with linear probing, at most half full. Keyed with
/// `RandomState` as `HashMap` is, so that a file cannot be written to
/// collide.
pub struct Symbols {
    slots: Vec<u32>,
    len: usize,
    hasher: RandomState,
}

impl Symbols {
    pub fn new() -> Symbols {
        Symbols { slots: Vec::new(), len: 0, hasher: RandomState::new() }
    }

    /// Room for `more` names without growing.
    pub fn reserve<'s>(&mut self, more: usize, name_of: impl Fn(u32) -> &'s str) {
        let wanted = ((self.len + more) * 2).next_power_of_two().max(16);
        if wanted > self.slots.len() {
            self.rehash(wanted, name_of);
        }
    }

    /// The definition `name` stands for.
    pub fn get<'s>(&self, name: &str, name_of: impl Fn(u32) -> &'s str) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        self.find(name, name_of).ok()
    }

    /// Records `definition` as what its name stands for; the caller has
    /// checked that the name is not taken.
    pub fn insert<'s>(&mut self, definition: u32, name_of: impl Fn(u32) -> &'s str + Copy) {
        if (self.len + 1) * 2 > self.slots.len() {
            self.rehash((self.slots.len() * 2).max(16), name_of);
        }
        if let Err(at) = self.find(name_of(definition), name_of) {
            self.slots[at] = definition;
            self.len += 1;
        }
    }

    /// Every definition in the table, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.slots.iter().copied().filter(|&d| d != EMPTY)
    }

    /// The slot holding `name`'s definition, or the empty slot where it
    /// would go.
    fn find<'s>(&self, name: &str, name_of: impl Fn(u32) -> &'s str) -> Result<u32, usize> {
        let mask = self.slots.len() - 1;
        let mut at = self.hasher.hash_one(name) as usize & mask;
        loop {
            match self.slots[at] {
                EMPTY => return Err(at),
                d if name_of(d) == name => return Ok(d),
                _ => at = (at + 1) & mask,
            }
        }
    }

    fn rehash<'s>(&mut self, size: usize, name_of: impl Fn(u32) -> &'s str) {
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; size]);
        for d in old.into_iter().filter(|&d| d != EMPTY) {
            if let Err(at) = self.find(name_of(d), &name_of) {
                self.slots[at] = d;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_name_through_growth() {
        let names: Vec<String> = (0..10_000).map(|i| format!("n{i}")).collect();
        let name_of = |d: u32| names[d as usize].as_str();
        let mut symbols = Symbols::new();
        for d in 0..names.len() as u32 {
            assert_eq!(symbols.get(name_of(d), name_of), None);
            symbols.insert(d, name_of);
        }
        for (d, name) in names.iter().enumerate() {
            assert_eq!(symbols.get(name, name_of), Some(d as u32));
        }
        assert_eq!(symbols.get("n10000", name_of), None);
        assert_eq!(symbols.iter().count(), names.len());
        assert!(symbols.slots.len() <= 4 * names.len());
    }
}
