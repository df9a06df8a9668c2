#!/usr/bin/env python3
"""Build the built-in dataset (sample-data/*.csv) from the five seed reports.

Usage (from the repository root):

    python3 tools/extract_seeds.py            # regenerate sample-data/
    python3 tools/extract_seeds.py --check    # regenerate, then run the self-checks

Python 3.11, standard library only, no network.  The output format is specified in
docs/DATA_FORMAT.md.  Every figure is located in the seed text by parsing (tables found by
their titles, tab-separated / pipe rows, regexes on narrative lines), so source line numbers are
computed, never typed.  Money is handled with decimal.Decimal only.  The seeds' prose is never
copied: only names of codes / projects / indicators / row labels, plus our own short notes and
reason tags.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = (ROOT / ".." / "shared" / "seeds").resolve()
OUT_DIR = ROOT / "sample-data"

SZ = "深圳市社会保险基金管理局"
FS = "佛山市社会保险基金管理局"

# --------------------------------------------------------------------------------------------
# Output schemas (column order exactly as in docs/DATA_FORMAT.md)
# --------------------------------------------------------------------------------------------

PROV = ["source_doc", "source_table", "source_line", "source_label", "flags", "note"]
COLUMNS = {
    "amounts": ["department", "unit", "scope", "year", "stage", "measure", "fund",
                "classification", "code", "name", "level", "nature", "amount", "source_unit"]
    + PROV,
    "revenue": ["department", "unit", "scope", "year", "stage", "source", "source_key",
                "is_subtotal", "amount", "source_unit"] + PROV,
    "totals": ["department", "unit", "scope", "year", "stage", "fund", "item", "label", "amount",
               "source_unit"] + PROV,
    "sangong": ["department", "unit", "scope", "year", "stage", "category", "amount",
                "source_unit"] + PROV,
    "projects": ["department", "unit", "scope", "year", "project_id", "seq", "name",
                 "name_status", "budget_initial", "budget_full_year", "executed", "stated_rate",
                 "score", "reason_tags", "reasons", "source_unit"] + PROV,
    "indicators": ["department", "unit", "year", "project_id", "level1", "level2", "indicator",
                   "target", "actual", "weight", "score", "has_deviation_note"] + PROV,
    "quarterly": ["department", "unit", "scope", "year", "quarter", "cumulative_actual",
                  "budget", "progress", "benchmark", "quarter_rate"] + PROV,
    "evaluations": ["department", "unit", "scope", "year", "item", "value", "value_unit"] + PROV,
    "tables": ["department", "unit", "scope", "year", "stage", "source_table", "title",
               "unit_label", "present", "note", "source_doc", "source_line"],
}

# --------------------------------------------------------------------------------------------
# Classification name → code maps
# --------------------------------------------------------------------------------------------

# 支出功能分类 类 names (without the trailing 支出) → 3-digit code.
LEI_CODES = {
    "一般公共服务": "201", "外交": "202", "国防": "203", "公共安全": "204", "教育": "205",
    "科学技术": "206", "文化旅游体育与传媒": "207", "文化体育与传媒": "207",
    "社会保障和就业": "208", "卫生健康": "210", "医疗卫生与计划生育": "210",
    "节能环保": "211", "城乡社区": "212", "农林水": "213", "交通运输": "214",
    "资源勘探工业信息等": "215", "商业服务业等": "216", "金融": "217", "援助其他地区": "219",
    "自然资源海洋气象等": "220", "住房保障": "221", "粮油物资储备": "222",
    "国有资本经营预算": "223", "灾害防治及应急管理": "224", "其他": "229", "债务还本": "231",
    "债务付息": "232", "抗疫特别国债安排的": "234",
}


def lei_code(name: str) -> str:
    """Map a 类 name such as `社会保障和就业支出` to its 3-digit code."""
    base = name[:-2] if name.endswith("支出") else name
    if base not in LEI_CODES:
        raise ValueError(f"unknown 类 name {name!r}")
    return LEI_CODES[base]


LEVEL_BY_DIGITS = {3: "lei", 5: "kuan", 7: "xiang"}

# --------------------------------------------------------------------------------------------
# Small helpers: numbers, text
# --------------------------------------------------------------------------------------------

ORDINAL_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+\.\s*)")
NUM_CELL_RE = re.compile(r"^[+-]?[\d,]+(?:\.\d+)?$")


def fmt(d: Decimal) -> str:
    """Plain decimal string, no exponent, scale as given."""
    return format(d, "f")


def fmt_norm(d: Decimal) -> str:
    """Plain decimal string with trailing zeros stripped (used for converted values)."""
    return format(d.normalize(), "f") if d != 0 else "0"


def yuan_to_wan(d: Decimal) -> str:
    """元 → 万元, exact (shift the decimal point by four places)."""
    return fmt_norm(d.scaleb(-4))


def pct_to_fraction(d: Decimal) -> str:
    """A percentage figure (39.06 for 39.06%) → fraction string (0.3906)."""
    return fmt_norm(d.scaleb(-2))


def nospace(s: str) -> str:
    return re.sub(r"\s+", "", s)


def strip_tags(s: str) -> str:
    return re.sub(r"</?[a-zA-Z]+>", "", s)


def clean_label(s: str) -> str:
    return nospace(strip_tags(s))


def strip_ordinal(s: str) -> str:
    return ORDINAL_RE.sub("", s)


@dataclass
class Num:
    """A number read from the seed, with its repair information."""

    value: Decimal
    raw: str
    flags: list[str] = field(default_factory=list)
    note: str = ""


def parse_num(raw: str | None) -> Num | None:
    """Parse a printed number; repair (and flag) OCR damage explicitly.

    Repairs: digits split by spaces (`321,163.1 5`, `298, 448`) and misplaced thousands commas
    (`52,37.28`).  Returns None for blank / placeholder cells.  Anything else that is not a
    number raises, so nothing is guessed silently.
    """
    if raw is None:
        return None
    s = strip_tags(raw).strip()
    if s in ("", "_", "-", "---", "—"):
        return None
    t = re.sub(r"\s+", "", s)
    if not NUM_CELL_RE.match(t):
        raise ValueError(f"not a number: {raw!r}")
    spaced = t != s
    intpart = t.split(".")[0].lstrip("+-")
    well_grouped = True
    if "," in intpart:
        groups = intpart.split(",")
        well_grouped = 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
    plain = t.replace(",", "")
    num = Num(Decimal(plain), s)
    if spaced or not well_grouped:
        num.flags.append("ocr_repaired")
        what = []
        if spaced:
            what.append("digits split by spaces")
        if not well_grouped:
            what.append("misplaced thousands comma")
        num.note = f"OCR '{s}' → {plain} ({', '.join(what)})"
    return num


def is_num(raw: str | None) -> bool:
    try:
        return parse_num(raw) is not None
    except ValueError:
        return False


def join_flags(*parts) -> str:
    out: list[str] = []
    for p in parts:
        if not p:
            continue
        for f in (p if isinstance(p, list) else p.split(";")):
            if f and f not in out:
                out.append(f)
    return ";".join(out)


def join_notes(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


# --------------------------------------------------------------------------------------------
# Seed access
# --------------------------------------------------------------------------------------------


class Seed:
    """One seed file; lines are 1-based (split on '\\n' only)."""

    def __init__(self, prefix: str):
        matches = sorted(SEED_DIR.glob(f"{prefix}_*.txt"))
        if len(matches) != 1:
            raise SystemExit(f"expected exactly one seed {prefix}_*.txt in {SEED_DIR}")
        self.path = matches[0]
        self.name = self.path.name
        self.stem = prefix
        self.text = self.path.read_text(encoding="utf-8")
        self.lines = self.text.split("\n")

    def line(self, n: int) -> str:
        return self.lines[n - 1]

    def find(self, pattern: str, start: int = 1, end: int | None = None) -> int:
        """First line number in [start, end) whose text matches `pattern`."""
        end = end or len(self.lines) + 1
        rx = re.compile(pattern)
        for n in range(start, end):
            if rx.search(self.lines[n - 1]):
                return n
        raise ValueError(f"{self.name}: /{pattern}/ not found in lines {start}..{end}")

    def search(self, pattern: str, start: int = 1, end: int | None = None):
        """First (line, match) in [start, end) for `pattern`."""
        end = end or len(self.lines) + 1
        rx = re.compile(pattern)
        for n in range(start, end):
            m = rx.search(self.lines[n - 1])
            if m:
                return n, m
        raise ValueError(f"{self.name}: /{pattern}/ not found in lines {start}..{end}")


class Out:
    """Collects rows for every output table."""

    def __init__(self):
        self.rows: dict[str, list[dict]] = {k: [] for k in COLUMNS}

    def add(self, table: str, **row):
        cols = COLUMNS[table]
        unknown = set(row) - set(cols)
        if unknown:
            raise KeyError(f"{table}: unknown columns {unknown}")
        self.rows[table].append({c: row.get(c, "") for c in cols})

    def write(self, out_dir: Path):
        out_dir.mkdir(parents=True, exist_ok=True)
        for table, cols in COLUMNS.items():
            with open(out_dir / f"{table}.csv", "w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh, lineterminator="\n")
                w.writerow(cols)
                for r in self.rows[table]:
                    w.writerow(["" if r[c] is None else str(r[c]) for c in cols])


# Row constructors --------------------------------------------------------------------------


@dataclass
class Ctx:
    """Fixed attributes of the rows taken from one seed."""

    seed: Seed
    department: str
    unit: str
    scope: str
    year: int
    stage: str = "final"
    source_unit: str = "万元"


def prov(ctx: Ctx, table: str, line: int, label: str, flags="", note="") -> dict:
    return dict(source_doc=ctx.seed.name, source_table=table, source_line=line,
                source_label=label, flags=flags, note=note)


def add_amount(out: Out, ctx: Ctx, table: str, line: int, label: str, *, measure: str,
               fund: str, classification: str, code: str, name: str, level: str, nature: str,
               num: Num, year: int | None = None, stage: str | None = None, flags="", note=""):
    out.add("amounts", department=ctx.department, unit=ctx.unit, scope=ctx.scope,
            year=year or ctx.year, stage=stage or ctx.stage, measure=measure, fund=fund,
            classification=classification, code=code, name=name, level=level, nature=nature,
            amount=fmt(num.value), source_unit=ctx.source_unit,
            **prov(ctx, table, line, label, join_flags(num.flags, flags),
                   join_notes(num.note, note)))


def add_revenue(out: Out, ctx: Ctx, table: str, line: int, label: str, *, source: str, key: str,
                subtotal: bool, num: Num, year: int | None = None, stage: str | None = None,
                flags="", note=""):
    out.add("revenue", department=ctx.department, unit=ctx.unit, scope=ctx.scope,
            year=year or ctx.year, stage=stage or ctx.stage, source=source, source_key=key,
            is_subtotal="true" if subtotal else "false", amount=fmt(num.value),
            source_unit=ctx.source_unit,
            **prov(ctx, table, line, label, join_flags(num.flags, flags),
                   join_notes(num.note, note)))


def add_total(out: Out, ctx: Ctx, table: str, line: int, label: str, *, fund: str, item: str,
              num: Num, year: int | None = None, stage: str | None = None, flags="", note=""):
    out.add("totals", department=ctx.department, unit=ctx.unit, scope=ctx.scope,
            year=year or ctx.year, stage=stage or ctx.stage, fund=fund, item=item, label=label,
            amount=fmt(num.value), source_unit=ctx.source_unit,
            **prov(ctx, table, line, label, join_flags(num.flags, flags),
                   join_notes(num.note, note)))


def add_sangong(out: Out, ctx: Ctx, table: str, line: int, label: str, *, category: str,
                num: Num, year: int | None = None, stage: str | None = None, flags="", note=""):
    out.add("sangong", department=ctx.department, unit=ctx.unit, scope=ctx.scope,
            year=year or ctx.year, stage=stage or ctx.stage, category=category,
            amount=fmt(num.value), source_unit=ctx.source_unit,
            **prov(ctx, table, line, label, join_flags(num.flags, flags),
                   join_notes(num.note, note)))


def add_eval(out: Out, ctx: Ctx, table: str, line: int, label: str, *, item: str, value: str,
             value_unit: str, flags="", note=""):
    out.add("evaluations", department=ctx.department, unit=ctx.unit, scope=ctx.scope,
            year=ctx.year, item=item, value=value, value_unit=value_unit,
            **prov(ctx, table, line, label, flags, note))


def add_table(out: Out, ctx: Ctx, source_table: str, title: str, line: int, unit_label: str,
              note: str = "", stage: str | None = None):
    out.add("tables", department=ctx.department, unit=ctx.unit, scope=ctx.scope, year=ctx.year,
            stage=stage or ctx.stage, source_table=source_table, title=title,
            unit_label=unit_label, present="true", note=note, source_doc=ctx.seed.name,
            source_line=line)


def blank_or(raw: str) -> tuple[Num | None, str]:
    """A cell of a column the table has: number, or 0 flagged `blank` when empty."""
    n = parse_num(raw)
    if n is None:
        return Num(Decimal("0"), "", []), "blank"
    return n, ""


# --------------------------------------------------------------------------------------------
# Reason tags (our own words, derived by keyword rules from the stated problems)
# --------------------------------------------------------------------------------------------

REASON_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("疫情影响", ("疫情", "新冠", "防控措施")),
    ("压减预算", ("压减", "财政缩减", "缩减差旅", "缩减相关", "调减", "冻结", "压缩", "核减",
              "节约经费")),
    ("采购或招标延迟", ("招标", "招投标", "采购计划未", "未能实施采购", "采购不及时", "无法采购",
                 "未开展采购", "未审批", "未获批准", "交货缓慢")),
    ("跨年支付或结转", ("跨年", "尾款", "结转", "2021 年支付", "2021年支付", "2021 年执行", "次年",
                 "第二年", "滞后", "第四季度", "年末进行")),
    ("人员变动", ("人员变动", "流动性", "缺岗", "辞职", "退休", "到岗率", "招聘", "人手不足",
              "人手紧张", "人手少", "配备不足")),
    ("需求或业务量变化", ("需求", "业务量", "数量减少", "量下降", "量减少", "数量占比", "宗数小于",
                  "次数减少", "次数较少", "次数未", "次数也减少", "频次", "积极性", "放弃",
                  "参保人数", "提供资料", "学校减少", "数量比较多", "数量较少", "采购量",
                  "使用量减少", "支出较少", "开放天数", "实际业务")),
    ("政策或职能调整", ("政策变化", "政策调整", "减免", "职能", "划转", "机构改革", "流程优化",
                 "优化了", "统一支付", "统一配置", "官网公告", "项目有所调整", "上级要求",
                 "按上级", "转公办")),
    ("预算编制偏差", ("预算编制", "预测不准", "预算不准确", "未合理评估", "编报采购预算",
                "设置不合理", "先知预测", "没有预测", "预判", "按比例预留", "略有偏差",
                "预算的限制")),
]


def reason_tags(problem_texts: list[str]) -> str:
    """`;`-joined tags for the stated problems; `无` when none are stated."""
    texts = [t for t in problem_texts if t and re.sub(r"[\s。.:：]", "", t) not in ("", "无")]
    if not texts:
        return "无"
    tags: list[str] = []
    for t in texts:
        matched = False
        for tag, words in REASON_RULES:
            if any(w in t for w in words):
                matched = True
                if tag not in tags:
                    tags.append(tag)
        if not matched and "其他" not in tags:
            tags.append("其他")
    order = [t for t, _ in REASON_RULES] + ["其他"]
    return ";".join(sorted(tags, key=order.index))


# --------------------------------------------------------------------------------------------
# Seed 000: 2020 决算 (department-wide) — nine tables, narrative, 200 project paragraphs
# --------------------------------------------------------------------------------------------


def tsv_rows(seed: Seed, start: int, end: int):
    """(line, cells) for tab-separated lines in [start, end)."""
    for n in range(start, end):
        s = seed.line(n)
        if "\t" in s:
            yield n, s.split("\t")


def gongkai_tables(seed: Seed) -> dict[str, dict]:
    """Locate 公开01…公开09: marker line, title line/text, unit label, body range."""
    markers = []
    for n, s in enumerate(seed.lines, 1):
        m = re.match(r"^\s*公开\s*0?(\d)\s*表\s*$", s)
        if m:
            markers.append((int(m.group(1)), n))
    found = {}
    for i, (k, n) in enumerate(markers):
        t = n - 1
        while not seed.line(t).strip():
            t -= 1
        title = seed.line(t).strip().lstrip("#").strip()
        end = markers[i + 1][1] if i + 1 < len(markers) else seed.find(r"情况说明", n)
        body_end = seed.find(r"^\s*注[:：]", n, end)
        unit_line, um = seed.search(r"单位[:：]\s*(\S+)", n, body_end)
        found[f"公开0{k}"] = dict(marker=n, title=title, title_line=t, end=body_end,
                                 unit_label=um.group(1))
    if sorted(found) != [f"公开0{k}" for k in range(1, 10)]:
        raise ValueError(f"公开 tables found: {sorted(found)}")
    return found


# 公开01 left side: revenue sources (label without ordinal → source_key, is_subtotal)
GK01_REVENUE = {
    "一般公共预算财政拨款收入": ("general_budget", False),
    "政府性基金预算财政拨款收入": ("gov_fund", False),
    "国有资本经营预算财政拨款收入": ("state_capital", False),
    "上级补助收入": ("superior_subsidy", False),
    "事业收入": ("business", False),
    "经营收入": ("operating", False),
    "附属单位上缴收入": ("affiliated", False),
    "其他收入": ("other", False),
    "本年收入合计": ("revenue_total", True),
    "使用非财政拨款结余": ("non_fiscal_balance_used", False),
    "年初结转和结余": ("carry_in", False),
    "总计": ("grand_total", True),
}
# Standard 行次 of the 公开01 revenue rows, used to restore a missing label.
GK01_ROW_LABELS = {1: "一般公共预算财政拨款收入", 2: "政府性基金预算财政拨款收入",
                   3: "国有资本经营预算财政拨款收入", 4: "上级补助收入", 5: "事业收入",
                   6: "经营收入", 7: "附属单位上缴收入", 8: "其他收入"}


def data_start(seed: Seed, tb: dict) -> int:
    """First line after the 栏次 (column number) header row of a 公开 table."""
    for n, c in tsv_rows(seed, tb["marker"], tb["end"]):
        if nospace(c[0]) == "栏次":
            return n + 1
    raise ValueError(f"no 栏次 row after line {tb['marker']}")


def extract_gk01(out: Out, ctx: Ctx, tb: dict):
    seed = ctx.seed
    for n, c in tsv_rows(seed, data_start(seed, tb), tb["end"]):
        c = (c + [""] * 6)[:6]
        left, lrow, lamt, right, _rrow, ramt = c
        # ---- left: revenue sources
        num = parse_num(lamt) if is_num(lamt) else None
        if num is not None:
            label = clean_label(left)
            flags, note = "", ""
            if not label:
                rownum = int(lrow.strip())
                label_src = GK01_ROW_LABELS[rownum]
                flags = "label_restored"
                note = f"row {rownum} label missing in source; restored from row number and 公开04"
                source = label_src
            else:
                source = strip_ordinal(label)
            key, sub = GK01_REVENUE[source]
            add_revenue(out, ctx, "公开01", n, label, source=source, key=key, subtotal=sub,
                        num=num, flags=flags, note=note)
        # ---- right: expenditure by 类
        num = parse_num(ramt) if is_num(ramt) else None
        if num is None:
            continue
        label = clean_label(right)
        name = strip_ordinal(label)
        if name == "本年支出合计":
            add_amount(out, ctx, "公开01", n, label, measure="expenditure", fund="all",
                       classification="functional", code="", name=name, level="total",
                       nature="total", num=num)
        elif name == "年末结转和结余":
            add_total(out, ctx, "公开01", n, label, fund="all", item="carry_out", num=num)
        elif name == "总计":
            add_total(out, ctx, "公开01", n, label, fund="all", item="grand_total", num=num)
        else:
            add_amount(out, ctx, "公开01", n, label, measure="expenditure", fund="all",
                       classification="functional", code=lei_code(name), name=name,
                       level="lei", nature="total", num=num)


def code_table_rows(seed: Seed, start: int, end: int):
    """Rows of a code table (公开02/03/05/08): (line, code, name, cells); code '' for 合计."""
    for n, c in tsv_rows(seed, start, end):
        head = c[0].strip()
        if head == "合计":
            yield n, "", "合计", c
        elif re.fullmatch(r"\d{3}|\d{5}|\d{7}", head):
            yield n, head, nospace(c[1]), c


def extract_code_table(out: Out, ctx: Ctx, tb: dict, table: str, columns):
    """Generic 公开02/03/05/08 extractor.

    columns: list of (cell index, measure, fund, nature, blank_zero).  A blank cell on a row
    that has numbers becomes 0 flagged `blank` when blank_zero is set for that column.
    """
    for n, code, name, c in code_table_rows(ctx.seed, tb["marker"], tb["end"]):
        c = c + [""] * 10
        if not any(is_num(c[i]) for i, *_ in columns):
            continue
        level = "total" if not code else LEVEL_BY_DIGITS[len(code)]
        for i, meas, fnd, nature, bz in columns:
            if parse_num(c[i]) is None and not bz:
                continue
            num, bflag = blank_or(c[i])
            add_amount(out, ctx, table, n, name, measure=meas, fund=fnd,
                       classification="functional", code=code, name=name, level=level,
                       nature=nature, num=num, flags=bflag)


def extract_gk04(out: Out, ctx: Ctx, tb: dict):
    seed = ctx.seed
    funds = [(5, "fiscal"), (6, "general_budget"), (7, "gov_fund"), (8, "state_capital")]
    left_keys = {
        "一般公共预算财政拨款": ("一般公共预算财政拨款", "general_budget", False),
        "政府性基金预算财政拨款": ("政府性基金预算财政拨款", "gov_fund", False),
        "国有资本经营财政拨款": ("国有资本经营财政拨款", "state_capital", False),
        "本年收入合计": ("本年收入合计", "revenue_total", True),
        "年初财政拨款结转和结余": ("年初财政拨款结转和结余", "carry_in", True),
        "总计": ("总计", "grand_total", True),
    }
    carry_children = {
        "一般公共预算财政拨款": "carry_in_general_budget",
        "政府性基金预算财政拨款": "carry_in_gov_fund",
        "国有资本经营预算财政拨款": "carry_in_state_capital",
    }
    in_carry = False
    for n, c in tsv_rows(seed, data_start(seed, tb), tb["end"]):
        c = (c + [""] * 9)[:9]
        # ---- left: fiscal revenue
        label = clean_label(c[0])
        name = strip_ordinal(label)
        if name == "年初财政拨款结转和结余":
            in_carry = True
        elif name == "总计":
            in_carry = False
        num = parse_num(c[2]) if is_num(c[2]) else None
        if num is not None:
            if in_carry and name in carry_children:
                add_revenue(out, ctx, "公开04", n, label,
                            source=f"年初财政拨款结转和结余-{name}", key=carry_children[name],
                            subtotal=False, num=num,
                            note="sub-row of 年初财政拨款结转和结余")
            else:
                source, key, sub = left_keys[name]
                add_revenue(out, ctx, "公开04", n, label, source=source, key=key, subtotal=sub,
                            num=num)
        # ---- right: fiscal expenditure by 类 and fund column
        if not any(is_num(c[i]) for i, _ in funds):
            continue
        rlabel = clean_label(c[3])
        rname = strip_ordinal(rlabel)
        for i, fund in funds:
            cell, bflag = blank_or(c[i])
            if rname == "本年支出合计":
                add_amount(out, ctx, "公开04", n, rlabel, measure="expenditure", fund=fund,
                           classification="functional", code="", name=rname, level="total",
                           nature="total", num=cell, flags=bflag)
            elif rname == "年末财政拨款结转和结余":
                add_total(out, ctx, "公开04", n, rlabel, fund=fund, item="carry_out", num=cell,
                          flags=bflag)
            elif rname == "总计":
                add_total(out, ctx, "公开04", n, rlabel, fund=fund, item="grand_total",
                          num=cell, flags=bflag)
            else:
                add_amount(out, ctx, "公开04", n, rlabel, measure="expenditure", fund=fund,
                           classification="functional", code=lei_code(rname), name=rname,
                           level="lei", nature="total", num=cell, flags=bflag)


def extract_gk06(out: Out, ctx: Ctx, tb: dict):
    """基本支出 by economic code: three (code, name, amount) groups per line."""
    seed = ctx.seed
    entries: list[dict] = []          # in reading order
    last_in_group: dict[int, dict] = {}
    for n, c in tsv_rows(seed, tb["marker"], tb["end"]):
        c = (c + [""] * 9)[:9]
        first = c[0].strip()
        if first == "人员经费合计":
            add_total(out, ctx, "公开06", n, "人员经费合计", fund="general_budget",
                      item="personnel", num=parse_num(c[2]))
            public = [x for x in c[4:] if is_num(x)]
            if clean_label(c[3]) != "公用经费合计" or len(public) != 1:
                raise ValueError(f"公开06 footer layout changed at line {n}")
            add_total(out, ctx, "公开06", n, "公用经费合计", fund="general_budget",
                      item="public", num=parse_num(public[0]))
            continue
        for g in (0, 3, 6):
            code, name, amt = c[g].strip(), c[g + 1].strip(), c[g + 2].strip()
            if re.fullmatch(r"\d{3}|\d{5}", code):
                e = dict(line=n, code=code, name=nospace(name), amt=amt, wrap=None)
                entries.append(e)
                last_in_group[g] = e
            elif not code and not amt and name and g in last_in_group:
                # a name continued on a later line (e.g. 30239 其他交通费 … 用)
                e = last_in_group[g]
                e["name"] += nospace(name)
                e["wrap"] = n
    for e in entries:
        num = parse_num(e["amt"])
        if num is None:
            continue   # only codes with a number are stored
        flags, note = "", ""
        if e["wrap"]:
            flags = "wrapped"
            note = f"name continues on line {e['wrap']}"
        add_amount(out, ctx, "公开06", e["line"], e["name"], measure="expenditure",
                   fund="general_budget", classification="economic", code=e["code"],
                   name=e["name"], level=LEVEL_BY_DIGITS[len(e["code"])], nature="basic",
                   num=num, flags=flags, note=note)


def extract_gk07(out: Out, ctx: Ctx, tb: dict):
    """三公: 预算数 (adjusted full-year budget) and 决算数 column groups."""
    seed = ctx.seed
    cats = [("total", "合计"), ("abroad", "因公出国(境)费"),
            ("vehicle", "公务用车购置及运行费 小计"), ("vehicle_purchase", "公务用车购置费"),
            ("vehicle_operation", "公务用车运行费"), ("reception", "公务接待费")]
    for n, c in tsv_rows(seed, tb["marker"], tb["end"]):
        cells = [x.strip() for x in c]
        if cells[:3] == ["1", "2", "3"] or not any(is_num(x) for x in cells):
            continue
        if len(cells) != 12 or not all(x == "" or is_num(x) for x in cells):
            continue
        for block, stage, label in ((0, "budget_adjusted", "预算数"), (6, "final", "决算数")):
            for k, (cat, clabel) in enumerate(cats):
                num, bflag = blank_or(cells[block + k])
                add_sangong(out, ctx, "公开07", n, f"{label} {clabel}", category=cat, num=num,
                            stage=stage, flags=bflag)


def extract_000_tables(out: Out, ctx: Ctx):
    tbs = gongkai_tables(ctx.seed)
    for key in sorted(tbs):
        tb = tbs[key]
        note = ""
        if key == "公开09":
            note = "table prints no amounts (source states nothing occurred this year)"
        add_table(out, ctx, key, tb["title"], tb["title_line"], tb["unit_label"], note=note)
    extract_gk01(out, ctx, tbs["公开01"])
    # 公开02: 本年收入合计 / 财政拨款收入 / 其他收入 (blank → 0 for these three columns only)
    extract_code_table(out, ctx, tbs["公开02"], "公开02", [
        (2, "revenue", "all", "total", True),
        (3, "revenue", "fiscal", "total", True),
        (8, "revenue", "other_income", "total", True),
    ])
    # 公开03: 本年支出合计 / 基本支出 / 项目支出
    extract_code_table(out, ctx, tbs["公开03"], "公开03", [
        (2, "expenditure", "all", "total", True),
        (3, "expenditure", "all", "basic", True),
        (4, "expenditure", "all", "project", True),
    ])
    extract_gk04(out, ctx, tbs["公开04"])
    extract_code_table(out, ctx, tbs["公开05"], "公开05", [
        (2, "expenditure", "general_budget", "total", True),
        (3, "expenditure", "general_budget", "basic", True),
        (4, "expenditure", "general_budget", "project", True),
    ])
    extract_gk06(out, ctx, tbs["公开06"])
    extract_gk07(out, ctx, tbs["公开07"])
    # 公开08: carry columns only when they hold numbers
    extract_code_table(out, ctx, tbs["公开08"], "公开08", [
        (2, "carry_in", "gov_fund", "total", False),
        (3, "revenue", "gov_fund", "total", True),
        (4, "expenditure", "gov_fund", "total", True),
        (5, "expenditure", "gov_fund", "basic", True),
        (6, "expenditure", "gov_fund", "project", True),
        (7, "carry_out", "gov_fund", "total", False),
    ])
    # 公开09 prints no amounts: verify that, store nothing.
    for n, code, name, c in code_table_rows(ctx.seed, tbs["公开09"]["marker"],
                                             tbs["公开09"]["end"]):
        if any(is_num(x) for x in c[2:]):
            raise ValueError(f"公开09 unexpectedly has amounts at line {n}")


NUM = r"(\d[\d,]*(?:\.\d+)?)"


def narrative_num(seed: Seed, heading: str, pattern: str, group: int = 1, end_heading=None):
    """Find `pattern` on a line after the line matching `heading`; return (line, Num, match)."""
    h = seed.find(heading)
    # the section ends at the next markdown heading (or at `end_heading`)
    end = seed.find(end_heading or r"^\s*#", h + 1)
    n, m = seed.search(pattern, h, end)
    return n, parse_num(m.group(group)), m


def extract_000_narrative(out: Out, ctx: Ctx):
    seed = ctx.seed
    T = "正文"
    # The sentences compare these 2019 figures with the 2020 totals that include the carry-over
    # (321,567.07 = 321,163.15 + 403.92; 318,163.25 = 317,761.81 + 401.44), and the stated
    # differences (83,535.07; 80,133.73) only work on that basis: they are 总计-level figures.
    cmp_note = ("2019 comparison figure; compared in the text with the 2020 总计 incl. "
                "carry-over ({}), so stored as 总计")
    # --- 2019 revenue / expenditure (收入支出决算总体情况说明)
    n, num, _ = narrative_num(seed, r"收入支出决算总体情况说明$",
                              r"与\s*2019\s*年度收入\s*" + NUM + r"\s*万元")
    add_revenue(out, ctx, T, n, "2019 年度收入", source="收入总计", key="grand_total",
                subtotal=True, num=num, year=2019, note=cmp_note.format("321,567.07"))
    n, num, _ = narrative_num(seed, r"收入支出决算总体情况说明$",
                              r"与\s*2019\s*年度支出\s*" + NUM + r"\s*万元")
    add_total(out, ctx, T, n, "2019 年度支出", fund="all", item="grand_total", num=num,
              year=2019, note=cmp_note.format("321,567.07"))
    # --- 2019 财政拨款收入
    n, num, _ = narrative_num(seed, r"财政拨款收入支出决算总体情况说明",
                              r"与\s*2019\s*年度财政拨款收入\s*" + NUM + r"\s*万元")
    add_revenue(out, ctx, T, n, "2019 年度财政拨款收入", source="财政拨款收入总计",
                key="fiscal_grand_total", subtotal=True, num=num, year=2019, note=cmp_note.format("318,163.25"))
    # --- 2019 一般公共预算财政拨款支出 total / basic / project
    h = seed.find(r"财政拨款支出决算总体情况")
    n, m = seed.search(r"与\s*2019\s*年度支出合计\s*" + NUM + r"\s*万元、\s*基本支出\s*" + NUM
                       + r"\s*万元、\s*项目支出\s*" + NUM + r"\s*万元", h)
    for g, nature, label in ((1, "total", "2019 年度支出合计"), (2, "basic", "2019 年度基本支出"),
                             (3, "project", "2019 年度项目支出")):
        add_amount(out, ctx, T, n, label, measure="expenditure", fund="general_budget",
                   classification="functional", code="", name="合计", level="total",
                   nature=nature, num=parse_num(m.group(g)), year=2019,
                   note="2019 comparison figure in the general-budget expenditure paragraph")
    # --- 2020 initial budget (年初预算), total and per 类
    h = seed.find(r"一般公共预算财政拨款支出决算结构情况")
    end = seed.find(r"一般公共预算财政拨款基本支出决算情况说明", h)
    n, m = seed.search(r"财政拨款年初预算\s*" + NUM + r"\s*万元", h, end)
    add_amount(out, ctx, T, n, "一般公共预算财政拨款年初预算", measure="expenditure",
               fund="general_budget", classification="functional", code="", name="合计",
               level="total", nature="total", num=parse_num(m.group(1)), stage="budget_initial",
               note="initial budget stated in the structure paragraph")
    rx = re.compile(r"\*\*([^*]+?)\(类\)\s*(?:支出)?\*\*.*?年初预算为\s*" + NUM + r"\s*万元")
    for k in range(h, end):
        m = rx.search(seed.line(k))
        if not m:
            continue
        cls = m.group(1).strip()
        name = cls + "支出"
        add_amount(out, ctx, T, k, f"{cls}(类) 年初预算", measure="expenditure",
                   fund="general_budget", classification="functional", code=lei_code(name),
                   name=name, level="lei", nature="total", num=parse_num(m.group(2)),
                   stage="budget_initial",
                   note="initial budget per 类 stated in the structure paragraph"
                   + ("; old class name kept as published" if cls == "医疗卫生与计划生育" else ""))
    # --- 三公 2019 final, by category
    sg = [
        ("total", r"^#+.*“三公”经费财政拨款支出决算总体情况说明", r"较\s*2019\s*年决算数\s*" + NUM
         + r"\s*万元", "2019 年决算数 三公经费合计"),
        ("abroad", r"^#+.*因公出国（境）费。", r"2019\s*年决算数\s*" + NUM + r"\s*(万元|元)",
         "2019 年决算数 因公出国(境)费"),
        ("vehicle", r"^#+.*公务用车购置及运行费。", r"2019\s*年决算数\s*" + NUM + r"\s*(万元|元)",
         "2019 年决算数 公务用车购置及运行费"),
        ("vehicle_operation", r"^#+.*公务车运行维护费。", r"2019\s*年决算数\s*" + NUM
         + r"\s*(万元|元)", "2019 年决算数 公务车运行维护费"),
        ("vehicle_purchase", r"^#+.*公务用车购置费。", r"2019\s*年决算数\s*" + NUM + r"\s*(万元|元)",
         "2019 年决算数 公务用车购置费"),
        ("reception", r"^#+.*公务接待费。", r"2019\s*年决算数\s*" + NUM + r"\s*(万元|元)",
         "2019 年决算数 公务接待费"),
    ]
    for cat, head, pat, label in sg:
        n, num, m = narrative_num(seed, head, pat)
        flags, note = "", "2019 comparison figure in the 三公 paragraph"
        if m.lastindex and m.lastindex >= 2 and m.group(2) == "元":
            flags = "unit_typo"
            note = join_notes(note, f"printed as '{m.group(1)}元'; 万元 meant (the same sentence "
                                    f"states the decrease as {m.group(1)}万元)")
        add_sangong(out, ctx, T, n, label, category=cat, num=num, year=2019, flags=flags,
                    note=note)
    # --- 机关运行经费 2020 and 2019
    h = seed.find(r"机关运行经费支出情况说明")
    n, m = seed.search(r"机关运行经费支出\s*" + NUM + r"\s*万元", h + 1)
    add_total(out, ctx, T, n, "2020 年度机关运行经费支出", fund="general_budget",
              item="admin_running", num=parse_num(m.group(1)),
              note="narrative figure; equals 公开06 公用经费合计")
    n, m = seed.search(r"与\s*2019\s*年决算\s*" + NUM + r"\s*万元", h + 1)
    add_total(out, ctx, T, n, "2019 年决算 机关运行经费", fund="general_budget",
              item="admin_running", num=parse_num(m.group(1)), year=2019,
              note="2019 comparison figure in the running-cost paragraph")
    # --- 政府采购 2020
    h = seed.find(r"政府采购支出情况说明")
    for item, pat, label in (
        ("procurement_total", r"政府采购支出总额\s*" + NUM + r"\s*万元", "政府采购支出总额"),
        ("procurement_goods", r"政府采购货物支出\s*" + NUM + r"\s*万元", "政府采购货物支出"),
        ("procurement_works", r"政府采购工程支出\s*" + NUM + r"\s*万元", "政府采购工程支出"),
        ("procurement_services", r"政府采购服务支出\s*" + NUM + r"\s*万元", "政府采购服务支出"),
        ("procurement_sme", r"授予中小企业合同金额\s*" + NUM + r"\s*万元", "授予中小企业合同金额"),
    ):
        n, m = seed.search(pat, h, h + 1)
        num = parse_num(m.group(1))
        note = "narrative figure"
        if item == "procurement_sme":
            note = join_notes(note, "stated share 86.6% of the total does not match "
                                    "5237.28/6339.03 = 82.6%")
        add_total(out, ctx, T, n, label, fund="all", item=item, num=num, note=note)


PROJECT_HEAD = re.compile(r"^\s*[（(]\s*(\d+)\s*[）)]")
NAME_SUFFIX = re.compile(r"(项目绩效自评综述|绩效项目自评综述|绩效自评综述)$")


class Joined:
    """Lines joined into one string, with offset → line-number mapping."""

    def __init__(self, seed: Seed, start: int, end: int):
        parts, self.offsets, self.line_nos = [], [], []
        pos = 0
        for n in range(start, end):
            s = seed.line(n).strip()
            if not s:
                continue
            self.offsets.append(pos)
            self.line_nos.append(n)
            parts.append(s)
            pos += len(s)
        self.text = "".join(parts)

    def line_at(self, offset: int) -> int:
        return self.line_nos[bisect.bisect_right(self.offsets, offset) - 1]


def extract_000_projects(out: Out, ctx: Ctx):
    seed = ctx.seed
    sec = seed.find(r"部门决算中项目绩效自评结果")
    sec_end = seed.find(r"部门评价项目绩效评价结果", sec)
    starts = []
    for n in range(sec, sec_end):
        m = PROJECT_HEAD.match(seed.line(n))
        if m:
            starts.append((int(m.group(1)), n))
    seqs = [s for s, _ in starts]
    if seqs != list(range(1, len(seqs) + 1)):
        raise ValueError("project paragraphs are not numbered 1..n in order")
    starts.append((None, sec_end))
    for k in range(len(starts) - 1):
        seq, s = starts[k]
        e = starts[k + 1][1]
        para = Joined(seed, s, e)
        t = para.text
        m = re.match(r"([（(]\s*\d+\s*[）)])\s*", t)
        label = m.group(1)
        pos = m.end()
        mu = re.compile(r"市社会保险基金管理局\s*[（(]\s*([^）)]+?)\s*[）)]\s*").match(t, pos)
        unit = "未注明单位"
        if mu:
            unit = mu.group(1)
            pos = mu.end()
        colon = re.compile(r"[:：]").search(t, pos)
        raw_name = t[pos:colon.start()].strip()
        name = nospace(NAME_SUFFIX.sub("", raw_name))
        mscore = re.compile(r"项目自评(?:得分)?\s*([\d.]+)\s*分").search(t, colon.end())
        mbud = re.compile(r"项目全年预算数\s*([\d,.\s]+?)\s*万元").search(t, mscore.end())
        mexe = re.compile(r"执行数\s*([\d,.\s]+?)\s*万元").search(t, mbud.end())
        mrate = re.compile(r"预算执行率\s*(?:为)?\s*([\d.]+)\s*(%?)").search(t, mexe.end())
        score = parse_num(mscore.group(1))
        bud = parse_num(mbud.group(1))
        exe = parse_num(mexe.group(1))
        rate = parse_num(mrate.group(1))
        flags, notes = [], []
        for x in (bud, exe, score, rate):
            flags += x.flags
            if x.note:
                notes.append(x.note)
        if para.line_at(pos) != para.line_at(colon.start() - 1):
            flags.append("wrapped")
        bud_line = para.line_at(mbud.start(1))
        exe_line = para.line_at(mexe.start(1))
        if exe_line != bud_line:
            notes.append(f"执行数 printed on line {exe_line}")
        if unit == "未注明单位":
            notes.append("paragraph names no implementing unit")
        # problems stated (for our reason tags only; never copied)
        problems = []
        for mp in re.finditer(r"发现的主要问题(?:及原因)?\s*[:：]\s*(?:发现的主要问题及原因\s*[:：]\s*)?"
                              r"(.*?)(?=下一步改进措施|$)", t):
            problems.append(mp.group(1))
        out.add("projects", department=ctx.department, unit=unit, scope=ctx.scope,
                year=ctx.year, project_id=f"{seed.stem}#{seq}", seq=seq, name=name,
                name_status="ok", budget_initial="", budget_full_year=fmt(bud.value),
                executed=fmt(exe.value), stated_rate=pct_to_fraction(rate.value),
                score=fmt(score.value), reason_tags=reason_tags(problems), reasons="",
                source_unit="万元",
                **prov(ctx, "项目自评综述", bud_line, label, join_flags(flags),
                       join_notes(*notes)))


def extract_000(out: Out):
    seed = Seed("000")
    ctx = Ctx(seed, SZ, "全部门", "全部门", 2020)
    extract_000_tables(out, ctx)
    extract_000_narrative(out, ctx)
    extract_000_projects(out, ctx)


# --------------------------------------------------------------------------------------------
# Seed 001: 2021 department performance self-evaluation (Shenzhen, department-wide)
# --------------------------------------------------------------------------------------------


def extract_001(out: Out):
    seed = Seed("001")
    ctx = Ctx(seed, SZ, "全部门", "全部门", 2021)
    T = "正文"
    # --- initial budget revenue
    n, m = seed.search(r"年初预算收入为\s*" + NUM + r"\s*万元.*?一般公共预算财政拨款收入为\s*" + NUM
                       + r"\s*万元.*?政府性基金预算财政拨款收入为\s*" + NUM + r"\s*万元")
    for g, src, key, sub in ((1, "年初预算收入", "revenue_total", True),
                             (2, "一般公共预算财政拨款收入", "general_budget", False),
                             (3, "政府性基金预算财政拨款收入", "gov_fund", False)):
        add_revenue(out, ctx, T, n, src, source=src, key=key, subtotal=sub,
                    num=parse_num(m.group(g)), stage="budget_initial",
                    note="initial budget stated in the budget-preparation paragraph")
    # --- initial budget expenditure
    n, m = seed.search(r"部门预算总支出\s*" + NUM + r"\s*万元.*?人员经费\s*" + NUM
                       + r"\s*万元.*?公用经费\s*" + NUM + r"\s*万元.*?项目支出\s*" + NUM + r"\s*万元")
    for g, item, label in ((1, "expenditure_total", "部门预算总支出"), (2, "personnel", "人员经费"),
                           (3, "public", "公用经费"), (4, "project", "项目支出")):
        add_total(out, ctx, T, n, label, fund="all", item=item, num=parse_num(m.group(g)),
                  stage="budget_initial",
                  note="initial budget stated in the budget-preparation paragraph")
    # --- adjusted budget (调整后预算) and actual (全年支出数)
    n, m = seed.search(r"部门整体支出调整后预算为\s*" + NUM + r"\s*万元")
    add_total(out, ctx, T, n, "部门整体支出调整后预算", fund="all", item="expenditure_total",
              num=parse_num(m.group(1)), stage="budget_adjusted",
              note="adjusted budget stated in the budget-adjustment paragraph; the execution "
                   "paragraph calls the same figure 全年财政拨款预算总额")
    n, m = seed.search(r"全年支出数为\s*" + NUM + r"\s*万元")
    add_total(out, ctx, T, n, "全年支出数", fund="all", item="expenditure_total",
              num=parse_num(m.group(1)), stage="final",
              note="full-year actual stated in the execution-rate paragraph")
    # --- 日常公用经费
    n, m = seed.search(r"日常公用经费调整预算数\s*" + NUM + r"\s*万元.*?实际支出\s*" + NUM + r"\s*万元")
    add_total(out, ctx, T, n, "日常公用经费调整预算数", fund="all", item="daily_public",
              num=parse_num(m.group(1)), stage="budget_adjusted")
    add_total(out, ctx, T, n, "日常公用经费实际支出", fund="all", item="daily_public",
              num=parse_num(m.group(2)), stage="final")
    # --- 政府采购 plan / actual
    n, m = seed.search(r"政府采购计划金额为\s*" + NUM + r"\s*万元.*?实际政府采购金额为\s*" + NUM
                       + r"\s*万元")
    add_total(out, ctx, T, n, "政府采购计划金额", fund="all", item="procurement_total",
              num=parse_num(m.group(1)), stage="budget_adjusted",
              note="procurement plan stored as the adjusted-budget figure")
    add_total(out, ctx, T, n, "实际政府采购金额", fund="all", item="procurement_total",
              num=parse_num(m.group(2)), stage="final")
    # --- 三公 (only totals published)
    n, m = seed.search(r"“三公”经费预算安排数\s*" + NUM + r"\s*万元.*?实际支出数\s*" + NUM + r"\s*万元")
    add_sangong(out, ctx, T, n, "“三公”经费预算安排数", category="total",
                num=parse_num(m.group(1)), stage="budget_adjusted",
                note="only the 三公 total is published")
    add_sangong(out, ctx, T, n, "“三公”经费实际支出数", category="total",
                num=parse_num(m.group(2)), stage="final", note="only the 三公 total is published")
    # --- quarterly table 表2-1
    title_line, tm = seed.search(r"表\s*2-1\s*(\S+)")
    add_table(out, ctx, "表2-1", tm.group(1), title_line, "",
              note="no unit printed; amounts are 万元 like the surrounding text; the 全年平均 "
                   "row is not stored")
    quarters = {"第一季度": 1, "第二季度": 2, "第三季度": 3, "第四季度": 4}
    header = seed.find(r"^季度\t支出数\t预算数", title_line)
    for n, c in tsv_rows(seed, header + 1, header + 8):
        q = c[0].strip()
        if q not in quarters:
            continue   # 全年平均支出进度 row: not a quarter
        pct = [parse_num(x.replace("%", "")) for x in c[3:6]]
        actual, budget = parse_num(c[1]), parse_num(c[2])
        out.add("quarterly", department=ctx.department, unit=ctx.unit, scope=ctx.scope,
                year=ctx.year, quarter=quarters[q], cumulative_actual=fmt(actual.value),
                budget=fmt(budget.value), progress=pct_to_fraction(pct[0].value),
                benchmark=pct_to_fraction(pct[1].value),
                quarter_rate=pct_to_fraction(pct[2].value),
                **prov(ctx, "表2-1", n, q))
    # --- evaluation figures
    n, m = seed.search(r"绩效自评得分为\s*" + NUM + r"\s*分")
    add_eval(out, ctx, T, n, "自评得分", item="score", value=m.group(1), value_unit="分")
    n, m = seed.search(r"总执行率为\s*" + NUM + r"\s*%")
    add_eval(out, ctx, T, n, "总执行率", item="execution_rate",
             value=pct_to_fraction(Decimal(m.group(1))), value_unit="fraction")
    n, m = seed.search(r"“三公”经费控制率为\s*" + NUM + r"\s*%")
    add_eval(out, ctx, T, n, "“三公”经费控制率", item="sangong_control_rate",
             value=pct_to_fraction(Decimal(m.group(1))), value_unit="fraction")
    n, m = seed.search(r"日常公用经费控制率为\s*" + NUM + r"\s*%")
    add_eval(out, ctx, T, n, "日常公用经费控制率", item="public_control_rate",
             value=pct_to_fraction(Decimal(m.group(1))), value_unit="fraction",
             note="the source's control rate of 日常公用经费")
    n, m = seed.search(r"部门预算安排项目共\s*(\d+)\s*个")
    add_eval(out, ctx, T, n, "部门预算安排项目数", item="project_count", value=m.group(1),
             value_unit="个")
    n, m = seed.search(r"核定编制数（含工勤人员）\s*(\d+)\s*人")
    add_eval(out, ctx, T, n, "核定编制数（含工勤人员）", item="staff_authorized",
             value=m.group(1), value_unit="人")
    n, m = seed.search(r"年末在编数（含工勤人员）\s*(\d+)\s*人")
    add_eval(out, ctx, T, n, "年末在编数（含工勤人员）", item="staff_actual", value=m.group(1),
             value_unit="人")


# --------------------------------------------------------------------------------------------
# Seed 002: 2021 project self-evaluation tables of one (unnamed) branch, amounts in 元
# --------------------------------------------------------------------------------------------

# Names judged OCR-garbled / truncated (kept as printed, name_status garbled).
GARBLED_002 = {
    "又山沙从日": "OCR-garbled project name, kept as printed",
    "社保业务公众服务经费工": "name looks truncated/garbled (trailing '工'), kept as printed",
    "追缴和案件调查取证费项": "name looks truncated (trailing '项'), kept as printed",
}
# 二级指标 → 一级指标 (the merged 一级 cells are printed at unreliable rows; in this template
# 满意度指标 sits under 效益指标).
LEVEL1_OF = {"数量指标": "产出指标", "质量指标": "产出指标", "时效指标": "产出指标",
             "成本指标": "产出指标", "经济效益指标": "效益指标", "社会效益指标": "效益指标",
             "生态效益指标": "效益指标", "可持续影响指标": "效益指标", "满意度指标": "效益指标"}
INDICATOR_NOISE_002 = {"片之心": "OCR noise '片之心' before the indicator name removed"}
TRUNCATED_INDICATORS_002 = {
    "采购耗材、办": "indicator name truncated in source",
    "采购设施设备": "indicator name looks truncated (target is a percentage)",
}


def extract_002(out: Out):
    seed = Seed("002")
    ctx = Ctx(seed, SZ, "未注明分局", "分局", 2021, source_unit="元")
    starts = [n for n, s in enumerate(seed.lines, 1) if s.startswith("项目名称")]
    starts.append(len(seed.lines) + 1)
    for seq, (s, e) in enumerate(zip(starts, starts[1:]), 1):
        pid = f"{seed.stem}#{seq}"
        head = [x.strip() for x in seed.line(s).split("\t")]
        amt_idx = head.index("项目金额")
        name = next((x for x in head[1:amt_idx] if x), "")
        project_amount = next(x for x in head[amt_idx + 1:] if is_num(x))
        flags, notes = [], []
        if not name:
            status = "missing"
            flags.append("name_missing")
            notes.append("project name blank in source")
        elif name in GARBLED_002:
            status = "garbled"
            flags.append("garbled_name")
            notes.append(GARBLED_002[name])
        else:
            status = "ok"
        notes.append(f"项目金额 printed as {project_amount} (meaning unclear; not stored)")
        notes.append("implementing unit blank in source; the text is a branch's report")
        # 资金总额 row: 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分
        fund_line = seed.find(r"金总额", s, e)
        cells = [x.strip() for x in seed.line(fund_line).split("\t")]
        k = next(i for i, x in enumerate(cells) if "总额" in x)
        nums = [parse_num(x) for x in cells[k + 1:] if is_num(x)]
        b_init, b_full, executed, fund_weight, rate, fund_score = nums[:6]
        # indicators
        hdr = seed.find(r"三级指标", s, e)
        total_line = next(n for n in range(hdr + 1, e)
                          if "总分" in [x.strip() for x in seed.line(n).split("\t")])
        problems = []
        prev_l2 = None
        for n in range(hdr + 1, total_line):
            c = ([x.strip() for x in seed.line(n).split("\t")] + [""] * 9)[:9]
            if not c[3] and not is_num(c[6]):
                continue
            iflags, inotes = [], []
            l2 = nospace(c[2])
            if not l2:
                if prev_l2:
                    l2 = prev_l2          # merged cell: carried down from the row above
                else:
                    l2 = "数量指标"        # first indicator row: first 产出 二级指标
                    iflags.append("label_restored")
                    inotes.append("二级指标 blank on the first indicator row; restored as 数量指标")
            prev_l2 = l2
            l1 = LEVEL1_OF[l2]
            ind = nospace(c[3])
            for noise, why in INDICATOR_NOISE_002.items():
                if ind.startswith(noise):
                    ind = ind[len(noise):]
                    iflags.append("garbled_name")
                    inotes.append(why)
            if ind in TRUNCATED_INDICATORS_002:
                iflags.append("garbled_name")
                inotes.append(TRUNCATED_INDICATORS_002[ind])
            weight, score = parse_num(c[6]), parse_num(c[7])
            dev = c[8] if c[8] not in ("", "_") else ""
            if dev and weight is not None and score is not None and score.value < weight.value:
                problems.append(dev.split("改进措施")[0])
            out.add("indicators", department=ctx.department, unit=ctx.unit, year=ctx.year,
                    project_id=pid, level1=l1, level2=l2, indicator=ind, target=c[4],
                    actual=c[5], weight=fmt(weight.value) if weight else "",
                    score=fmt(score.value) if score else "",
                    has_deviation_note="true" if dev else "false",
                    **prov(ctx, "项目自评表", n, nospace(c[3]), join_flags(iflags),
                           join_notes(*inotes)))
        tot = [parse_num(x) for x in seed.line(total_line).split("\t") if is_num(x)]
        score = tot[-1]
        out.add("projects", department=ctx.department, unit=ctx.unit, scope=ctx.scope,
                year=ctx.year, project_id=pid, seq=seq, name=name, name_status=status,
                budget_initial=yuan_to_wan(b_init.value),
                budget_full_year=yuan_to_wan(b_full.value),
                executed=yuan_to_wan(executed.value), stated_rate=fmt(rate.value),
                score=fmt(score.value), reason_tags=reason_tags(problems), reasons="",
                source_unit="元",
                **prov(ctx, "项目自评表", fund_line, "资金总额", join_flags(flags),
                       join_notes(*notes, f"score from the 总分 row on line {total_line}")))


# --------------------------------------------------------------------------------------------
# Seed 003: Foshan 2022 department performance self-evaluation
# --------------------------------------------------------------------------------------------


def extract_003(out: Out):
    seed = Seed("003")
    ctx = Ctx(seed, FS, "全部门", "全部门", 2022)
    title_line = seed.find(r"^部门预算支出明细表\s*$")
    unit_line, um = seed.search(r"单位[:：]\s*(\S+)", title_line)
    add_table(out, ctx, "部门预算支出明细表", "部门预算支出明细表", title_line, um.group(1),
              note="columns 年初预算数 / 调整预算数 / 决算数")
    header = seed.find(r"^支出类别\t", title_line)
    items = {"一、基本支出": "basic", "人员经费": "personnel", "日常公用经费": "daily_public",
             "二、项目支出": "project", "合计": "expenditure_total"}
    stages = ("budget_initial", "budget_adjusted", "final")
    n = header + 1
    while n <= len(seed.lines) and "\t" in seed.line(n):
        c = seed.line(n).split("\t")
        label = c[0].strip()
        vals = [parse_num(x) for x in (c[1:] + [""] * 3)[:3]]
        if any(v is not None for v in vals):
            item = items[label]
            for stage, v in zip(stages, vals):
                num, bflag = (v, "") if v is not None else blank_or("")
                add_total(out, ctx, "部门预算支出明细表", n, label, fund="all", item=item,
                          num=num, stage=stage, flags=bflag)
        n += 1
    T = "正文"
    n, m = seed.search(r"“三公”经费全年预算安排\s*" + NUM + r"\s*万元.*?实际支出为\s*" + NUM + r"\s*万元")
    add_sangong(out, ctx, T, n, "“三公”经费全年预算安排", category="total",
                num=parse_num(m.group(1)), stage="budget_adjusted",
                note="only the 三公 total is published")
    add_sangong(out, ctx, T, n, "“三公”经费实际支出", category="total",
                num=parse_num(m.group(2)), stage="final", note="only the 三公 total is published")
    n, m = seed.search(r"绩效得分为\s*" + NUM + r"\s*分")
    add_eval(out, ctx, T, n, "部门整体支出绩效得分", item="score", value=m.group(1),
             value_unit="分")
    n, m = seed.search(r"财政支出完成率为\s*" + NUM + r"\s*%")
    add_eval(out, ctx, T, n, "财政支出完成率", item="execution_rate",
             value=pct_to_fraction(Decimal(m.group(1))), value_unit="fraction",
             note="the source's 财政支出完成率")
    n, m = seed.search(r"本部门项目共\s*(\d+)\s*个")
    add_eval(out, ctx, T, n, "本部门项目数", item="project_count", value=m.group(1),
             value_unit="个")


# --------------------------------------------------------------------------------------------
# Seed 004: Shenzhen bureau 本级, 2023 budget (markdown pipe tables)
# --------------------------------------------------------------------------------------------

BUDGET_TABLES = [  # (id, title as in the 目录 / table headings)
    ("预算表1", "收支总表"), ("预算表2", "收入总表"), ("预算表3", "支出总表"),
    ("预算表4", "基本支出总表"), ("预算表5", "项目支出总表"), ("预算表6", "政府预算拨款收支总表"),
    ("预算表7", "一般公共预算支出表(按功能分类)"), ("预算表8", "一般公共预算支出表(按经济分类)"),
    ("预算表9", '一般公共预算"三公"经费支出表'), ("预算表10", "政府性基金预算支出表"),
    ("预算表11", "国有资本经营预算支出表"), ("预算表12", "部门(单位)整体支出绩效目标表"),
]
TOP_UNIT = "深圳市人力资源和社会保障局"   # 主管部门 row: skipped (same figures as 本级)
OWN_UNIT = "深圳市社会保险基金管理局本级"


def pipe_cells(s: str) -> list[str] | None:
    s = s.strip()
    if not s.startswith("|"):
        return None
    cells = [x.strip() for x in s.strip("|").split("|")]
    if all(re.fullmatch(r":?-*:?", x) for x in cells):
        return None   # separator row
    return cells


def budget_regions(seed: Seed) -> dict[str, dict]:
    """Table id → {lines: [chunk title lines], rows: [(line, cells)], unit_label}."""
    start = seed.find(r"^二、表格部分")
    titles = {nospace(t): tid for tid, t in BUDGET_TABLES}
    regions: dict[str, dict] = {}
    current = None
    for n in range(start, len(seed.lines) + 1):
        s = seed.line(n)
        key = nospace(s)
        if key in titles:
            current = titles[key]
            regions.setdefault(current, dict(lines=[], rows=[], unit_label=""))
            regions[current]["lines"].append(n)
            continue
        if current is None:
            continue
        um = re.search(r"单位[:：]\s*(万元|元)", s)
        if um:
            regions[current]["unit_label"] = um.group(1)
        cells = pipe_cells(s)
        if cells is not None:
            regions[current]["rows"].append((n, cells))
    missing = [tid for tid, _ in BUDGET_TABLES if tid not in regions]
    if missing:
        raise ValueError(f"budget tables not found: {missing}")
    return regions


# Revenue rows of 收支总表 / 政府预算拨款收支总表 (label without ordinal → key, is_subtotal)
BUDGET_REVENUE = {
    "政府预算拨款": ("fiscal", True), "一般公共预算拨款": ("general_budget", False),
    "政府性基金预算拨款": ("gov_fund", False), "国有资本经营预算拨款": ("state_capital", False),
    "财政专户管理资金": ("fiscal_special_account", False), "单位资金": ("unit_funds", True),
    "事业收入": ("business", False), "事业单位经营收入": ("operating", False),
    "上级补助收入": ("superior_subsidy", False), "附属单位上缴收入": ("affiliated", False),
    "其他收入": ("other", False), "本年收入合计": ("revenue_total", True),
    "上年结余、结转": ("carry_in", False), "收入总计": ("grand_total", True),
}


def extract_budget_summary(out: Out, ctx: Ctx, tid: str, rows, fund: str):
    """收支总表 (预算表1) / 政府预算拨款收支总表 (预算表6): revenue side + 类 rows + totals."""
    for n, c in rows:
        c = (c + [""] * 4)[:4]
        label = clean_label(c[0])
        src = strip_ordinal(label)
        if src in BUDGET_REVENUE and is_num(c[1]):
            key, sub = BUDGET_REVENUE[src]
            if tid == "预算表6" and key == "fiscal":
                sub = True
            add_revenue(out, ctx, tid, n, label, source=src, key=key, subtotal=sub,
                        num=parse_num(c[1]))
        elabel = clean_label(c[2])
        ename = strip_ordinal(elabel)
        num = parse_num(c[3]) if is_num(c[3]) else None
        if ename == "本年支出合计":
            add_amount(out, ctx, tid, n, elabel, measure="expenditure", fund=fund,
                       classification="functional", code="", name=ename, level="total",
                       nature="total", num=num)
        elif ename == "结转下年":
            add_total(out, ctx, tid, n, elabel, fund=fund, item="carry_out", num=num)
        elif ename == "支出总计":
            add_total(out, ctx, tid, n, elabel, fund=fund, item="grand_total", num=num)
        elif elabel != ename and num is not None:      # ordinal prefix → 类 row
            add_amount(out, ctx, tid, n, elabel, measure="expenditure", fund=fund,
                       classification="functional", code=lei_code(ename), name=ename,
                       level="lei", nature="total", num=num)
        elif elabel != ename and num is None and ename:
            # a 类 row whose amount cell is blank (预算表6 四、城乡社区支出): stored as 0 with the
            # flag `amount_missing`, so that audit checks can say why the table's 类 do not add up
            add_amount(out, ctx, tid, n, elabel, measure="expenditure", fund=fund,
                       classification="functional", code=lei_code(ename), name=ename,
                       level="lei", nature="total", num=Num(Decimal(0), ""), flags="amount_missing",
                       note="amount cell of this 类 row is blank in the source")


def unit_kind(label: str) -> str:
    lab = nospace(label)
    if lab == TOP_UNIT:
        return "top"
    if lab == OWN_UNIT:
        return "own"
    return ""


def extract_budget_code_table(out: Out, ctx: Ctx, tid: str, rows, fund: str,
                              classification: str = "functional"):
    """[预算单位, 科目编码, 科目名称, 支出总计, 基本支出, 项目支出, …] tables (预算表3/7/8/10/11)."""
    natures = (("total", 3), ("basic", 4), ("project", 5))
    for n, c in rows:
        c = c + [""] * 6
        kind = unit_kind(c[0])
        if kind == "top":
            continue
        flags, note = "", ""
        if kind == "own":
            code, name, level = "", nospace(c[0]), "total"
        else:
            m = re.fullmatch(r"(\d{7}|\d{5}|\d{3})(?!\d)\s*(.*)", c[1])
            if not m:
                continue   # header rows
            code = m.group(1)
            name = nospace(c[2]) or nospace(m.group(2))
            if m.group(2):
                note = "code and name printed in one cell"
            level = LEVEL_BY_DIGITS[len(code)]
        for nature, i in natures:
            num = parse_num(c[i])
            if num is None:
                raise ValueError(f"{tid} line {n}: blank {nature} cell")
            add_amount(out, ctx, tid, n, name, measure="expenditure", fund=fund,
                       classification=classification, code=code, name=name, level=level,
                       nature=nature, num=num, flags=flags, note=note)


def economic_codes_from(rows) -> dict[str, str]:
    """Name → economic code, read from 预算表8."""
    codes = {}
    for _n, c in rows:
        if len(c) > 2 and re.fullmatch(r"\d{3}|\d{5}", c[1]):
            codes[nospace(c[2])] = c[1]
    return codes


def extract_004(out: Out):
    seed = Seed("004")
    ctx = Ctx(seed, SZ, "本级", "本级", 2023, stage="budget_initial")
    regs = budget_regions(seed)
    for tid, title in BUDGET_TABLES:
        r = regs[tid]
        note = {
            "预算表1": "printed in 3 page chunks with repeated headers",
            "预算表11": "all amounts 0 (source: no amounts this year)",
            "预算表12": "performance target table; not extracted",
        }.get(tid, "")
        add_table(out, ctx, tid, title, r["lines"][0], r["unit_label"] or "万元", note=note)
    # 预算表1 收支总表 (fund all)
    extract_budget_summary(out, ctx, "预算表1", regs["预算表1"]["rows"], "all")
    # 预算表2 收入总表: the 本级 row, columns by position (the header is partly garbled)
    cols2 = [("收入总计", "grand_total", True), ("一般公共预算拨款", "general_budget", True),
             ("基本支出拨款", "gb_basic", False), ("履职类项目拨款", "gb_duty_project", False),
             ("财政专项资金拨款", "gb_special", False), ("政府投资项目拨款", "gb_investment", False),
             ("政府性基金预算拨款", "gov_fund", False), ("国有资本经营预算拨款", "state_capital", False),
             ("财政专户管理资金", "fiscal_special_account", False), ("事业收入", "business", False),
             ("事业单位经营收入", "operating", False), ("上级补助收入", "superior_subsidy", False),
             ("附属单位上缴收入", "affiliated", False), ("其他收入", "other", False),
             ("上年结余、结转", "carry_in", False)]
    own = [(n, c) for n, c in regs["预算表2"]["rows"] if unit_kind(c[0]) == "own"]
    if len(own) != 1 or len(own[0][1]) != 1 + len(cols2):
        raise ValueError("预算表2 layout changed")
    n, c = own[0]
    for (src, key, sub), cell in zip(cols2, c[1:]):
        note = "column read by position (header partly garbled)"
        if key == "general_budget":
            note = join_notes(note, "一般公共预算拨款 小计 column")
        add_revenue(out, ctx, "预算表2", n, f"{nospace(c[0])} {src}", source=src, key=key,
                    subtotal=sub, num=parse_num(cell), note=note)
    # 预算表3 支出总表 (fund all; the 政府采购 columns are ignored)
    extract_budget_code_table(out, ctx, "预算表3", regs["预算表3"]["rows"], "all")
    # 预算表4 基本支出总表: economic names → codes from 预算表8; 总计 column, nature basic
    codes = economic_codes_from(regs["预算表8"]["rows"])
    for n, c in regs["预算表4"]["rows"]:
        kind = unit_kind(c[0])
        if kind == "top" or len(c) < 2 or not is_num(c[1]):
            continue
        name = nospace(c[0])
        if kind == "own":
            code, level, note = "", "total", ""
        else:
            code = codes[name]
            level = LEVEL_BY_DIGITS[len(code)]
            note = "code mapped from the name via 预算表8"
        add_amount(out, ctx, "预算表4", n, name, measure="expenditure", fund="all",
                   classification="economic", code=code, name=name, level=level,
                   nature="basic", num=parse_num(c[1]), note=note)
    # 预算表5 项目支出总表 → projects (budget list: budget_initial = 总计)
    seq = 0
    for n, c in regs["预算表5"]["rows"]:
        if unit_kind(c[0]) or len(c) < 2 or not is_num(c[1]):
            continue
        seq += 1
        num = parse_num(c[1])
        name = nospace(c[0])
        out.add("projects", department=ctx.department, unit=ctx.unit, scope=ctx.scope,
                year=ctx.year, project_id=f"{seed.stem}#{seq}", seq=seq, name=name,
                name_status="ok", budget_initial=fmt(num.value), budget_full_year="",
                executed="", stated_rate="", score="", reason_tags="", reasons="",
                source_unit="万元",
                **prov(ctx, "预算表5", n, name, join_flags(num.flags),
                       join_notes(num.note, "budget list: initial budget only")))
    # 预算表6 政府预算拨款收支总表 (fund fiscal)
    extract_budget_summary(out, ctx, "预算表6", regs["预算表6"]["rows"], "fiscal")
    # 预算表7 / 8 一般公共预算支出表, 预算表10 政府性基金, 预算表11 国有资本经营
    extract_budget_code_table(out, ctx, "预算表7", regs["预算表7"]["rows"], "general_budget")
    extract_budget_code_table(out, ctx, "预算表8", regs["预算表8"]["rows"], "general_budget",
                              classification="economic")
    extract_budget_code_table(out, ctx, "预算表10", regs["预算表10"]["rows"], "gov_fund")
    extract_budget_code_table(out, ctx, "预算表11", regs["预算表11"]["rows"], "state_capital")
    # 预算表9 三公: one row per year; columns by header
    rows9 = regs["预算表9"]["rows"]
    header = next(c for _n, c in rows9 if "年度" in c)
    cat_of = {"总计": "total", "因公出国(境)费": "abroad", "公务接待费": "reception",
              "小计": "vehicle", "公务用车购置费": "vehicle_purchase",
              "公务用车运行维护费": "vehicle_operation"}
    colmap = {i: cat_of[nospace(h)] for i, h in enumerate(header) if nospace(h) in cat_of}
    for n, c in rows9:
        ym = re.fullmatch(r"(\d{4})\s*年", c[1]) if len(c) > 1 else None
        if not ym:
            continue   # header and 增减变化金额 rows
        for i, cat in colmap.items():
            add_sangong(out, ctx, "预算表9", n, f"{c[1]} {nospace(header[i])}", category=cat,
                        num=parse_num(c[i]), year=int(ym.group(1)))
    # Narrative (第三部分 / 第四部分 / 第八部分)
    T = "正文"
    n, m = seed.search(r"人员支出\s*" + r"(\d[\d,\s]*)" + r"万元.*?公用支出\s*(\d[\d,\s]*)万元.*?"
                       r"对个人和家庭的补助支出\s*(\d[\d,\s]*)万元.*?项目支出\s*(\d[\d,\s]*)万元")
    for g, item, label in ((1, "personnel", "人员支出"), (2, "public", "公用支出"),
                           (3, "household_subsidy", "对个人和家庭的补助支出"),
                           (4, "project", "项目支出")):
        add_total(out, ctx, T, n, label, fund="all", item=item, num=parse_num(m.group(g)),
                  note="budget composition stated in the expenditure paragraph")
    n, m = seed.search(r"机关运行经费财政拨款预算\s*(\d[\d,\s]*?)\s*万元")
    add_total(out, ctx, T, n, "机关运行经费财政拨款预算", fund="fiscal", item="admin_running",
              num=parse_num(m.group(1)))
    n, m = seed.search(r"政府采购项目纳入.*?共计\s*(\d[\d,\s]*?)\s*万元.*?货物采购\s*(\d[\d,\s]*?)\s*万元"
                       r".*?工程采购\s*(\d[\d,\s]*?)\s*万元.*?服务采购\s*(\d[\d,\s]*?)\s*万元")
    for g, item, label in ((1, "procurement_total", "政府采购预算共计"),
                           (2, "procurement_goods", "货物采购"),
                           (3, "procurement_works", "工程采购"),
                           (4, "procurement_services", "服务采购")):
        add_total(out, ctx, T, n, label, fund="all", item=item, num=parse_num(m.group(g)))


# --------------------------------------------------------------------------------------------
# Self-checks (--check)
# --------------------------------------------------------------------------------------------


def read_out(out_dir: Path) -> dict[str, list[dict]]:
    data = {}
    for table in COLUMNS:
        with open(out_dir / f"{table}.csv", encoding="utf-8", newline="") as fh:
            data[table] = list(csv.DictReader(fh))
    return data


def identity_checks(data: dict[str, list[dict]]) -> list[str]:
    """Cross-row / cross-table identities of DOMAIN.md §7; returns the non-zero differences."""
    D = Decimal
    msgs: list[str] = []

    def check(label: str, parts: list, whole):
        if whole is None or any(p is None for p in parts):
            msgs.append(f"{label}: figure missing")
            return
        diff = sum(parts, D(0)) - whole
        if diff != 0:
            msgs.append(f"{label}: parts {sum(parts, D(0))} vs {whole} (diff {diff})")

    def get(table, **kw):
        rows = [r for r in data[table] if all(r[k] == str(v) for k, v in kw.items())]
        return D(rows[0]["amount"]) if len(rows) == 1 else None

    # row identities inside code tables: total = basic + project; 公开02 all = fiscal + other
    cells = defaultdict(dict)
    for r in data["amounts"]:
        key = (r["source_doc"][:3], r["source_table"], r["year"], r["stage"], r["measure"],
               r["classification"], r["code"] or r["name"])
        cells[key][(r["fund"], r["nature"])] = D(r["amount"])
    for key, c in sorted(cells.items()):
        for fund in sorted({f for f, _ in c}):
            if (fund, "basic") in c and (fund, "project") in c and (fund, "total") in c:
                check(f"{key[0]}/{key[1]} {key[2]} {key[4]} {fund} {key[6]}: basic+project = total",
                      [c[(fund, "basic")], c[(fund, "project")]], c[(fund, "total")])
        if key[1] == "公开02":
            check(f"000/公开02 {key[6]}: 财政拨款+其他收入 = 合计",
                  [c.get(("fiscal", "total")), c.get(("other_income", "total"))],
                  c.get(("all", "total")))
    rev01 = {r["source_key"]: D(r["amount"]) for r in data["revenue"]
             if r["source_table"] == "公开01"}
    check("公开01 Σ sources = 本年收入合计",
          [v for k, v in rev01.items() if k not in ("revenue_total", "carry_in", "grand_total")],
          rev01.get("revenue_total"))
    check("公开01 本年收入合计 + 年初结转 = 总计",
          [rev01.get("revenue_total"), rev01.get("carry_in")], rev01.get("grand_total"))
    check("公开01 本年支出合计 + 年末结转 = 总计",
          [get("amounts", source_table="公开01", level="total"),
           get("totals", source_table="公开01", item="carry_out")],
          get("totals", source_table="公开01", item="grand_total"))
    check("公开01 本年收入合计 = 公开02 合计", [rev01.get("revenue_total")],
          get("amounts", source_table="公开02", level="total", fund="all"))
    check("公开01 本年支出合计 = 公开03 合计",
          [get("amounts", source_table="公开01", level="total")],
          get("amounts", source_table="公开03", level="total", nature="total"))
    check("公开02 财政拨款 = 公开04 本年收入合计",
          [get("amounts", source_table="公开02", level="total", fund="fiscal")],
          get("revenue", source_table="公开04", source_key="revenue_total"))
    check("公开04 一般公共预算 column = 公开05 合计",
          [get("amounts", source_table="公开04", level="total", fund="general_budget")],
          get("amounts", source_table="公开05", level="total", nature="total"))
    check("公开05 基本支出 = 公开06 人员经费合计 + 公用经费合计",
          [get("totals", source_table="公开06", item="personnel"),
           get("totals", source_table="公开06", item="public")],
          get("amounts", source_table="公开05", level="total", nature="basic"))
    eco = {r["code"]: D(r["amount"]) for r in data["amounts"] if r["source_table"] == "公开06"}
    check("公开06 301 + 303 = 人员经费合计", [eco.get("301"), eco.get("303")],
          get("totals", source_table="公开06", item="personnel"))
    check("公开06 302 + 307 + 310 + 399 = 公用经费合计",
          [eco.get(k, D(0)) for k in ("302", "307", "310", "399")],
          get("totals", source_table="公开06", item="public"))
    # 三公 identities for every (doc, year, stage) with a full breakdown
    sg = defaultdict(dict)
    for r in data["sangong"]:
        sg[(r["source_doc"][:3], r["year"], r["stage"])][r["category"]] = D(r["amount"])
    for key, c in sorted(sg.items()):
        if {"vehicle", "vehicle_purchase", "vehicle_operation"} <= set(c):
            check(f"三公 {key}: 购置 + 运行 = 车小计",
                  [c["vehicle_purchase"], c["vehicle_operation"]], c["vehicle"])
        if {"abroad", "vehicle", "reception", "total"} <= set(c):
            check(f"三公 {key}: 出国 + 车 + 接待 = 合计",
                  [c["abroad"], c["vehicle"], c["reception"]], c["total"])
    # totals-level identities
    tot = defaultdict(dict)
    for r in data["totals"]:
        tot[(r["source_doc"][:3], r["source_table"], r["year"], r["stage"], r["fund"])][r["item"]] = \
            D(r["amount"])
    for key, c in sorted(tot.items()):
        if {"basic", "project", "expenditure_total"} <= set(c):
            check(f"{key}: basic + project = total", [c["basic"], c["project"]],
                  c["expenditure_total"])
        if {"personnel", "daily_public", "basic"} <= set(c):
            check(f"{key}: personnel + daily_public = basic",
                  [c["personnel"], c["daily_public"]], c["basic"])
        if {"personnel", "public", "project", "expenditure_total"} <= set(c):
            check(f"{key}: personnel + public + project = total",
                  [c["personnel"], c["public"], c["project"]], c["expenditure_total"])
        if {"procurement_goods", "procurement_works", "procurement_services"} <= set(c):
            check(f"{key}: goods + works + services = procurement_total",
                  [c["procurement_goods"], c["procurement_works"], c["procurement_services"]],
                  c["procurement_total"])
        if {"personnel", "public", "household_subsidy", "project"} <= set(c):
            check(f"{key}: personnel + public + household + project = 预算表1 本年支出合计",
                  [c["personnel"], c["public"], c["household_subsidy"], c["project"]],
                  get("amounts", source_table="预算表1", level="total"))
    rev = defaultdict(dict)
    for r in data["revenue"]:
        rev[(r["source_doc"][:3], r["source_table"], r["year"], r["stage"])][r["source_key"]] = \
            D(r["amount"])
    for key, c in sorted(rev.items()):
        if {"general_budget", "gov_fund", "revenue_total"} <= set(c) and "fiscal" not in c:
            check(f"{key}: Σ fund sources = revenue_total",
                  [v for k, v in c.items() if k in ("general_budget", "gov_fund", "state_capital",
                                                    "other")], c["revenue_total"])
        if {"gb_basic", "gb_duty_project", "gb_special", "gb_investment"} <= set(c):
            check(f"{key}: 一般公共预算 breakdown = 小计",
                  [c["gb_basic"], c["gb_duty_project"], c["gb_special"], c["gb_investment"]],
                  c["general_budget"])
        if {"general_budget", "gov_fund", "state_capital", "fiscal"} <= set(c):
            check(f"{key}: 一般 + 基金 + 国资 = 政府预算拨款",
                  [c["general_budget"], c["gov_fund"], c["state_capital"]], c["fiscal"])
    for tid in ("预算表1", "预算表6"):
        fund = "all" if tid == "预算表1" else "fiscal"
        check(f"{tid}: 收入总计 = 支出总计",
              [get("revenue", source_table=tid, source_key="grand_total")],
              get("totals", source_table=tid, item="grand_total", fund=fund))
    return msgs


def run_checks(out_dir: Path) -> int:
    data = read_out(out_dir)
    seeds = {p.name: p.read_text(encoding="utf-8").split("\n") for p in SEED_DIR.glob("*.txt")}
    failures: list[str] = []
    notes: list[str] = []

    def expect(cond: bool, what: str):
        print(("  ok   " if cond else "  FAIL ") + what)
        if not cond:
            failures.append(what)

    D = Decimal

    def pick(table, **kw):
        return [r for r in data[table] if all(r[k] == str(v) for k, v in kw.items())]

    def one(table, **kw) -> D | None:
        rows = pick(table, **kw)
        return D(rows[0]["amount"]) if len(rows) == 1 else None

    print("File format")
    for table in COLUMNS:
        raw = (out_dir / f"{table}.csv").read_bytes()
        expect(not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
               and raw.decode("utf-8").split("\n")[0] == ",".join(COLUMNS[table]),
               f"{table}.csv: header, UTF-8 without BOM, \\n line ends")
    for table in ("amounts", "revenue", "totals", "sangong"):
        bad = [r for r in data[table] if not re.fullmatch(r"-?\d+(\.\d+)?", r["amount"])]
        expect(not bad, f"{table}.csv: every amount is a plain decimal")

    print("Key figures")
    d0 = "000_" + "04e09bc6c251173f.txt"
    expect(one("revenue", source_doc=d0, source_table="公开01", source_key="revenue_total")
           == D("321163.15"), "2020 公开01 本年收入合计 = 321163.15")
    for nature, v in (("total", "63682.77"), ("basic", "26917.25"), ("project", "36765.52")):
        expect(one("amounts", source_table="公开03", code="208", nature=nature) == D(v),
               f"公开03 208 {nature} = {v}")
    expect(one("amounts", source_table="公开03", code="20801", nature="total")
           == D("49434.68"), "公开03 20801 = 49434.68")
    expect(one("amounts", source_table="公开02", code="20801", fund="all") == D("49434.68"),
           "公开02 20801 = 49434.68")
    expect(one("sangong", year=2020, stage="final", category="total") == D("52.70"),
           "三公 2020 final total = 52.70")
    expect(one("sangong", year=2020, stage="budget_adjusted", category="total") == D("95.24"),
           "三公 2020 budget total = 95.24")
    expect(one("sangong", year=2021, stage="final", category="total") == D("45.92")
           and one("sangong", year=2021, stage="budget_adjusted", category="total")
           == D("90.07"), "三公 2021 final 45.92 of 90.07")
    p000 = [r for r in data["projects"] if r["source_doc"] == d0]
    expect([int(r["seq"]) for r in p000] == list(range(1, 201)), "000: 200 projects, seq 1..200")
    ft = [r for r in p000 if r["unit"] == "福田分局"]
    expect(len(ft) == 16 and sum(D(r["budget_full_year"]) for r in ft) == D("941.73")
           and sum(D(r["executed"]) for r in ft) == D("878.32"),
           "福田分局 2020: 16 projects, Σbudget 941.73, Σexecuted 878.32")
    expect(len([r for r in p000 if r["unit"] == "直属分局"]) == 11, "直属分局 2020: 11 projects")
    expect(one("revenue", year=2023, source_table="预算表1", source_key="revenue_total")
           == D("298448"), "2023 本级 budget revenue_total = 298448")
    expect(one("totals", year=2022, stage="final", item="expenditure_total")
           == D("46665.43"), "Foshan 2022 final expenditure_total = 46665.43")
    for pid in sorted({r["project_id"] for r in data["indicators"]}):
        w = sum(D(r["weight"]) for r in data["indicators"]
                if r["project_id"] == pid and r["weight"])
        expect(w == 90, f"{pid}: indicator weights sum to 90 (got {w})")

    print("Provenance: every source_line holds the figure's digits")
    bad = []

    def on_line(doc, line, value: str, unit: str = "万元", pct=False):
        """The value (converted back to the printed unit) is a number token on the line.

        Spaces and commas are removed inside cells (OCR splits), tabs and pipes stay separators;
        tokens are compared as decimals, so 87.5 matches a printed 87.50.
        """
        text = re.sub(r"[ ,\u3000]", "", seeds[doc][int(line) - 1])
        d = D(value)
        if unit == "元":
            d = d.scaleb(4)
        if pct:
            d = d.scaleb(2)
        return any(D(t) == d for t in re.findall(r"\d+(?:\.\d+)?", text))

    for table, cols in (("amounts", ["amount"]), ("revenue", ["amount"]), ("totals", ["amount"]),
                        ("sangong", ["amount"]), ("projects", ["budget_full_year",
                                                               "budget_initial"]),
                        ("indicators", ["weight", "score"]),
                        ("quarterly", ["cumulative_actual", "budget"]),
                        ("evaluations", ["value"])):
        for r in data[table]:
            for col in cols:
                if not r.get(col):
                    continue
                if "blank" in r.get("flags", "").split(";"):
                    continue
                pct = table == "evaluations" and r["value_unit"] == "fraction"
                unit = r.get("source_unit", "万元")
                if not on_line(r["source_doc"], r["source_line"], r[col], unit, pct):
                    bad.append(f"{table} {r['source_doc'][:3]}:{r['source_line']} {col}={r[col]}")
                break   # the first present column is the row's figure
    # projects: 执行数 must be on source_line too unless the note names its own line
    for r in data["projects"]:
        if r["executed"] and "执行数 printed on line" not in r["note"] and \
                not on_line(r["source_doc"], r["source_line"], r["executed"], r["source_unit"]):
            bad.append(f"projects {r['project_id']} executed={r['executed']}")
    expect(not bad, f"all figures found on their source_line ({len(bad)} misses)")
    for b in bad[:20]:
        print("       ", b)

    print("Hierarchy sums (children vs published parent; differences are reported, not fixed)")
    groups = defaultdict(list)
    for r in data["amounts"]:
        key = (r["source_doc"][:3], r["source_table"], r["year"], r["stage"], r["measure"],
               r["fund"], r["classification"], r["nature"])
        groups[key].append(r)
    worst = Decimal(0)
    for key, rows in sorted(groups.items()):
        total = [r for r in rows if r["level"] == "total"]
        lei = [r for r in rows if r["level"] == "lei"]
        pairs = []
        if total and lei:
            pairs.append(("Σ类 vs total", sum(D(r["amount"]) for r in lei),
                          D(total[0]["amount"])))
        for parent in rows:
            if parent["level"] in ("lei", "kuan"):
                plen = len(parent["code"])
                kids = [r for r in rows if len(r["code"]) == plen + 2
                        and r["code"].startswith(parent["code"])]
                if kids:
                    pairs.append((f"Σ children vs {parent['code']}",
                                  sum(D(r["amount"]) for r in kids), D(parent["amount"])))
        for what, s, p in pairs:
            diff = s - p
            if diff != 0:
                tag = "within 0.01" if abs(diff) <= D("0.01") else "EXCEEDS 0.01"
                msg = f"{'/'.join(key[:2])} {key[2]} {key[3]} {key[4]} {key[5]} {key[6]} " \
                      f"{key[7]}: {what}: {s} vs {p} (diff {diff}) [{tag}]"
                notes.append(msg)
                worst = max(worst, abs(diff))
    for msg in notes:
        print("  diff", msg)
    print(f"  {len(notes)} published differences found (largest {worst})")

    print("Accounting identities (differences are source defects, reported not fixed)")
    idiffs = identity_checks(data)
    for msg in idiffs:
        print("  diff", msg)
    print(f"  {len(idiffs)} identity differences")

    print("Project rates (stated vs executed / budget, |Δ| > 0.005)")
    for r in data["projects"]:
        if r["stated_rate"] and r["budget_full_year"] and D(r["budget_full_year"]) != 0:
            calc = D(r["executed"]) / D(r["budget_full_year"])
            if abs(calc - D(r["stated_rate"])) > D("0.005"):
                print(f"  diff {r['project_id']}: stated {r['stated_rate']} vs "
                      f"{calc.quantize(D('0.0001'))}")

    print()
    print("FAILED:" if failures else "All checks passed.")
    for f in failures:
        print("  -", f)
    return 1 if failures else 0


# --------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="run the self-checks after writing")
    ap.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    args = ap.parse_args(argv)
    out = Out()
    extract_000(out)
    extract_001(out)
    extract_002(out)
    extract_003(out)
    extract_004(out)
    out.write(args.out)
    for table in COLUMNS:
        print(f"{table}.csv: {len(out.rows[table])} rows")
    if args.check:
        print()
        return run_checks(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
