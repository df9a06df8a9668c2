//! The verdict on each table (已核对 / 部分核对 / 存疑) from its identities, recorded in the table
//! manifest and on the figures of 存疑 tables.

#[allow(clippy::wildcard_imports)]
use super::*;

/// The verdict on one imported table: whether its own identities hold on what was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// Every identity that could be checked holds within the table's printed 尾数.
    Verified,
    /// Nothing could be checked, or rows of the table could not be read (located errors).
    Partial,
    /// A difference beyond the printed 尾数: the reading, or the report, is wrong somewhere.
    Doubtful,
}

impl Verdict {
    pub const ALL: [Verdict; 3] = [Verdict::Verified, Verdict::Partial, Verdict::Doubtful];

    /// Key in the canonical `tables.verdict` column.
    pub fn key(self) -> &'static str {
        match self {
            Verdict::Verified => "verified",
            Verdict::Partial => "partial",
            Verdict::Doubtful => "doubtful",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Verdict::Verified => "已核对",
            Verdict::Partial => "部分核对",
            Verdict::Doubtful => "存疑",
        }
    }
}

/// One table's verdict and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableVerdict {
    /// The document (`source_doc` without `#page=`).
    pub doc: String,
    pub table: String,
    pub verdict: Verdict,
    /// Why, in a sentence (the first differences for 存疑; what could not be checked for 部分核对).
    pub note: String,
    pub identities: Identities,
}

/// Where a location `doc:line` points, for people: `第 12 页第 7 行` (PDF) or `第 7 行`.
pub(super) fn place(at: &str) -> String {
    let (doc, line) = at.rsplit_once(':').unwrap_or((at, ""));
    match doc.split_once("#page=") {
        Some((_, page)) => format!("第 {page} 页第 {line} 行"),
        None => format!("第 {line} 行"),
    }
}

/// The verdict on every table of the manifest (`tables.tables`) and every table holding figures:
/// see [`Verdict`]. `withheld` counts the rows of a table that could not be read (located errors
/// at import).
pub fn verdicts(
    tables: &Tables,
    withheld: &BTreeMap<TableKey, usize>,
) -> Result<Vec<TableVerdict>> {
    let mut ids = count_by_table(tables)?;
    let m = &tables.tables;
    if m.height() > 0 {
        let (docs, names) = (strings(m, "source_doc")?, strings(m, "source_table")?);
        for (d, t) in docs.iter().zip(&names) {
            ids.entry((document(d).to_owned(), t.clone())).or_default();
        }
    }
    let mut out = Vec::with_capacity(ids.len());
    for ((doc, table), identities) in ids {
        let beyond: Vec<&Miss> = identities.misses.iter().filter(|m| !m.rounding).collect();
        let lost = withheld
            .get(&(doc.clone(), table.clone()))
            .copied()
            .unwrap_or(0);
        let (verdict, note) = if !beyond.is_empty() {
            let first: Vec<String> = beyond
                .iter()
                .take(3)
                .map(|m| {
                    format!(
                        "{table} {}：{} 不成立（本行 {}，相加得 {}，差 {} 万元）",
                        place(&m.at),
                        m.rule,
                        m.expected.normalize(),
                        m.actual.normalize(),
                        (m.expected - m.actual).abs().normalize()
                    )
                })
                .collect();
            let more = if beyond.len() > 3 {
                format!("；另 {} 处", beyond.len() - 3)
            } else {
                String::new()
            };
            (Verdict::Doubtful, format!("{}{more}", first.join("；")))
        } else if lost > 0 {
            let rest = if identities.checked > 0 {
                format!("其余 {} 项勾稽关系成立", identities.checked)
            } else {
                "本表没有可核对的勾稽关系".to_owned()
            };
            (
                Verdict::Partial,
                format!("{lost} 处未能读取（见导入报告）；{rest}"),
            )
        } else if identities.checked == 0 {
            (Verdict::Partial, "本表没有可核对的勾稽关系".to_owned())
        } else if identities.rounding > 0 {
            (
                Verdict::Verified,
                format!(
                    "{} 项勾稽关系成立，其中 {} 项差在印刷尾数内",
                    identities.checked, identities.rounding
                ),
            )
        } else {
            (
                Verdict::Verified,
                format!("{} 项勾稽关系成立", identities.checked),
            )
        };
        out.push(TableVerdict {
            doc,
            table,
            verdict,
            note,
            identities,
        });
    }
    Ok(out)
}

