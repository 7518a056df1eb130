//! Entity resolution: turn a tagged span ("friday at 5pm", "twenty five", "sushi") into a
//! value, relative to a reference time and time zone that the caller passes on every call —
//! never the wall clock.

mod date;
mod number;
pub mod place;

pub(crate) use date::{day_of_month_alone, hour_in_part_of_day, weekday_alone};

/// Whether `text` is a number and nothing else: "4", "ten", "twenty-five".
pub(crate) fn is_number(text: &str) -> bool {
    number::parse_number(text).is_some()
}

/// Whether `text` counts a party of several kinds ("3 adults and 2 kids", "me and my wife").
pub(crate) fn is_head_count(text: &str) -> bool {
    number::head_count(text).is_some()
}

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The resolvers that ship with slotfill.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum BuiltinResolver {
    /// Calendar dates and date intervals ("friday", "next week").
    Date,
    /// Times of day and date-times ("5pm", "tomorrow at noon").
    Time,
    /// Cardinal and ordinal numbers ("4", "twenty five", "third").
    Number,
    /// World cities and countries from the bundled gazetteer.
    Location,
}

impl BuiltinResolver {
    /// The name written in YAML (`resolver: date`).
    pub fn name(self) -> &'static str {
        match self {
            BuiltinResolver::Date => "date",
            BuiltinResolver::Time => "time",
            BuiltinResolver::Number => "number",
            BuiltinResolver::Location => "location",
        }
    }
}

/// An entity type of a bot, checked: what its values resolve with.
#[derive(Debug, Clone)]
pub struct EntityType {
    /// Name used in annotations.
    pub name: String,
    /// Built-in resolver, if any.
    pub resolver: Option<BuiltinResolver>,
    /// Lookup list: canonical value and its synonyms.
    pub values: Vec<(String, Vec<String>)>,
    /// Compiled regex patterns.
    pub patterns: Vec<regex::Regex>,
}

/// What a resolver needs besides the text.
#[derive(Debug, Clone)]
pub struct Context {
    /// The reference "now", in the user's time zone.
    pub now: DateTime<Tz>,
    /// Read 03/04 as 3 April (true) or March 4 (false).
    pub day_first: bool,
    /// The date the conversation is about, which "the day after" and "the day before" count
    /// from; `None` outside a conversation.
    pub anchor: Option<NaiveDate>,
    /// The hours a time is expected in (a restaurant's opening hours): of the two readings of
    /// an hour said without am or pm ("at 7"), the one inside them. `None`: the first reading
    /// not yet past.
    pub hours: Option<Hours>,
}

/// A span of the clock, "11:00-23:00"; one that ends before it starts runs past midnight
/// ("18:00-02:00").
///
/// ```
/// use chrono::NaiveTime;
/// let hours: slotfill::resolve::Hours = "11:00-23:00".parse().unwrap();
/// assert!(hours.contains(NaiveTime::from_hms_opt(19, 0, 0).unwrap()));
/// assert!(!hours.contains(NaiveTime::from_hms_opt(7, 0, 0).unwrap()));
/// assert_eq!(hours.to_string(), "11:00–23:00");
/// assert!("11-23".parse::<slotfill::resolve::Hours>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hours {
    /// The first minute inside.
    pub from: NaiveTime,
    /// The last minute inside.
    pub to: NaiveTime,
}

impl Hours {
    /// Whether `time` falls within the hours.
    pub fn contains(&self, time: NaiveTime) -> bool {
        if self.from <= self.to {
            (self.from..=self.to).contains(&time)
        } else {
            time >= self.from || time <= self.to
        }
    }
}

impl std::str::FromStr for Hours {
    type Err = chrono::ParseError;

    /// Two times of day, `HH:MM`, between a hyphen or an en dash.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (from, to) = text.split_once(['-', '–']).unwrap_or((text, ""));
        let time = |part: &str| NaiveTime::parse_from_str(part.trim(), "%H:%M");
        Ok(Hours {
            from: time(from)?,
            to: time(to)?,
        })
    }
}

impl std::fmt::Display for Hours {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}–{}",
            self.from.format("%H:%M"),
            self.to.format("%H:%M")
        )
    }
}

impl Context {
    /// The context at `now`, reading 03/04 as 3 April, outside any conversation.
    ///
    /// ```
    /// use chrono::TimeZone;
    /// let now = chrono_tz::Europe::Oslo.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
    /// let monday = slotfill::resolve::Context::new(now);
    /// assert!(monday.day_first && monday.anchor.is_none());
    /// ```
    pub fn new(now: DateTime<Tz>) -> Context {
        Context {
            now,
            day_first: true,
            anchor: None,
            hours: None,
        }
    }

