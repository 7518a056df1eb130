//! What a user message asks of the dialogue, as data: the commands of one turn, in the order
//! the turn applied them (Rasa CALM's shape: start a flow, set or correct a slot, cancel, …).
//!
//! A [`Turn`](super::Turn) carries its commands, so that `chat --trace`, `/debug`, the HTTP
//! `messages` response and a library caller all see why the bot answered as it did.

use super::SlotValue;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One thing a user message asked of the dialogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// Start the form of an intent (or answer a slotless one) with nothing else open.
    Start {
        /// The intent.
        intent: String,
    },
    /// Answer another intent while the open form waits; it resumes after.
    Digress {
        /// The intent answered.
        intent: String,
    },
    /// Give an empty slot a value.
    SetSlot {
        /// The slot.
        slot: String,
        /// Its resolved value.
        value: serde_json::Value,
    },
    /// Change a filled slot: to `value`, or, with none, by asking for it again.
    CorrectSlot {
        /// The slot.
        slot: String,
        /// Its new resolved value, or none to ask for it again.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<serde_json::Value>,
    },
    /// Add an item to a list slot or take one off it.
    EditList {
        /// The list slot.
        slot: String,
        /// Added or taken off.
        op: ListOp,
        /// The item's resolved value.
        value: serde_json::Value,
    },
    /// Trade the values of two slots of one entity (a flight's origin and destination).
    Swap {
        /// One slot.
        first: String,
        /// The other.
        second: String,
    },
    /// Yes to the confirmation.
    Affirm,
    /// No to the confirmation, with nothing new said: the bot asks what to change.
    Deny,
    /// Drop the open form.
    Cancel,
    /// The user cancelled a form that asks first whether to go on: the question is asked.
    AskToContinue,
    /// The user asks for a moment: the question stays open.
    HoldOn,
    /// Asked what to change, nothing: the confirmation again.
    KeepAll,
    /// Nothing the bot can do with the message: the fallback.
    CannotHandle,
}

/// How a list edit changes the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListOp {
    /// The item joins the list.
    Add,
    /// The item leaves it.
    Remove,
}

impl Command {
    /// The slot a slot command is about.
    pub fn slot(&self) -> Option<&str> {
        match self {
            Command::SetSlot { slot, .. }
            | Command::CorrectSlot { slot, .. }
            | Command::EditList { slot, .. } => Some(slot),
            _ => None,
        }
    }

    /// The command in a few words, for `/debug` and the evaluation of dialogue acts:
    /// `affirm`, `set_slot party_size`, `correct_slot time?` (to be asked again),
    /// `edit_list toppings add`, `start book_flight`.
    pub fn summary(&self) -> String {
        match self {
            Command::Start { intent } => format!("start {intent}"),
            Command::Digress { intent } => format!("digress {intent}"),
            Command::SetSlot { slot, .. } => format!("set_slot {slot}"),
            Command::CorrectSlot { slot, value } => match value {
                Some(_) => format!("correct_slot {slot}"),
                None => format!("correct_slot {slot}?"),
            },
            Command::EditList { slot, op, .. } => match op {
                ListOp::Add => format!("edit_list {slot} add"),
                ListOp::Remove => format!("edit_list {slot} remove"),
            },
            Command::Swap { .. } => "swap".into(),
            Command::Affirm => "affirm".into(),
            Command::Deny => "deny".into(),
            Command::Cancel => "cancel".into(),
            Command::AskToContinue => "ask_to_continue".into(),
            Command::HoldOn => "hold_on".into(),
            Command::KeepAll => "keep_all".into(),
            Command::CannotHandle => "cannot_handle".into(),
        }
    }
}

/// The slot commands that took a form's slots from `before` to `after`: a new slot is set, a
/// changed one corrected, and a list's items added or removed one by one.
pub(crate) fn slot_changes(
    before: &BTreeMap<String, SlotValue>,
    after: &BTreeMap<String, SlotValue>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    for (slot, value) in after {
        let old = before.get(slot);
        if value.is_list() {
            let had = |item: &SlotValue| old.is_some_and(|old| old.items.contains(item));
            let kept = |item: &SlotValue| value.items.contains(item);
            let removed = old.into_iter().flat_map(|old| &old.items);
            for (op, item) in removed
                .filter(|item| !kept(item))
                .map(|item| (ListOp::Remove, item))
                .chain(
                    value
                        .items
                        .iter()
                        .filter(|item| !had(item))
                        .map(|item| (ListOp::Add, item)),
                )
            {
                commands.push(Command::EditList {
                    slot: slot.clone(),
                    op,
                    value: item.value.clone(),
                });
            }
            // "none": an empty list where there was none.
            if old.is_none() && value.items.is_empty() {
                commands.push(Command::SetSlot {
                    slot: slot.clone(),
                    value: value.value.clone(),
                });
            }
            continue;
        }
        match old {
            None => commands.push(Command::SetSlot {
                slot: slot.clone(),
                value: value.value.clone(),
            }),
            Some(old) if old.value != value.value => commands.push(Command::CorrectSlot {
                slot: slot.clone(),
                value: Some(value.value.clone()),
            }),
            Some(_) => {}
        }
    }
    commands
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn value(v: serde_json::Value) -> SlotValue {
        SlotValue::single(&v.to_string(), v.clone(), v.to_string())
    }

    fn list(items: &[&str]) -> SlotValue {
        let replies = crate::lang::Language::default().replies;
        SlotValue::list(items.iter().map(|i| value(json!(i))).collect(), &replies)
    }

    fn slots(pairs: &[(&str, SlotValue)]) -> BTreeMap<String, SlotValue> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn a_new_slot_is_set_and_a_changed_one_corrected() {
        let before = slots(&[
            ("time", value(json!("19:00"))),
            ("city", value(json!("Rome"))),
        ]);
        let after = slots(&[
            ("time", value(json!("21:00"))),
            ("city", value(json!("Rome"))),
            ("party", value(json!(4))),
        ]);
        let summaries: Vec<String> = slot_changes(&before, &after)
            .iter()
            .map(Command::summary)
            .collect();
        assert_eq!(summaries, ["set_slot party", "correct_slot time"]);
    }

    #[test]
    fn list_edits_are_one_command_per_item() {
        let before = slots(&[("toppings", list(&["ham", "mushrooms"]))]);
        let after = slots(&[("toppings", list(&["ham", "olives"]))]);
        let summaries: Vec<String> = slot_changes(&before, &after)
            .iter()
            .map(Command::summary)
            .collect();
        assert_eq!(
            summaries,
            ["edit_list toppings remove", "edit_list toppings add"]
        );
        let none = slot_changes(&BTreeMap::new(), &slots(&[("toppings", list(&[]))]));
        assert_eq!(none.len(), 1);
        assert_eq!(none[0].summary(), "set_slot toppings");
    }

    #[test]
    fn commands_serialize_with_their_name() {
        let command = Command::CorrectSlot {
            slot: "time".into(),
            value: None,
        };
        assert_eq!(
            serde_json::to_value(&command).unwrap(),
            json!({"command": "correct_slot", "slot": "time"})
        );
    }
}
