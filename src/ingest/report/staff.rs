//! Staff numbers stated in a report's prose: 核定编制数 (the authorised establishment) and 年末在编数
//! / 实有人数 (the people employed), e.g. `核定编制数（含工勤人员）793人，年末在编数（含工勤人员）755人`.
//! The first statement of each kind in a sentence of prose is taken (table rows are left alone: a
//! line must read as a sentence, with a `，` or `。`), stored as an `evaluations` row in 人.

use std::sync::LazyLock;

use regex::Regex;

use super::emit::{Out, Prov, Who};
use super::layout::nospace;

/// `(核定)编制数|编制人数（…）(为|共)? N 人|名`
static AUTHORIZED: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(核定编制数|核定编制人数|编制人数|核定编制)(（[^）]{0,12}）)?(为|共)?(\d{1,6})(人|名)",
    )
    .ok()
});

/// `年末在编数|在编人数|实有人数|年末实有人数（…）(为|共)? N 人|名`
static ACTUAL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(年末在编数|年末在编人数|在编人数|年末实有人数|实有人数|实有在编人数)(（[^）]{0,12}）)?(为|共)?(\d{1,6})(人|名)",
    )
    .ok()
});

/// Read the first statement of each staff number in the document's prose.
pub(super) fn read_staff(lines: &[&str], who: &Who, out: &mut Out) {
    for (item, re) in [("staff_authorized", &AUTHORIZED), ("staff_actual", &ACTUAL)] {
        let Some(re) = re.as_ref() else { continue };
        let found = lines.iter().enumerate().find_map(|(i, line)| {
            let text = nospace(line);
            if !(text.contains('，') || text.contains('。')) {
                return None;
            }
            let caps = re.captures(&text)?;
            let label = format!(
                "{}{}",
                caps.get(1).map_or("", |m| m.as_str()),
                caps.get(2).map_or("", |m| m.as_str())
            );
            let count = caps.get(4)?.as_str().trim_start_matches('0').to_owned();
            (!count.is_empty()).then_some((i + 1, label, count))
        });
        if let Some((line, label, count)) = found {
            let prov = Prov::new("正文", line, &label);
            out.evaluation(who, item, &count, "人", &prov);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who() -> Who {
        Who {
            department: "某局".to_owned(),
            unit: "全部门".to_owned(),
            scope: "全部门".to_owned(),
            year: 2021,
            doc: "r.txt".to_owned(),
        }
    }

    #[test]
    fn reads_both_staff_numbers_from_a_sentence() {
        let lines = [
            "一、机构设置",
            "截止2021年12月31日，我局核定编制数（含工勤人员）793人，年末在编数（含工勤人员）755人，财政供养人员控制率为95.21%。",
        ];
        let mut out = Out::default();
        read_staff(&lines, &who(), &mut out);
        let rows: Vec<(String, String, String)> = out
            .evaluations
            .iter()
            .map(|r| (r[4].clone(), r[5].clone(), r[9].clone()))
            .collect();
        assert_eq!(
            rows,
            vec![
                (
                    "staff_authorized".to_owned(),
                    "793".to_owned(),
                    "2".to_owned()
                ),
                ("staff_actual".to_owned(), "755".to_owned(), "2".to_owned()),
            ]
        );
        assert_eq!(out.evaluations[0][10], "核定编制数（含工勤人员）");
    }

    #[test]
    fn table_rows_and_other_counts_are_not_staff_numbers() {
        let lines = [
            "编制人数 | 12 | 13",
            "培训人数 100 人次，参保人数 3872 人。",
            "实有人数为 0012 名。",
        ];
        let mut out = Out::default();
        read_staff(&lines, &who(), &mut out);
        let rows: Vec<(String, String)> = out
            .evaluations
            .iter()
            .map(|r| (r[4].clone(), r[5].clone()))
            .collect();
        assert_eq!(rows, vec![("staff_actual".to_owned(), "12".to_owned())]);
    }
}
