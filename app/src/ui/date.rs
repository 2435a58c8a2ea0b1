//! A date as three boxes, day, month and year, with numeric keyboards (the GOV.UK date
//! pattern): the same on every browser whatever its language, where a native date control may
//! show mm/dd/yyyy. Staff forms and filters use it; the boxes post as `{name}.ngay`, `.thang`
//! and `.nam` (wrapped by the form's own naming), and `date_in_query` puts them back together.

use crate::domain::application_form::{date_answer, date_boxes, Answers, DATE_PARTS};
use crate::i18n::tr;
use leptos::prelude::*;

pub struct DateBoxes {
    /// The day box's id: the error summary leads to it. The others add `-thang`, `-nam`.
    pub id: String,
    pub legend: String,
    /// A whole date (2026-03-05) or the boxes as typed (31/02/2026).
    pub value: String,
    pub error: Option<String>,
    pub required: bool,
    /// The date's form name; its boxes are `{field}.ngay`, `.thang`, `.nam`, each passed through
    /// `wrap_name` (a server function's map wants `ngay[{box}]`, a filter the box itself).
    pub field: &'static str,
    pub wrap_name: fn(String) -> String,
}

pub fn date_boxes_view(spec: DateBoxes) -> impl IntoView {
    let DateBoxes { id, legend, value, error, required, field, wrap_name } = spec;
    let has_error = error.is_some();
    let example = format!("{id}-vi-du");
    let described_by = example.clone();
    view! {
        <fieldset class="field" class:field--error=has_error aria-describedby=described_by>
            <legend>{legend}</legend>
            <p class="hint" id=example>{tr("form.date.example")}</p>
            {error.map(|m| view! { <p class="field__error">{m}</p> })}
            <div class="date-input">
                {DATE_PARTS
                    .into_iter()
                    .zip(date_boxes(&value))
                    .map(|((suffix, label, width), value)| {
                        let box_id = if suffix == DATE_PARTS[0].0 { id.clone() } else { format!("{id}-{suffix}") };
                        view! {
                            <div class="date-input__item">
                                <label for=box_id.clone()>{tr(label)}</label>
                                <input type="text" id=box_id name=wrap_name(format!("{field}.{suffix}")) value=value
                                    inputmode="numeric" maxlength=width class=format!("input--{width}ch") required=required
                                    aria-invalid=has_error.then_some("true") />
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
    }
}

/// A date filter from a query: `name` whole (links keep 2026-03-05), or the page's three boxes
/// (`name.ngay`, `name.thang`, `name.nam`). Empty when neither came.
pub fn date_in_query<'a>(name: &str, get: impl Fn(&str) -> Option<&'a str>) -> String {
    if let Some(whole) = get(name) {
        return whole.to_owned();
    }
    let boxes: Answers = DATE_PARTS
        .iter()
        .filter_map(|(suffix, _, _)| {
            let key = format!("{name}.{suffix}");
            get(&key).map(|typed| (key, typed.to_owned()))
        })
        .collect();
    date_answer(name, &boxes).unwrap_or_default()
}

/// Query names of the three boxes of each of `names`, for pages that read their query by name.
pub fn date_query_names(names: &[&str]) -> Vec<String> {
    names.iter().flat_map(|name| DATE_PARTS.iter().map(move |(suffix, _, _)| format!("{name}.{suffix}"))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<&'a str> {
        move |name| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }

    #[test]
    fn a_filter_date_comes_whole_or_from_its_three_boxes() {
        assert_eq!(date_in_query("tu", query(&[("tu", "2026-03-05")])), "2026-03-05");
        assert_eq!(
            date_in_query("tu", query(&[("tu.ngay", "5"), ("tu.thang", "3"), ("tu.nam", "2026")])),
            "2026-03-05"
        );
        assert_eq!(
            date_in_query("tu", query(&[("tu.ngay", "31"), ("tu.thang", "2"), ("tu.nam", "2026")])),
            "31/2/2026"
        );
        assert_eq!(date_in_query("tu", query(&[("tu.ngay", ""), ("tu.thang", ""), ("tu.nam", "")])), "");
        assert_eq!(date_in_query("tu", query(&[("den", "2026-03-05")])), "");
    }
}
