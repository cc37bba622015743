//! A layered (Sugiyama-style) layout of our own: the caller gives every
//! node its layer (time, left to right) and size; this orders the nodes
//! within each layer to reduce crossings and assigns coordinates.
//!
//! `layout-rs` was tried first (docs/report.md, "HTML"): it ranks nodes by
//! the longest path and reverses back edges, so it cannot keep a node at
//! its step, and it draws its own SVG without the per-edge elements the
//! report's hover needs. The three phases here are the textbook ones:
//!
//! 1. Segments spanning several layers are split by a dummy node in each
//!    layer between, so every segment joins adjacent layers (in-layer
//!    segments are kept aside and drawn as arcs).
//! 2. Order: barycentre sweeps, alternately left to right and right to
//!    left; each node moves to the mean relative position of its
//!    neighbours in the layer just swept (a node without any keeps its
//!    own). The ordering with fewest crossings (counted exactly, by
//!    inversions, in O(E log E) per pair of layers) is kept.
//! 3. Coordinates: layers are columns; within a column each node is pulled
//!    toward the mean height of its neighbours, the order kept and nodes
//!    kept apart, by isotonic regression (pool-adjacent-violators), a few
//!    sweeps. Long segments thus run straight through their dummies.
//!
//! Time and memory are linear in nodes plus dummies per sweep, times a
//! fixed number of sweeps; callers bound the graph's size.

/// A node's layer and size (width along the time axis).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Node {
    pub layer: usize,
    pub width: f64,
    pub height: f64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// How a segment is drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    /// Across layers: from the border of the segment's first node through
    /// one point per dummy to the border of its second (x strictly
    /// monotone, decreasing when the first node is to the right).
    Across(Vec<Point>),
    /// Within one layer, between two nodes next to each other: a straight
    /// line from border to border.
    Straight(Point, Point),
    /// Within one layer, with other nodes between: an arc out to the right
    /// of the column, `bulge` wide.
    Arc { from: Point, to: Point, bulge: f64 },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// The centre of every node.
    pub nodes: Vec<Point>,
    /// One route per segment, in the order given.
    pub routes: Vec<Route>,
    /// The x of the centre of each layer.
    pub layers: Vec<f64>,
    pub width: f64,
    pub height: f64,
    /// Crossings between adjacent layers in the order chosen.
    pub crossings: usize,
}

/// Space between columns and between nodes of a column.
pub const LAYER_GAP: f64 = 56.0;
const NODE_GAP: f64 = 14.0;
const DUMMY_GAP: f64 = 6.0;
const MARGIN: f64 = 16.0;
const ORDER_SWEEPS: usize = 24;
const PLACE_SWEEPS: usize = 12;

/// Lays out `nodes` joined by `segments` (pairs of node indices).
pub fn layout(nodes: &[Node], segments: &[(usize, usize)]) -> Layout {
    let layer_count = nodes.iter().map(|n| n.layer + 1).max().unwrap_or(0);
    let mut g = Split::new(nodes, layer_count);
    let chains: Vec<Option<Vec<usize>>> = segments.iter().map(|&(a, b)| g.chain(a, b)).collect();
    let crossings = g.order();
    let (xs, width) = g.columns();
    let height = g.place();
    let routes = segments
        .iter()
        .zip(&chains)
        .map(|(&(a, b), chain)| match chain {
            Some(chain) => g.across(chain, &xs, g.layer[a] > g.layer[b]),
            None => g.within(a, b, &xs),
        })
        .collect();
    let nodes = (0..nodes.len()).map(|i| Point { x: xs[g.layer[i]], y: g.y[i] }).collect();
    Layout { nodes, routes, layers: xs, width, height, crossings }
}

/// The graph with long segments split by dummy nodes (indices past the
/// real nodes).
struct Split {
    layer: Vec<usize>,
    width: Vec<f64>,
    height: Vec<f64>,
    real: usize,
    /// Neighbours in the layer before and the layer after.
    before: Vec<Vec<usize>>,
    after: Vec<Vec<usize>>,
    /// The nodes of each layer, in order.
    order: Vec<Vec<usize>>,
    y: Vec<f64>,
}

