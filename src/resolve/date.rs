//! Dates and times in English, relative to the context's reference time.
//!
//! A small regex-and-match grammar rather than a crate: measured on this project's list,
//! chrono-english and interim miss "in 3 days", "tonight" and "tomorrow at 5pm", and two_timer
//! (unmaintained) resolves bare weekdays into the past (shared/notes/candle-on-cpu.md).
//!
//! Conventions (as Duckling's): a bare or "this" weekday is the next such day after today
//! ("this friday" said on a Friday is today);
//! "next friday" is the friday of next week; a date without a year is the next one that is not
//! in the past; "tonight" and parts of the day fall on their date; an hour without am, pm or a
//! part of the day is the first of its two readings not yet past on its day ("at 8" said at
//! 10:00 is 20:00, "tomorrow at 8" is 08:00).

use super::{Context, Resolved, Unresolved};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};
use regex::Regex;
use std::sync::OnceLock;

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

/// Whether `word` names `name` in full or cut short to three letters or more ("dec", "sept",
/// "thurs"), so that "month" is no Monday and "maybe" no May.
fn names(word: &str, name: &str) -> bool {
    word.len() >= 3 && name.starts_with(word)
}

fn unresolved(text: &str, what: &str) -> Unresolved {
    Unresolved::because(format!("`{text}` is not a {what} I understand"))
}

/// Words that name days, which people misspell: "thrusday", "tomorrw", "tonite".
const DAY_WORDS: [&str; 9] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "tomorrow",
    "tonight",
];

/// `word` as it was meant: a day word written in slang ("2nite", "tmw") or one letter off, or
/// two swapped ("firday", "wedensday", "saturdy"); other words as they are.
fn spelled(word: &str) -> &str {
    match word {
        "tonite" | "2nite" | "2night" => return "tonight",
        "tmw" | "tomoz" => return "tomorrow",
        _ => {}
    }
    let misspelled = word.len() >= 5 && word.chars().all(char::is_alphabetic);
    DAY_WORDS
        .into_iter()
        .find(|day| misspelled && strsim::osa_distance(word, day) == 1)
        .unwrap_or(word)
}

/// Lower case, single spaces, no commas, and no sentence punctuation at the end: a reply typed
/// as "Friday." or "5pm!" means the same as without it. The dots of "a.m." and "p.m." stay.
fn clean(text: &str) -> String {
    let lower = text
        .trim()
        .to_lowercase()
        .replace(',', " ")
        .replace('\u{2019}', "'");
    // "nxt friday" is next Friday, not the next Friday; "this coming friday" and "the coming
    // weekend" are this one.
    let words: Vec<&str> = lower
        .split_whitespace()
        .map(|word| if word == "nxt" { "next" } else { word })
        .map(spelled)
        .collect();
    let joined = words.join(" ");
    let joined = ["this coming ", "the coming ", "coming "]
        .iter()
        .find_map(|lead| joined.strip_prefix(lead))
        .map_or(joined.clone(), |rest| format!("this {rest}"));
    let bare = joined.trim_end_matches(['!', '?', '.', ';', ':', ' ']);
    if bare.ends_with("a.m") || bare.ends_with("p.m") {
        format!("{bare}.")
    } else {
        bare.to_string()
    }
}

/// A date (or date and time) in `text`.
pub(crate) fn resolve_date(text: &str, context: &Context) -> Result<Resolved, Unresolved> {
    let text = clean(text);
    if let Some((from, to)) = interval(&text, context.now.date_naive()) {
        return Ok(Resolved::Interval { from, to });
    }
    if let Some((from, to)) = part_of_day(&text, context) {
        return Ok(Resolved::TimeInterval { from, to });
    }
    let (date_part, clock) = split_time(&text, false);
    let date = match (date_part.trim(), clock) {
        ("", Some(_)) => Some(context.now.date_naive()),
        (part, Some(_)) => date_before_clock(part, context),
        (part, None) => parse_date(part, context),
    }
    .ok_or_else(|| {
        match weekday_mismatch(&date_part, context).or_else(|| missing_day(&date_part)) {
            Some(hint) => Unresolved {
                reason: format!("`{text}`: {hint}"),
                hint: Some(hint),
            },
            None => unresolved(&text, "date"),
        }
    })?;
    match clock {
        Some(clock) => Ok(Resolved::DateTime {
            value: date.and_time(clock.on(date, context)),
        }),
        None => Ok(Resolved::Date { value: date }),
    }
}

/// A time of day (possibly with a date) in `text`.
pub(crate) fn resolve_time(text: &str, context: &Context) -> Result<Resolved, Unresolved> {
    let text = clean(text);
    if let Some(moment) = from_now(&text, context) {
        return Ok(if moment.date() == context.now.date_naive() {
            Resolved::Time {
                value: moment.time(),
            }
        } else {
            Resolved::DateTime { value: moment }
        });
    }
    match split_time(&text, true) {
        (rest, Some(clock)) if rest.trim().is_empty() => Ok(Resolved::Time {
            value: clock.on(context.now.date_naive(), context),
        }),
        (rest, Some(clock)) => date_before_clock(rest.trim(), context)
            .map(|date| Resolved::DateTime {
                value: date.and_time(clock.on(date, context)),
            })
            .ok_or_else(|| unresolved(&text, "time")),
        (_, None) => Err(unresolved(&text, "time")),
    }
}

/// The date said before a time of day. A bare number there counts people ("2 at 8", "four
/// at 7pm"), as Duckling reads it: a day is "the 2nd", "on 2" or "dec 2 at 8".
fn date_before_clock(part: &str, context: &Context) -> Option<NaiveDate> {
    let bare_count = part.chars().all(char::is_alphanumeric)
        && !is_ordinal(part)
        && super::number::parse_number(part).is_some();
    (!bare_count).then(|| parse_date(part, context)).flatten()
}

/// "1st", "2nd", "3rd", "4th": a number written as an ordinal.
fn is_ordinal(word: &str) -> bool {
    ["st", "nd", "rd", "th"].iter().any(|s| word.ends_with(s))
}

