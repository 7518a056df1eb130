//! The inline markup of examples: `fly from [Boston](location:origin) to [Denver](location)`.
//!
//! Offsets are counted in characters of the plain text, never bytes, so that they line up with
//! the char offsets of [`crate::Entity`] whatever the script of the text.

use super::{Annotation, Example};

/// A markup error, at a 1-based character column of the example as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct MarkupError {
    /// 1-based column, in characters of the example as written.
    pub column: usize,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// Whether `c` may appear in an entity, role, slot or intent name.
///
/// Names are also template placeholders (`{origin}`), so they exclude spaces and brackets.
pub fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// Parses one example written with inline markup into its plain text and annotations.
///
/// `\[`, `\]` and `\\` stand for a literal `[`, `]` and `\`; any other backslash is kept as is.
///
/// ```
/// use slotfill::intents::annotation::parse_example;
/// let ex = parse_example("à [São Paulo](location) demain").unwrap();
/// assert_eq!(ex.text, "à São Paulo demain");
/// assert_eq!((ex.annotations[0].start, ex.annotations[0].end), (2, 11));
/// ```
pub fn parse_example(markup: &str) -> Result<Example, MarkupError> {
    let chars: Vec<char> = markup.chars().collect();
    let err = |i: usize, message: String| MarkupError {
        column: i + 1,
        message,
    };
    let mut text = String::new();
    let mut text_len = 0usize;
    let mut annotations = Vec::new();
    // Column of the open `[` and the char offset in `text` where its span starts.
    let mut open: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if matches!(chars.get(i + 1), Some('[' | ']' | '\\')) => {
                text.push(chars[i + 1]);
                text_len += 1;
                i += 2;
                continue;
            }
            '[' => {
                if let Some((col, _)) = open {
                    return Err(err(
                        i,
                        format!(
                            "`[` inside the span opened at column {}; spans cannot nest \
                             (write a literal bracket as `\\[`)",
                            col + 1
                        ),
                    ));
                }
                open = Some((i, text_len));
            }
            ']' => {
                let Some((col, start)) = open.take() else {
                    return Err(err(
                        i,
                        "`]` without an opening `[`; write a literal bracket as `\\]`".into(),
                    ));
                };
                let span: String = chars[col + 1..i].iter().collect();
                if text_len == start {
                    return Err(err(
                        col,
                        "empty span `[]`; put the entity's words inside the brackets".into(),
                    ));
                }
                if span.starts_with(char::is_whitespace) || span.ends_with(char::is_whitespace) {
                    return Err(err(
                        col,
                        format!("span `[{span}]` starts or ends with a space; move the space outside the brackets"),
                    ));
                }
                if chars.get(i + 1) != Some(&'(') {
                    return Err(err(
                        i + 1,
                        format!(
                            "`[{span}]` must be followed at once by `(entity)`, \
                             e.g. `[{span}](location)`"
                        ),
                    ));
                }
                let label_start = i + 2;
                let Some(len) = chars[label_start..].iter().position(|&c| c == ')') else {
                    return Err(err(
                        i + 1,
                        "`(` is never closed; write `(entity)` or `(entity:role)`".into(),
                    ));
                };
                let label: String = chars[label_start..label_start + len].iter().collect();
                let (entity, role) = match label.split_once(':') {
                    Some((e, r)) => (e, Some(r)),
                    None => (label.as_str(), None),
                };
                check_label(entity, "entity").map_err(|m| err(label_start, m))?;
                if let Some(role) = role {
                    check_label(role, "role").map_err(|m| err(label_start, m))?;
                }
                annotations.push(Annotation {
                    start,
                    end: text_len,
                    entity: entity.to_string(),
                    role: role.map(str::to_string),
                });
                i = label_start + len + 1;
                continue;
            }
            _ => {
                text.push(c);
                text_len += 1;
            }
        }
        i += 1;
    }
    if let Some((col, _)) = open {
        return Err(err(
            col,
            "`[` is never closed; write `[words](entity)`, or `\\[` for a literal bracket".into(),
        ));
    }
    if text.trim().is_empty() {
        return Err(err(0, "the example has no text".into()));
    }
    Ok(Example { text, annotations })
}