    /// The context at a local time (`2026-11-23T10:00:00`, `…T10:00` or `2026-11-23`) in an
    /// IANA time zone (`Europe/Oslo`).
    ///
    /// ```
    /// let monday = slotfill::resolve::Context::at("2026-11-23T10:00", "Europe/Oslo").unwrap();
    /// assert_eq!(monday.now.to_rfc3339(), "2026-11-23T10:00:00+01:00");
    /// ```
    pub fn at(local: &str, time_zone: &str) -> crate::Result<Context> {
        let invalid = crate::Error::ReferenceTime;
        let tz: Tz = time_zone
            .parse()
            .map_err(|e| invalid(format!("time zone `{time_zone}`: {e}")))?;
        let naive = NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M:%S")
            .or_else(|_| NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M"))
            .or_else(|_| {
                NaiveDate::parse_from_str(local, "%Y-%m-%d").map(|d| d.and_time(NaiveTime::MIN))
            })
            .map_err(|_| invalid(format!("time `{local}`: expected YYYY-MM-DDTHH:MM:SS")))?;
        let now = naive
            .and_local_timezone(tz)
            .earliest()
            .ok_or_else(|| invalid(format!("time `{local}` does not exist in {tz}")))?;
        Ok(Context::new(now))
    }
}

/// A resolved value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Resolved {
    /// A calendar date.
    Date {
        /// The date.
        value: NaiveDate,
    },
    /// A date and time in the context's time zone.
    DateTime {
        /// The local date and time.
        value: NaiveDateTime,
    },
    /// A span of days ("this weekend", "next week"), both ends included.
    Interval {
        /// First day.
        from: NaiveDate,
        /// Last day.
        to: NaiveDate,
    },
    /// A part of a day ("tonight", "tomorrow morning"), both ends included.
    TimeInterval {
        /// First minute.
        from: NaiveDateTime,
        /// Last minute.
        to: NaiveDateTime,
    },
    /// A time of day.
    Time {
        /// The time.
        value: NaiveTime,
    },
    /// A number.
    Number {
        /// The number.
        value: f64,
    },
    /// A city or country from the gazetteer.
    Place {
        /// Canonical name.
        name: String,
        /// Its country.
        country: String,
    },
    /// A plain string value: a lookup-list canonical value, an unlisted place, free text.
    Value {
        /// The value.
        value: String,
    },
}

/// Why a text could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("could not resolve: {reason}")]
pub struct Unresolved {
    /// Human-readable reason.
    pub reason: String,
    /// What to tell the user, when the resolver knows more than that it cannot read the text
    /// ("5 December is a Saturday, not a Friday.").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Unresolved {
    pub(crate) fn because(reason: String) -> Self {
        Unresolved { reason, hint: None }
    }
}

impl Resolved {
    /// The value as it goes into `slots`: dates `YYYY-MM-DD`, date-times `YYYY-MM-DDTHH:MM`,
    /// times `HH:MM`, numbers as numbers, other values as strings.
    pub fn slot_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Resolved::Date { value } => Value::String(value.format("%Y-%m-%d").to_string()),
            Resolved::DateTime { value } => {
                Value::String(value.format("%Y-%m-%dT%H:%M").to_string())
            }
            Resolved::Time { value } => Value::String(value.format("%H:%M").to_string()),
            Resolved::Interval { from, to } => serde_json::json!({
                "from": from.format("%Y-%m-%d").to_string(),
                "to": to.format("%Y-%m-%d").to_string(),
            }),
            Resolved::TimeInterval { from, to } => serde_json::json!({
                "from": from.format("%Y-%m-%dT%H:%M").to_string(),
                "to": to.format("%Y-%m-%dT%H:%M").to_string(),
            }),
            Resolved::Number { value } => serde_json::Number::from_f64(*value)
                .map(|n| match value.fract() == 0.0 && value.abs() < 1e15 {
                    true => Value::from(*value as i64),
                    false => Value::Number(n),
                })
                .unwrap_or(Value::Null),
            Resolved::Place { name, .. } => Value::String(name.clone()),
            Resolved::Value { value } => Value::String(value.clone()),
        }
    }

    /// The unit the value is precise to: `day` (dates and spans of days), `minute`, `hour`
    /// (parts of a day), or `none` for numbers and names.
    pub fn grain(&self) -> &'static str {
        match self {
            Resolved::Date { .. } => "day",
            Resolved::DateTime { .. } | Resolved::Time { .. } => "minute",
            Resolved::Interval { .. } => "day",
            Resolved::TimeInterval { .. } => "hour",
            Resolved::Number { .. } | Resolved::Place { .. } | Resolved::Value { .. } => "none",
        }
    }

    /// The full value as JSON: its kind, fields and grain.
    pub fn to_json(&self) -> serde_json::Value {
        let mut json = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        if let Some(object) = json.as_object_mut() {
            object.insert("grain".into(), self.grain().into());
        }
        json
    }

    /// The value written for people: "Friday 27 November", "Friday 27 November at 17:00".
    pub fn display(&self) -> String {
        self.written(None)
    }

    /// The value written for people in `year`: dates of other years carry theirs.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use slotfill::resolve::Resolved;
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let christmas = Resolved::Date { value: day(2027, 12, 25) };
    /// assert_eq!(christmas.display_in(2026), "Saturday 25 December 2027");
    /// let weekend = Resolved::Interval { from: day(2026, 11, 28), to: day(2026, 11, 29) };
    /// assert_eq!(weekend.display_in(2026), "Saturday 28 and Sunday 29 November");
    /// ```
    pub fn display_in(&self, year: i32) -> String {
        self.written(Some(year))
    }

    fn written(&self, this_year: Option<i32>) -> String {
        let day = |date: &NaiveDate| match this_year {
            Some(year) if date.year() != year => date.format("%A %-d %B %Y").to_string(),
            _ => date.format("%A %-d %B").to_string(),
        };
        match self {
            Resolved::Date { value } => day(value),
            Resolved::DateTime { value } => {
                format!("{} at {}", day(&value.date()), value.format("%H:%M"))
            }
            Resolved::Time { value } => value.format("%H:%M").to_string(),
            Resolved::Interval { from, to } if from == to => day(from),
            Resolved::Interval { from, to } => {
                // "Saturday 28 and Sunday 29 November": the month once when both share it.
                let first = match (from.year(), from.month()) == (to.year(), to.month()) {
                    true => from.format("%A %-d").to_string(),
                    false => day(from),
                };
                let joint = match to.signed_duration_since(*from).num_days() {
                    1 => "and",
                    _ => "to",
                };
                format!("{first} {joint} {}", day(to))
            }
            Resolved::TimeInterval { from, to } => {
                match date::part_of_day_between(from.time(), to.time()) {
                    Some(part) => format!("{} in the {part}", day(&from.date())),
                    None => format!(
                        "{} from {} to {}",
                        day(&from.date()),
                        from.format("%H:%M"),
                        to.format("%H:%M")
                    ),
                }
            }
            Resolved::Number { value } => value.to_string(),
            Resolved::Place { name, .. } => name.clone(),
            Resolved::Value { value } => value.clone(),
        }
    }
}