/// "in 20 minutes", "in an hour", "in half an hour", "now", "asap": a moment counted from the
/// reference time, to the minute.
fn from_now(text: &str, context: &Context) -> Option<NaiveDateTime> {
    let words: Vec<&str> = text.split(' ').collect();
    let minutes = match words[..] {
        ["now"] | ["right", "now"] | ["asap"] | ["as", "soon", "as", "possible"] => 0.0,
        ["in", "half", "an", "hour"] => 30.0,
        ["in", ref amount @ .., unit] => {
            let amount = amount_of(amount)?;
            let per_unit = match unit.trim_end_matches('s') {
                "minute" | "min" => 1.0,
                "hour" | "hr" => 60.0,
                _ => return None,
            };
            amount * per_unit
        }
        _ => return None,
    };
    // Up to a week ahead: "in 99999999999 hours" is no time.
    if !(0.0..=7.0 * 24.0 * 60.0).contains(&minutes) {
        return None;
    }
    let now = context.now.naive_local();
    let now = now.with_second(0)?.with_nanosecond(0)?;
    now.checked_add_signed(Duration::minutes(minutes.round() as i64))
}

/// A time of day as it was said: "5pm" and "17:30" are one time, while "8" or "half past 7"
/// without am, pm or a part of the day could be morning or evening.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Clock {
    Exact(NaiveTime),
    /// One reading; the other is twelve hours later.
    Either(NaiveTime),
}

impl Clock {
    /// The time on `date`: of an ambiguous time, the one reading inside the context's hours,
    /// else the first reading that is not past (as Duckling's first value): "at 8" said at
    /// 10:00 is 20:00, and on a later day 08:00.
    fn on(self, date: NaiveDate, context: &Context) -> NaiveTime {
        match self {
            Clock::Exact(time) => time,
            Clock::Either(time) => {
                let other = time + Duration::hours(12);
                let (first, second) = if time < other {
                    (time, other)
                } else {
                    (other, time)
                };
                if let Some(hours) = context.hours {
                    match (hours.contains(first), hours.contains(second)) {
                        (true, false) => return first,
                        (false, true) => return second,
                        _ => {}
                    }
                }
                let now = context.now.naive_local();
                if date.and_time(first) < now && date.and_time(second) >= now {
                    second
                } else {
                    first
                }
            }
        }
    }
}

/// Splits off a time of day: "friday at 5pm" → ("friday", 17:00). With `bare_is_time`, a
/// number alone ("8", "7.30") is a time.
fn split_time(text: &str, bare_is_time: bool) -> (String, Option<Clock>) {
    static TIME: OnceLock<Regex> = OnceLock::new();
    let re = TIME.get_or_init(|| {
        let hour = format!(r"(?:\d{{1,2}}|{})", hour_words().join("|"));
        Regex::new(
            &r"(?x)(?:^|\s)(?P<lead>(?:at|around|about|by)\s+)?
            (?P<time>
                (?:(?:12|twelve)\s+)?(?:noon|midday|midnight)
              | (?:half|quarter|(?:MINUTES)(?:\s+minutes?)?)\s+(?:past|after|to)\s+HOUR
              | half\s+HOUR
              | HOUR\s*-?ish
              | \d{1,2}h(?:\d{2})?
              | (?:HOUR(?:[:.]\d{2})?|\d{3,4})\s*(?:am|pm|a\.m\.|p\.m\.)
              | \d{1,2}:\d{2}h?
              | HOUR\s+o'?clock
              | HOUR\s+(?:fifteen|thirty|forty[\s-]five)
              | (?P<bare>\d{1,2}\s+[0-5]\d|\d{3,4}|\d{1,2}\.\d{2}|HOUR)
            )(?:\s+(?P<part>(?:in\s+the|this)\s+(?:morning|afternoon|evening)|at\s+night|tonight))?(?:\s|$)"
                .replace("HOUR", &hour)
                .replace("MINUTES", MINUTES),
        )
        .expect("valid time regex")
    });
    let mut from = 0;
    while let Some(found) = re.captures_at(text, from) {
        let whole = found.get(0).expect("match");
        from = whole.start() + 1;
        // A bare number is a time only where nothing else can read it: "at 8", "8 tonight",
        // or alone as a time, but not the day of "8 december" or the date "3.12".
        let alone = whole.start() == 0 && whole.end() == text.len() && bare_is_time;
        if found.name("bare").is_some()
            && found.name("lead").is_none()
            && found.name("part").is_none()
            && !alone
        {
            continue;
        }
        let rest = format!("{} {}", &text[..whole.start()], &text[whole.end()..]);
        // "at 8 tomorrow evening": the part of the day can come with the date.
        let afternoon = match found.name("part") {
            Some(part) => afternoon_or_later(part.as_str()),
            None => afternoon_or_later(&rest),
        };
        if let Some(clock) = parse_time(&found["time"], afternoon) {
            return (rest.trim().to_string(), Some(clock));
        }
    }
    (text.to_string(), None)
}

/// Words that name a part of the day: whether it is past noon, how an hour is said in it, and
/// its span of hours where the word follows a day ("tomorrow night"; not "tonight").
#[allow(clippy::type_complexity)]
const PARTS_OF_DAY: [(&str, bool, &str, Option<(u32, u32)>); 5] = [
    ("morning", false, "in the morning", Some((6, 12))),
    ("afternoon", true, "in the afternoon", Some((12, 18))),
    ("evening", true, "in the evening", Some((18, 24))),
    ("night", true, "tonight", Some((18, 24))),
    ("tonight", true, "tonight", None),
];

/// The first part of the day that `text` names, if any.
fn part_of_day_in(text: &str) -> Option<(bool, &'static str)> {
    text.split_whitespace().find_map(|word| {
        PARTS_OF_DAY
            .iter()
            .find(|(name, ..)| *name == word)
            .map(|&(_, afternoon, hour_in_it, _)| (afternoon, hour_in_it))
    })
}

/// Whether the part of the day that `text` names, if any, is past noon: false for "in the
/// morning", true for "tonight" or "tomorrow evening".
fn afternoon_or_later(text: &str) -> Option<bool> {
    part_of_day_in(text).map(|(afternoon, _)| afternoon)
}

/// How an hour is said in the part of the day that `text` names ("in the morning" for
/// "tomorrow morning"), so that a bare hour given apart from it can be read in it.
pub(crate) fn hour_in_part_of_day(text: &str) -> Option<&'static str> {
    part_of_day_in(&clean(text)).map(|(_, hour_in_it)| hour_in_it)
}

/// Minutes said before "past" or "to": "ten", "twenty-five", "20".
const MINUTES: &str = r"\d{1,2}|(?:twenty[\s-])?(?:one|two|three|four|five|six|seven|eight|nine)|ten|eleven|twelve|thirteen|fourteen|sixteen|seventeen|eighteen|nineteen|twenty";