/// Record verdicts in the frames: the manifest's `verdict` / `verdict_note` columns, and on every
/// figure of a 存疑 table the flag `doubtful` with the reason in its `note`.
pub fn apply(tables: &mut Tables, verdicts: &[TableVerdict]) -> Result<()> {
    use polars::prelude::*;
    // by (document, table), looked up once per row (a scan per row was quadratic)
    let mut by_key: std::collections::HashMap<(&str, &str), &TableVerdict> =
        std::collections::HashMap::new();
    for v in verdicts {
        by_key
            .entry((v.doc.as_str(), v.table.as_str()))
            .or_insert(v);
    }
    let of = |doc: &str, table: &str| by_key.get(&(document(doc), table)).copied();
    // the manifest
    let m = &mut tables.tables;
    if m.height() > 0 {
        let (docs, names) = (strings(m, "source_doc")?, strings(m, "source_table")?);
        let had = |name: &str| -> Result<Vec<String>> {
            if m.column(name).is_ok() {
                strings(m, name)
            } else {
                Ok(vec![String::new(); docs.len()])
            }
        };
        // tables without a verdict here keep the one they have
        let (mut keys, mut notes) = (had("verdict")?, had("verdict_note")?);
        for (i, (d, t)) in docs.iter().zip(&names).enumerate() {
            if let Some(v) = of(d, t) {
                if let Some(k) = keys.get_mut(i) {
                    *k = v.verdict.key().to_owned();
                }
                if let Some(n) = notes.get_mut(i) {
                    n.clone_from(&v.note);
                }
            }
        }
        m.with_column(Column::new("verdict".into(), keys))?;
        m.with_column(Column::new("verdict_note".into(), notes))?;
    }
    // the figures of 存疑 tables
    if !verdicts.iter().any(|v| v.verdict == Verdict::Doubtful) {
        return Ok(());
    }
    for df in [
        &mut tables.amounts,
        &mut tables.revenue,
        &mut tables.totals,
        &mut tables.sangong,
        &mut tables.projects,
        &mut tables.indicators,
        &mut tables.quarterly,
        &mut tables.evaluations,
    ] {
        if df.height() == 0 {
            continue;
        }
        let (docs, names) = (strings(df, "source_doc")?, strings(df, "source_table")?);
        let (mut flags, mut notes) = (strings(df, "flags")?, strings(df, "note")?);
        let mut changed = false;
        for i in 0..df.height() {
            let (Some(d), Some(t)) = (docs.get(i), names.get(i)) else {
                continue;
            };
            let Some(v) = of(d, t).filter(|v| v.verdict == Verdict::Doubtful) else {
                continue;
            };
            if let Some(f) = flags.get_mut(i)
                && !f.split(';').any(|x| x == "doubtful")
            {
                if !f.is_empty() {
                    f.push(';');
                }
                f.push_str("doubtful");
                changed = true;
            }
            if let Some(n) = notes.get_mut(i) {
                let reason = format!("所在表存疑：{}", v.note);
                if !n.contains(&reason) {
                    if !n.is_empty() {
                        n.push_str("; ");
                    }
                    n.push_str(&reason);
                }
            }
        }
        if changed {
            df.with_column(Column::new("flags".into(), flags))?;
            df.with_column(Column::new("note".into(), notes))?;
        }
    }
    Ok(())
}

/// Judge the tables of a dataset that have no verdict yet (files written before verdicts
/// existed, the built-in data): [`verdicts`] without withheld rows (not known any more), then
/// [`apply`] for those tables only.
pub fn judge_unjudged(tables: &mut Tables) -> Result<()> {
    let m = &tables.tables;
    if m.height() == 0 {
        return Ok(());
    }
    let (docs, names) = (strings(m, "source_doc")?, strings(m, "source_table")?);
    let judged = if m.column("verdict").is_ok() {
        strings(m, "verdict")?
    } else {
        vec![String::new(); docs.len()]
    };
    let open: Vec<TableKey> = docs
        .iter()
        .zip(&names)
        .zip(&judged)
        .filter(|(_, v)| v.is_empty())
        .map(|((d, t), _)| (document(d).to_owned(), t.clone()))
        .collect();
    if open.is_empty() {
        return Ok(());
    }
    let mut laps = crate::diag::Laps::new("verdicts");
    let all = verdicts(tables, &BTreeMap::new())?;
    laps.lap("identities");
    let open: std::collections::HashSet<TableKey> = open.into_iter().collect();
    let todo: Vec<TableVerdict> = all
        .into_iter()
        .filter(|v| open.contains(&(v.doc.clone(), v.table.clone())))
        .collect();
    let applied = apply(tables, &todo);
    laps.lap("apply");
    applied
}