/// A resolved span found inside a longer text.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Entity type.
    pub entity: String,
    /// Start in characters.
    pub start: usize,
    /// End (exclusive) in characters.
    pub end: usize,
    /// The span's text.
    pub text: String,
    /// Its value.
    pub resolved: Resolved,
}

#[derive(Debug, Clone)]
enum Rule {
    Builtin(BuiltinResolver),
    /// Written form (lower-cased) → canonical value.
    Lookup(Vec<(String, String)>),
    /// An entity known only by its patterns, like Rasa's RegexEntityExtractor: its value is
    /// the part of a text that one of them matches, and a text without a match is none.
    Pattern(Vec<regex::Regex>),
    Raw,
}

/// The resolvers of a bot's entity types.
///
/// ```
/// use slotfill::intents::Intents;
/// use slotfill::resolve::{Context, Resolvers};
/// use chrono::TimeZone;
/// let intents = Intents::from_str("bot.yaml", "entities:\n  - name: date\n    resolver: date\n").unwrap();
/// let resolvers = Resolvers::new(&intents.entities);
/// let monday = Context::new(chrono_tz::UTC.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap());
/// let friday = resolvers.resolve("date", "friday at 5pm", &monday).unwrap();
/// assert_eq!(friday.slot_value(), "2026-11-27T17:00");
/// assert_eq!(friday.display(), "Friday 27 November at 17:00");
/// ```
#[derive(Debug, Clone, Default)]
pub struct Resolvers {
    rules: HashMap<String, Rule>,
    /// Regex patterns by entity, in file order.
    patterns: Vec<(String, regex::Regex)>,
}

impl Resolvers {
    /// Resolvers for these entity types: built-in ones by `resolver`, lookup lists by
    /// `values`, entities with only `patterns` to the part of the text they match; other
    /// entities resolve to their text.
    pub fn new(entities: &[EntityType]) -> Self {
        let rules = entities
            .iter()
            .map(|e| {
                let rule = match (e.resolver, e.values.is_empty()) {
                    (Some(builtin), _) => Rule::Builtin(builtin),
                    (None, false) => Rule::Lookup(
                        e.values
                            .iter()
                            .flat_map(|(value, synonyms)| {
                                std::iter::once(value)
                                    .chain(synonyms)
                                    .map(move |s| (s.to_lowercase(), value.clone()))
                            })
                            .collect(),
                    ),
                    (None, true) if !e.patterns.is_empty() => Rule::Pattern(e.patterns.clone()),
                    (None, true) => Rule::Raw,
                };
                (e.name.clone(), rule)
            })
            .collect();
        let patterns = entities
            .iter()
            .flat_map(|e| e.patterns.iter().map(|p| (e.name.clone(), p.clone())))
            .collect();
        Resolvers { rules, patterns }
    }