/// The minutes that `words` say before "past" or "to": "half", "quarter", "ten", "twenty
/// five", "20 minutes". Hour words are already digits.
fn minutes_before(words: &[&str]) -> Option<u32> {
    let mut minutes = 0;
    for word in words.iter().flat_map(|w| w.split('-')) {
        minutes += match word {
            "half" => 30,
            "quarter" => 15,
            "twenty" => 20,
            "minute" | "minutes" => 0,
            _ => word.parse().ok().or_else(|| {
                let unit = super::number::UNITS.iter().position(|u| *u == word)?;
                u32::try_from(unit).ok()
            })?,
        };
    }
    (1..60).contains(&minutes).then_some(minutes)
}

/// The minutes of "eight thirty" and the like.
fn spoken_minutes(words: &[&str]) -> Option<u32> {
    match words.join(" ").replace('-', " ").as_str() {
        "fifteen" => Some(15),
        "thirty" => Some(30),
        "forty five" => Some(45),
        // "7 30"
        minutes if minutes.len() == 2 => minutes.parse().ok().filter(|m| *m < 60),
        _ => None,
    }
}

/// Hours said in words, from one to twelve.
fn hour_words() -> &'static [&'static str] {
    &super::number::UNITS[1..=12]
}

/// The time `text` says; `afternoon` tells whether a part of the day said with it is past
/// noon.
fn parse_time(text: &str, afternoon: Option<bool>) -> Option<Clock> {
    let text: Vec<String> = text
        .replace("a.m.", "am")
        .replace("p.m.", "pm")
        .replace('.', ":")
        .replace("-ish", "")
        .replace("ish", "")
        .split_whitespace()
        .map(|word| match hour_words().iter().position(|h| *h == word) {
            Some(index) => (index + 1).to_string(),
            None => word.to_string(),
        })
        .collect();
    let text = text.join(" ");
    // The French-style "20h30".
    let text = match text.split_once('h') {
        Some((hour, minute))
            if [hour, minute]
                .iter()
                .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
                && !hour.is_empty() =>
        {
            // On the 24-hour clock: "8h" is 08:00.
            format!("{hour:0>2}:{minute:0>2}")
        }
        _ => text,
    };
    match text.as_str() {
        "noon" | "midday" | "12 noon" | "12 midday" => {
            return NaiveTime::from_hms_opt(12, 0, 0).map(Clock::Exact)
        }
        "midnight" | "12 midnight" => return NaiveTime::from_hms_opt(0, 0, 0).map(Clock::Exact),
        _ => {}
    }
    let meridiem = if text.ends_with("am") {
        Some(false)
    } else if text.ends_with("pm") {
        Some(true)
    } else {
        afternoon
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    // The hour as said ("quarter to 8" says 8), and the hour and minute it means on a
    // 24-hour clock, reading a said 12 as midnight's.
    let clock_hour = |said: u32| if said == 12 { 0 } else { said };
    let (said, hour, minute) = match words[..] {
        [ref minutes @ .., direction @ ("past" | "after" | "to"), hour] => {
            let said: u32 = hour.parse().ok()?;
            let minutes = minutes_before(minutes)?;
            match direction {
                "to" => (said, said.checked_sub(1)?, 60 - minutes),
                _ => (said, clock_hour(said), minutes),
            }
        }
        // British "half seven" is 7:30.
        ["half", hour] => {
            let said: u32 = hour.parse().ok()?;
            (said, clock_hour(said), 30)
        }
        [hour, ref minutes @ ..] if spoken_minutes(minutes).is_some() => {
            let said: u32 = hour.parse().ok()?;
            (said, clock_hour(said), spoken_minutes(minutes)?)
        }
        _ => {
            let digits =
                text.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == ' ' || c == '\'');
            let digits = digits.trim();
            let (said, minute) = match digits.split_once(':') {
                Some((h, m)) => (h.trim().parse::<u32>().ok()?, m.trim().parse::<u32>().ok()?),
                // "730pm", "1930": the hour and its minutes run together.
                None if digits.len() >= 3 => {
                    let (h, m) = digits.split_at(digits.len() - 2);
                    (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?)
                }
                None => (digits.parse::<u32>().ok()?, 0),
            };
            (said, clock_hour(said), minute)
        }
    };
    let time = |hour: u32| NaiveTime::from_hms_opt(hour, minute, 0);
    let on_twelve_hours = (1..=12).contains(&said);
    // "08:00" is written on the 24-hour clock.
    let zero_padded = text.starts_with('0') && text[1..].starts_with(|c: char| c.is_ascii_digit());
    match meridiem {
        Some(_) if !on_twelve_hours => None,
        Some(true) => time(hour + 12).map(Clock::Exact),
        Some(false) => time(hour).map(Clock::Exact),
        None if on_twelve_hours && !zero_padded => time(hour).map(Clock::Either),
        None => time(hour).map(Clock::Exact),
    }
}

/// Whether `word` names a month or a weekday ("january", "fri"): no unlisted place is called
/// that.
pub(crate) fn is_calendar_word(word: &str) -> bool {
    let word = word.to_lowercase();
    month(&word).is_some() || weekday(&word).is_some()
}

/// The weekday a reply names and nothing else: "tuesday", "on Friday", "the saturday".
pub(crate) fn weekday_alone(text: &str) -> Option<Weekday> {
    weekday(&day_alone(text)?)
}

/// The day of the month a reply names and nothing else: "the 15th", "on the 3rd", "15".
pub(crate) fn day_of_month_alone(text: &str) -> Option<u32> {
    day_number(&day_alone(text)?)
}

/// The one word of a reply that names a day, after "on" or "the": "on the 3rd" → "3rd".
fn day_alone(text: &str) -> Option<String> {
    let text = text
        .trim()
        .trim_matches(|c: char| c.is_ascii_punctuation())
        .to_lowercase();
    let words: Vec<&str> = text.split_whitespace().collect();
    match words[..] {
        [day] | ["on" | "the", day] | ["on", "the", day] => Some(day.to_string()),
        _ => None,
    }
}

fn weekday(word: &str) -> Option<Weekday> {
    let singular = word.strip_suffix('s').unwrap_or(word);
    WEEKDAYS
        .iter()
        .find(|(name, _)| names(word, name) || names(singular, name))
        .map(|(_, day)| *day)
}

fn month(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.');
    MONTHS
        .iter()
        .position(|name| names(word, name))
        .map(|i| i as u32 + 1)
}

