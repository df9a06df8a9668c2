//! Project self-evaluations written as paragraphs (项目绩效自评综述).

#[allow(clippy::wildcard_imports)]
use super::*;

/// Lines joined into one string with an offset → line map.
pub(super) struct Joined {
    pub(super) text: String,
    pub(super) offsets: Vec<usize>,
    pub(super) lines: Vec<usize>,
}

impl Joined {
    pub(super) fn new(lines: &[&str], start: usize, end: usize) -> Self {
        let mut j = Joined {
            text: String::new(),
            offsets: Vec::new(),
            lines: Vec::new(),
        };
        for n in start..end {
            let s = lines.get(n).map_or("", |l| l.trim());
            if s.is_empty() {
                continue;
            }
            j.offsets.push(j.text.len());
            j.lines.push(n + 1);
            j.text.push_str(s);
        }
        j
    }

    pub(super) fn line_at(&self, offset: usize) -> usize {
        let i = self.offsets.partition_point(|&o| o <= offset);
        self.lines
            .get(i.saturating_sub(1))
            .copied()
            .unwrap_or_default()
    }
}

/// Read every numbered project paragraph. Returns the number of paragraphs found and the line
/// of the first.
pub fn read_paragraphs(ctx: &mut Ctx<'_>, lines: &[&str], stem: &str) -> (usize, usize) {
    let (Some(head), Some(label_rx), Some(unit_rx)) =
        (HEAD.as_ref(), LABEL.as_ref(), UNIT.as_ref())
    else {
        return (0, 0);
    };
    let heads: Vec<(usize, usize)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let c = head.captures(l)?;
            Some((i, c.get(1)?.as_str().parse().ok()?))
        })
        .collect();
    let mut found = 0usize;
    let mut first = 0usize;
    for (k, &(start, seq)) in heads.iter().enumerate() {
        let next = heads.get(k + 1).map_or(lines.len(), |h| h.0);
        let end = (start + 1..next)
            .find(|&i| {
                lines
                    .get(i)
                    .is_some_and(|l| l.trim_start().starts_with('#'))
            })
            .unwrap_or(next);
        let para = Joined::new(lines, start, end);
        let t = para.text.as_str();
        if !(t.contains("自评") && t.contains("全年预算数")) {
            continue; // a numbered paragraph that is not a project summary
        }
        found += 1;
        let line = start + 1;
        if first == 0 {
            first = line;
        }
        let Some(m) = label_rx.captures(t) else {
            continue;
        };
        let label = m.get(1).map_or("", |g| g.as_str()).to_owned();
        let mut pos = m.get(0).map_or(0, |g| g.end());
        let mut unit = None;
        if let Some(u) = unit_rx.captures(t.get(pos..).unwrap_or("")) {
            unit = u.get(1).map(|g| g.as_str().to_owned());
            pos += u.get(0).map_or(0, |g| g.end());
        }
        let Some(colon) = t
            .get(pos..)
            .and_then(|r| r.find([':', '：']))
            .map(|c| pos + c)
        else {
            ctx.error(
                line,
                "",
                format!("项目段落 {label} 找不到项目名称后的冒号，未导入"),
            );
            continue;
        };
        let mut name = nospace(t.get(pos..colon).unwrap_or(""));
        for suf in NAME_SUFFIXES {
            if let Some(n) = name.strip_suffix(suf) {
                name = n.to_owned();
                break;
            }
        }
        let find =
            |rx: &Option<Regex>, from: usize| rx.as_ref().and_then(|rx| rx.captures_at(t, from));
        let Some(ms) = find(&SCORE, colon) else {
            ctx.error(line, "", format!("项目段落 {label} 找不到自评得分，未导入"));
            continue;
        };
        let Some(mb) = find(&BUDGET, ms.get(0).map_or(colon, |g| g.end())) else {
            ctx.error(
                line,
                "",
                format!("项目段落 {label} 找不到项目全年预算数，未导入"),
            );
            continue;
        };
        let Some(me) = find(&EXECUTED, mb.get(0).map_or(colon, |g| g.end())) else {
            ctx.error(line, "", format!("项目段落 {label} 找不到执行数，未导入"));
            continue;
        };
        let Some(mr) = find(&RATE, me.get(0).map_or(colon, |g| g.end())) else {
            ctx.error(
                line,
                "",
                format!("项目段落 {label} 找不到预算执行率，未导入"),
            );
            continue;
        };
        let grab = |m: &regex::Captures<'_>, g: usize| -> (String, usize) {
            m.get(g)
                .map_or((String::new(), 0), |x| (x.as_str().to_owned(), x.start()))
        };
        let (score_raw, score_at) = grab(&ms, 1);
        let (bud_raw, bud_at) = grab(&mb, 1);
        let (exe_raw, exe_at) = grab(&me, 1);
        let (rate_raw, rate_at) = grab(&mr, 1);
        let rate_raw = format!("{rate_raw}{}", mr.get(2).map_or("", |g| g.as_str()));
        let mut prov = ctx.prov(para.line_at(bud_at), &label);
        prov.table = "项目自评综述".to_owned();
        let mut vals = Vec::new();
        let mut bad = false;
        for (raw, at, what) in [
            (&bud_raw, bud_at, "项目全年预算数"),
            (&exe_raw, exe_at, "执行数"),
            (&score_raw, score_at, "自评得分"),
            (&rate_raw, rate_at, "预算执行率"),
        ] {
            if let Got::Value(v) = ctx.number(para.line_at(at), what, raw) {
                vals.push(v);
            } else {
                bad = true;
                break;
            }
        }
        let [bud, exe, score, rate] = match <[_; 4]>::try_from(vals) {
            Ok(v) if !bad => v,
            _ => {
                ctx.error(
                    line,
                    "",
                    format!("项目段落 {label} 有无法读取的数字，未导入"),
                );
                continue;
            }
        };
        for v in [&bud, &exe, &score, &rate] {
            v.mark(&mut prov);
        }
        if para.line_at(pos) != para.line_at(colon.saturating_sub(1)) {
            prov.flag("wrapped");
        }
        let exe_line = para.line_at(exe_at);
        if exe_line != prov.line {
            prov.note(format!("执行数 printed on line {exe_line}"));
        }
        if unit.is_none() {
            prov.note("paragraph names no implementing unit");
        }
        let p = ProjectRow {
            unit: unit.unwrap_or_else(|| "未注明单位".to_owned()),
            project_id: format!("{stem}#{seq}"),
            seq,
            name,
            name_status: "ok",
            budget_initial: None,
            budget_full_year: Some(bud.value.normalize()),
            executed: Some(exe.value.normalize()),
            stated_rate: Some(numbers::percent_to_fraction(rate.value)),
            score: Some(score.value.normalize()),
            reason_tags: reason_tags(&problems_of(t)),
            reasons: String::new(),
            source_unit: "万元",
        };
        ctx.out.project(&ctx.who, &p, &prov);
        ctx.rows_read += 1;
    }
    (found, first)
}