impl Split {
    fn new(nodes: &[Node], layers: usize) -> Split {
        let mut order = vec![Vec::new(); layers];
        for (i, n) in nodes.iter().enumerate() {
            order[n.layer].push(i);
        }
        Split {
            layer: nodes.iter().map(|n| n.layer).collect(),
            width: nodes.iter().map(|n| n.width).collect(),
            height: nodes.iter().map(|n| n.height).collect(),
            real: nodes.len(),
            before: vec![Vec::new(); nodes.len()],
            after: vec![Vec::new(); nodes.len()],
            order,
            y: Vec::new(),
        }
    }

    fn dummy(&mut self, layer: usize) -> usize {
        let i = self.layer.len();
        self.layer.push(layer);
        self.width.push(0.0);
        self.height.push(2.0);
        self.before.push(Vec::new());
        self.after.push(Vec::new());
        self.order[layer].push(i);
        i
    }

    /// The nodes a segment passes, from its left end to its right end
    /// (dummies between); None for a segment within one layer.
    fn chain(&mut self, a: usize, b: usize) -> Option<Vec<usize>> {
        let (left, right) = if self.layer[a] <= self.layer[b] { (a, b) } else { (b, a) };
        if self.layer[left] == self.layer[right] {
            return None;
        }
        let mut chain = vec![left];
        for l in self.layer[left] + 1..self.layer[right] {
            let d = self.dummy(l);
            chain.push(d);
        }
        chain.push(right);
        for w in chain.windows(2) {
            self.after[w[0]].push(w[1]);
            self.before[w[1]].push(w[0]);
        }
        Some(chain)
    }

    fn positions(&self) -> Vec<usize> {
        let mut pos = vec![0; self.layer.len()];
        for layer in &self.order {
            for (i, &n) in layer.iter().enumerate() {
                pos[n] = i;
            }
        }
        pos
    }

    /// Barycentre sweeps; keeps the order with fewest crossings and
    /// returns that count.
    fn order(&mut self) -> usize {
        let mut best = self.order.clone();
        let mut fewest = self.crossings();
        for sweep in 0..ORDER_SWEEPS {
            if fewest == 0 {
                break;
            }
            let forward = sweep % 2 == 0;
            let layers: Vec<usize> = if forward {
                (1..self.order.len()).collect()
            } else {
                (0..self.order.len().saturating_sub(1)).rev().collect()
            };
            for l in layers {
                let pos = self.positions();
                let fixed = if forward { l - 1 } else { l + 1 };
                let span = |len: usize| (len.max(2) - 1) as f64;
                let fixed_span = span(self.order[fixed].len());
                let own_span = span(self.order[l].len());
                let keys: Vec<(usize, f64)> = self.order[l]
                    .iter()
                    .map(|&n| {
                        let neighbours = if forward { &self.before[n] } else { &self.after[n] };
                        let key = if neighbours.is_empty() {
                            pos[n] as f64 / own_span
                        } else {
                            neighbours.iter().map(|&m| pos[m] as f64).sum::<f64>()
                                / neighbours.len() as f64
                                / fixed_span
                        };
                        (n, key)
                    })
                    .collect();
                let mut keys = keys;
                keys.sort_by(|a, b| a.1.total_cmp(&b.1));
                self.order[l] = keys.into_iter().map(|(n, _)| n).collect();
            }
            let count = self.crossings();
            if count < fewest {
                fewest = count;
                best = self.order.clone();
            }
        }
        self.order = best;
        fewest
    }

    /// Crossings between every pair of adjacent layers: segments sorted by
    /// their left end, inversions among their right ends.
    fn crossings(&self) -> usize {
        let pos = self.positions();
        let mut total = 0;
        for l in 0..self.order.len().saturating_sub(1) {
            let mut pairs: Vec<(usize, usize)> = self.order[l]
                .iter()
                .flat_map(|&a| self.after[a].iter().map(move |&b| (a, b)))
                .map(|(a, b)| (pos[a], pos[b]))
                .collect();
            pairs.sort_unstable();
            let mut tree = vec![0usize; self.order[l + 1].len() + 1];
            for (seen, &(_, right)) in pairs.iter().enumerate() {
                // Segments already seen that end below this one cross it.
                let mut at_or_before = 0;
                let mut i = right + 1;
                while i > 0 {
                    at_or_before += tree[i];
                    i &= i - 1;
                }
                total += seen - at_or_before;
                let mut i = right + 1;
                while i < tree.len() {
                    tree[i] += 1;
                    i += i & i.wrapping_neg();
                }
            }
        }
        total
    }

