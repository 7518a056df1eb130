//! Rasa's rules and stories, read for what a slotfill bot holds: which intent opens which
//! form, what the bot says after each intent and after each form, which intent cancels a
//! form (and the question it asks first), and which intents answer inside a form.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One step of a rule or story.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Step {
    /// The user's message, read as this intent.
    Intent(String),
    /// The bot runs this action (a response, a form, a custom action).
    Action(String),
    /// A form becomes active, or (`None`) the active one ends.
    ActiveLoop(Option<String>),
    /// A step slotfill has no counterpart of (`slot_was_set`, `checkpoint`, `or`), by key.
    Other(String),
}

/// Which rule or story something was read in.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Origin {
    /// `rule` or `story`.
    pub kind: &'static str,
    /// Its name.
    pub name: String,
}

impl Origin {
    /// What its file says where it starts (`- story: stop form + continue`), for a note's line.
    pub(super) fn needle(&self) -> String {
        format!("{}: {}", self.kind, self.name)
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} `{}`", self.kind, self.name)
    }
}

/// A rule or story.
#[derive(Debug, Clone)]
pub(super) struct Flow {
    /// Its kind and name.
    pub origin: Origin,
    /// Its steps, in order.
    pub steps: Vec<Step>,
    /// Whether it runs only under a condition or at the conversation's start.
    pub conditional: bool,
}

impl Flow {
    /// The flows of a `rules:` or `stories:` list.
    pub(super) fn read(kind: &'static str, list: &Value) -> Vec<Flow> {
        let Some(items) = list.as_array() else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| {
                let name = item.get(kind)?.as_str()?.to_string();
                let steps = item
                    .get("steps")
                    .and_then(Value::as_array)
                    .map(|steps| steps.iter().filter_map(step).collect())
                    .unwrap_or_default();
                let conditional = item.get("condition").is_some()
                    || item.get("conversation_start").and_then(Value::as_bool) == Some(true);
                Some(Flow {
                    origin: Origin { kind, name },
                    steps,
                    conditional,
                })
            })
            .collect()
    }
}

fn step(value: &Value) -> Option<Step> {
    let map = value.as_object()?;
    if let Some(intent) = map.get("intent").and_then(Value::as_str) {
        return Some(Step::Intent(intent.to_string()));
    }
    if let Some(action) = map.get("action").and_then(Value::as_str) {
        return Some(Step::Action(action.to_string()));
    }
    if let Some(active) = map.get("active_loop") {
        return Some(Step::ActiveLoop(active.as_str().map(str::to_string)));
    }
    map.keys().next().map(|key| Step::Other(key.clone()))
}

/// Rasa's built-in action that ends the active form.
pub(super) const DEACTIVATE: &str = "action_deactivate_form";

/// What the flows say, gathered.
#[derive(Debug, Default)]
pub(super) struct Reading {
    /// The form each intent opens, with the flows that say so.
    pub opens: BTreeMap<String, String>,
    /// The actions after each intent outside a form, with the flow each came from, in order.
    pub after_intent: BTreeMap<String, Vec<(Vec<String>, Origin)>>,
    /// The actions after each form ends, with the flow each came from (rules first).
    pub after_form: BTreeMap<String, Vec<(Vec<String>, Origin)>>,
    /// An intent said inside a form that the bot answers with these actions before the form
    /// goes on (a digression: chitchat).
    pub inside_form: BTreeMap<String, Vec<String>>,
    /// The intent that cancels a form, with the question asked first, if any.
    pub cancels: BTreeMap<String, (String, Option<String>)>,
    /// Intents that, asked whether to go on, go on with the form: yes.
    pub goes_on: BTreeSet<String>,
    /// Intents that end the form: no, said to the question whether to go on.
    pub ends: BTreeSet<String>,
    /// Intents said inside a form that only answer it (the form runs on).
    pub answers: BTreeSet<String>,
    /// Flows with steps slotfill has no counterpart of, and those steps' keys.
    pub unsupported: Vec<(Origin, Vec<String>)>,
}

