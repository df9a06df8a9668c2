//! The identities of the `amounts` table as polars plans over its typed columns: every family is
//! a group-by or join collected once; only the identities that do not hold exactly come back as
//! rows (with their row index, to be located), and the counts per table.
//!
//! Money stays exact: the sums are polars `Decimal(38, 6)` sums (i128), and a group holding a
//! figure of 10^20 万元 or more (beyond any budget; only hostile input prints one) is summed by
//! [`children_of`] and `checked_sum` instead, so no sum can overflow.

#[allow(clippy::wildcard_imports)]
use super::*;

use polars::prelude::*;

use crate::frame::{as_text, decimal_of, key_type};

use super::rows::null_str;
pub(crate) use super::rows::{cols, document_of, each_batch};

use super::located::{complex_groups, locator};

/// One table's column of figures (see the module documentation of `verify`): a hierarchy
/// identity compares rows within one such group.
pub(crate) const TABLE_COLUMN: [&str; 3] = ["fam", "source_table", "nature"];

/// The identity families, in the order their differences are listed.
const RULES: [&str; 4] = [
    "合计 = Σ类",
    "合计 = 基本 + 项目",
    "收入合计 = Σ各项收入",
    "表间一致（同一科目在两表所印数字相同）",
];
/// `RULES` index of the hierarchy family; its rule name depends on the parent's level.
const HIERARCHY: u32 = 0;

/// `names` followed by `more`.
fn with(names: &[&str], more: &[&str]) -> Vec<Expr> {
    cols(names).into_iter().chain(cols(more)).collect()
}

/// The hierarchy identities of the rows with a `slot`, per group of `keys`: one row per parent
/// with children (`keys`, `slot`, `row`, `amount`, `sum` of the children, `n` children), and the
/// rows of the groups the positional rule of [`children_of`] must judge (a code printed twice,
/// a code that is not all digits, a big figure), to be judged by it.
///
/// Without repeated codes, [`children_of`] is a join: 合计 ← 3-digit codes; a 类 ← its 款, and
/// the 7-digit codes whose 款 is not printed; a 款 ← its 项.
pub(crate) fn tree(rows: LazyFrame, keys: &[&str]) -> Result<(LazyFrame, LazyFrame)> {
    let k = cols(keys);
    let slot = col("slot");
    let slotted = rows
        .filter(slot.clone().is_not_null())
        .select(with(keys, &["slot", "row", "amount", "doc", "big"]));
    // each code of a group once, with how often it is printed: one group-by, where two
    // windows (per code, then per group) took 0.2 s of a 1 M-row dataset's identities.
    // Collected once: both results read it
    let codes = crate::diag::collect(
        slotted.clone().group_by(with(keys, &["slot"])).agg([
            len().alias("times"),
            col("row").first(),
            col("amount").first(),
            col("doc").first(),
            col("big").any(true),
        ]),
        "tree",
    )?;
    // the groups the positional rule judges: a code printed twice, a code that is not all
    // digits, a big figure
    let odd = codes
        .clone()
        .lazy()
        .filter(
            col("times").gt(lit(1u32)).or(col("big")).or(slot
                .clone()
                .str()
                .contains(lit("^[0-9]*$"), false)
                .not()),
        )
        .select(k.clone())
        .unique(None, UniqueKeepStrategy::Any)
        .with_column(lit(true).alias("odd"))
        .collect()?;
    let (simple, complex) = if odd.height() == 0 {
        (codes.lazy(), slotted.limit(0))
    } else {
        // marked by a join with the few odd groups (a left join: polars' semi and anti joins
        // are a feature this build leaves out)
        let mut args = JoinArgs::new(JoinType::Left);
        args.nulls_equal = true;
        let mark =
            |frame: LazyFrame| frame.join(odd.clone().lazy(), k.clone(), k.clone(), args.clone());
        let simple = mark(codes.lazy()).filter(col("odd").is_null());
        let complex = mark(slotted).filter(col("odd").is_not_null());
        (simple, complex)
    };
    let simple = simple.with_column(slot.clone().str().len_bytes().alias("slot_len"));
    let fives = simple.clone().filter(col("slot_len").eq(lit(5u32))).select(
        k.iter()
            .cloned()
            .chain([slot.clone().alias("p5"), lit(true).alias("has5")])
            .collect::<Vec<_>>(),
    );
    let n = col("slot_len");
    let prefix = |len: i64| slot.clone().str().slice(lit(0i64), lit(len));
    let mut args = JoinArgs::new(JoinType::Left);
    args.nulls_equal = true;
    let linked = simple
        .clone()
        .with_column(prefix(5).alias("p5"))
        .join(
            fives,
            with(keys, &["p5"]),
            with(keys, &["p5"]),
            args.clone(),
        )
        .with_column(
            when(n.clone().eq(lit(3u32)))
                .then(lit(""))
                .when(n.clone().eq(lit(5u32)))
                .then(prefix(3))
                .when(n.clone().eq(lit(7u32)).and(col("has5").fill_null(false)))
                .then(prefix(5))
                .when(n.eq(lit(7u32)))
                .then(prefix(3))
                .otherwise(null_str())
                .alias("parent"),
        );
    let children = linked
        .filter(col("parent").is_not_null())
        .group_by(with(keys, &["parent"]))
        .agg([col("amount").sum().alias("sum"), len().alias("n")]);
    args.how = JoinType::Inner;
    let identities = simple
        .select(with(keys, &["slot", "row", "amount", "doc"]))
        .join(
            children,
            with(keys, &["slot"]),
            with(keys, &["parent"]),
            args,
        );
    Ok((identities, complex))
}

