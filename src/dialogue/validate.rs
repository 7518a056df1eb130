//! Validation: a slot's rules (`validate:` in the YAML) applied to a value, and the refusal said
//! when it breaks one.

use super::render::{display, prompt};
use super::state::{Form, Refusal};
use crate::intents::template::fill;
use crate::intents::{CheckedValidation, Intent, Slot};
use crate::lang::Replies;
use crate::resolve::{Context, Resolved, Unresolved};

/// The first slot whose value repeats the slot its `differs_from` rule names, emptied, with
/// what to say. Checked once the whole message has filled the form, so that "no, from Rome to
/// Paris" may swap two values.
pub(super) fn repeated_value(
    replies: &Replies,
    form: &mut Form,
    intent: &Intent,
) -> Option<Refusal> {
    let (slot, message) = intent.slots.iter().find_map(|slot| {
        let rules = slot.validate.as_ref()?;
        let other = rules.differs_from.as_ref()?;
        let (value, others) = (form.slots.get(&slot.name)?, form.slots.get(other)?);
        value.same_as(others).then(|| {
            let why = fill(
                &replies.already,
                &[
                    ("value", &value.display),
                    ("slot", &other.replace('_', " ")),
                    ("question", &prompt(replies, slot, 0)),
                ],
            );
            (slot, refusal_message(rules, &value.text, form, why))
        })
    })?;
    form.slots.remove(&slot.name);
    Some(Refusal {
        slot: slot.name.clone(),
        message,
    })
}

pub(super) fn validate(
    replies: &Replies,
    slot: &Slot,
    text: &str,
    value: &serde_json::Value,
    resolved: &Result<Resolved, Unresolved>,
    context: &Context,
    form: &Form,
) -> Result<(), String> {
    let Some(rules) = &slot.validate else {
        return Ok(());
    };
    let refuse = |why: String| refusal_message(rules, text, form, why);
    if !rules.values.is_empty() {
        let shown = value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_string);
        if !rules.values.iter().any(|v| v.eq_ignore_ascii_case(&shown)) {
            let values = rules.values.join(", ");
            return Err(refuse(fill(
                &replies.not_one_of,
                &[("text", text), ("values", &values)],
            )));
        }
    }
    if let Some(pattern) = &rules.pattern {
        if !pattern.is_match(text) {
            return Err(refuse(fill(&replies.no_match, &[("text", text)])));
        }
    }
    if rules.min.is_some() || rules.max.is_some() || rules.integer {
        let Some(number) = value.as_f64() else {
            return Err(refuse(fill(&replies.not_a_number, &[("text", text)])));
        };
        if rules.integer && number.fract() != 0.0 {
            return Err(refuse(fill(&replies.not_whole, &[("text", text)])));
        }
        if rules.min.is_some_and(|min| number < min) || rules.max.is_some_and(|max| number > max) {
            let range = format!(
                "{}–{}",
                rules.min.map_or("…".into(), |m| m.to_string()),
                rules.max.map_or("…".into(), |m| m.to_string())
            );
            return Err(refuse(fill(
                &replies.out_of_range,
                &[("text", text), ("range", &range)],
            )));
        }
    }
    if let Some(hours) = rules.hours {
        let time = match resolved {
            Ok(Resolved::Time { value }) => Some(*value),
            Ok(Resolved::DateTime { value }) => Some(value.time()),
            _ => None,
        };
        if let Some(time) = time.filter(|&time| !hours.contains(time)) {
            let (time, hours) = (time.format("%H:%M").to_string(), hours.to_string());
            return Err(refuse(fill(
                &replies.out_of_hours,
                &[("time", &time), ("hours", &hours)],
            )));
        }
    }
    if rules.not_in_past {
        let now = context.now.naive_local();
        // A span is past once it has ended; a time of day alone means its next occurrence.
        let past = match resolved {
            Ok(Resolved::Date { value }) => *value < now.date(),
            Ok(Resolved::DateTime { value }) => *value < now,
            Ok(Resolved::Interval { to, .. }) => *to < now.date(),
            Ok(Resolved::TimeInterval { to, .. }) => *to < now,
            Ok(Resolved::Time { .. }) => false,
            _ => return Err(refuse(fill(&replies.not_a_date, &[("text", text)]))),
        };
        if past {
            return Err(refuse(fill(&replies.in_the_past, &[("text", text)])));
        }
    }
    if rules.single_day {
        if let Ok(Resolved::Interval { from, to }) = resolved {
            if from < to {
                return Err(which_day(
                    replies,
                    text,
                    *from,
                    *to,
                    chrono::Datelike::year(&context.now),
                ));
            }
        }
    }
    Ok(())
}

/// The question for one day of a span: its days, when there are few, else its bounds.
pub(super) fn which_day(
    replies: &Replies,
    text: &str,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    year: i32,
) -> String {
    let day = |value| Resolved::Date { value }.display_in(year);
    let days: Vec<String> = from.iter_days().take_while(|d| *d <= to).map(day).collect();
    match days.split_last() {
        Some((last, others)) if days.len() <= 3 => fill(
            &replies.which_of_days,
            &[("days", &others.join(", ")), ("last", last)],
        ),
        _ => fill(
            &replies.which_day_between,
            &[
                ("text", text.trim()),
                ("from", &day(from)),
                ("to", &day(to)),
            ],
        ),
    }
}

/// What the bot says when `text` breaks one of `rules`: their reprompt, with `{value}` the
/// refused text and `{slot}` the form's values, else `why`.
pub(super) fn refusal_message(
    rules: &CheckedValidation,
    text: &str,
    form: &Form,
    why: String,
) -> String {
    match &rules.reprompt {
        Some(reprompt) => {
            let mut values = display(form);
            values.insert("value".into(), text.to_string());
            crate::intents::template::render(reprompt, &values)
        }
        None => why,
    }
}
