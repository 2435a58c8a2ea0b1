//! A chart drawn on the server as SVG: one bar per report row, split into dossiers finished
//! early, on time and late, with the on-time share written beside it. It scales to the
//! screen's width; the table below it carries the same numbers for screen readers.

use super::StatsRow;

const WIDTH: i64 = 320;
const BAR_WIDTH: i64 = 240;
const ROW_HEIGHT: i64 = 44;
/// Colours with at least 3:1 contrast against white (WCAG 1.4.11), told apart by the legend
/// (the same colours as `.legend__swatch--*` in the stylesheet).
const EARLY_COLOUR: &str = "#1b6b3a";
const ON_TIME_COLOUR: &str = "#1f5fa8";
const LATE_COLOUR: &str = "#b3261e";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn shorten(label: &str) -> String {
    let chars: Vec<char> = label.chars().collect();
    if chars.len() <= 44 {
        label.to_owned()
    } else {
        chars[..43].iter().collect::<String>() + "…"
    }
}

/// The chart, or `None` when no row has a finished dossier.
pub fn on_time_chart(rows: &[StatsRow], title: &str) -> Option<String> {
    if rows.iter().all(|row| row.figures.finished() == 0) {
        return None;
    }
    let height = ROW_HEIGHT * rows.len() as i64;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" role=\"img\" \
         aria-label=\"{}\" class=\"chart\">",
        escape(title)
    );
    for (index, row) in rows.iter().enumerate() {
        let y = index as i64 * ROW_HEIGHT;
        let f = &row.figures;
        svg.push_str(&format!(
            // Row labels are agency, field and procedure names: Vietnamese content.
            "<text x=\"0\" y=\"{}\" font-size=\"12\" fill=\"#1a1a1a\" lang=\"vi\">{}</text>",
            y + 14,
            escape(&shorten(&row.label))
        ));
        let finished = f.finished();
        let mut x = 0;
        for (count, colour) in
            [(f.finished_early, EARLY_COLOUR), (f.finished_on_time, ON_TIME_COLOUR), (f.finished_late, LATE_COLOUR)]
        {
            if finished == 0 || count == 0 {
                continue;
            }
            let width = (count * BAR_WIDTH + finished / 2) / finished;
            svg.push_str(&format!(
                "<rect x=\"{x}\" y=\"{}\" width=\"{width}\" height=\"16\" fill=\"{colour}\"/>",
                y + 20
            ));
            x += width;
        }
        if finished == 0 {
            svg.push_str(&format!(
                "<rect x=\"0\" y=\"{}\" width=\"{BAR_WIDTH}\" height=\"16\" fill=\"none\" stroke=\"#767676\"/>",
                y + 20
            ));
        }
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#1a1a1a\">{}</text>",
            BAR_WIDTH + 6,
            y + 33,
            escape(&f.on_time_share().percent_text())
        ));
    }
    svg.push_str("</svg>");
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::statistics::Figures;
    use crate::stats::StatsForm;

    fn row(label: &str, early: i64, on_time: i64, late: i64) -> StatsRow {
        StatsRow {
            label: label.into(),
            narrowed: StatsForm::default(),
            figures: Figures {
                finished_early: early,
                finished_on_time: on_time,
                finished_late: late,
                ..Figures::default()
            },
        }
    }

    #[test]
    fn bars_split_in_proportion_and_show_the_on_time_share() {
        let svg = on_time_chart(&[row("Xã <A>", 2, 1, 1)], "Tỷ lệ").unwrap();
        assert!(svg.contains("width=\"120\" height=\"16\" fill=\"#1b6b3a\""), "{svg}");
        assert!(svg.contains("x=\"120\" y=\"20\" width=\"60\""), "{svg}");
        assert!(svg.contains("x=\"180\" y=\"20\" width=\"60\""), "{svg}");
        assert!(svg.contains(">75,0%<"));
        assert!(svg.contains("Xã &lt;A&gt;"), "labels are escaped");
    }

    #[test]
    fn a_row_with_nothing_finished_draws_an_empty_outline() {
        let svg = on_time_chart(&[row("A", 1, 0, 0), row("B", 0, 0, 0)], "t").unwrap();
        assert!(svg.contains("fill=\"none\""));
        assert!(svg.contains(">—<"));
    }

    #[test]
    fn no_chart_without_finished_dossiers() {
        assert_eq!(on_time_chart(&[row("A", 0, 0, 0)], "t"), None);
    }

    #[test]
    fn long_labels_are_shortened() {
        let long = "Trung tâm Phục vụ hành chính công tỉnh Ninh Bình (minh hoạ) rất dài";
        let svg = on_time_chart(&[row(long, 1, 0, 0)], "t").unwrap();
        assert!(svg.contains('…') && !svg.contains("rất dài"));
    }
}