fn day_number(word: &str) -> Option<u32> {
    super::number::parse_number(word)
        .filter(|n| n.fract() == 0.0 && (1.0..=31.0).contains(n))
        .map(|n| n as u32)
}

/// The words of a date, without a leading "on", "for" or "the" and without a part of the day:
/// "tomorrow evening" → "tomorrow"; "this evening" → "this".
fn date_words(text: &str) -> String {
    let text = text
        .trim_start_matches("on ")
        .trim_start_matches("for ")
        .trim_start_matches("the ")
        .trim();
    ["morning", "afternoon", "evening", "night"]
        .iter()
        .fold(text.to_string(), |acc, part| {
            acc.replace(&format!(" {part}"), "")
        })
}

/// A weekday-led date ("friday 4 december", "fri the 4th", as the bot itself writes dates):
/// `Ok` with the date when the weekday is its date's (its next occurrence's or, without a year,
/// the one after's), `Err` with the next occurrence when it is not, `None` when `words` are no
/// weekday and date.
fn weekday_led(words: &[&str], context: &Context) -> Option<Result<NaiveDate, NaiveDate>> {
    let [day, date @ ..] = words else {
        return None;
    };
    let named = weekday(day).filter(|_| !date.is_empty())?;
    let date = date.strip_prefix(&["the"]).unwrap_or(date);
    let first = absolute(date, context.now.date_naive(), context.day_first)?;
    let second = absolute(date, first.succ_opt()?, context.day_first);
    Some(
        [Some(first), second]
            .into_iter()
            .flatten()
            .find(|date| date.weekday() == named)
            .ok_or(first),
    )
}

/// What to tell the user when `text` names a weekday that is not its date's: "5 December is a
/// Saturday, not a Friday."
fn weekday_mismatch(text: &str, context: &Context) -> Option<String> {
    let text = date_words(text);
    let words: Vec<&str> = text.split(' ').collect();
    let date = weekday_led(&words, context)?.err()?;
    let named = weekday(words[0])?;
    let name = |day: Weekday| {
        let (name, _) = WEEKDAYS.iter().find(|(_, d)| *d == day)?;
        let mut chars = name.chars();
        Some(
            chars
                .next()?
                .to_uppercase()
                .chain(chars)
                .collect::<String>(),
        )
    };
    Some(format!(
        "{} is a {}, not a {}.",
        date.format("%-d %B"),
        name(date.weekday())?,
        name(named)?
    ))
}

/// Why a day and month that no calendar has ("november 31st", "the 30th of february") is no
/// date: "November has 30 days.".
fn missing_day(text: &str) -> Option<String> {
    let text = date_words(text);
    let words: Vec<&str> = text.split(' ').filter(|w| *w != "of").collect();
    let (day, month_number, year) = day_and_month(&words)?;
    // Without a year, the longest the month gets: February 29 is a date in leap years.
    let first = NaiveDate::from_ymd_opt(year.unwrap_or(2028), month_number, 1)?;
    let days = first
        .checked_add_months(chrono::Months::new(1))?
        .signed_duration_since(first)
        .num_days();
    (i64::from(day) > days).then(|| match year {
        Some(year) => format!("{} {year} has {days} days.", first.format("%B")),
        None if month_number == 2 => "February has 28 days, 29 in a leap year.".to_string(),
        None => format!("{} has {days} days.", first.format("%B")),
    })
}

/// Day, month and year, if any, of a month's name and a day ("december 3rd", "3 december
/// 2027"), "of" left out; the day need not be in the month.
fn day_and_month(words: &[&str]) -> Option<(u32, u32, Option<i32>)> {
    let year = |w: &str| w.parse::<i32>().ok().filter(|y| (1000..=9999).contains(y));
    match *words {
        [m, d] if month(m).is_some() => Some((day_number(d)?, month(m)?, None)),
        [d, m] if month(m).is_some() => Some((day_number(d)?, month(m)?, None)),
        [m, d, y] if month(m).is_some() => Some((day_number(d)?, month(m)?, Some(year(y)?))),
        [d, m, y] if month(m).is_some() => Some((day_number(d)?, month(m)?, Some(year(y)?))),
        _ => None,
    }
}

fn parse_date(text: &str, context: &Context) -> Option<NaiveDate> {
    // "for 4" counts people ("7:30 for 4"); "for the 4th" names a day.
    if let Some(count) = text.trim().strip_prefix("for ") {
        if !is_ordinal(count) && super::number::parse_number(count).is_some() {
            return None;
        }
    }
    let today = context.now.date_naive();
    let text = date_words(text);
    match text.as_str() {
        "today" | "tonight" | "this" | "now" => return Some(today),
        "tomorrow" | "tmrw" | "tmr" | "tmrow" | "tomorow" | "tommorow" | "tommorrow"
        | "2morrow" | "2moro" => return today.succ_opt(),
        "yesterday" => return today.pred_opt(),
        "day after tomorrow" => return today.checked_add_signed(Duration::days(2)),
        "day after" | "next day" | "following day" => return context.anchor?.succ_opt(),
        "day before" | "previous day" => return context.anchor?.pred_opt(),
        "that day" | "same day" => return context.anchor,
        _ => {}
    }
    let words: Vec<&str> = text.split(' ').collect();
    match words.as_slice() {
        [day] | ["this", day] | ["coming", day] if weekday(day).is_some() => {
            let target = weekday(day)?;
            let ahead = (7 + target.num_days_from_monday() as i64
                - today.weekday().num_days_from_monday() as i64)
                % 7;
            // Said on a Friday, "friday" is next week's and "this friday" today.
            let ahead = match ahead {
                0 if words[0] != "this" => 7,
                _ => ahead,
            };
            return today.checked_add_signed(Duration::days(ahead));
        }
        // "next friday" and "friday next week" are next week's; "friday after next" the
        // week after.
        ["next", day] | [day, "next", "week"] | [day, "after", "next"]
            if weekday(day).is_some() =>
        {
            let weeks = if words[1] == "after" { 2 } else { 1 };
            let monday = today - Duration::days(today.weekday().num_days_from_monday() as i64);
            return monday.checked_add_signed(Duration::days(
                7 * weeks + weekday(day)?.num_days_from_monday() as i64,
            ));
        }
        ["last", day] if weekday(day).is_some() => {
            let behind = (7 + today.weekday().num_days_from_monday() as i64
                - weekday(day)?.num_days_from_monday() as i64)
                % 7;
            return today.checked_sub_signed(Duration::days(if behind == 0 { 7 } else { behind }));
        }
        ["in", amount @ .., unit]
        | [amount @ .., unit, "from", "now"]
        | [amount @ .., unit, "later"] => {
            return shift(today, amount, unit, 1);
        }
        [amount @ .., unit, "ago"] => return shift(today, amount, unit, -1),
        _ => {}
    }
    if let Some(date) = counted_from(&words, context) {
        return Some(date);
    }
    if let Ok(date) = NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
        return Some(date);
    }
    if let Some(date) = holiday(&text, today) {
        return Some(date);
    }
    match words.as_slice() {
        [day, date @ ..] if !date.is_empty() && weekday(day).is_some() => {
            weekday_led(&words, context)?.ok()
        }
        _ => absolute(&words, today, context.day_first),
    }
}

