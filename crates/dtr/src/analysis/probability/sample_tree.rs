//! The decision tree of the cascades Monte Carlo has drawn so far.
//!
//! A drawn cascade is a deterministic function of its decisions: from the
//! same openings, the same decisions bring the same commitments to a
//! decision in the same order and end in the same outcome. A node holds the
//! commitment decided there, a leaf the outcome. A sample whose draws lead
//! to a leaf already in the tree has exactly that leaf's outcome and costs
//! one draw per level instead of a cascade; only samples that leave the
//! tree are run, and their paths join it between waves (so that threads
//! only read it). Results are the same with or without the tree; it only
//! saves time, and stops growing at [`BYTE_LIMIT`].

use crate::vocabulary::{ExpandedId, RungId};
use std::ops::Range;

/// The most memory the tree takes; beyond it, new paths are not kept.
pub const BYTE_LIMIT: usize = 64 << 20;

/// No node has the root (index 0) as a child: 0 marks a missing child.
const NONE: u32 = 0;

#[derive(Clone, Copy, Debug)]
enum Node {
    /// `next[0]` when not honoured, `next[1]` when honoured.
    Decide {
        id: ExpandedId,
        next: [u32; 2],
    },
    Leaf(u32),
}

/// What the tally needs of a finished cascade.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The actors that entered, as [`super::entrant`] codes them.
    pub involved: Vec<u32>,
    pub top: Option<RungId>,
    pub capped: bool,
    pub work: u64,
}

/// A stored outcome; its entrants are a range of [`Tree::entrants`].
#[derive(Clone, Debug)]
struct Leaf {
    involved: Range<u32>,
    top: Option<RungId>,
    capped: bool,
    work: u64,
}

/// A leaf's outcome as read from the tree.
pub struct Found<'t> {
    pub involved: &'t [u32],
    pub top: Option<RungId>,
    pub capped: bool,
    pub work: u64,
}

#[derive(Debug, Default)]
pub struct Tree {
    nodes: Vec<Node>,
    leaves: Vec<Leaf>,
    entrants: Vec<u32>,
}

impl Tree {
    /// The outcome of the sample whose decisions `honoured` gives, if its
    /// path is in the tree.
    pub fn find(&self, mut honoured: impl FnMut(ExpandedId) -> bool) -> Option<Found<'_>> {
        let mut at = 0;
        loop {
            match *self.nodes.get(at)? {
                Node::Decide { id, next } => {
                    let child = next[usize::from(honoured(id))];
                    if child == NONE {
                        return None;
                    }
                    at = child as usize;
                }
                Node::Leaf(leaf) => {
                    let leaf = self.leaves.get(leaf as usize)?;
                    let involved = self.entrants.get(leaf.involved.start as usize..leaf.involved.end as usize)?;
                    return Some(Found { involved, top: leaf.top, capped: leaf.capped, work: leaf.work });
                }
            }
        }
    }

    /// Adds the path of one run cascade (its decisions in order) ending in
    /// `outcome`, unless the tree is full or already holds it.
    pub fn insert(&mut self, path: &[(ExpandedId, bool)], outcome: &Outcome) {
        if self.bytes() + (path.len() + 1) * size_of::<Node>() + outcome.involved.len() * 4 > BYTE_LIMIT {
            return;
        }
        if self.nodes.is_empty() {
            let root = self.node(path.first().map(|&(id, _)| id), outcome);
            self.nodes.push(root);
        }
        let mut at = 0;
        for (i, &(id, honoured)) in path.iter().enumerate() {
            let Some(Node::Decide { id: decided, next }) = self.nodes.get(at).copied() else { return };
            // Equal prefixes decide the same commitment next.
            debug_assert_eq!(decided, id);
            let branch = usize::from(honoured);
            at = match next[branch] {
                NONE => {
                    let child = self.node(path.get(i + 1).map(|&(id, _)| id), outcome);
                    let index = self.nodes.len();
                    self.nodes.push(child);
                    if let Some(Node::Decide { next, .. }) = self.nodes.get_mut(at) {
                        next[branch] = index as u32;
                    }
                    index
                }
                child => child as usize,
            };
        }
    }

    /// A node deciding `next`, or the leaf of `outcome` when nothing is
    /// left to decide.
    fn node(&mut self, next: Option<ExpandedId>, outcome: &Outcome) -> Node {
        match next {
            Some(id) => Node::Decide { id, next: [NONE; 2] },
            None => {
                let start = self.entrants.len() as u32;
                self.entrants.extend_from_slice(&outcome.involved);
                let involved = start..self.entrants.len() as u32;
                self.leaves.push(Leaf { involved, top: outcome.top, capped: outcome.capped, work: outcome.work });
                Node::Leaf(self.leaves.len() as u32 - 1)
            }
        }
    }

    fn bytes(&self) -> usize {
        self.nodes.len() * size_of::<Node>() + self.leaves.len() * size_of::<Leaf>() + self.entrants.len() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::{Outcome, Tree};
    use crate::vocabulary::{ExpandedId, RungId};

    fn outcome(actors: &[u32], work: u64) -> Outcome {
        Outcome { involved: actors.to_vec(), top: Some(RungId(2)), capped: false, work }
    }

    fn found(tree: &Tree, draws: &[(u32, bool)]) -> Option<(Vec<u32>, u64)> {
        tree.find(|id| draws.iter().find(|(c, _)| *c == id.0).is_some_and(|(_, h)| *h))
            .map(|f| (f.involved.to_vec(), f.work))
    }

    #[test]
    fn paths_share_their_prefix_and_lead_to_their_outcomes() {
        let mut tree = Tree::default();
        assert_eq!(found(&tree, &[]), None);
        let (a, b, c) = (ExpandedId(4), ExpandedId(1), ExpandedId(9));
        tree.insert(&[(a, true), (b, false)], &outcome(&[0, 1, 2], 10));
        tree.insert(&[(a, true), (b, true), (c, true)], &outcome(&[0, 1, 2, 3], 14));
        tree.insert(&[(a, false)], &outcome(&[0, 1], 3));
        // The same path again changes nothing.
        tree.insert(&[(a, false)], &outcome(&[0, 1], 3));
        assert_eq!(tree.nodes.len(), 6);
        assert_eq!(found(&tree, &[(4, true)]), Some((vec![0, 1, 2], 10)));
        assert_eq!(found(&tree, &[(4, true), (1, true), (9, true)]), Some((vec![0, 1, 2, 3], 14)));
        assert_eq!(found(&tree, &[(4, false), (1, true)]), Some((vec![0, 1], 3)));
        // A path not drawn yet.
        assert_eq!(found(&tree, &[(4, true), (1, true), (9, false)]), None);
    }

    #[test]
    fn a_cascade_without_decisions_is_a_single_leaf() {
        let mut tree = Tree::default();
        tree.insert(&[], &outcome(&[0, 1], 2));
        assert_eq!(found(&tree, &[]), Some((vec![0, 1], 2)));
    }
}