    /// Resolves `text`, as a whole, as entity `entity`.
    pub fn resolve(
        &self,
        entity: &str,
        text: &str,
        context: &Context,
    ) -> Result<Resolved, Unresolved> {
        match self.rules.get(entity).unwrap_or(&Rule::Raw) {
            Rule::Builtin(kind) => builtin(*kind, text, context),
            Rule::Lookup(values) => {
                let folded = text.trim().to_lowercase();
                // "double." ends a sentence; "Dr." of a listed "Dr." is the value's own.
                let unpunctuated = folded.trim_end_matches(['.', ',', '!', '?', ';', ':']);
                values
                    .iter()
                    .find(|(written, _)| *written == folded)
                    .or_else(|| values.iter().find(|(written, _)| written == unpunctuated))
                    .map(|(_, value)| Resolved::Value {
                        value: value.clone(),
                    })
                    .ok_or_else(|| {
                        Unresolved::because(format!("`{text}` is not a listed {entity}"))
                    })
            }
            Rule::Pattern(patterns) => match first_match(patterns, text) {
                Some(found) => Ok(Resolved::Value {
                    value: found.as_str().to_string(),
                }),
                None => {
                    let hint = format!(
                        "I couldn't read \"{}\" as {}.",
                        text.trim(),
                        with_article(entity)
                    );
                    Err(Unresolved {
                        reason: format!("`{text}` matches no pattern of {entity}"),
                        hint: Some(hint),
                    })
                }
            },
            Rule::Raw => Ok(Resolved::Value {
                value: text.trim().to_string(),
            }),
        }
    }

    /// The characters of `text` that a pattern of `entity` matches, when `entity` is known
    /// only by its patterns: the phone number of a tagged "6am, my number is +31 612345678".
    pub fn pattern_part(&self, entity: &str, text: &str) -> Option<(usize, usize)> {
        let Some(Rule::Pattern(patterns)) = self.rules.get(entity) else {
            return None;
        };
        let found = first_match(patterns, text)?;
        let start = text[..found.start()].chars().count();
        Some((start, start + found.as_str().chars().count()))
    }

    /// The tagged `start..end` of `text` with the word after it, when it is no value of
    /// `entity`'s lookup list but the first words of one: the name said after a title ("Dr.
    /// House", where the list has "Dr. Smith").
    pub fn with_name_after(
        &self,
        entity: &str,
        text: &str,
        (start, end): (usize, usize),
    ) -> Option<String> {
        let Some(Rule::Lookup(values)) = self.rules.get(entity) else {
            return None;
        };
        let chars: Vec<char> = text.chars().collect();
        let tagged: String = chars
            .get(start..end)?
            .iter()
            .collect::<String>()
            .to_lowercase();
        let lead = format!("{tagged} ");
        if values.iter().any(|(written, _)| *written == tagged)
            || !values.iter().any(|(written, _)| written.starts_with(&lead))
        {
            return None;
        }
        let (_, next_end) = word_bounds(text)
            .into_iter()
            .find(|&(next_start, _)| next_start >= end)
            .filter(|&(next_start, _)| chars[end..next_start].iter().all(|c| c.is_whitespace()))?;
        Some(chars[start..next_end].iter().collect())
    }

    /// The built-in resolver of `entity`, if it has one.
    pub fn builtin_of(&self, entity: &str) -> Option<BuiltinResolver> {
        match self.rules.get(entity) {
            Some(Rule::Builtin(kind)) => Some(*kind),
            _ => None,
        }
    }

    /// The longest span of `text` (whole words) that resolves as `entity`: how a bare answer
    /// ("make it friday please") fills the slot the bot asked for.
    /// A span that resolves only to free text (an unlisted place) is taken only when no span
    /// resolves to something known.
    pub fn find(&self, entity: &str, text: &str, context: &Context) -> Option<Found> {
        self.longest(entity, text, context, |_, _| true)
    }

    /// The longest span of `text` (whole words) around the characters `start..end` that
    /// resolves as `entity`: the tagger may cut a value short ("the day" of "make it the day
    /// before").
    pub fn widen(
        &self,
        entity: &str,
        text: &str,
        (start, end): (usize, usize),
        context: &Context,
    ) -> Option<Found> {
        self.longest(entity, text, context, |from, to| from <= start && end <= to)
    }

    /// The longest span whose character range `around` accepts that resolves as `entity`.
    fn longest(
        &self,
        entity: &str,
        text: &str,
        context: &Context,
        around: impl Fn(usize, usize) -> bool,
    ) -> Option<Found> {
        // A pattern's match is exactly the value, whatever words are around it.
        if let Some(Rule::Pattern(_)) = self.rules.get(entity) {
            let (start, end) = self.pattern_part(entity, text)?;
            let span: String = text.chars().skip(start).take(end - start).collect();
            return around(start, end).then(|| Found {
                entity: entity.to_string(),
                start,
                end,
                resolved: Resolved::Value {
                    value: span.clone(),
                },
                text: span,
            });
        }
        let words: Vec<(usize, usize)> = word_bounds(text);
        let chars: Vec<char> = text.chars().collect();
        let mut fallback = None;
        for len in (1..=words.len().min(8)).rev() {
            for first in 0..=words.len() - len {
                let (start, end) = (words[first].0, words[first + len - 1].1);
                if !around(start, end) {
                    continue;
                }
                let span: String = chars[start..end].iter().collect();
                let Ok(resolved) = self.resolve(entity, &span, context) else {
                    continue;
                };
                let found = Found {
                    entity: entity.to_string(),
                    start,
                    end,
                    text: span,
                    resolved,
                };
                let unlisted_place = matches!(
                    self.rules.get(entity),
                    Some(Rule::Builtin(BuiltinResolver::Location))
                ) && matches!(found.resolved, Resolved::Value { .. });
                if !unlisted_place {
                    return Some(found);
                }
                fallback.get_or_insert(found);
            }
        }
        fallback
    }

