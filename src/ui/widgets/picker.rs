//! A searchable list inside a combo box: a filter box (focused when the list opens) above the
//! matching entries; Enter takes the first match. For the top bar's 部门 when a dataset holds many
//! departments. An entry matches a part of its name, or the pinyin initials of consecutive
//! characters of it (`sjj` 审计局, `cq` 重庆).

use pinyin::{ToPinyin as _, ToPinyinMulti as _};

/// Characters whose second reading is as usual in names of departments and places as the first
/// (长沙 chang, 重庆 chong, 银行 hang, 会计 kuai, 厦门 xia, 西藏 zang …): every reading of these
/// counts. Every other character counts by its usual reading only: all readings would let
/// rare ones match nearly every name (市 also reads fu, 区 ou, 部 pou).
const POLYPHONES: &str = "长重行会厦藏乐朝调传差系率解参单";

/// The letters a character can be typed as: a Chinese character's pinyin initial (one per
/// reading for [`POLYPHONES`]), a Latin letter (lowercase) or digit itself; none for anything
/// else.
fn letters(c: char) -> Vec<char> {
    if c.is_ascii_alphanumeric() {
        return vec![c.to_ascii_lowercase()];
    }
    let first = |p: pinyin::Pinyin| p.first_letter().chars().next();
    let mut out: Vec<char> = if POLYPHONES.contains(c) {
        c.to_pinyin_multi()
            .into_iter()
            .flatten()
            .filter_map(first)
            .collect()
    } else {
        c.to_pinyin().and_then(first).into_iter().collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether `name` matches what was typed: `query` (trimmed, any case) is part of the name, or its
/// letters and digits are the initials of consecutive characters of the name (characters with
/// no initial, such as brackets, are passed over).
pub fn matches(name: &str, query: &str) -> bool {
    let query = query.trim().to_lowercase();
    if query.is_empty() || name.to_lowercase().contains(&query) {
        return true;
    }
    if !query.chars().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let typed: Vec<char> = query.chars().collect();
    let initials: Vec<Vec<char>> = name
        .chars()
        .map(letters)
        .filter(|l| !l.is_empty())
        .collect();
    initials.windows(typed.len()).any(|run| {
        run.iter()
            .zip(&typed)
            .all(|(options, c)| options.contains(c))
    })
}

/// Draw the list of `items` matching the filter typed above it; returns the item chosen.
pub fn filtered_list(
    ui: &mut egui::Ui,
    id: egui::Id,
    items: &[String],
    current: &str,
) -> Option<String> {
    // the list was not shown in the last pass: it has just been opened, with an empty filter
    let pass = ui.ctx().cumulative_pass_nr();
    let shown = id.with("shown");
    let opened = ui
        .data(|d| d.get_temp::<u64>(shown))
        .is_none_or(|last| last.saturating_add(1) < pass);
    ui.data_mut(|d| d.insert_temp(shown, pass));
    let mut filter: String = if opened {
        String::new()
    } else {
        ui.data(|d| d.get_temp(id)).unwrap_or_default()
    };
    let edit = ui
        .horizontal(|ui| {
            // the help on the label: a tooltip of the box would cover the first entry while
            // the pointer rests on the box just clicked
            let label = ui
                .label("筛选部门")
                .on_hover_text("输入部门名称的一部分或拼音首字母（如 sjj：审计局）；回车选第一个");
            ui.add(
                egui::TextEdit::singleline(&mut filter)
                    .hint_text("名称或拼音首字母")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id)
        })
        .inner;
    // typing goes to the filter as soon as the list opens (the combo box's button, just clicked,
    // has the focus then) and whenever nothing else has it
    if !edit.has_focus() && (opened || ui.memory(|m| m.focused().is_none())) {
        edit.request_focus();
    }
    let matches: Vec<&String> = items.iter().filter(|s| matches(s, &filter)).collect();
    ui.label(
        egui::RichText::new(format!("{} / {} 个", matches.len(), items.len()))
            .small()
            .weak(),
    );
    let mut chosen = None;
    if (edit.lost_focus() || edit.has_focus()) && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
        chosen = matches.first().map(|s| (*s).clone());
    }
    egui::ScrollArea::vertical()
        .id_salt(id.with("scroll"))
        .max_height(320.0)
        .show(ui, |ui| {
            for s in &matches {
                if ui
                    .selectable_label(s.as_str() == current, s.as_str())
                    .clicked()
                {
                    chosen = Some((*s).clone());
                }
            }
        });
    ui.data_mut(|d| d.insert_temp(id, filter));
    chosen
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn names_match_a_part_or_pinyin_initials() {
        // a part of the name, in any case
        assert!(matches("苏州市审计局", "审计"));
        assert!(matches("Fiscal 局", "fis"));
        assert!(matches("苏州市审计局", ""));
        // initials of consecutive characters, anywhere in the name
        assert!(matches("苏州市审计局", "sjj"));
        assert!(matches("苏州市审计局", "SZS"));
        assert!(matches("苏州市审计局", "szssjj"));
        assert!(!matches("苏州市审计局", "sjz"));
        assert!(!matches("苏州市审计局", "szsjj"), "not consecutive");
        // both readings of a polyphone: 重 zhong / chong, 长 chang / zhang, 会 hui / kuai
        assert!(matches("重庆市科学技术局", "cqs"));
        assert!(matches("重庆市科学技术局", "zqs"));
        assert!(matches("某市会计核算中心", "kjhs"));
        // only the usual reading of other characters (市 also reads fu)
        assert!(!matches("深圳市社会保险基金管理局", "fs"));
        assert!(matches("佛山市社会保险基金管理局", "fs"));
        assert!(matches("长沙市信访局", "cssxfj"));
        assert!(!matches("长沙市信访局", "csxfj"), "市 is typed too");
        // digits as typed, brackets passed over
        assert!(matches("合成市第001局", "d001j"));
        assert!(matches("上海市（本级）财政局", "bjczj"));
        assert!(!matches("上海市财政局", "shczjx"));
        assert!(!matches("上海市财政局", "财务"));
    }
}
