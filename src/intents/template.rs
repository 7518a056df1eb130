//! Reply templates: `{name}` is a placeholder; any other brace is literal text.
//!
//! No escapes, so that a renderer can simply replace each `{slot}` with its value.

use super::annotation::is_name_char;

/// The placeholder names of `template`, in order, e.g. `["origin", "date"]`.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        let len = rest.find(|c| !is_name_char(c)).unwrap_or(rest.len());
        if len > 0 && rest[len..].starts_with('}') {
            names.push(&rest[..len]);
            rest = &rest[len + 1..];
        }
    }
    names
}

/// `template` with each `{name}` replaced by its value. A name without a value (an optional
/// slot the user left empty) is left out, with a space beside it, so that no double space
/// or space before punctuation remains. A value that starts the reply starts its sentence
/// with a capital ("yesterday is in the past" → "Yesterday is in the past").
///
/// ```
/// use std::collections::BTreeMap;
/// use slotfill::intents::template::render;
/// let values = BTreeMap::from([("city".to_string(), "Oslo".to_string())]);
/// assert_eq!(render("Weather in {city} {x}", &values), "Weather in Oslo");
/// assert_eq!(render("In {city}, note {note}.", &values), "In Oslo, note.");
/// let values = BTreeMap::from([("value".to_string(), "yesterday".to_string())]);
/// assert_eq!(render("{value} is in the past.", &values), "Yesterday is in the past.");
/// ```
pub fn render(template: &str, values: &std::collections::BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let inside = &rest[open + 1..];
        let len = inside.find(|c| !is_name_char(c)).unwrap_or(inside.len());
        if len == 0 || !inside[len..].starts_with('}') {
            out.push_str(&rest[..=open]);
            rest = inside;
            continue;
        }
        out.push_str(&rest[..open]);
        rest = &inside[len + 1..];
        match values.get(&inside[..len]) {
            Some(value) => out.push_str(value),
            None if (out.is_empty() || out.ends_with(' ')) && rest.starts_with(' ') => {
                rest = &rest[1..];
            }
            None if out.ends_with(' ') && !rest.starts_with(char::is_alphanumeric) => {
                out.pop();
            }
            None => {}
        }
    }
    out.push_str(rest);
    match out.chars().next() {
        Some(first) if template.starts_with('{') && first.is_lowercase() => {
            first.to_uppercase().chain(out.chars().skip(1)).collect()
        }
        _ => out,
    }
}

/// `template` with each `{name}` of `values` filled, as [`render`] fills them: the engine's
/// own replies, which name their few values in place.
///
/// ```
/// use slotfill::intents::template::fill;
/// assert_eq!(fill("Done: {action}.", &[("action", "book table")]), "Done: book table.");
/// ```
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let values = values
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    render(template, &values)
}

#[cfg(test)]
mod tests {
    use super::{placeholders, render};
    use std::collections::BTreeMap;

    #[test]
    fn finds_names_and_ignores_other_braces() {
        assert_eq!(
            placeholders("From {origin} to {destination} on {date}?"),
            ["origin", "destination", "date"]
        );
        assert!(placeholders("{} { x } {a b} {").is_empty());
        assert_eq!(placeholders("{{date}} {é}"), ["date", "é"]);
    }

    #[test]
    fn a_placeholder_without_a_value_leaves_no_gap() {
        let values = BTreeMap::from([("size".to_string(), "large".to_string())]);
        let cases = [
            ("A {size} pizza, note {note}.", "A large pizza, note."),
            ("A {size} pizza {note} to go", "A large pizza to go"),
            ("{note} a {size} pizza", "A large pizza"),
            ("A {size} pizza {note}", "A large pizza"),
            ("{size}{note}!", "Large!"),
            ("{ {size} }", "{ large }"),
        ];
        for (template, expected) in cases {
            assert_eq!(render(template, &values), expected, "{template}");
        }
    }
}
