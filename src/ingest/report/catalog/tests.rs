//! Title recognition and grid cutting on small report excerpts.

use super::*;

#[test]
fn spaced_group_header_over_amount_columns() {
    // an unruled 收支总表 whose 支出 side prints 合计 | 基本支出 (人员经费 | 公用经费) | 项目支出
    // on three header lines (Shanghai 单位预算 layout)
    let lines = [
        "                           本年收入                                                     本年支出",
        "                                                                                                      预算数",
        "                      项目                预算数               项目                                   基本支出",
        "                                                                                   合计                                   项目支出",
        "                                                                                               人员经费      公用经费",
        "          一、财政拨款收入               215,020,000  一、其他支出               216,801,570    17,499,901     3,362,962  195,938,707",
    ];
    let body: Vec<(usize, &str)> = lines.iter().enumerate().map(|(i, l)| (i + 1, *l)).collect();
    let grid = build_grid(Layout::Spaced, 0, &body);
    let row = &grid.rows[0].cells;
    let at = |text: &str| row.iter().position(|c| c == text).unwrap();
    let head = |text: &str| grid.head(at(text));
    assert!(
        head("216,801,570").ends_with("合计"),
        "{}",
        head("216,801,570")
    );
    assert!(
        head("17,499,901").ends_with("人员经费"),
        "{}",
        head("17,499,901")
    );
    assert!(
        head("3,362,962").ends_with("公用经费"),
        "{}",
        head("3,362,962")
    );
    assert!(
        head("195,938,707").ends_with("项目支出"),
        "{}",
        head("195,938,707")
    );
    assert_eq!(head("215,020,000"), "预算数");
}

#[test]
fn spaced_code_column_under_a_wrapped_header() {
    // 科目代 / 码 printed above and below the header line that names the other columns; a
    // footer label runs across the code and name columns
    let lines = [
        "  科目代                             科目代",
        "             科目名称      决算数          科目名称      决算数",
        "   码                                 码",
        "  301    工资福利支出     92,835.98   302   商品和服务支出   2,085.91",
        "  30101  基本工资         32,390.68   30201 办公费             279.66",
        "  人员经费合计            92,835.98   公用经费合计         2,085.91",
    ];
    let body: Vec<(usize, &str)> = lines.iter().enumerate().map(|(i, l)| (i + 1, *l)).collect();
    let grid = build_grid(Layout::Spaced, 0, &body);
    let row = &grid.rows[0].cells;
    let at = |text: &str| row.iter().position(|c| c == text).unwrap();
    assert!(grid.head(at("301")).contains("代"), "{row:?}");
    assert!(grid.head(at("302")).contains("代"), "{row:?}");
    assert_eq!(grid.head(at("工资福利支出")), "科目名称");
    assert_eq!(grid.head(at("92,835.98")), "决算数");
}

#[test]
fn header_repeated_in_other_columns_starts_a_part() {
    // page 1's ruling adds an empty first column, page 2's does not: each part is read
    // against its own header
    let lines = [
        "\t科目编码\t合计\t基本支出",
        "\t2010301\t10.00\t10.00",
        "科目编码\t合计\t基本支出",
        "2010302\t5.00\t5.00",
        "\t科目编码\t合计\t基本支出",
        "\t2010350\t7.00\t7.00",
    ];
    let body: Vec<(usize, &str)> = lines.iter().enumerate().map(|(i, l)| (i + 1, *l)).collect();
    let grids = build_grids(Layout::Tab, 0, &body);
    assert_eq!(grids.len(), 3);
    for (g, code) in grids.iter().zip(["2010301", "2010302", "2010350"]) {
        let i = (0..g.width()).find(|&i| g.head(i) == "合计").unwrap();
        let c = (0..g.width()).find(|&i| g.head(i) == "科目编码").unwrap();
        assert_eq!(g.rows[0].get(c), code);
        assert!(g.rows[0].get(i).ends_with(".00"));
    }
}