    /// Lookup-list matches (longest first) and then regex-pattern matches over a whole text,
    /// without overlaps.
    pub fn rule_matches(&self, text: &str) -> Vec<Found> {
        let words = word_bounds(text);
        let chars: Vec<char> = text.chars().collect();
        let mut found: Vec<Found> = Vec::new();
        let mut entities: Vec<&String> = self.rules.keys().collect();
        entities.sort();
        for entity in entities {
            let Some(Rule::Lookup(values)) = self.rules.get(entity) else {
                continue;
            };
            for len in (1..=words.len().min(6)).rev() {
                for first in 0..=words.len() - len {
                    let (start, end) = (words[first].0, words[first + len - 1].1);
                    if found.iter().any(|f| f.start < end && start < f.end) {
                        continue;
                    }
                    let span: String = chars[start..end].iter().collect();
                    let folded = span.to_lowercase();
                    if let Some((_, value)) = values.iter().find(|(w, _)| *w == folded) {
                        found.push(Found {
                            entity: entity.clone(),
                            start,
                            end,
                            text: span,
                            resolved: Resolved::Value {
                                value: value.clone(),
                            },
                        });
                    }
                }
            }
        }
        for (entity, pattern) in &self.patterns {
            for m in pattern.find_iter(text) {
                let start = text[..m.start()].chars().count();
                let end = start + m.as_str().chars().count();
                if start == end || found.iter().any(|f| f.start < end && start < f.end) {
                    continue;
                }
                found.push(Found {
                    entity: entity.clone(),
                    start,
                    end,
                    text: m.as_str().to_string(),
                    resolved: Resolved::Value {
                        value: m.as_str().to_string(),
                    },
                });
            }
        }
        found.sort_by_key(|f| f.start);
        found
    }
}

/// The earliest match of any of `patterns` in `text`, the longest of those starting there.
fn first_match<'t>(patterns: &[regex::Regex], text: &'t str) -> Option<regex::Match<'t>> {
    patterns
        .iter()
        .filter_map(|pattern| pattern.find(text))
        .min_by_key(|found| (found.start(), std::cmp::Reverse(found.end())))
}

/// The entity `entity` as a reply names it: "a booking ref" for `booking_ref`, "an order id".
fn with_article(entity: &str) -> String {
    let noun = entity.replace(['_', '-', '.'], " ");
    let article = match noun.starts_with(|c: char| "aeiouAEIOU".contains(c)) {
        true => "an",
        false => "a",
    };
    format!("{article} {noun}")
}

/// Ways of writing each built-in entity that a bot's examples may never show ("dec 5",
/// "17:30", "twenty five", "rio de janeiro"). Training swaps them into the examples as values
/// of entities with that resolver, as Snips NLU augments with its built-in entities'
/// examples, so that the tagger learns them too. Each is written as it would follow a
/// preposition outside the span (`on [dec 5](date)`, `at [17:30](time)`).
///
/// ```
/// use slotfill::intents::BuiltinResolver;
/// assert!(slotfill::resolve::examples(BuiltinResolver::Date).contains(&"dec 5"));
/// ```
pub fn examples(kind: BuiltinResolver) -> &'static [&'static str] {
    match kind {
        BuiltinResolver::Date => &[
            "dec 5",
            "jan 3",
            "feb 14th",
            "sept 3",
            "aug 21",
            "nov 30",
            "march 3rd",
            "april 1st",
            "june 30",
            "the 3rd of march",
            "5 december",
            "december 5th",
            "12/05",
            "2027-01-15",
            "the 21st",
            "this friday",
            "next thursday",
            "wednesday",
            "tomorrow",
            "today",
            "the day after tomorrow",
            "in two weeks",
            "in 10 days",
            "3 days from now",
            "monday morning",
            "saturday evening",
            "tomorrow night",
            "this week",
            "next month",
            "the weekend",
            "friday 4 december",
            "christmas day",
            "new year's eve",
            "easter",
        ],
        BuiltinResolver::Time => &[
            "5pm",
            "5 pm",
            "9am",
            "10 am",
            "17:30",
            "21:00",
            "11:00",
            "1:15pm",
            "6:45 pm",
            "7.30pm",
            "noon",
            "midnight",
            "half past seven",
            "half past 6",
            "quarter to eight",
            "quarter past nine",
            "8 o'clock",
            "eight thirty",
            "seven pm",
            "7 in the evening",
        ],
        BuiltinResolver::Number => &[
            "one",
            "2",
            "three",
            "4",
            "five",
            "6",
            "seven",
            "8",
            "nine",
            "10",
            "twelve",
            "15",
            "twenty",
            "twenty five",
        ],
        BuiltinResolver::Location => &[
            "new york",
            "nyc",
            "los angeles",
            "mexico city",
            "rio de janeiro",
            "buenos aires",
            "são paulo",
            "reykjavik",
            "zürich",
            "düsseldorf",
            "st. petersburg",
            "tel aviv",
            "abu dhabi",
            "addis ababa",
            "cape town",
            "kuala lumpur",
            "ho chi minh city",
            "hong kong",
            "south korea",
            "the netherlands",
        ],
    }
}

