//! The global namespace: each name to its first definition. Each entry is
//! the index (`u32`) of a definition in
//! [`References::definitions`](super::references::References), whose name is
//! read from the source through the definition, so the table holds no copy
//! of a name: a `HashMap<&str, _>` of a million names took 2²¹ slots of 24
//! bytes.

use hashbrown::HashTable;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

/// Keyed with `RandomState` as `HashMap` is, so that a file cannot be
/// written to collide.
pub struct Symbols {
    table: HashTable<u32>,
    hasher: RandomState,
}

impl Symbols {
    pub fn new() -> Symbols {
        Symbols { table: HashTable::new(), hasher: RandomState::new() }
    }

    /// Room for `more` names without growing.
    pub fn reserve<'s>(&mut self, more: usize, name_of: impl Fn(u32) -> &'s str) {
        let hasher = &self.hasher;
        self.table.reserve(more, |&d| hasher.hash_one(name_of(d)));
    }

    /// The definition `name` stands for.
    pub fn get<'s>(&self, name: &str, name_of: impl Fn(u32) -> &'s str) -> Option<u32> {
        self.table.find(self.hasher.hash_one(name), |&d| name_of(d) == name).copied()
    }

    /// Records `definition` as what its name stands for; the caller has
    /// checked that the name is not taken.
    pub fn insert<'s>(&mut self, definition: u32, name_of: impl Fn(u32) -> &'s str) {
        let hasher = &self.hasher;
        self.table.insert_unique(hasher.hash_one(name_of(definition)), definition, |&d| hasher.hash_one(name_of(d)));
    }

    /// Every definition in the table, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.table.iter().copied()
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
        assert!(symbols.table.capacity() <= 4 * names.len());
    }
}
