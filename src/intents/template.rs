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

/// `template` with each `{name}` replaced by its value; unknown names are left as written. A
/// value that starts the reply starts its sentence with a capital ("yesterday is in the
/// past" → "Yesterday is in the past").
///
/// ```
/// use std::collections::BTreeMap;
/// use slotfill::intents::template::render;
/// let values = BTreeMap::from([("city".to_string(), "Oslo".to_string())]);
/// assert_eq!(render("Weather in {city} {x}", &values), "Weather in Oslo {x}");
/// let values = BTreeMap::from([("value".to_string(), "yesterday".to_string())]);
/// assert_eq!(render("{value} is in the past.", &values), "Yesterday is in the past.");
/// ```
pub fn render(template: &str, values: &std::collections::BTreeMap<String, String>) -> String {
    let mut out = template.to_string();
    for name in placeholders(template) {
        if let Some(value) = values.get(name) {
            out = out.replace(&format!("{{{name}}}"), value);
        }
    }
    match out.chars().next() {
        Some(first) if template.starts_with('{') && first.is_lowercase() => {
            first.to_uppercase().chain(out.chars().skip(1)).collect()
        }
        _ => out,
    }
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn finds_names_and_ignores_other_braces() {
        assert_eq!(
            placeholders("From {origin} to {destination} on {date}?"),
            ["origin", "destination", "date"]
        );
        assert!(placeholders("{} { x } {a b} {").is_empty());
        assert_eq!(placeholders("{{date}} {é}"), ["date", "é"]);
    }
}
