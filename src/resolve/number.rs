//! Numbers: digits ("4", "2.5"), words ("four", "twenty five", "a dozen"), ordinals
//! ("3rd", "third").

pub(super) const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const ORDINAL_UNITS: [&str; 20] = [
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
];
const TENS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];
const ORDINAL_TENS: [&str; 8] = [
    "twentieth",
    "thirtieth",
    "fortieth",
    "fiftieth",
    "sixtieth",
    "seventieth",
    "eightieth",
    "ninetieth",
];

/// The number a text writes, if it is one.
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim().to_lowercase();
    let text = text.trim_end_matches(['.', '!', '?']);
    if let Ok(n) = text.parse::<f64>() {
        return n.is_finite().then_some(n);
    }
    let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &text[digits.len()..];
    if !digits.is_empty() && matches!(suffix, "st" | "nd" | "rd" | "th") {
        return digits.parse::<u64>().ok().map(|n| n as f64);
    }
    words_to_number(text)
}

fn word_value(word: &str) -> Option<u64> {
    let position = |list: &[&str]| list.iter().position(|w| *w == word).map(|i| i as u64);
    position(&UNITS)
        .or_else(|| position(&ORDINAL_UNITS))
        .or_else(|| position(&TENS).map(|i| 20 + 10 * i))
        .or_else(|| position(&ORDINAL_TENS).map(|i| 20 + 10 * i))
        .or(match word {
            "single" => Some(1),
            "couple" | "pair" => Some(2),
            "dozen" => Some(12),
            _ => None,
        })
}

/// How many people a party counts: "1 person", "4ppl", "3 adults and 2 kids" (5), "2 adults
/// 2 kids" (4), "me and my wife" (2), "me plus 3 friends" and "me + 3" (4), "just me" and
/// "solo" (1). Every part must name people, or count them beside parts that do: "7 and 8",
/// "me" or "not 4, 5 people" count no party.
pub(crate) fn head_count(text: &str) -> Option<f64> {
    const PEOPLE: [&str; 18] = [
        "people", "persons", "person", "ppl", "pax", "adults", "adult", "kids", "kid", "children",
        "child", "guests", "guest", "friends", "friend", "others", "babies", "baby",
    ];
    const ALONE: [&str; 10] = [
        "just me",
        "only me",
        "just myself",
        "only myself",
        "me alone",
        "by myself",
        "myself",
        "solo",
        "alone",
        "just one",
    ];
    let text = text.trim().to_lowercase();
    let text = text.trim_end_matches(['.', '!', '?']);
    if ALONE.contains(&text) {
        return Some(1.0);
    }
    // "4ppl" is "4 ppl"; a part ends with the people it names: "2 adults 2 kids".
    let mut spaced = String::new();
    for word in text.split_whitespace() {
        let digits = word.trim_end_matches(|c: char| c.is_alphabetic());
        let noun = &word[digits.len()..];
        let word = match !digits.is_empty() && PEOPLE.contains(&noun) {
            true => format!("{digits} {noun}"),
            false => word.to_string(),
        };
        spaced.push_str(&word);
        spaced.push_str(if PEOPLE.contains(&noun) { ", " } else { " " });
    }
    // A bare number counts only beside the speaker: "me + 3", not "7 and 8" nor "not 4, 5
    // people".
    let speaker = spaced.split_whitespace().any(|w| {
        matches!(
            w.trim_end_matches(','),
            "me" | "myself" | "i" | "my" | "our"
        )
    });
    let (mut total, mut parts, mut named) = (0.0, 0, false);
    for part in spaced
        .split([',', '+'])
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" plus "))
    {
        let words: Vec<&str> = part.split_whitespace().collect();
        let count = match words.as_slice() {
            [] => continue,
            ["me" | "myself" | "i"] | ["my" | "our", _] => 1.0,
            [number @ .., noun] if PEOPLE.contains(noun) => {
                named = true;
                match number {
                    [] => return None,
                    ["a" | "an"] => 1.0,
                    ["my" | "our", number @ ..] | number => parse_number(&number.join(" "))?,
                }
            }
            number if speaker => parse_number(&number.join(" "))?,
            _ => return None,
        };
        total += count;
        parts += 1;
    }
    ((parts >= 2 && (named || speaker)) || (parts == 1 && named)).then_some(total)
}

fn words_to_number(text: &str) -> Option<f64> {
    if let Some(whole) = text.strip_suffix(" and a half") {
        return Some(parse_number(whole)? + 0.5);
    }
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty() && *w != "and" && *w != "of")
        .collect();
    if words.is_empty() || words.len() > 8 {
        return None;
    }
    // "a dozen", "a couple", "a hundred": the article is not a one; nor is it alone ("a" of
    // "just a sec").
    let words = match words.as_slice() {
        ["a" | "an"] => return None,
        ["a" | "an", rest @ ..] => rest.to_vec(),
        _ => words,
    };
    let (mut total, mut current) = (0u64, 0u64);
    for word in words {
        match word {
            "hundred" | "hundredth" => current = current.max(1).checked_mul(100)?,
            "thousand" | "thousandth" => {
                total = total.checked_add(current.max(1).checked_mul(1000)?)?;
                current = 0;
            }
            "dozen" if current > 0 => current = current.checked_mul(12)?,
            _ => current = current.checked_add(word_value(word)?)?,
        }
    }
    Some(total.checked_add(current)? as f64)
}

#[cfg(test)]
mod tests {
    use super::{head_count, parse_number};

    #[test]
    fn numbers_in_digits_and_words() {
        for (text, value) in [
            ("4", 4.0),
            ("2.5", 2.5),
            ("twenty five", 25.0),
            ("twenty-five", 25.0),
            ("a dozen", 12.0),
            ("one hundred and five", 105.0),
            ("3rd", 3.0),
            ("third", 3.0),
            ("a couple", 2.0),
            ("two thousand", 2000.0),
            ("two and a half", 2.5),
        ] {
            assert_eq!(parse_number(text), Some(value), "{text}");
        }
        for (text, value) in [
            ("3 adults and 2 kids", 5.0),
            ("two adults, two children", 4.0),
            ("me and my wife", 2.0),
            ("my husband and I", 2.0),
            ("me plus 3 friends", 4.0),
            ("just me", 1.0),
            ("4 adults + 1 baby", 5.0),
            ("2 adults and a baby", 3.0),
        ] {
            assert_eq!(head_count(text), Some(value), "{text}");
        }
        assert_eq!(head_count("me, my wife and our two kids"), Some(4.0));
        for (text, value) in [
            ("2 people", 2.0),
            ("1 person", 1.0),
            ("4ppl", 4.0),
            ("2 adults 2 kids", 4.0),
            ("me + 3", 4.0),
            ("solo", 1.0),
            ("one person", 1.0),
        ] {
            assert_eq!(head_count(text), Some(value), "{text}");
        }
        for text in [
            "7 and 8",
            "me",
            "adults and kids",
            "my wife",
            "not 4, 5 people",
        ] {
            assert_eq!(head_count(text), None, "{text}");
        }
        for text in ["", "paris", "five apples", "nan", "inf", "a", "An"] {
            assert_eq!(parse_number(text), None, "{text}");
        }
    }
}