    /// The x of each layer's centre (columns as wide as their widest
    /// node) and the total width.
    fn columns(&self) -> (Vec<f64>, f64) {
        let mut xs = Vec::with_capacity(self.order.len());
        let mut right = MARGIN - LAYER_GAP;
        for layer in &self.order {
            let w = layer.iter().map(|&n| self.width[n]).fold(0.0, f64::max);
            xs.push(right + LAYER_GAP + w / 2.0);
            right += LAYER_GAP + w;
        }
        let width = if xs.is_empty() { 2.0 * MARGIN } else { right + MARGIN };
        (xs, width)
    }

    /// Heights: stacked, then pulled toward the neighbours' mean height.
    /// Returns the total height.
    fn place(&mut self) -> f64 {
        self.y = vec![0.0; self.layer.len()];
        for l in 0..self.order.len() {
            let current: Vec<f64> = vec![0.0; self.order[l].len()];
            self.settle(l, &current);
        }
        for sweep in 0..PLACE_SWEEPS {
            let layers: Vec<usize> =
                if sweep % 2 == 0 { (0..self.order.len()).collect() } else { (0..self.order.len()).rev().collect() };
            for l in layers {
                let wanted: Vec<f64> = self.order[l]
                    .iter()
                    .map(|&n| {
                        let neighbours = self.before[n].iter().chain(&self.after[n]);
                        let (sum, count) = neighbours.fold((0.0, 0), |(s, c), &m| (s + self.y[m], c + 1));
                        if count == 0 { self.y[n] } else { sum / count as f64 }
                    })
                    .collect();
                self.settle(l, &wanted);
            }
        }
        let top = (0..self.layer.len()).map(|n| self.y[n] - self.height[n] / 2.0).fold(f64::INFINITY, f64::min);
        let bottom = (0..self.layer.len()).map(|n| self.y[n] + self.height[n] / 2.0).fold(f64::NEG_INFINITY, f64::max);
        if !top.is_finite() {
            return 2.0 * MARGIN;
        }
        for y in &mut self.y {
            *y += MARGIN - top;
        }
        bottom - top + 2.0 * MARGIN
    }

    /// Places layer `l` as near `wanted` as the order and the gaps allow
    /// (least squares): with `offset` the stacked distance from the first
    /// node, `y - offset` must not decrease, which is isotonic regression.
    fn settle(&mut self, l: usize, wanted: &[f64]) {
        let nodes = &self.order[l];
        let mut offsets = Vec::with_capacity(nodes.len());
        let mut offset = 0.0;
        for (i, &n) in nodes.iter().enumerate() {
            if i > 0 {
                let p = nodes[i - 1];
                let gap = if p >= self.real || n >= self.real { DUMMY_GAP } else { NODE_GAP };
                offset += self.height[p] / 2.0 + gap + self.height[n] / 2.0;
            }
            offsets.push(offset);
        }
        // Blocks of (sum, count), merged while a block's mean is above the next.
        let mut blocks: Vec<(f64, usize)> = Vec::new();
        for (w, o) in wanted.iter().zip(&offsets) {
            blocks.push((w - o, 1));
            while blocks.len() > 1 {
                let (s2, c2) = blocks[blocks.len() - 1];
                let (s1, c1) = blocks[blocks.len() - 2];
                if s1 / c1 as f64 <= s2 / c2 as f64 {
                    break;
                }
                blocks.pop();
                let last = blocks.len() - 1;
                blocks[last] = (s1 + s2, c1 + c2);
            }
        }
        let mut i = 0;
        for (sum, count) in blocks {
            for _ in 0..count {
                self.y[nodes[i]] = sum / count as f64 + offsets[i];
                i += 1;
            }
        }
    }

    /// The route of a chain, from its right end when `reversed`.
    fn across(&self, chain: &[usize], xs: &[f64], reversed: bool) -> Route {
        let first = chain[0];
        let last = chain[chain.len() - 1];
        let mut points = vec![Point { x: xs[self.layer[first]] + self.width[first] / 2.0, y: self.y[first] }];
        points.extend(chain[1..chain.len() - 1].iter().map(|&d| Point { x: xs[self.layer[d]], y: self.y[d] }));
        points.push(Point { x: xs[self.layer[last]] - self.width[last] / 2.0, y: self.y[last] });
        if reversed {
            points.reverse();
        }
        Route::Across(points)
    }