/// A date counted from another: "a week from friday", "two days after christmas", "3 days
/// before the 1st of december", and the British "a week today", "a week on friday" and
/// "monday week".
fn counted_from(words: &[&str], context: &Context) -> Option<NaiveDate> {
    let relation = words
        .iter()
        .position(|w| matches!(*w, "from" | "after" | "before"));
    let (amount, unit, sign, base) = match (relation, words) {
        (Some(at), _) => {
            let (unit, amount) = words[..at].split_last()?;
            let sign = if words[at] == "before" { -1 } else { 1 };
            (amount, *unit, sign, &words[at + 1..])
        }
        (None, ["a", "week", "on", base @ ..] | ["a", "week", base @ ..] | [base @ .., "week"]) => {
            (&[][..], "week", 1, base)
        }
        (None, _) => return None,
    };
    // Not the "next" of "next week", which is a span of days.
    if !(1..=MAX_BASE_WORDS).contains(&base.len()) || matches!(base, ["this" | "next" | "last"]) {
        return None;
    }
    shift(parse_date(&base.join(" "), context)?, amount, unit, sign)
}

/// Longest date counted from ("the 1st of december" has four words); it also bounds the
/// recursion of [`parse_date`] on long text.
const MAX_BASE_WORDS: usize = 4;