fn check_label(name: &str, what: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err(format!(
            "empty {what} name; write `(entity)` or `(entity:role)`"
        ));
    }
    match name.chars().find(|&c| !is_name_char(c)) {
        Some(bad) => Err(format!(
            "{what} name `{name}` contains `{bad}`; names use letters, digits, `_`, `-` and `.`"
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ann(start: usize, end: usize, entity: &str, role: Option<&str>) -> Annotation {
        Annotation {
            start,
            end,
            entity: entity.into(),
            role: role.map(Into::into),
        }
    }

    #[test]
    fn plain_text_has_no_annotations() {
        let ex = parse_example("hello there").unwrap();
        assert_eq!(ex.text, "hello there");
        assert!(ex.annotations.is_empty());
    }

    #[test]
    fn entity_and_role() {
        let ex = parse_example("fly from [Boston](location:origin) to [Denver](location)").unwrap();
        assert_eq!(ex.text, "fly from Boston to Denver");
        assert_eq!(
            ex.annotations,
            vec![
                ann(9, 15, "location", Some("origin")),
                ann(19, 25, "location", None)
            ]
        );
    }

    #[test]
    fn offsets_are_chars_not_bytes() {
        let ex = parse_example("à [São Paulo](location) demain").unwrap();
        assert_eq!(ex.text, "à São Paulo demain");
        let a = &ex.annotations[0];
        assert_eq!(ex.value(a), "São Paulo");
        assert_eq!((a.start, a.end), (2, 11));

        let ex = parse_example("東京 から [大阪](location) へ 🚄 [明日](date)").unwrap();
        let spans: Vec<String> = ex.annotations.iter().map(|a| ex.value(a)).collect();
        assert_eq!(spans, ["大阪", "明日"]);
    }

    #[test]
    fn escapes() {
        let ex = parse_example(r"a \[note\] for [Oslo](location) \\ ok \n").unwrap();
        assert_eq!(ex.text, r"a [note] for Oslo \ ok \n");
        assert_eq!(ex.annotations, vec![ann(13, 17, "location", None)]);
    }

    fn error(markup: &str) -> MarkupError {
        parse_example(markup).unwrap_err()
    }

    #[test]
    fn errors_name_the_column() {
        let e = error("to [Paris(location)");
        assert_eq!(e.column, 4);
        assert!(e.message.contains("never closed"), "{e}");

        let e = error("to Paris](location)");
        assert_eq!(e.column, 9);
        assert!(e.message.contains("without an opening"), "{e}");

        let e = error("to [](location)");
        assert_eq!(e.column, 4);
        assert!(e.message.contains("empty span"), "{e}");

        let e = error("to [Paris] tomorrow");
        assert_eq!(e.column, 11);
        assert!(e.message.contains("(entity)"), "{e}");

        let e = error("to [Paris]()");
        assert!(e.message.contains("empty entity"), "{e}");

        let e = error("to [Paris](location:)");
        assert!(e.message.contains("empty role"), "{e}");

        let e = error("to [Paris](loc ation)");
        assert!(e.message.contains("contains ` `"), "{e}");

        let e = error("to [Paris](location");
        assert!(e.message.contains("`(` is never closed"), "{e}");

        let e = error("to [New [York](location)](location)");
        assert_eq!(e.column, 9);
        assert!(e.message.contains("cannot nest"), "{e}");

        let e = error("to [ Paris](location)");
        assert!(e.message.contains("space"), "{e}");

        let e = error("  ");
        assert!(e.message.contains("no text"), "{e}");
    }

    #[test]
    fn unicode_columns_count_chars() {
        let e = error("é🚀 ]");
        assert_eq!(e.column, 4);
    }
}