impl Reading {
    /// Reads `flows` (rules before stories, so that a rule's response is the one kept).
    pub(super) fn of(flows: &[Flow], forms: &BTreeSet<String>) -> Reading {
        let mut reading = Reading::default();
        for flow in flows {
            reading.read(flow, forms);
        }
        reading
    }

    fn read(&mut self, flow: &Flow, forms: &BTreeSet<String>) {
        let others: Vec<String> = flow
            .steps
            .iter()
            .filter_map(|s| match s {
                Step::Other(key) => Some(key.clone()),
                _ => None,
            })
            .collect();
        if !others.is_empty() || flow.conditional {
            let mut keys = others;
            if flow.conditional {
                keys.push("condition".into());
            }
            keys.dedup();
            self.unsupported.push((flow.origin.clone(), keys));
        }
        let steps = &flow.steps;
        // The actions right after step `i`, up to the next step of another kind.
        let actions_after = |i: usize| -> Vec<String> {
            steps[i + 1..]
                .iter()
                .map_while(|s| match s {
                    Step::Action(a) => Some(a.clone()),
                    _ => None,
                })
                .collect()
        };
        let mut active: Option<String> = None;
        let mut last_form: Option<String> = None;
        for (i, step) in steps.iter().enumerate() {
            match step {
                Step::ActiveLoop(Some(form)) => {
                    active = Some(form.clone());
                    last_form = Some(form.clone());
                }
                Step::ActiveLoop(None) => {
                    active = None;
                    let after = actions_after(i);
                    if let (Some(form), false) = (&last_form, after.is_empty()) {
                        self.after_form
                            .entry(form.clone())
                            .or_default()
                            .push((after, flow.origin.clone()));
                    }
                }
                Step::Intent(intent) => {
                    let after = actions_after(i);
                    match (&active, after.first()) {
                        (None, Some(first)) if forms.contains(first) => {
                            self.opens.entry(intent.clone()).or_insert(first.clone());
                        }
                        (None, Some(_)) => self
                            .after_intent
                            .entry(intent.clone())
                            .or_default()
                            .push((after, flow.origin.clone())),
                        (None, None) => {}
                        (Some(form), _) => self.inside(intent, form, &after, steps, i),
                    }
                }
                Step::Action(_) | Step::Other(_) => {}
            }
        }
    }

    /// An intent said while `form` is active, at step `i`, and the actions after it.
    fn inside(&mut self, intent: &str, form: &str, after: &[String], steps: &[Step], i: usize) {
        let next_intent = steps[i + 1..]
            .iter()
            .enumerate()
            .find_map(|(j, s)| match s {
                Step::Intent(next) => Some((i + 1 + j, next)),
                _ => None,
            });
        let actions_after = |k: usize| -> Vec<&String> {
            steps[k + 1..]
                .iter()
                .map_while(|s| match s {
                    Step::Action(a) => Some(a),
                    _ => None,
                })
                .collect()
        };
        match after {
            [first] if first == DEACTIVATE => {
                self.cancels
                    .entry(form.to_string())
                    .or_insert((intent.to_string(), None));
                self.ends.insert(intent.to_string());
            }
            [first] if first == form => {
                self.answers.insert(intent.to_string());
            }
            [question] if question.starts_with("utter_") => {
                // "Do you want to continue?": the next intent goes on with the form or ends it.
                let Some((k, next)) = next_intent else { return };
                match actions_after(k).first() {
                    Some(&a) if a == DEACTIVATE => {
                        self.cancels.insert(
                            form.to_string(),
                            (intent.to_string(), Some(question.clone())),
                        );
                        self.ends.insert(next.clone());
                    }
                    Some(&a) if a == form => {
                        self.cancels
                            .entry(form.to_string())
                            .or_insert((intent.to_string(), Some(question.clone())));
                        self.goes_on.insert(next.clone());
                    }
                    _ => {}
                }
            }
            [replies @ .., last] if last == form => {
                self.inside_form
                    .entry(intent.to_string())
                    .or_insert(replies.to_vec());
            }
            _ => {}
        }
    }
}