/// Holidays by name, on their next date that is not past: the fixed ones, and Easter and
/// (US) Thanksgiving, which move.
fn holiday(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let text = if text.contains('\'') || text.contains("st. ") {
        std::borrow::Cow::Owned(text.replace("'s", "s").replace("st. ", "st "))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let on = |year: i32| -> Option<NaiveDate> {
        let fixed = |month, day| NaiveDate::from_ymd_opt(year, month, day);
        match text.as_ref() {
            "new years day" | "new years" | "new year" => fixed(1, 1),
            "valentines day" | "valentines" => fixed(2, 14),
            "st patricks day" | "saint patricks day" => fixed(3, 17),
            "halloween" => fixed(10, 31),
            "christmas eve" | "xmas eve" => fixed(12, 24),
            "christmas" | "christmas day" | "xmas" => fixed(12, 25),
            "boxing day" => fixed(12, 26),
            "new years eve" => fixed(12, 31),
            "easter" | "easter sunday" => easter(year),
            "good friday" => easter(year)?.checked_sub_signed(Duration::days(2)),
            "easter monday" => easter(year)?.succ_opt(),
            "thanksgiving" | "thanksgiving day" => {
                NaiveDate::from_weekday_of_month_opt(year, 11, Weekday::Thu, 4)
            }
            _ => None,
        }
    };
    let this_year = on(today.year())?;
    if this_year >= today {
        Some(this_year)
    } else {
        on(today.year() + 1)
    }
}

/// Easter Sunday of the Gregorian calendar (the anonymous Gregorian algorithm, as
/// Meeus writes it).
fn easter(year: i32) -> Option<NaiveDate> {
    let (a, b, c) = (year % 19, year / 100, year % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// The part of the day that runs from `from` to `to` (the minute before its end), if any:
/// "evening" for 18:00 to 23:59.
pub(crate) fn part_of_day_between(from: NaiveTime, to: NaiveTime) -> Option<&'static str> {
    let minutes = |time: NaiveTime| time.hour() * 60 + time.minute();
    PARTS_OF_DAY
        .iter()
        .find(|(.., hours)| {
            hours.is_some_and(|(start, end)| {
                minutes(from) == start * 60 && minutes(to) == end * 60 - 1
            })
        })
        .map(|&(name, ..)| name)
}

/// "tonight", "this morning", "tomorrow evening", ...: the hours of that part of the day.
fn part_of_day(text: &str, context: &Context) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let text = text.trim_start_matches("for ").trim_start_matches("on ");
    let hours_of = |part: &str| {
        PARTS_OF_DAY
            .iter()
            .find(|(name, ..)| *name == part)
            .and_then(|&(.., hours)| hours)
    };
    // "in the morning", "the evening": that of the day the conversation is about, else the
    // next one (today's until it is over).
    let alone = text.trim_start_matches("in ").trim_start_matches("the ");
    let (date, (start, end)) = match (text, hours_of(alone)) {
        ("tonight", _) => (context.now.date_naive(), hours_of("night")?),
        (_, Some((start, end))) => {
            let today = context.now.date_naive();
            let next = match context.now.hour() < end {
                true => today,
                false => today.succ_opt()?,
            };
            (context.anchor.unwrap_or(next), (start, end))
        }
        _ => {
            let (day, part) = text.rsplit_once(' ')?;
            let day = if day == "this" { "today" } else { day };
            (parse_date(day, context)?, hours_of(part)?)
        }
    };
    let from = date.and_hms_opt(start, 0, 0)?;
    let to = from + Duration::hours(end as i64 - start as i64) - Duration::minutes(1);
    Some((from, to))
}

/// "this weekend", "next weekend", "this week", "next week", "this month", "next month", "in
/// december": first and last day (weeks run Monday to Sunday; a span already begun starts
/// today).
fn interval(text: &str, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let text = text.trim_start_matches("for ").trim_start_matches("over ");
    let month_after = |day: NaiveDate| day.with_day(1)?.checked_add_months(chrono::Months::new(1));
    let rest_of_month = |first: NaiveDate| {
        let last = month_after(first)?.pred_opt()?;
        Some((
            if (first..=last).contains(&today) {
                today
            } else {
                first
            },
            last,
        ))
    };
    match text {
        "this month" => return rest_of_month(today),
        "next month" => return rest_of_month(month_after(today)?),
        _ => {}
    }
    if let Some(first) = named_month(text, today) {
        return rest_of_month(first);
    }
    let monday = today - Duration::days(today.weekday().num_days_from_monday() as i64);
    let (start, end) = match text {
        "this weekend" | "the weekend" | "weekend" => (5, 6),
        "next weekend" => (12, 13),
        "this week" => (0, 6),
        "next week" => (7, 13),
        _ => return None,
    };
    let from = (monday + Duration::days(start)).max(today);
    Some((from, monday + Duration::days(end)))
}

/// The first day of the month `text` names alone: "in december", "during march", "january
/// 2027"; without a year, the next such month not yet over. A month without "in" or a year is
/// no date: the tagger may have cut "2 january" short, and "may" or "march" may be no month.
fn named_month(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let (said, name) = match text.split_once(' ') {
        Some(("in" | "during", name)) => (true, name),
        _ => (false, text),
    };
    let (name, year) = match name.split_once(' ') {
        Some((name, year)) if year.len() == 4 => (name, Some(year.parse::<i32>().ok()?)),
        Some(_) => return None,
        None => (name, None),
    };
    let number = MONTHS.iter().position(|m| *m == name)? as u32 + 1;
    if !said && year.is_none() {
        return None;
    }
    let year = year.unwrap_or(today.year() + i32::from(number < today.month()));
    NaiveDate::from_ymd_opt(year, number, 1)
}

/// How many units "in three days" or "in an hour" counts ("in days": one).
fn amount_of(words: &[&str]) -> Option<f64> {
    if matches!(words, [] | ["a" | "an"]) {
        return Some(1.0);
    }
    super::number::parse_number(&words.join(" "))
}

/// `base` moved by `amount` `unit`s, forwards (`sign` 1) or backwards (-1).
fn shift(base: NaiveDate, amount: &[&str], unit: &str, sign: i64) -> Option<NaiveDate> {
    let amount = amount_of(amount)?;
    if amount.fract() != 0.0 || amount > 100_000.0 {
        return None;
    }
    let amount = sign * amount as i64;
    match unit.trim_end_matches('s') {
        "day" => base.checked_add_signed(Duration::try_days(amount)?),
        "week" => base.checked_add_signed(Duration::try_weeks(amount)?),
        "fortnight" => base.checked_add_signed(Duration::try_weeks(2 * amount)?),
        "month" => {
            let months = chrono::Months::new(amount.unsigned_abs() as u32);
            if amount >= 0 {
                base.checked_add_months(months)
            } else {
                base.checked_sub_months(months)
            }
        }
        "year" => base.with_year(base.year().checked_add(amount as i32)?),
        _ => None,
    }
}

/// "december 3rd", "3 december 2027", "the 1st of december", "dec 3 2027", "3/12", "the 5th".
fn absolute(words: &[&str], today: NaiveDate, day_first: bool) -> Option<NaiveDate> {
    let words: Vec<&str> = words.iter().copied().filter(|w| *w != "of").collect();
    let year = |w: &str| w.parse::<i32>().ok().filter(|y| (1000..=9999).contains(y));
    let (day, month_number, explicit_year) = match words[..] {
        [_, _] | [_, _, _] => day_and_month(&words)?,
        [numeric] if numeric.contains('/') || numeric.contains('.') => {
            let parts: Vec<&str> = numeric.split(['/', '.']).collect();
            let number = |s: &str| s.parse::<u32>().ok();
            let (a, b) = (number(parts.first()?)?, number(parts.get(1)?)?);
            // A reading without such a month ("12/24" day first) is the other order's.
            let (d, m) = if (day_first && b <= 12) || (!day_first && a > 12) {
                (a, b)
            } else {
                (b, a)
            };
            let y = match parts.get(2) {
                Some(y) if y.len() == 2 => Some(2000 + y.parse::<i32>().ok()?),
                Some(y) => Some(year(y)?),
                None => None,
            };
            (d, m, y)
        }
        [d] => {
            // "the 5th": the next 5th of a month that is not in the past.
            let d = day_number(d)?;
            let mut candidate = NaiveDate::from_ymd_opt(today.year(), today.month(), d);
            let mut month_start = today.with_day(1)?;
            while candidate.is_none_or(|c| c < today) {
                month_start = month_start.checked_add_months(chrono::Months::new(1))?;
                candidate = NaiveDate::from_ymd_opt(month_start.year(), month_start.month(), d);
            }
            return candidate;
        }
        _ => return None,
    };
    match explicit_year {
        Some(y) => NaiveDate::from_ymd_opt(y, month_number, day),
        None => (0..=8).find_map(|ahead| {
            NaiveDate::from_ymd_opt(today.year() + ahead, month_number, day).filter(|d| *d >= today)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn context() -> Context {
        // Monday 23 November 2026, 10:00 in Oslo.
        Context::new(
            chrono_tz::Europe::Oslo
                .with_ymd_and_hms(2026, 11, 23, 10, 0, 0)
                .unwrap(),
        )
    }

    fn date(text: &str) -> String {
        resolve_date(text, &context())
            .map(|r| r.slot_value().to_string())
            .unwrap_or_else(|e| e.reason)
    }

    #[test]
    fn relative_and_absolute_dates() {
        for (text, expected) in [
            ("today", "\"2026-11-23\""),
            ("tomorrow", "\"2026-11-24\""),
            ("the day after tomorrow", "\"2026-11-25\""),
            ("friday", "\"2026-11-27\""),
            ("on friday", "\"2026-11-27\""),
            ("Friday.", "\"2026-11-27\""),
            ("tomorrow?!", "\"2026-11-24\""),
            ("this friday", "\"2026-11-27\""),
            ("monday", "\"2026-11-30\""),
            ("next friday", "\"2026-12-04\""),
            ("last friday", "\"2026-11-20\""),
            ("in 3 days", "\"2026-11-26\""),
            ("in two weeks", "\"2026-12-07\""),
            ("3 days from now", "\"2026-11-26\""),
            ("a week ago", "\"2026-11-16\""),
            ("a week from friday", "\"2026-12-04\""),
            ("two days after christmas", "\"2026-12-27\""),
            ("3 days before the 1st of december", "\"2026-11-28\""),
            ("a week today", "\"2026-11-30\""),
            ("a week on friday", "\"2026-12-04\""),
            ("monday week", "\"2026-12-07\""),
            ("december 3rd", "\"2026-12-03\""),
            ("3 december", "\"2026-12-03\""),
            ("the 1st of december", "\"2026-12-01\""),
            ("dec 3 2027", "\"2027-12-03\""),
            ("2026-12-03", "\"2026-12-03\""),
            ("3/12", "\"2026-12-03\""),
            ("12/24", "\"2026-12-24\""),
            ("12/24/2026", "\"2026-12-24\""),
            ("march 14th", "\"2027-03-14\""),
            ("the 5th", "\"2026-12-05\""),
            ("friday at 5pm", "\"2026-11-27T17:00\""),
            ("tomorrow at noon", "\"2026-11-24T12:00\""),
            // An hour without am or pm is its first reading not yet past.
            ("tomorrow at 8", "\"2026-11-24T08:00\""),
            ("today at 8", "\"2026-11-23T20:00\""),
            ("at 8 tomorrow evening", "\"2026-11-24T20:00\""),
            ("friday at 8 in the evening", "\"2026-11-27T20:00\""),
            ("8 december", "\"2026-12-08\""),
            ("8", "\"2026-12-08\""),
            ("3.12", "\"2026-12-03\""),
            ("3.12 at 7.30", "\"2026-12-03T07:30\""),
            ("this evening at 7", "\"2026-11-23T19:00\""),
            ("at 5 this afternoon", "\"2026-11-23T17:00\""),
            ("tomorrow night at 11", "\"2026-11-24T23:00\""),
            ("december 8", "\"2026-12-08\""),
            ("3 december at 8", "\"2026-12-03T08:00\""),
            (
                "tonight",
                r#"{"from":"2026-11-23T18:00","to":"2026-11-23T23:59"}"#,
            ),
            (
                "tomorrow morning",
                r#"{"from":"2026-11-24T06:00","to":"2026-11-24T11:59"}"#,
            ),
            (
                "friday evening",
                r#"{"from":"2026-11-27T18:00","to":"2026-11-27T23:59"}"#,
            ),
            ("this weekend", r#"{"from":"2026-11-28","to":"2026-11-29"}"#),
            ("next week", r#"{"from":"2026-11-30","to":"2026-12-06"}"#),
            ("this week", r#"{"from":"2026-11-23","to":"2026-11-29"}"#),
            ("this month", r#"{"from":"2026-11-23","to":"2026-11-30"}"#),
            ("next month", r#"{"from":"2026-12-01","to":"2026-12-31"}"#),
            ("in december", r#"{"from":"2026-12-01","to":"2026-12-31"}"#),
            ("in november", r#"{"from":"2026-11-23","to":"2026-11-30"}"#),
            ("during march", r#"{"from":"2027-03-01","to":"2027-03-31"}"#),
            (
                "february 2028",
                r#"{"from":"2028-02-01","to":"2028-02-29"}"#,
            ),
            ("sept 3", "\"2027-09-03\""),
            ("in 2 months", "\"2027-01-23\""),
            ("dec. 5", "\"2026-12-05\""),
            ("thurs", "\"2026-11-26\""),
            ("next tues", "\"2026-12-01\""),
            ("nxt friday", "\"2026-12-04\""),
            ("friday 4 december", "\"2026-12-04\""),
            ("Friday, 4 December", "\"2026-12-04\""),
            ("fri dec 4", "\"2026-12-04\""),
            ("friday the 4th", "\"2026-12-04\""),
            ("thursday 3 december 2026", "\"2026-12-03\""),
            ("christmas eve", "\"2026-12-24\""),
            ("on Christmas Day", "\"2026-12-25\""),
            ("new year\u{2019}s eve", "\"2026-12-31\""),
            ("new year's day", "\"2027-01-01\""),
            ("valentine's day", "\"2027-02-14\""),
            ("st. patrick's day", "\"2027-03-17\""),
            ("halloween", "\"2027-10-31\""),
            ("thanksgiving", "\"2026-11-26\""),
            ("easter", "\"2027-03-28\""),
            ("good friday", "\"2027-03-26\""),
            ("easter monday", "\"2027-03-29\""),
            ("christmas eve at 7pm", "\"2026-12-24T19:00\""),
        ] {
            assert_eq!(date(text), expected, "{text}");
        }
        assert!(resolve_date("in 99999999999 days", &context()).is_err());
        assert!(resolve_date("february 30", &context()).is_err());
        assert!(resolve_date("paris", &context()).is_err());
        // 4 December 2026 is a Friday, and November has no 31st; the user is told so.
        for (text, hint) in [
            (
                "thursday 4 december",
                "4 December is a Friday, not a Thursday.",
            ),
            (
                "on sat the 4th of december 2026",
                "4 December is a Friday, not a Saturday.",
            ),
            ("february 30", "February has 28 days, 29 in a leap year."),
            ("november 31st", "November has 30 days."),
        ] {
            let said = resolve_date(text, &context()).unwrap_err().hint;
            assert_eq!(said.as_deref(), Some(hint), "{text}");
        }
        assert_eq!(
            missing_day("the 29th of february 2027").as_deref(),
            Some("February 2027 has 28 days.")
        );
        assert_eq!(missing_day("february 29"), None);
        assert_eq!(date("saturday 4 december"), "\"2027-12-04\"");
        assert!(resolve_date("monday christmas", &context()).is_err());
        // Words that merely begin like a month or a weekday.
        for text in [
            "maybe 5",
            "5 market",
            "next monk",
            "sunny",
            "may",
            "december",
            "in dec",
        ] {
            assert!(resolve_date(text, &context()).is_err(), "{text}");
        }
    }

    #[test]
    fn the_day_after_counts_from_the_anchor() {
        let friday = Context {
            anchor: NaiveDate::from_ymd_opt(2026, 11, 27),
            ..context()
        };
        let read = |text, context| resolve_date(text, context).map(|r| r.slot_value().to_string());
        assert_eq!(
            read("the day after", &friday).as_deref(),
            Ok("\"2026-11-28\"")
        );
        assert_eq!(
            read("the next day", &friday).as_deref(),
            Ok("\"2026-11-28\"")
        );
        assert_eq!(
            read("the day before", &friday).as_deref(),
            Ok("\"2026-11-26\"")
        );
        assert!(read("the day after", &context()).is_err());
    }

    #[test]
    fn for_and_a_count_is_no_day() {
        let read = |text| resolve_date(text, &context()).map(|r| r.slot_value().to_string());
        assert!(read("for 4").is_err());
        assert!(read("for four").is_err());
        assert_eq!(read("for the 4th").as_deref(), Ok("\"2026-12-04\""));
        assert_eq!(read("for tomorrow").as_deref(), Ok("\"2026-11-24\""));
        let time = |text| resolve_time(text, &context()).map(|r| r.slot_value().to_string());
        assert!(time("7:30 for 4").is_err());
        // A count before a time is no day either; a day is written as one.
        assert!(time("2 at 8").is_err());
        assert!(time("four at 7pm").is_err());
        assert!(read("2 at 8pm").is_err());
        assert_eq!(time("2nd at 8pm").as_deref(), Ok("\"2026-12-02T20:00\""));
        assert_eq!(time("on 2 at 8pm").as_deref(), Ok("\"2026-12-02T20:00\""));
        assert_eq!(time("dec 2 at 8pm").as_deref(), Ok("\"2026-12-02T20:00\""));
    }

    #[test]
    fn numeric_dates_read_in_the_other_order_only_when_theirs_has_no_such_month() {
        let month_first = Context {
            day_first: false,
            ..context()
        };
        let read = |text| resolve_date(text, &month_first).map(|r| r.slot_value().to_string());
        assert_eq!(read("3/12").as_deref(), Ok("\"2027-03-12\""));
        assert_eq!(read("24/12").as_deref(), Ok("\"2026-12-24\""));
        assert!(read("13/13").is_err());
    }

    #[test]
    fn easter_falls_on_its_published_dates() {
        for (year, month, day) in [
            (1818, 3, 22),
            (1943, 4, 25),
            (2000, 4, 23),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2038, 4, 25),
        ] {
            assert_eq!(
                easter(year),
                NaiveDate::from_ymd_opt(year, month, day),
                "{year}"
            );
        }
    }

    #[test]
    fn this_weekday_said_on_that_day_is_today() {
        let friday = Context::new(
            chrono_tz::Europe::Oslo
                .with_ymd_and_hms(2026, 11, 27, 10, 0, 0)
                .unwrap(),
        );
        let on_friday = |text| resolve_date(text, &friday).map(|r| r.slot_value().to_string());
        assert_eq!(on_friday("this friday").as_deref(), Ok("\"2026-11-27\""));
        assert_eq!(on_friday("friday").as_deref(), Ok("\"2026-12-04\""));
        assert_eq!(on_friday("next friday").as_deref(), Ok("\"2026-12-04\""));
    }

    #[test]
    fn a_bare_hour_is_read_inside_the_opening_hours() {
        let open = Context {
            hours: "11:00-23:00".parse().ok(),
            ..context()
        };
        for (text, expected) in [
            ("tomorrow at 8", "\"2026-11-24T20:00\""),
            ("friday at 7", "\"2026-11-27T19:00\""),
            ("at 12", "\"12:00\""),
            // Both readings of 11 are open, so the first not yet past.
            ("friday at 11", "\"2026-11-27T11:00\""),
            // An hour with am or pm is as said, open or not.
            ("friday at 7am", "\"2026-11-27T07:00\""),
        ] {
            let got = resolve_time(text, &open).map(|r| r.slot_value().to_string());
            assert_eq!(got.as_deref(), Ok(expected), "{text}");
        }
        let night = Context {
            hours: "18:00-02:00".parse().ok(),
            ..context()
        };
        let got = resolve_time("friday at 1", &night).map(|r| r.slot_value().to_string());
        assert_eq!(got.as_deref(), Ok("\"2026-11-27T01:00\""));
    }

    #[test]
    fn times() {
        for (text, expected) in [
            ("5pm", "\"17:00\""),
            ("5 pm", "\"17:00\""),
            ("at 7:30 pm", "\"19:30\""),
            ("17:30", "\"17:30\""),
            ("noon", "\"12:00\""),
            ("midnight", "\"00:00\""),
            ("12am", "\"00:00\""),
            ("12pm", "\"12:00\""),
            ("0:30", "\"00:30\""),
            // Said at 10:00, an hour without am or pm is the next one on the clock.
            ("half past 7", "\"19:30\""),
            ("quarter to 8", "\"19:45\""),
            ("quarter to 1", "\"12:45\""),
            ("half past 10", "\"10:30\""),
            ("8 o'clock", "\"20:00\""),
            ("8", "\"20:00\""),
            ("at 8", "\"20:00\""),
            ("around 11", "\"11:00\""),
            ("at 12", "\"12:00\""),
            ("8 tonight", "\"20:00\""),
            ("at 8 in the morning", "\"08:00\""),
            ("quarter to 12 at night", "\"23:45\""),
            ("at 9:30", "\"21:30\""),
            ("at 21", "\"21:00\""),
            ("tomorrow at 8", "\"2026-11-24T08:00\""),
            ("half past seven", "\"19:30\""),
            ("7.30pm", "\"19:30\""),
            ("eight thirty", "\"20:30\""),
            ("at seven forty-five", "\"19:45\""),
            ("9 fifteen in the morning", "\"09:15\""),
            ("7 this evening", "\"19:00\""),
            ("in 20 minutes", "\"10:20\""),
            ("in an hour", "\"11:00\""),
            ("in half an hour", "\"10:30\""),
            ("in two hours", "\"12:00\""),
            ("in 1.5 hours", "\"11:30\""),
            ("in 15 hours", "\"2026-11-24T01:00\""),
            ("asap", "\"10:00\""),
            ("now", "\"10:00\""),
            ("7.30 p.m.", "\"19:30\""),
            ("at 7.30", "\"19:30\""),
            ("6 a.m.", "\"06:00\""),
            ("at eight", "\"20:00\""),
            ("seven pm", "\"19:00\""),
            ("eleven o'clock", "\"11:00\""),
            ("5pm!", "\"17:00\""),
            ("at 6 a.m.?", "\"06:00\""),
            ("7.30 p.m", "\"19:30\""),
            ("ten past eight", "\"20:10\""),
            ("at twenty past seven", "\"19:20\""),
            ("five to eight", "\"19:55\""),
            ("twenty-five to 9", "\"20:35\""),
            ("10 minutes past 6 in the morning", "\"06:10\""),
            ("half seven", "\"19:30\""),
            ("at 7ish", "\"19:00\""),
            ("8-ish", "\"20:00\""),
            ("20h30", "\"20:30\""),
            ("12 noon", "\"12:00\""),
            ("twelve midnight", "\"00:00\""),
        ] {
            let got = resolve_time(text, &context()).map(|r| r.slot_value().to_string());
            assert_eq!(got.as_deref(), Ok(expected), "{text}");
        }
        for text in [
            "13pm",
            "0am",
            "at 25",
            "8 people",
            "the 8th",
            "one of them",
            "in 99999999999 hours",
            "in 3 days",
        ] {
            assert!(resolve_time(text, &context()).is_err(), "{text}");
        }
    }
}
