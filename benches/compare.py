"""The work of `fiscal-lens summary --json` and `fiscal-lens check` done by DuckDB and by
polars (Python), on the same canonical dataset folder, for benches/compare.sh.

summary: read the amounts table, keep the published functional expenditure rows (类/款/项),
one row per (department, unit, scope, year, stage, fund, code) with the total / basic / project
columns side by side, and write them as JSON; the same for the small 三公, revenue and project
tables (grouped per department, year and unit).

check: read the amounts table and count the hierarchy identities that do not hold in each
table column (合计 = Σ类, 类 = Σ款, 款 = Σ项, by code prefix) and the rows where
合计 ≠ 基本 + 项目.

verified: summary and check on one reading of the tables: the work of `fiscal-lens summary`
on a dataset whose manifest records no verdicts (a CSV written by another tool), which it
verifies at load before summarising (see docs/BENCHMARKS.md).

Usage: python3 compare.py ENGINE WORK DIR  (ENGINE: duckdb | polars; WORK: summary | check |
verified).
Prints the seconds the work took inside the process (reading included, start-up excluded).
"""

import os
import sys
import time


def source(dir_, table):
    pq = os.path.join(dir_, table + ".parquet")
    if os.path.exists(pq):
        return pq
    return os.path.join(dir_, table + ".csv")


KEY = ["department", "unit", "scope", "year", "stage", "fund"]
GROUP = ["department", "unit", "year", "stage", "measure", "fund", "classification", "source_doc", "source_table", "nature"]


def duckdb_work(work, dir_):
    import duckdb

    con = duckdb.connect()
    amounts = source(dir_, "amounts")
    reader = "read_parquet" if amounts.endswith(".parquet") else "read_csv"
    types = "" if reader == "read_parquet" else ", types={'amount': 'DECIMAL(38,6)', 'code': 'VARCHAR'}"
    con.execute(f"CREATE TABLE a AS SELECT * FROM {reader}('{amounts}'{types})")
    if work in ("summary", "verified"):
        key = ", ".join(KEY)
        out = os.path.join(dir_, ".compare_duckdb.json")
        con.execute(
            f"""COPY (
              SELECT {key}, code, first(name) AS name,
                sum(amount) FILTER (WHERE nature = 'total') AS total,
                sum(amount) FILTER (WHERE nature = 'basic') AS basic,
                sum(amount) FILTER (WHERE nature = 'project') AS project
              FROM a
              WHERE classification = 'functional' AND measure = 'expenditure' AND level <> 'total'
              GROUP BY {key}, code ORDER BY {key}, code
            ) TO '{out}' (FORMAT json)"""
        )
        for table in ["sangong", "revenue", "projects"]:
            path = source(dir_, table)
            if os.path.exists(path):
                r = "read_parquet" if path.endswith(".parquet") else "read_csv"
                con.execute(f"SELECT department, year, count(*) FROM {r}('{path}') GROUP BY ALL").fetchall()
        os.remove(out)
    if work in ("check", "verified"):
        g = ", ".join(GROUP)
        bad = con.execute(
            f"""
            WITH r AS (
              SELECT {g}, coalesce(code, '') AS code, amount FROM a WHERE amount IS NOT NULL
            ), parents AS (
              SELECT {g}, code, amount FROM r WHERE length(code) IN (0, 3, 5)
            ), children AS (
              SELECT {g},
                CASE length(code) WHEN 3 THEN '' WHEN 5 THEN left(code, 3) WHEN 7 THEN left(code, 5) END AS parent,
                sum(amount) AS s
              FROM r WHERE length(code) IN (3, 5, 7) GROUP BY ALL
            )
            SELECT count(*) FROM parents p JOIN children c USING ({g})
            WHERE p.code = c.parent AND p.amount <> c.s
            """
        ).fetchone()[0]
        rows = con.execute(
            f"""SELECT count(*) FROM (
              SELECT {g.replace(', nature', '')}, code, name, source_line,
                sum(amount) FILTER (WHERE nature = 'total') AS t,
                sum(amount) FILTER (WHERE nature = 'basic') AS b,
                sum(amount) FILTER (WHERE nature = 'project') AS p
              FROM a GROUP BY ALL) WHERE t <> b + p"""
        ).fetchone()[0]
        print(f"differences: {bad} hierarchy, {rows} rows", file=sys.stderr)