#[test]
fn unrecognised_tables_are_listed_by_title() {
    let lines = [
        "2026年政府采购预算明细表",
        "项目\t采购品目\t金额",
        "合计\t\t10.00",
        "公开12表",
        "第二部分 2026年部门预算表",
        "一、本表说明见下",
    ];
    let found = unrecognised_titles(&lines, &[]);
    assert_eq!(found, vec![(0, "2026年政府采购预算明细表".to_owned())]);
}

#[test]
fn page_number_lines_are_furniture() {
    let none = std::collections::HashSet::new();
    for t in ["第10页，共45页", "- 3 -", "第 3 页"] {
        assert!(is_furniture(t, &none), "{t}");
    }
    assert!(!is_furniture("1,234", &none));
}

#[test]
fn patterns_compile() {
    assert!(NUMBERING.is_some() && TRAILING_NUMBER.is_some() && PAGE_NUMBER.is_some());
    assert!(PREFIX.is_some() && TABLE_NO.is_some() && MARKER.is_some());
    assert!(UNIT.is_some() && META_LINE.is_some());
}

#[test]
fn titles_with_variants() {
    assert_eq!(
        title_kind("### 收入支出决算总表", None),
        Some(Kind::FinalSummary)
    );
    assert_eq!(
        title_kind("一般公共预算支出表 (按功能分类)", None),
        Some(Kind::BudgetGeneralFunctional)
    );
    assert_eq!(
        title_kind("### 一般公共预算财政拨款“三公”经费支出决算表", None),
        Some(Kind::FinalSangong)
    );
    assert_eq!(
        title_kind("- (一) 收支总表", None),
        Some(Kind::BudgetSummary)
    );
    assert_eq!(
        title_kind("表 2-1 各季度预算执行进度情况表", None),
        Some(Kind::Quarterly)
    );
    assert_eq!(title_kind("收支总表说明如下", None), None);
    for (title, kind) in [
        ("2026年预算单位财务收支预算总表", Kind::BudgetSummary),
        ("表一 2026年单位收支总体情况表", Kind::BudgetSummary),
        ("预算01表 收支总表", Kind::BudgetSummary),
        ("收支总表（预算表1）", Kind::BudgetSummary),
        ("表1：2026年市级部门收支预算总表", Kind::BudgetSummary),
        ("公开表1 收支总体情况表", Kind::BudgetSummary),
        ("四、财政拨款收支总体情况表", Kind::BudgetFiscalSummary),
        ("2026年预算单位收入预算总表", Kind::BudgetRevenue),
        ("三、本年支出总体情况表", Kind::BudgetExpenditure),
        (
            "六、一般公共预算基本支出情况表（按经济分类科目）",
            Kind::BudgetGeneralEconomic,
        ),
        (
            "五、一般公共预算支出情况表（按功能分类科目）",
            Kind::BudgetGeneralFunctional,
        ),
        (
            "九、一般公共预算“三公”经费、会议费、培训费支出表",
            Kind::BudgetSangong,
        ),
        ("收入支出决算总表", Kind::FinalSummary),
        ("十一、部门预算基本支出预算表", Kind::BudgetBasic),
        (
            "2019年部门综合预算一般公共预算基本支出明细表（按支出经济分类科目）",
            Kind::BudgetGeneralEconomic,
        ),
    ] {
        assert_eq!(title_kind(title, None), Some(kind), "{title}");
    }
    for prose in [
        "表01",
        "（一）收支预算情况的总体说明（详见表1-3）",
        "四、2026年杭州市气象局预算公开表",
        "七、一般公共预算项目支出情况表（按经济分类科目）",
        "十二、政府采购预算情况表",
        "2019年部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）",
    ] {
        assert_eq!(title_kind(prose, None), None, "{prose}");
    }
    assert_eq!(
        title_kind("某某局2021年度收入决算表", Some("某某局")),
        Some(Kind::FinalRevenue)
    );
}

#[test]
fn codes() {
    assert!(is_code("2080109"));
    assert!(is_code("208 05 01"));
    assert!(is_code("208"));
    assert!(!is_code("2080"));
    assert!(!is_code("20 805"));
    assert!(!is_code("1.38"));
}