/// Longest name accepted as a place that the gazetteer does not list.
const MAX_UNLISTED_PLACE_WORDS: usize = 3;

/// A built-in resolver on the whole text.
pub fn builtin(
    kind: BuiltinResolver,
    text: &str,
    context: &Context,
) -> Result<Resolved, Unresolved> {
    match kind {
        BuiltinResolver::Date => date::resolve_date(text, context),
        BuiltinResolver::Time => date::resolve_time(text, context),
        BuiltinResolver::Number => number::parse_number(text)
            .or_else(|| number::head_count(text))
            .map(|value| Resolved::Number { value })
            .ok_or_else(|| Unresolved::because(format!("`{}` is not a number", text.trim()))),
        BuiltinResolver::Location => {
            let written = text.trim().trim_matches(|c: char| c.is_ascii_punctuation());
            // "the uk", "the Hague", "THE UK": with the article, or else without it.
            let without_article = written
                .get(..4)
                .filter(|article| article.eq_ignore_ascii_case("the "))
                .map(|_| &written[4..]);
            let listed = [Some(written), without_article]
                .into_iter()
                .flatten()
                .find_map(|name| place::gazetteer().lookup(name))
                .or_else(|| place_before_other_words(written, context));
            if let Some(place) = listed {
                return Ok(Resolved::Place {
                    name: place.name.clone(),
                    country: place.country.clone(),
                });
            }
            // A place the gazetteer lacks (a village, a new district) is kept as written, if
            // it is written as a name: not "🤔", "S %n", "i don't know", "there", nor
            // "expensive" or "lol", which no capital marks as names.
            let folded: Vec<String> = written.split_whitespace().map(place::fold).collect();
            let is_any = |list: &[&str], word: &String| list.contains(&word.as_str());
            let ends = [folded.first(), folded.last()];
            let capitalised = written
                .split_whitespace()
                .enumerate()
                .all(|(i, word)| starts_uppercase(word) || (i > 0 && word.chars().count() <= 3));
            if folded.is_empty()
                || !capitalised
                || folded.len() > MAX_UNLISTED_PLACE_WORDS
                || !written
                    .chars()
                    .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’' | '.'))
                || folded.iter().all(|word| is_any(&NOT_PLACE_WORDS, word))
                || folded.iter().any(|word| is_any(&NEVER_IN_PLACE_NAMES, word))
                || ends
                    .into_iter()
                    .flatten()
                    .any(|end| is_any(&NEVER_ENDS_PLACE_NAMES, end))
                // "friday", "Oslo Friday"; but "Sun City" (a short "sun" only alone).
                || written.split_whitespace().any(|word| {
                    (folded.len() == 1 || word.len() >= 5) && date::is_calendar_word(word)
                })
            {
                return Err(Unresolved::because(format!(
                    "`{}` is not a place name",
                    text.trim()
                )));
            }
            Ok(Resolved::Value {
                value: written.to_string(),
            })
        }
    }
}

/// Words no place name holds: with any of them, a reply is about the place, not its name ("I'm
/// not sure", "wherever you recommend", "the nearest airport").
const NEVER_IN_PLACE_NAMES: [&str; 32] = [
    "available",
    "today",
    "tonight",
    "tomorrow",
    "tomorow",
    "tmrw",
    "tmr",
    "yesterday",
    "i",
    "i'm",
    "im",
    "me",
    "my",
    "you",
    "your",
    "we",
    "don't",
    "dont",
    "know",
    "not",
    "sure",
    "idea",
    "idk",
    "dunno",
    "yet",
    "whatever",
    "wherever",
    "recommend",
    "suggest",
    "choose",
    "nearest",
    "closest",
];

/// Words that make no place name on their own: what people answer "Where to?" with when
/// they name no place, and the small words a tagger may take for one (the words of
/// [`NEVER_IN_PLACE_NAMES`] too).
const NOT_PLACE_WORDS: [&str; 56] = [
    "a",
    "an",
    "the",
    "us",
    "it",
    "its",
    "it's",
    "there",
    "here",
    "where",
    "what",
    "which",
    "who",
    "am",
    "is",
    "are",
    "be",
    "back",
    "home",
    "anywhere",
    "somewhere",
    "nowhere",
    "everywhere",
    "any",
    "some",
    "yes",
    "no",
    "maybe",
    "none",
    "nothing",
    "please",
    "thanks",
    "ok",
    "okay",
    "hmm",
    "um",
    "uh",
    "and",
    "or",
    "to",
    "from",
    "in",
    "at",
    "on",
    "same",
    "first",
    "time",
    "date",
    "day",
    "city",
    "centre",
    "center",
    "people",
    "problem",
    "fine",
    "warm",
];

/// Words no place name the gazetteer lacks starts or ends with, so that a span the tagger ran
/// on too far is no name: "London to there", "there on friday", "the city of". ("The Hague"
/// and "A Coruña" are listed.)
const NEVER_ENDS_PLACE_NAMES: [&str; 19] = [
    "the", "a", "an", "to", "from", "in", "at", "on", "of", "and", "or", "there", "here", "same",
    "it", "us", "is", "are", "over",
];

