//! The state of a conversation, as plain serde data: the open form and its slot values, the
//! last action done, and what one turn did.

use super::command::Command;
use crate::lang::Replies;
use crate::parse::Asked;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A filled slot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlotValue {
    /// What the user wrote.
    pub text: String,
    /// The resolved value (what `slots` holds in parse results).
    pub value: serde_json::Value,
    /// The value for people, used in replies.
    pub display: String,
    /// The items of a list slot (whose `value` is their values as an array).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<SlotValue>,
}

impl SlotValue {
    pub(crate) fn single(text: &str, value: serde_json::Value, display: String) -> Self {
        SlotValue {
            text: text.to_string(),
            value,
            display,
            items: Vec::new(),
        }
    }

    /// Whether this is the value of a list slot.
    pub(super) fn is_list(&self) -> bool {
        self.value.is_array()
    }

    /// Whether two values name the same thing: the same resolved value, or the same words.
    pub(super) fn same_as(&self, other: &SlotValue) -> bool {
        self.value == other.value || self.text.eq_ignore_ascii_case(&other.text)
    }

    /// A list slot's value: "pepperoni, mushrooms and olives", or "none".
    pub(super) fn list(items: Vec<SlotValue>, replies: &Replies) -> Self {
        let join = |part: fn(&SlotValue) -> &str| {
            let parts: Vec<&str> = items.iter().map(part).collect();
            match parts.split_last() {
                None => String::new(),
                Some((last, [])) => last.to_string(),
                Some((last, rest)) => format!("{} {} {last}", rest.join(", "), replies.and),
            }
        };
        let text = join(|i| &i.text);
        let display = if items.is_empty() {
            replies.none.clone()
        } else {
            join(|i| &i.display)
        };
        SlotValue {
            text,
            value: items.iter().map(|i| i.value.clone()).collect(),
            display,
            items,
        }
    }
}

/// An intent whose slots are being filled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Form {
    /// The intent.
    pub intent: String,
    /// Slots filled so far.
    pub slots: BTreeMap<String, SlotValue>,
    /// The slot the bot asked for last.
    pub asking: Option<String>,
    /// Refused answers for the slot being asked.
    pub attempts: u32,
    /// Waiting for yes/no to the confirmation question.
    pub confirming: bool,
    /// How many prompts were asked, to rotate through a slot's prompts.
    pub asked: u32,
    /// The days a `single_day` slot was refused for ("next week"), while it is asked: a
    /// weekday said next is the one among them.
    #[serde(default)]
    pub within: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    /// The user cancelled and was asked whether to go on (the intent's `ask_to_continue`).
    #[serde(default)]
    pub continuing: bool,
}

impl Form {
    /// Whether the bot asked what to change: neither a slot nor the confirmation is asked.
    pub(super) fn is_changing(&self) -> bool {
        self.asking.is_none() && !self.confirming
    }

    /// An empty form for `intent`.
    pub fn new(intent: &str) -> Self {
        Form {
            intent: intent.to_string(),
            slots: BTreeMap::new(),
            asking: None,
            attempts: 0,
            confirming: false,
            asked: 0,
            within: None,
            continuing: false,
        }
    }
}

impl Conversation {
    /// What the bot asked last, for the parser to read the next message as a reply to
    /// ([`Parser::parse_reply`](crate::parse::Parser::parse_reply)).
    pub fn asked(&self) -> Asked {
        let Some(form) = &self.form else {
            return Asked::Nothing;
        };
        let intent = form.intent.clone();
        match (&form.asking, form.confirming) {
            // "Do you want to continue?" asks nothing of the form.
            _ if form.continuing => Asked::Nothing,
            (_, true) => Asked::Confirmation(intent),
            (Some(slot), false) => Asked::Slot {
                intent,
                slot: slot.clone(),
            },
            (None, false) => Asked::Change(intent),
        }
    }
}

/// The last action fired, for follow-ups ("and tomorrow?").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completed {
    /// Its intent.
    pub intent: String,
    /// Its slots.
    pub slots: BTreeMap<String, SlotValue>,
    /// When it fired (unix seconds of the reference time).
    pub at: i64,
}

/// The state of one conversation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    /// The open form, if any.
    pub form: Option<Form>,
    /// The last completed action.
    pub last: Option<Completed>,
    /// Reference time of the last message (unix seconds).
    pub updated: i64,
    /// Messages handled so far.
    #[serde(default)]
    pub turns: u64,
}

/// An action to run: its name and slot values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionCall {
    /// The action's name.
    pub name: String,
    /// The intent that fired it.
    pub intent: String,
    /// Resolved slot values.
    pub slots: BTreeMap<String, serde_json::Value>,
    /// Slot values for people, for reply templates.
    pub display: BTreeMap<String, String>,
}

/// What one user message led to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    /// What the bot says.
    pub replies: Vec<String>,
    /// The intent the NLU saw.
    pub intent: String,
    /// Its confidence.
    pub confidence: f32,
    /// The open form's slots after this turn (the fired form's, when one fired).
    pub slots: BTreeMap<String, serde_json::Value>,
    /// The action fired, if any. Its replies still have to be produced by the caller.
    pub action: Option<ActionCall>,
    /// The intent of the form left open after this turn, if any.
    pub form: Option<String>,
    /// The slot the bot asked for, if it asked for one.
    pub asking: Option<String>,
    /// What the message asked of the dialogue, in the order the turn applied it.
    #[serde(default)]
    pub commands: Vec<Command>,
}

/// A value the user gave that failed its slot's validation.
pub(super) struct Refusal {
    pub(super) slot: String,
    pub(super) message: String,
}