def polars_work(work, dir_):
    import polars as pl

    amounts = source(dir_, "amounts")
    if amounts.endswith(".parquet"):
        a = pl.read_parquet(amounts)
    else:
        a = pl.read_csv(amounts, schema_overrides={"amount": pl.Decimal(38, 6), "code": pl.Utf8})
    if work in ("summary", "verified"):
        out = (
            a.lazy()
            .filter(
                (pl.col("classification") == "functional")
                & (pl.col("measure") == "expenditure")
                & (pl.col("level") != "total")
            )
            .group_by(KEY + ["code"])
            .agg(
                pl.col("name").first(),
                pl.col("amount").filter(pl.col("nature") == "total").sum().alias("total"),
                pl.col("amount").filter(pl.col("nature") == "basic").sum().alias("basic"),
                pl.col("amount").filter(pl.col("nature") == "project").sum().alias("project"),
            )
            .sort(KEY + ["code"])
            .collect()
        )
        path = os.path.join(dir_, ".compare_polars.json")
        out.write_json(path)
        os.remove(path)
        for table in ["sangong", "revenue", "projects"]:
            p = source(dir_, table)
            if os.path.exists(p):
                t = pl.read_parquet(p) if p.endswith(".parquet") else pl.read_csv(p, infer_schema_length=0)
                t.group_by(["department", "year"]).len()
    if work in ("check", "verified"):
        r = a.lazy().filter(pl.col("amount").is_not_null()).with_columns(pl.col("code").fill_null(""))
        n = pl.col("code").str.len_bytes()
        parents = r.filter(n.is_in([0, 3, 5])).select(GROUP + ["code", "amount"])
        children = (
            r.filter(n.is_in([3, 5, 7]))
            .with_columns(
                pl.when(n == 3).then(pl.lit("")).when(n == 5).then(pl.col("code").str.slice(0, 3))
                .otherwise(pl.col("code").str.slice(0, 5)).alias("parent")
            )
            .group_by(GROUP + ["parent"])
            .agg(pl.col("amount").sum().alias("s"))
        )
        bad = (
            parents.join(children, left_on=GROUP + ["code"], right_on=GROUP + ["parent"])
            .filter(pl.col("amount") != pl.col("s"))
            .select(pl.len())
            .collect()
            .item()
        )
        key = [c for c in GROUP if c != "nature"] + ["code", "name", "source_line"]
        rows = (
            a.lazy()
            .group_by(key)
            .agg(
                pl.col("amount").filter(pl.col("nature") == "total").sum().alias("t"),
                pl.col("amount").filter(pl.col("nature") == "basic").sum().alias("b"),
                pl.col("amount").filter(pl.col("nature") == "project").sum().alias("p"),
                (pl.col("nature") == "basic").any().alias("has_b"),
                (pl.col("nature") == "project").any().alias("has_p"),
            )
            .filter(pl.col("has_b") & pl.col("has_p") & (pl.col("t") != pl.col("b") + pl.col("p")))
            .select(pl.len())
            .collect()
            .item()
        )
        print(f"differences: {bad} hierarchy, {rows} rows", file=sys.stderr)


def main():
    engine, work, dir_ = sys.argv[1:4]
    started = time.perf_counter()
    {"duckdb": duckdb_work, "polars": polars_work}[engine](work, dir_)
    print(f"{time.perf_counter() - started:.3f}")


if __name__ == "__main__":
    main()