/// The place a name starts with, where the words after it are written as no name and name no
/// other value: "Paris urgently", "Rome first", "ROME ASAP"; not "Little Snoring", "London to
/// there" nor "Rome tmrw", where the span ran on into a date.
fn place_before_other_words(written: &str, context: &Context) -> Option<&'static place::Place> {
    let words: Vec<&str> = written.split_whitespace().collect();
    let no_name = |word: &&str| {
        let shouted = word.chars().count() >= 4 && word.chars().all(char::is_uppercase);
        (!starts_uppercase(word) || shouted)
            && word.chars().all(char::is_alphabetic)
            && !NEVER_ENDS_PLACE_NAMES.contains(&place::fold(word).as_str())
            && !date::is_calendar_word(word)
    };
    (1..words.len())
        .rev()
        .take_while(|&length| words[length..].iter().all(no_name))
        .filter(|&length| {
            let rest = words[length..].join(" ");
            date::resolve_date(&rest, context).is_err()
                && date::resolve_time(&rest, context).is_err()
        })
        .map(|length| words[..length].join(" "))
        .filter(|name| {
            name.chars().count() > 2
                && !NEVER_ENDS_PLACE_NAMES.contains(&place::fold(name).as_str())
        })
        .find_map(|name| place::gazetteer().lookup(&name))
}