/// One identity as the plans report it: where (`doc`, `source_table`, `row`), the figures, how
/// many figures of the same table were summed besides the row's own (`n`), the other table of a
/// comparison (`partner`), and the family (`rule`, an index into `RULES`).
fn identity(
    frame: LazyFrame,
    expected: Expr,
    actual: Expr,
    n: Expr,
    partner: Expr,
    rule: u32,
) -> LazyFrame {
    frame.select([
        col("doc"),
        col("source_table"),
        col("row").cast(DataType::UInt64),
        expected.cast(DataType::Decimal(38, 6)).alias("expected"),
        actual.cast(DataType::Decimal(38, 6)).alias("actual"),
        n.cast(DataType::UInt32).alias("n"),
        // a categorical like the tables it names (1.7 M identities at 1 M rows): only the
        // differences are cast back to text
        partner.cast(key_type()).alias("partner"),
        lit(rule).cast(DataType::UInt32).alias("rule"),
    ])
}

/// 合计 = 基本 + 项目 per printed row (rows with a `slot`).
fn row_sums(rows: LazyFrame) -> LazyFrame {
    let value = |nature: &str| {
        col("amount")
            .filter(col("nature").eq(lit(nature)))
            .last()
            .alias(nature)
    };
    let row_key = [
        "fam",
        "source_table",
        "code",
        "name",
        "source_doc",
        "source_line",
    ];
    let grouped = rows
        .filter(col("slot").is_not_null())
        .group_by(cols(&row_key))
        .agg([
            value("total"),
            value("basic"),
            value("project"),
            col("row").first(),
            col("doc").first(),
            col("big").any(true),
        ])
        .filter(
            col("total")
                .is_not_null()
                .and(col("basic").is_not_null())
                .and(col("project").is_not_null())
                .and(col("big").not()),
        );
    identity(
        grouped,
        col("total"),
        col("basic") + col("project"),
        lit(2u32),
        null_str(),
        1,
    )
}

/// 本年收入合计 = Σ sources (+ 上年结转 printed on the row), per printed row.
fn revenue_sources(rows: LazyFrame) -> LazyFrame {
    let measure = col("measure");
    let is_all = measure
        .clone()
        .eq(lit("revenue"))
        .and(col("fund").eq(lit("all")));
    let row_key = [
        "department",
        "unit",
        "year",
        "stage",
        "classification",
        "code",
        "name",
        "doc",
        "source_table",
        "source_doc",
        "source_line",
    ];
    let grouped = rows
        .filter(
            measure
                .clone()
                .eq(lit("revenue"))
                .or(measure.clone().eq(lit("carry_in")))
                .and(col("nature").eq(lit("total"))),
        )
        .group_by(cols(&row_key))
        .agg([
            col("amount").filter(is_all.clone()).first().alias("all"),
            col("row").filter(is_all.clone()).first().alias("row"),
            col("amount")
                .filter(is_all.clone().not())
                .sum()
                .alias("sum"),
            is_all.clone().not().sum().alias("n"),
            measure
                .eq(lit("revenue"))
                .and(is_all.not())
                .any(true)
                .alias("has_revenue"),
            col("big").any(true),
        ])
        .filter(
            col("all")
                .is_not_null()
                .and(col("has_revenue"))
                .and(col("big").not()),
        );
    identity(grouped, col("all"), col("sum"), col("n"), null_str(), 2)
}

