//! Ruling lines into grids: segments merged, positions clustered, crossing lines grouped into
//! tables.

#[allow(clippy::wildcard_imports)]
use super::*;

/// How far (points) a line may fall short of another and still meet it.
pub(super) const TOUCH: f32 = 3.0;

/// Merge collinear horizontal pieces.
pub(super) fn merge_h(mut segs: Vec<HSeg>) -> Vec<HSeg> {
    segs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    // group by y (snap), then join along x
    let mut out: Vec<HSeg> = Vec::new();
    let mut i = 0;
    while i < segs.len() {
        let Some(first) = segs.get(i) else { break };
        let y0 = first.y;
        let mut group: Vec<HSeg> = Vec::new();
        while let Some(s) = segs.get(i) {
            if s.y - y0 > SNAP {
                break;
            }
            group.push(*s);
            i += 1;
        }
        let y = group.iter().map(|s| s.y).sum::<f32>() / group.len().max(1) as f32;
        group.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let mut cur: Option<HSeg> = None;
        for s in group {
            match cur.as_mut() {
                Some(c) if s.x0 <= c.x1 + JOIN_GAP => c.x1 = c.x1.max(s.x1),
                _ => {
                    if let Some(c) = cur.take() {
                        out.push(c);
                    }
                    cur = Some(HSeg {
                        y,
                        x0: s.x0,
                        x1: s.x1,
                    });
                }
            }
        }
        if let Some(c) = cur {
            out.push(c);
        }
    }
    out
}

pub(super) fn merge_v(segs: Vec<VSeg>) -> Vec<VSeg> {
    // transpose, merge as horizontal, transpose back
    merge_h(
        segs.into_iter()
            .map(|v| HSeg {
                y: v.x,
                x0: v.y0,
                x1: v.y1,
            })
            .collect(),
    )
    .into_iter()
    .map(|h| VSeg {
        x: h.y,
        y0: h.x0,
        y1: h.x1,
    })
    .collect()
}

/// Cluster sorted positions: values within [`SNAP`] of the cluster's first are one.
pub(super) fn cluster(mut v: Vec<f32>) -> Vec<f32> {
    v.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    let mut group: Vec<f32> = Vec::new();
    for x in v {
        if let Some(&g0) = group.first()
            && x - g0 > SNAP
        {
            out.push(group.iter().sum::<f32>() / group.len() as f32);
            group.clear();
        }
        group.push(x);
    }
    if !group.is_empty() {
        out.push(group.iter().sum::<f32>() / group.len() as f32);
    }
    out
}

/// Union-find.
pub(super) struct Dsu(Vec<usize>);

impl Dsu {
    pub(super) fn new(n: usize) -> Self {
        Self((0..n).collect())
    }
    pub(super) fn find(&mut self, mut i: usize) -> usize {
        while let Some(&p) = self.0.get(i) {
            if p == i {
                break;
            }
            let gp = self.0.get(p).copied().unwrap_or(p);
            if let Some(slot) = self.0.get_mut(i) {
                *slot = gp;
            }
            i = p;
        }
        i
    }
    pub(super) fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb
            && let Some(slot) = self.0.get_mut(ra.max(rb))
        {
            *slot = ra.min(rb);
        }
    }
}

/// A ruled grid: row positions, column positions and the lines that form it.
#[derive(Clone, Debug)]
pub(super) struct Grid {
    pub(super) ys: Vec<f32>,
    pub(super) xs: Vec<f32>,
    pub(super) h: Vec<HSeg>,
    pub(super) v: Vec<VSeg>,
}

impl Grid {
    pub(super) fn contains(&self, x: f32, y: f32) -> bool {
        match (
            self.xs.first(),
            self.xs.last(),
            self.ys.first(),
            self.ys.last(),
        ) {
            (Some(&x0), Some(&x1), Some(&y0), Some(&y1)) => {
                x >= x0 && x <= x1 && y >= y0 && y <= y1
            }
            _ => false,
        }
    }

    /// Whether a vertical line at `x` crosses the band `y0..y1`.
    pub(super) fn v_crosses(&self, x: f32, y0: f32, y1: f32) -> bool {
        let mid = f32::midpoint(y0, y1);
        self.v
            .iter()
            .any(|v| (v.x - x).abs() <= SNAP && v.y0 <= mid && v.y1 >= mid)
    }

    /// Whether a horizontal line at `y` crosses the column `x0..x1`.
    pub(super) fn h_crosses(&self, y: f32, x0: f32, x1: f32) -> bool {
        let mid = f32::midpoint(x0, x1);
        self.h
            .iter()
            .any(|h| (h.y - y).abs() <= SNAP && h.x0 <= mid && h.x1 >= mid)
    }
}

/// Group the ruling lines of a page into grids.
pub(super) fn grids(h: Vec<HSeg>, v: Vec<VSeg>) -> Vec<Grid> {
    let h = merge_h(h);
    let v = merge_v(v);
    let n = h.len() + v.len();
    let mut dsu = Dsu::new(n);
    for (i, hs) in h.iter().enumerate() {
        for (j, vs) in v.iter().enumerate() {
            let meets = vs.x >= hs.x0 - TOUCH
                && vs.x <= hs.x1 + TOUCH
                && hs.y >= vs.y0 - TOUCH
                && hs.y <= vs.y1 + TOUCH;
            if meets {
                dsu.union(i, h.len() + j);
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<HSeg>, Vec<VSeg>)> =
        std::collections::BTreeMap::new();
    for (i, hs) in h.iter().enumerate() {
        groups.entry(dsu.find(i)).or_default().0.push(*hs);
    }
    for (j, vs) in v.iter().enumerate() {
        groups.entry(dsu.find(h.len() + j)).or_default().1.push(*vs);
    }
    groups
        .into_values()
        .filter_map(|(gh, gv)| {
            let ys = cluster(gh.iter().map(|s| s.y).collect());
            let xs = cluster(gv.iter().map(|s| s.x).collect());
            (ys.len() >= 2 && xs.len() >= 2).then_some(Grid {
                ys,
                xs,
                h: gh,
                v: gv,
            })
        })
        .collect()
}
