//! Rasa's inline entity markup, in both its syntaxes, as slotfill's: `[Paris](city)`,
//! `[gastro pub](cuisine:gastropub)` (a synonym, in Rasa's older shorthand) and
//! `[Paris]{"entity": "city", "role": "origin", "value": "Paris"}`.

use crate::resolve::is_number;

/// One entity annotation of an example, as Rasa wrote it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Annotated {
    /// The annotated text.
    pub text: String,
    /// The entity type.
    pub entity: String,
    /// Its role, if any.
    pub role: Option<String>,
    /// The value the text stands for, where it is not the text itself (a synonym).
    pub value: Option<String>,
    /// Rasa's entity group, which slotfill has no counterpart of.
    pub group: Option<String>,
}

/// An example in slotfill's markup, with the annotations it had.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Converted {
    /// The example as slotfill writes it: `[Paris](city:origin)`.
    pub markup: String,
    /// Its annotations.
    pub annotations: Vec<Annotated>,
}

/// Converts one Rasa example; the error says what is malformed.
pub(super) fn convert(example: &str) -> Result<Converted, String> {
    let chars: Vec<char> = example.chars().collect();
    let mut markup = String::new();
    let mut annotations = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '[' {
            if let Some((annotated, next)) = annotation_at(&chars, i)? {
                markup.push('[');
                markup.push_str(&escaped(&annotated.text));
                markup.push_str("](");
                markup.push_str(&annotated.entity);
                if let Some(role) = &annotated.role {
                    markup.push(':');
                    markup.push_str(role);
                }
                markup.push(')');
                annotations.push(annotated);
                i = next;
                continue;
            }
        }
        match c {
            '[' | ']' | '\\' => {
                markup.push('\\');
                markup.push(c);
            }
            _ => markup.push(c),
        }
        i += 1;
    }
    Ok(Converted {
        markup,
        annotations,
    })
}

/// `text` with the characters slotfill's markup reads escaped.
fn escaped(text: &str) -> String {
    text.chars()
        .flat_map(|c| match c {
            '[' | ']' | '\\' => vec!['\\', c],
            _ => vec![c],
        })
        .collect()
}

/// The annotation that starts with the `[` at `open`, and the index after it; `None` where
/// the bracket opens none (a literal `[`).
fn annotation_at(chars: &[char], open: usize) -> Result<Option<(Annotated, usize)>, String> {
    let Some(close) = (open + 1..chars.len()).find(|&j| chars[j] == ']') else {
        return Ok(None);
    };
    let text: String = chars[open + 1..close].iter().collect();
    match chars.get(close + 1) {
        Some('(') => {
            let Some(end) = (close + 2..chars.len()).find(|&j| chars[j] == ')') else {
                return Err(format!("`[{text}](` is not closed with `)`"));
            };
            let inside: String = chars[close + 2..end].iter().collect();
            let (entity, value) = match inside.split_once(':') {
                Some((entity, value)) => (entity.trim(), Some(value.trim().to_string())),
                None => (inside.trim(), None),
            };
            if entity.is_empty() {
                return Err(format!("`[{text}]()` names no entity"));
            }
            let annotated = Annotated {
                value: value.filter(|v| *v != text),
                text,
                entity: entity.to_string(),
                role: None,
                group: None,
            };
            Ok(Some((annotated, end + 1)))
        }
        Some('{') => {
            let mut depth = 0;
            let end = (close + 1..chars.len()).find(|&j| {
                match chars[j] {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                depth == 0
            });
            let Some(end) = end else {
                return Err(format!("`[{text}]{{` is not closed with `}}`"));
            };
            let json: String = chars[close + 1..=end].iter().collect();
            let fields: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&json)
                .map_err(|e| format!("`{json}` after `[{text}]` is not a JSON object: {e}"))?;
            let field = |key: &str| match fields.get(key) {
                Some(serde_json::Value::String(s)) => Some(s.clone()),
                Some(serde_json::Value::Null) | None => None,
                Some(other) => Some(other.to_string()),
            };
            let Some(entity) = field("entity") else {
                return Err(format!("`{json}` after `[{text}]` has no \"entity\""));
            };
            let annotated = Annotated {
                value: field("value").filter(|v| *v != text),
                entity,
                role: field("role"),
                group: field("group"),
                text,
            };
            Ok(Some((annotated, end + 1)))
        }
        _ => Ok(None),
    }
}