/// The same code printed once in two tables of one document: each reading checked against the
/// first table's (by name) and the first against each.
fn cross_tables(rows: LazyFrame) -> Result<[LazyFrame; 2]> {
    let key = ["fam", "code", "nature"];
    let coded = rows.filter(col("code").neq(lit("")));
    // only a family printed in two tables or more can print a code in two tables: the others
    // (most of a city's families, each printed in one table) are left out before the grouping
    // by code, which costs 0.25 s of a 1 M-row dataset's identities when done over every row
    let families = coded
        .clone()
        .group_by([col("fam")])
        .agg([col("source_table").n_unique().alias("tables")])
        .filter(col("tables").gt_eq(lit(2u32)))
        .select([col("fam")]);
    let coded = coded.join(
        families,
        [col("fam")],
        [col("fam")],
        JoinArgs::new(JoinType::Inner),
    );
    // a code printed once in a table (collected: read twice below)
    let once = coded
        .group_by(with(&key, &["source_table"]))
        .agg([
            len().alias("times"),
            col("amount").first(),
            col("row").first(),
            col("doc").first(),
        ])
        .filter(col("times").eq(lit(1u32)))
        .collect()?;
    // the codes printed in two tables or more, and the first of those tables by name
    let shared = once
        .clone()
        .lazy()
        .group_by(cols(&key))
        .agg([
            len().alias("tables"),
            col("source_table").min().alias("first_table"),
        ])
        .filter(col("tables").gt_eq(lit(2u32)));
    let candidates = once
        .lazy()
        .join(
            shared,
            cols(&key),
            cols(&key),
            JoinArgs::new(JoinType::Inner),
        )
        .collect()?
        .lazy();
    let first = candidates
        .clone()
        .filter(col("source_table").eq(col("first_table")))
        .select(
            cols(&key)
                .into_iter()
                .chain([
                    col("amount").alias("first_amount"),
                    col("row").alias("first_row"),
                ])
                .collect::<Vec<_>>(),
        );
    let pairs = candidates
        .filter(col("source_table").neq(col("first_table")))
        .join(
            first,
            cols(&key),
            cols(&key),
            JoinArgs::new(JoinType::Inner),
        );
    let theirs = identity(
        pairs.clone(),
        col("amount"),
        col("first_amount"),
        lit(0u32),
        col("first_table"),
        3,
    );
    let mine = identity(
        pairs.with_columns([
            col("first_table").alias("source_table"),
            col("first_row").alias("row"),
        ]),
        col("first_amount"),
        col("amount"),
        lit(0u32),
        col("source_table"),
        3,
    );
    Ok([theirs, mine])
}

/// The identities of `amounts` per table: the families above, the hierarchy of each table
/// column ([`tree`]) and the groups [`children_of`] judges.
pub(super) fn amounts(df: &DataFrame, by_table: &mut BTreeMap<TableKey, Identities>) -> Result<()> {
    if df.height() == 0 {
        return Ok(());
    }
    let mut laps = crate::diag::Laps::new("identities");
    let at = locator(df)?;
    laps.lap("locator");
    // in batches of whole documents (see `each_batch`): every identity is within one document,
    // so each table's identities are found in one batch, and added in batch order
    for found in each_batch(df, "verdicts", |rows| {
        let mut found = BTreeMap::new();
        batch(rows.lazy(), &at, &mut found)?;
        Ok(found)
    })? {
        for (table, ids) in found {
            by_table.entry(table).or_default().add(ids);
        }
    }
    Ok(())
}

