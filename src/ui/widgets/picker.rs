//! A searchable list inside a combo box: a filter box (focused when the list opens) above the
//! matching entries; Enter takes the first match. For the top bar's 部门 when a dataset holds many
//! departments.

/// Draw the list of `items` matching the filter typed above it; returns the item chosen.
pub fn filtered_list(
    ui: &mut egui::Ui,
    id: egui::Id,
    items: &[String],
    current: &str,
) -> Option<String> {
    let mut filter: String = ui.data(|d| d.get_temp(id)).unwrap_or_default();
    let edit = ui.add(
        egui::TextEdit::singleline(&mut filter)
            .hint_text("输入名称筛选")
            .desired_width(f32::INFINITY),
    );
    let edit = edit.on_hover_text("输入部门名称的一部分；回车选第一个");
    // typing goes to the filter as soon as the list is open
    if !edit.has_focus() && ui.memory(|m| m.focused().is_none()) {
        edit.request_focus();
    }
    let needle = filter.trim().to_lowercase();
    let matches: Vec<&String> = items
        .iter()
        .filter(|s| needle.is_empty() || s.to_lowercase().contains(&needle))
        .collect();
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
    if chosen.is_some() {
        // the next opening starts with an empty filter
        ui.data_mut(|d| d.remove::<String>(id));
    }
    chosen
}
