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