/// The identities of one batch of [`amount_rows`] (see [`amounts`]); `at` locates the rows of
/// the whole `amounts` table.
fn batch(
    rows: LazyFrame,
    at: &super::located::Locator,
    by_table: &mut BTreeMap<TableKey, Identities>,
) -> Result<()> {
    // each step's time at debug level (RUST_LOG=debug; the CPU time is the process's, the
    // other batch's included)
    let mut laps = crate::diag::Laps::new("verdicts");
    let (tree_ids, complex) = tree(rows.clone(), &TABLE_COLUMN)?;
    laps.lap("tree");
    let hierarchy = identity(
        tree_ids,
        col("amount"),
        col("sum"),
        col("n"),
        null_str(),
        HIERARCHY,
    );
    let [theirs, mine] = cross_tables(rows.clone())?;
    laps.lap("cross tables");
    let all = concat(
        [
            hierarchy,
            row_sums(rows.clone()),
            revenue_sources(rows.clone()),
            theirs,
            mine,
        ],
        UnionArgs::default(),
    )?
    .with_column(col("expected").eq(col("actual")).alias("exact"));
    // collected once: the counts and the differences read it
    let all = crate::diag::collect(all, "identities")?.lazy();
    laps.lap("identities");
    let counts = all
        .clone()
        .group_by([col("doc"), col("source_table")])
        .agg([len().alias("checked"), col("exact").sum().alias("held")])
        .with_columns(as_text(&["doc", "source_table"]))
        .collect()?;
    let misses = all
        .filter(col("exact").not())
        .sort(["rule", "row"], SortMultipleOptions::default())
        .with_columns(as_text(&["doc", "source_table", "partner"]))
        .collect()?;
    let complex = complex
        .with_columns(as_text(&["source_table", "nature", "doc"]))
        .collect()?;
    // the printed precision of each table, read only to judge differences (a batch where
    // every identity holds exactly, the usual one, has none to judge)
    let half: BTreeMap<(String, String), Decimal> = if misses.height() == 0 && complex.height() == 0
    {
        BTreeMap::new()
    } else {
        let precision = rows
            .group_by([col("doc"), col("source_table")])
            .agg([col("scale").max()])
            .with_columns(as_text(&["doc", "source_table"]))
            .collect()?;
        let (d, t) = (
            strings(&precision, "doc")?,
            strings(&precision, "source_table")?,
        );
        let s = precision.column("scale")?.u32()?;
        d.into_iter()
            .zip(t)
            .zip(s.iter())
            .map(|(k, s)| (k, Decimal::new(5, s.unwrap_or(2) + 1)))
            .collect()
    };
    let half_of = |doc: &str, table: &str| {
        half.get(&(doc.to_owned(), table.to_owned()))
            .copied()
            .unwrap_or(Decimal::new(5, 3))
    };
    laps.lap("counts");
    {
        let (d, t) = (strings(&counts, "doc")?, strings(&counts, "source_table")?);
        let checked = counts.column("checked")?.cast(&DataType::UInt64)?;
        let held = counts.column("held")?.cast(&DataType::UInt64)?;
        for (((d, t), c), h) in d
            .into_iter()
            .zip(t)
            .zip(checked.u64()?.iter())
            .zip(held.u64()?.iter())
        {
            let ids = by_table.entry((d, t)).or_default();
            ids.checked += usize::try_from(c.unwrap_or(0)).unwrap_or(usize::MAX);
            ids.held += usize::try_from(h.unwrap_or(0)).unwrap_or(usize::MAX);
        }
    }
    let (d, t, p) = (
        strings(&misses, "doc")?,
        strings(&misses, "source_table")?,
        misses.column("partner")?.str()?.clone(),
    );
    let rows_of = misses.column("row")?.u64()?;
    let (expected, actual) = (
        misses.column("expected")?.decimal()?,
        misses.column("actual")?.decimal()?,
    );
    let (es, as_) = (
        u32::try_from(expected.scale()).unwrap_or(0),
        u32::try_from(actual.scale()).unwrap_or(0),
    );
    let ns = misses.column("n")?.u32()?;
    let rules = misses.column("rule")?.u32()?;
    for i in 0..misses.height() {
        let (Some(doc), Some(table)) = (d.get(i), t.get(i)) else {
            continue;
        };
        let (Some(e), Some(a)) = (
            expected.physical().get(i).and_then(|m| decimal_of(m, es)),
            actual.physical().get(i).and_then(|m| decimal_of(m, as_)),
        ) else {
            // a sum that cannot be held exactly is not checked
            let ids = by_table.entry((doc.clone(), table.clone())).or_default();
            ids.checked = ids.checked.saturating_sub(1);
            continue;
        };
        let n = Decimal::from(ns.get(i).unwrap_or(0));
        let mut tolerance = half_of(doc, table) * (Decimal::ONE + n);
        let rule_id = rules.get(i).unwrap_or(HIERARCHY);
        let row = rows_of
            .get(i)
            .and_then(|r| usize::try_from(r).ok())
            .unwrap_or(0);
        let rule = if rule_id == HIERARCHY {
            match at.code_len(row) {
                0 => "合计 = Σ类",
                3 => "类 = Σ款",
                _ => "款 = Σ项",
            }
        } else {
            if let Some(partner) = p.get(i) {
                tolerance += half_of(doc, partner);
            }
            RULES.get(rule_id as usize).copied().unwrap_or("")
        };
        by_table
            .entry((doc.clone(), table.clone()))
            .or_default()
            .miss(rule, at.at(row), (e, a), tolerance);
    }
    complex_groups(&complex, at, &half_of, by_table)
}
