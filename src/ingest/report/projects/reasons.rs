//! The stated reasons for under-execution, tagged by rule (政策调整, 采购延迟, …).

/// Keyword rules for the reason tags (our words; the stated text is not copied).
pub(super) const REASON_RULES: &[(&str, &[&str])] = &[
    ("疫情影响", &["疫情", "新冠", "防控措施"]),
    (
        "压减预算",
        &[
            "压减",
            "财政缩减",
            "缩减差旅",
            "缩减相关",
            "调减",
            "冻结",
            "压缩",
            "核减",
            "节约经费",
        ],
    ),
    (
        "采购或招标延迟",
        &[
            "招标",
            "招投标",
            "采购计划未",
            "未能实施采购",
            "采购不及时",
            "无法采购",
            "未开展采购",
            "未审批",
            "未获批准",
            "交货缓慢",
        ],
    ),
    (
        "跨年支付或结转",
        &[
            "跨年",
            "尾款",
            "结转",
            "2021 年支付",
            "2021年支付",
            "2021 年执行",
            "次年",
            "第二年",
            "滞后",
            "第四季度",
            "年末进行",
        ],
    ),
    (
        "人员变动",
        &[
            "人员变动",
            "流动性",
            "缺岗",
            "辞职",
            "退休",
            "到岗率",
            "招聘",
            "人手不足",
            "人手紧张",
            "人手少",
            "配备不足",
        ],
    ),
    (
        "需求或业务量变化",
        &[
            "需求",
            "业务量",
            "数量减少",
            "量下降",
            "量减少",
            "数量占比",
            "宗数小于",
            "次数减少",
            "次数较少",
            "次数未",
            "次数也减少",
            "频次",
            "积极性",
            "放弃",
            "参保人数",
            "提供资料",
            "学校减少",
            "数量比较多",
            "数量较少",
            "采购量",
            "使用量减少",
            "支出较少",
            "开放天数",
            "实际业务",
        ],
    ),
    (
        "政策或职能调整",
        &[
            "政策变化",
            "政策调整",
            "减免",
            "职能",
            "划转",
            "机构改革",
            "流程优化",
            "优化了",
            "统一支付",
            "统一配置",
            "官网公告",
            "项目有所调整",
            "上级要求",
            "按上级",
            "转公办",
        ],
    ),
    (
        "预算编制偏差",
        &[
            "预算编制",
            "预测不准",
            "预算不准确",
            "未合理评估",
            "编报采购预算",
            "设置不合理",
            "先知预测",
            "没有预测",
            "预判",
            "按比例预留",
            "略有偏差",
            "预算的限制",
        ],
    ),
];

/// `;`-joined reason tags for the stated problems; `无` when none are stated.
pub fn reason_tags(problems: &[String]) -> String {
    let texts: Vec<&String> = problems
        .iter()
        .filter(|t| {
            let core: String = t
                .chars()
                .filter(|c| !c.is_whitespace() && !matches!(c, '。' | '.' | ':' | '：'))
                .collect();
            !core.is_empty() && core != "无"
        })
        .collect();
    if texts.is_empty() {
        return "无".to_owned();
    }
    let mut hit = vec![false; REASON_RULES.len() + 1];
    for t in texts {
        let mut matched = false;
        for (k, (_, words)) in REASON_RULES.iter().enumerate() {
            if words.iter().any(|w| t.contains(w)) {
                matched = true;
                if let Some(h) = hit.get_mut(k) {
                    *h = true;
                }
            }
        }
        if !matched && let Some(h) = hit.last_mut() {
            *h = true;
        }
    }
    REASON_RULES
        .iter()
        .map(|(tag, _)| *tag)
        .chain(std::iter::once("其他"))
        .zip(hit)
        .filter(|(_, h)| *h)
        .map(|(t, _)| t)
        .collect::<Vec<_>>()
        .join(";")
}

/// The stated problems of a paragraph: the text after each `发现的主要问题(及原因)：` up to
/// `下一步改进措施` (or the end).
pub(super) fn problems_of(t: &str) -> Vec<String> {
    const KEY: &str = "发现的主要问题";
    const NEXT: &str = "下一步改进措施";
    let mut out = Vec::new();
    let mut from = 0usize;
    while let Some(rel) = t.get(from..).and_then(|r| r.find(KEY)) {
        let at = from + rel;
        let mut p = at + KEY.len();
        let rest = |p: usize| t.get(p..).unwrap_or("");
        if rest(p).starts_with("及原因") {
            p += "及原因".len();
        }
        p += rest(p).len() - rest(p).trim_start().len();
        let Some(c) = rest(p).chars().next().filter(|c| matches!(c, ':' | '：')) else {
            from = at + KEY.len();
            continue;
        };
        p += c.len_utf8();
        p += rest(p).len() - rest(p).trim_start().len();
        // a repeated `发现的主要问题及原因：`
        let again = format!("{KEY}及原因");
        if let Some(r) = rest(p).strip_prefix(again.as_str()) {
            let r2 = r.trim_start();
            if let Some(c2) = r2.chars().next().filter(|c| matches!(c, ':' | '：')) {
                let after = r2.get(c2.len_utf8()..).unwrap_or("").trim_start();
                p = t.len() - after.len();
            }
        }
        let end = rest(p).find(NEXT).map_or(t.len(), |e| p + e);
        out.push(t.get(p..end).unwrap_or("").to_owned());
        from = end.max(at + KEY.len());
    }
    out
}