    fn within(&self, a: usize, b: usize, xs: &[f64]) -> Route {
        let pos = |n: usize| self.order[self.layer[n]].iter().position(|&m| m == n).unwrap_or(0);
        let x = xs[self.layer[a]];
        let (pa, pb) = (pos(a), pos(b));
        let between = pa.abs_diff(pb) > 1 || a == b;
        if !between {
            let down = self.y[b] > self.y[a];
            let edge = |n: usize, below: bool| Point {
                x,
                y: self.y[n] + if below { 1.0 } else { -1.0 } * self.height[n] / 2.0,
            };
            return Route::Straight(edge(a, down), edge(b, !down));
        }
        let side = |n: usize| Point { x: x + self.width[n] / 2.0, y: self.y[n] };
        let bulge = 24.0 + 6.0 * pa.abs_diff(pb) as f64;
        Route::Arc { from: side(a), to: side(b), bulge: bulge.min(LAYER_GAP * 0.9) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(layer: usize) -> Node {
        Node { layer, width: 60.0, height: 30.0 }
    }

    /// No two real nodes of a layer overlap, and layers run left to right.
    fn assert_separate(nodes: &[Node], l: &Layout) {
        for (i, a) in nodes.iter().enumerate() {
            for (j, b) in nodes.iter().enumerate().skip(i + 1) {
                if a.layer == b.layer {
                    let gap = (l.nodes[i].y - l.nodes[j].y).abs();
                    assert!(gap >= (a.height + b.height) / 2.0, "nodes {i} and {j} overlap");
                } else {
                    assert_eq!(a.layer < b.layer, l.nodes[i].x < l.nodes[j].x);
                }
            }
        }
    }

    #[test]
    fn sweeps_remove_the_crossings_of_a_twisted_ladder() {
        // Layer 1 given in the reverse order of its neighbours in layer 0.
        let nodes: Vec<Node> = (0..5).map(|_| node(0)).chain((0..5).map(|_| node(1))).collect();
        let segments: Vec<(usize, usize)> = (0..5).map(|i| (i, 9 - i)).collect();
        let l = layout(&nodes, &segments);
        assert_eq!(l.crossings, 0);
        assert_separate(&nodes, &l);
        // Each segment is then level: its ends at one height.
        for r in &l.routes {
            let Route::Across(points) = r else { panic!("{r:?}") };
            assert!((points[0].y - points[1].y).abs() < 1e-6, "{points:?}");
        }
    }

    #[test]
    fn long_segments_pass_through_a_point_per_layer_between() {
        let nodes = vec![node(0), node(3), node(1), node(2)];
        let l = layout(&nodes, &[(1, 0), (2, 3)]);
        let Route::Across(points) = &l.routes[0] else { panic!() };
        assert_eq!(points.len(), 4, "two dummies between layers 0 and 3");
        assert!(points.windows(2).all(|w| w[0].x > w[1].x), "from node 1, on the right: {points:?}");
        assert_separate(&nodes, &l);
        assert!(l.width > l.layers[3] && l.height > 0.0);
    }

    #[test]
    fn within_a_layer_neighbours_are_joined_straight_and_others_by_an_arc() {
        let nodes = vec![node(0), node(0), node(0)];
        let l = layout(&nodes, &[(0, 1), (0, 2)]);
        assert!(matches!(l.routes[0], Route::Straight(..)), "{:?}", l.routes[0]);
        assert!(matches!(l.routes[1], Route::Arc { .. }), "{:?}", l.routes[1]);
        assert_separate(&nodes, &l);
    }

    #[test]
    fn crossings_are_counted_exactly() {
        // K(2,2) between two layers of two: one crossing whatever the order.
        let nodes = vec![node(0), node(0), node(1), node(1)];
        let l = layout(&nodes, &[(0, 2), (0, 3), (1, 2), (1, 3)]);
        assert_eq!(l.crossings, 1);
    }

    #[test]
    fn an_empty_graph_has_a_margin_only() {
        let l = layout(&[], &[]);
        assert!(l.nodes.is_empty() && l.routes.is_empty());
        assert!(l.width > 0.0 && l.height > 0.0);
    }
}