/// `markup` with each run of cardinal numbers (digits or number words) outside its
/// annotations marked as `entity` (`for [three](number) people`): what Rasa's Duckling
/// extractor finds at run time, as examples slotfill's tagger learns from.
pub(super) fn with_numbers(markup: &str, entity: &str) -> String {
    const END: [char; 4] = ['.', ',', '!', '?'];
    let mut tokens: Vec<String> = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let flush = |run: &mut Vec<&str>, tokens: &mut Vec<String>| {
        if run.is_empty() {
            return;
        }
        let words = run.join(" ");
        let core = words.trim_end_matches(END);
        tokens.push(format!("[{core}]({entity}){}", &words[core.len()..]));
        run.clear();
    };
    let mut depth = 0usize;
    for word in markup.split(' ') {
        let bare = word.trim_end_matches(END);
        let outside = depth == 0 && !word.contains(['[', ']', '(', ')', '{', '}', '\\']);
        if outside && is_cardinal(bare) {
            // A run of number words ("twenty five") is one number; punctuation ends it.
            if run.last().is_some_and(|last| last.ends_with(END)) {
                flush(&mut run, &mut tokens);
            }
            run.push(word);
            continue;
        }
        flush(&mut run, &mut tokens);
        depth += word.matches('[').count();
        depth = depth.saturating_sub(word.matches(')').count());
        tokens.push(word.to_string());
    }
    flush(&mut run, &mut tokens);
    tokens.join(" ")
}

/// Whether `word` writes a cardinal number ("4", "three"): no ordinal ("second"), which
/// Duckling reads as another dimension, and no "couple" or "single".
fn is_cardinal(word: &str) -> bool {
    let lower = word.to_lowercase();
    let ordinal = ["st", "nd", "rd", "th"]
        .iter()
        .any(|end| lower.ends_with(end))
        && !lower.chars().all(|c| c.is_ascii_digit());
    let vague = ["single", "couple", "pair", "dozen"].contains(&lower.as_str());
    !word.is_empty() && is_number(word) && !ordinal && !vague
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_syntaxes_become_slotfill_markup_with_roles_and_synonyms() {
        let plain = convert("fly to [Paris](city) now").unwrap();
        assert_eq!(plain.markup, "fly to [Paris](city) now");
        let shorthand = convert("serving [gastro pub](cuisine:gastropub)").unwrap();
        assert_eq!(shorthand.markup, "serving [gastro pub](cuisine)");
        assert_eq!(shorthand.annotations[0].value.as_deref(), Some("gastropub"));
        let json =
            convert(r#"from [NYC]{"entity": "city", "role": "origin", "value": "New York"}"#)
                .unwrap();
        assert_eq!(json.markup, "from [NYC](city:origin)");
        assert_eq!(json.annotations[0].value.as_deref(), Some("New York"));
        assert_eq!(convert("a [b] c").unwrap().markup, r"a \[b\] c");
        assert!(convert("[x](city").is_err());
        assert!(convert(r#"[x]{"role": "origin"}"#).is_err());
    }

    #[test]
    fn numbers_outside_annotations_are_marked() {
        assert_eq!(
            with_numbers("book for three people", "number"),
            "book for [three](number) people"
        );
        assert_eq!(with_numbers("2 please", "number"), "[2](number) please");
        assert_eq!(
            with_numbers("table for twenty five.", "number"),
            "table for [twenty five](number)."
        );
        assert_eq!(
            with_numbers("[2](cuisine) food for 4", "number"),
            "[2](cuisine) food for [4](number)"
        );
        assert_eq!(with_numbers("no numbers here", "number"), "no numbers here");
    }
}