fn starts_uppercase(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Character ranges of the whitespace-separated words of `text`, without edge punctuation.
fn word_bounds(text: &str) -> Vec<(usize, usize)> {
    let mut bounds = Vec::new();
    let mut start = None;
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().chain(std::iter::once(&' ')).enumerate() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                let mut s: usize = s;
                let mut e = i;
                while s < e && matches!(chars[s], ',' | '.' | '!' | '?' | '"' | '(' | ')') {
                    s += 1;
                }
                while e > s && matches!(chars[e - 1], ',' | '.' | '!' | '?' | '"' | '(' | ')') {
                    e -= 1;
                }
                if s < e {
                    bounds.push((s, e));
                }
                start = None;
            }
            _ => {}
        }
    }
    bounds
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rand::seq::IndexedRandom;
    use rand::{Rng, SeedableRng};

    fn resolvers() -> Resolvers {
        let bot = crate::intents::Intents::from_str(
            "bot.yaml",
            "entities:\n  - name: date\n    resolver: date\n  - name: number\n    resolver: number\n  - name: location\n    resolver: location\n",
        )
        .unwrap();
        Resolvers::new(&bot.entities)
    }

    fn context() -> Context {
        Context::new(
            chrono_tz::UTC
                .with_ymd_and_hms(2026, 11, 23, 10, 0, 0)
                .unwrap(),
        )
    }

    /// A user who answers a confirmation with the bot's own words ("no, Friday 4 December")
    /// must be understood.
    #[test]
    fn dates_as_the_bot_writes_them_resolve_to_themselves() {
        let context = context();
        let today = context.now.date_naive();
        for ahead in 0..366 {
            let day = today + chrono::Duration::days(ahead);
            for value in [
                Resolved::Date { value: day },
                Resolved::DateTime {
                    value: day.and_hms_opt(17, 30, 0).unwrap(),
                },
            ] {
                let written = value.display();
                assert_eq!(
                    builtin(BuiltinResolver::Date, &written, &context),
                    Ok(value),
                    "{written}"
                );
            }
        }
    }

    #[test]
    fn unlisted_places_are_kept_when_written_as_names() {
        let place = |text| builtin(BuiltinResolver::Location, text, &context());
        assert_eq!(
            place("Little Snoring"),
            Ok(Resolved::Value {
                value: "Little Snoring".into()
            })
        );
        assert_eq!(
            place("Stow on Wold").map(|p| p.display()),
            Ok("Stow on Wold".into())
        );
        // A known place before words written as no name is that place.
        for (text, name) in [
            ("Paris urgently", "Paris"),
            ("paris urgently", "Paris"),
            ("Rome between", "Rome"),
            ("ROME PLEASE", "Rome"),
            ("kuala lumpur international airport", "Kuala Lumpur"),
        ] {
            assert_eq!(place(text).map(|p| p.display()), Ok(name.into()), "{text}");
        }
        for text in ["the uk", "THE UK", "The UK."] {
            assert_eq!(
                place(text).map(|p| p.display()),
                Ok("United Kingdom".into()),
                "{text}"
            );
        }
        for text in [
            "january",
            "Fri",
            "the 2nd",
            "🤔",
            "S %n",
            "i don't know",
            "I'm not sure",
            "not sure yet",
            "no idea",
            "wherever you recommend",
            "the nearest airport",
            "anywhere is fine",
            "no problem",
            "the city centre",
            "idk",
            "anywhere",
            "The",
            "back",
            "I am",
            "London to there",
            "rome tmrw",
            "the city of",
            "there on friday",
            "Oslo Friday",
            "Over",
            "Available",
            "little snoring",
            "expensive",
            "lol",
            "/greet",
            "wait yes",
        ] {
            assert!(place(text).is_err(), "{text}");
        }
    }

    #[test]
    fn every_builtin_example_resolves() {
        for kind in [
            BuiltinResolver::Date,
            BuiltinResolver::Time,
            BuiltinResolver::Number,
            BuiltinResolver::Location,
        ] {
            for example in examples(kind) {
                let resolved = builtin(kind, example, &context());
                assert!(
                    matches!(resolved, Ok(ref r) if !matches!(r, Resolved::Value { .. })),
                    "{example}: {resolved:?}"
                );
            }
        }
    }

    #[test]
    fn bare_answers_are_found_inside_replies() {
        let found = resolvers()
            .find("date", "make it friday please", &context())
            .unwrap();
        assert_eq!((found.start, found.end), (8, 14));
        assert_eq!(found.resolved.slot_value(), "2026-11-27");
        let number = resolvers()
            .find("number", "we are four", &context())
            .unwrap();
        assert_eq!(number.resolved.slot_value(), 4);
        assert_eq!(written("location", "new york"), "New York City");
        assert_eq!(written("location", "Little Whinging"), "Little Whinging");
        let place = resolvers()
            .find("location", "uh, munchen please", &context())
            .unwrap();
        assert_eq!(place.resolved.display(), "Munich");
    }

    /// How the bot writes the value of `text` as `entity`.
    fn written(entity: &str, text: &str) -> String {
        resolvers()
            .resolve(entity, text, &context())
            .unwrap()
            .display()
    }

    #[test]
    fn spans_of_days_read_as_people_write_them() {
        let span = |text| written("date", text);
        assert_eq!(span("this weekend"), "Saturday 28 and Sunday 29 November");
        assert_eq!(span("this month"), "Monday 23 to Monday 30 November");
        assert_eq!(span("next week"), "Monday 30 November to Sunday 6 December");
        assert_eq!(
            span("tomorrow morning"),
            "Tuesday 24 November in the morning"
        );
        assert_eq!(span("tonight"), "Monday 23 November in the evening");
    }

    #[test]
    fn a_value_cut_short_widens_to_the_words_around_it_that_resolve() {
        let friday = Context {
            anchor: NaiveDate::from_ymd_opt(2026, 11, 27),
            ..context()
        };
        let text = "on friday make it the day before";
        let widened = resolvers().widen("date", text, (18, 25), &friday).unwrap();
        assert_eq!(widened.text, "the day before");
        assert_eq!(widened.resolved.slot_value(), "2026-11-26");
        // "on friday" resolves too, and is longer, but does not hold the tagged words.
        assert!(resolvers()
            .widen("date", text, (18, 25), &context())
            .is_none());
    }

    #[test]
    fn a_pattern_entity_is_the_part_of_a_text_that_matches() {
        let intents = crate::intents::Intents::from_str(
            "bot.yaml",
            "entities:\n  - name: booking\n    patterns: ['[A-Z]{2}\\d{4}', 'ref \\d+']\n",
        )
        .unwrap();
        let resolvers = Resolvers::new(&intents.entities);
        assert_eq!(
            resolvers.pattern_part("booking", "it's AB1234 I think"),
            Some((5, 11))
        );
        assert_eq!(
            resolvers.pattern_part("booking", "ref 12 or CD5678"),
            Some((0, 6))
        );
        assert_eq!(resolvers.pattern_part("booking", "no idea"), None);
        assert_eq!(resolvers.pattern_part("other", "AB1234"), None);
    }

    #[test]
    fn lookup_lists_and_patterns_match_in_text() {
        let bot = crate::intents::Intents::from_str(
            "bot.yaml",
            "entities:\n  - name: cuisine\n    values: [{value: japanese, synonyms: [sushi]}]\n  - name: booking\n    patterns: ['[A-Z]{2}\\d{4}']\n",
        )
        .unwrap();
        let resolvers = Resolvers::new(&bot.entities);
        let found = resolvers.rule_matches("é Sushi for AB1234 please");
        let got: Vec<_> = found
            .iter()
            .map(|f| (f.entity.as_str(), f.start, f.end, f.resolved.display()))
            .collect();
        assert_eq!(
            got,
            [
                ("cuisine", 2, 7, "japanese".to_string()),
                ("booking", 12, 18, "AB1234".to_string())
            ]
        );
    }

    #[test]
    fn random_text_never_panics() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x9e37_79b9);
        for _ in 0..2000 {
            let text: String = (0..rng.random_range(0..24))
                .map(|_| {
                    *[
                        "in ",
                        "99999999999",
                        " days",
                        "friday",
                        "at ",
                        "5pm",
                        ":",
                        "/",
                        "é",
                        "🙂",
                        "the ",
                        "3rd",
                        " ",
                        "-",
                    ]
                    .choose(&mut rng)
                    .unwrap()
                })
                .collect();
            for kind in [
                BuiltinResolver::Date,
                BuiltinResolver::Time,
                BuiltinResolver::Number,
                BuiltinResolver::Location,
            ] {
                let _ = builtin(kind, &text, &context());
            }
            let _ = resolvers().find("date", &text, &context());
        }
    }
}
