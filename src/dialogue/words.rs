//! Yes, no and cancel: recognised by keywords rather than model intents, so that every bot
//! understands them without examples.

fn normalized(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '\'' {
                c
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn matches_any(text: &str, phrases: &[&str]) -> bool {
    let text = normalized(text);
    phrases
        .iter()
        .any(|p| text == *p || text.starts_with(&format!("{p} ")))
}

/// "cancel", "never mind", "stop", "forget it", ...
pub(crate) fn is_cancel(text: &str) -> bool {
    matches_any(
        text,
        &[
            "cancel",
            "never mind",
            "nevermind",
            "stop",
            "forget it",
            "abort",
            "quit it",
            "nothing",
        ],
    )
}

/// "yes", "yeah", "sure", "ok", ...
pub(crate) fn is_yes(text: &str) -> bool {
    matches_any(
        text,
        &[
            "yes",
            "yeah",
            "yep",
            "yup",
            "sure",
            "ok",
            "okay",
            "correct",
            "right",
            "confirm",
            "do it",
            "go ahead",
            "please do",
            "absolutely",
            "y",
        ],
    )
}

/// "no", "nope", "not quite", ...
pub(crate) fn is_no(text: &str) -> bool {
    matches_any(
        text,
        &["no", "nope", "nah", "not quite", "wrong", "incorrect", "n"],
    )
}

/// A bare answer without filler: "uh, Berlin please" → "Berlin".
pub(crate) fn strip_filler(text: &str) -> &str {
    const FILLER: [&str; 10] = [
        "please",
        "thanks",
        "thank you",
        "uh",
        "um",
        "well",
        "it's",
        "its",
        "it is",
        "make it",
    ];
    let mut rest = text
        .trim()
        .trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
    loop {
        let before = rest;
        for word in FILLER {
            let lower = rest.to_lowercase();
            if lower.starts_with(&format!("{word} ")) || lower.starts_with(&format!("{word},")) {
                rest = rest[word.len()..].trim_start_matches([' ', ',']);
            }
            if lower.ends_with(&format!(" {word}")) || lower.ends_with(&format!(", {word}")) {
                rest = rest[..rest.len() - word.len()].trim_end_matches([' ', ',']);
            }
        }
        if rest == before {
            return rest.trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords() {
        assert!(is_cancel("Never mind!"));
        assert!(is_cancel("stop it"));
        assert!(!is_cancel("stopover in Paris"));
        assert!(is_yes("Yes please"));
        assert!(is_no("nope."));
        assert!(!is_yes("yesterday"));
    }

    #[test]
    fn filler_is_stripped() {
        assert_eq!(strip_filler("uh, Berlin please"), "Berlin");
        assert_eq!(strip_filler("make it 4"), "4");
        assert_eq!(strip_filler("São Paulo."), "São Paulo");
    }
}
