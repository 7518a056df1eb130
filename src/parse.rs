//! What `parse` returns: the intent ranking, the entity spans with their resolved values and
//! the slots they fill.

pub use crate::features::Asked;
use crate::intents::{BuiltinResolver, Intent, Intents, Slot, SlotKind};
use crate::model::{cap_text, JointModel, Prediction};
use crate::resolve::{Context, Found, Resolved, Resolvers};
use crate::spans::over_whole_words;
use crate::tokenize::Word;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// One intent with its confidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntentScore {
    /// Intent name, or `out_of_scope`.
    pub name: String,
    /// Probability in `[0, 1]`.
    pub confidence: f32,
}

/// An entity found in the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Entity type, e.g. `location`.
    pub entity: String,
    /// Role, e.g. `origin` in `[Boston](location:origin)`.
    pub role: Option<String>,
    /// The exact text of the span.
    pub value: String,
    /// Start of the span, in characters (not bytes) of the input text.
    pub start: usize,
    /// End of the span (exclusive), in characters.
    pub end: usize,
    /// Confidence of the tagger (1.0 for rule matches).
    pub confidence: f32,
    /// The resolved value (a date, a number, a canonical place), when it resolves.
    pub resolved: Option<serde_json::Value>,
}

/// The result of parsing one utterance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parse {
    /// The text as given (after the length cap).
    pub text: String,
    /// The predicted intent.
    pub intent: IntentScore,
    /// All intents, best first.
    pub intent_ranking: Vec<IntentScore>,
    /// Entities in text order.
    pub entities: Vec<Entity>,
    /// The predicted intent's slots that the entities fill, by slot name.
    pub slots: BTreeMap<String, serde_json::Value>,
}

pub use crate::intents::OUT_OF_SCOPE;

/// Loads a model once and parses many utterances; `Send + Sync`, so one parser can serve
/// many threads.
pub struct Parser {
    model: JointModel,
    intents: Option<Intents>,
    resolvers: Resolvers,
    threshold: f32,
    /// The words of the short examples of intents without slots ("hi", "good morning",
    /// "thanks"), which may open a request.
    greetings: Vec<Vec<String>>,
}

/// A greeting that opens a request has at most this many words: "hello there bot".
const MAX_GREETING_WORDS: usize = 3;

/// Whether `word` is a word rather than punctuation.
fn is_word(word: &Word) -> bool {
    word.text.chars().any(char::is_alphanumeric)
}

impl Parser {
    /// A parser for `model`. With `intents`, entities are resolved with the intents' entity
    /// types and mapped to the predicted intent's slots, and the model must have been trained
    /// on exactly these intents.
    pub fn new(model: JointModel, intents: Option<Intents>) -> Result<Self> {
        if let Some(intents) = &intents {
            if model.fingerprint().is_none() {
                return Err(Error::CorpusModel);
            }
            if !model.trained_on(intents) {
                return Err(Error::OtherIntents);
            }
        }
        let entities = intents.as_ref().map_or(&[][..], |i| &i.entities);
        if entities
            .iter()
            .any(|e| e.resolver == Some(crate::intents::BuiltinResolver::Location))
        {
            // Load the place gazetteer now rather than in the first user's turn.
            crate::resolve::place::gazetteer();
        }
        let resolvers = Resolvers::new(entities);
        let threshold = intents
            .as_ref()
            .map_or(model.config().out_of_scope_threshold, |i| {
                i.settings.out_of_scope_threshold
            });
        let mut greetings = Vec::new();
        for intent in intents.iter().flat_map(|i| &i.intents) {
            if !intent.slots.is_empty() || intent.name == OUT_OF_SCOPE {
                continue;
            }
            for example in &intent.examples {
                let words: Vec<String> = model
                    .encode(&example.text, &Asked::Nothing)?
                    .words
                    .into_iter()
                    .filter(is_word)
                    .map(|word| word.text)
                    .collect();
                if (1..=MAX_GREETING_WORDS).contains(&words.len()) {
                    greetings.push(words);
                }
            }
        }
        Ok(Parser {
            model,
            intents,
            resolvers,
            threshold,
            greetings,
        })
    }

    /// Loads the model folder and, if given, the intents folder it was trained from.
    ///
    /// With intents, a model that is missing, unreadable or trained from other intents is
    /// [`Error::Untrained`], whose message is the `slotfill train` command for these two
    /// folders.
    pub fn load(model_dir: &Path, intents_dir: Option<&Path>) -> Result<Self> {
        let Some(intents_dir) = intents_dir else {
            return Self::new(JointModel::load(model_dir)?, None);
        };
        let untrained = |problem: String| Error::Untrained {
            model: model_dir.to_path_buf(),
            intents: intents_dir.to_path_buf(),
            problem,
        };
        let intents = Intents::load(intents_dir)?;
        let model = JointModel::load(model_dir).map_err(|e| match e {
            Error::Model { message, .. } => untrained(message),
            other => other,
        })?;
        // A model trained on a corpus has no fingerprint: `Parser::new` says to parse without
        // intents, which retraining from this folder would not fix.
        if model.fingerprint().is_some() && !model.trained_on(&intents) {
            return Err(untrained(format!(
                "it was trained from other intents than those in {} (edited since?)",
                intents_dir.display()
            )));
        }
        Parser::new(model, Some(intents)).map_err(|e| match e {
            e @ (Error::CorpusModel | Error::OtherIntents) => Error::Model {
                dir: model_dir.to_path_buf(),
                message: e.to_string(),
            },
            other => other,
        })
    }

    /// The model.
    pub fn model(&self) -> &JointModel {
        &self.model
    }

    /// The intents, when the parser has them.
    pub fn intents(&self) -> Option<&Intents> {
        self.intents.as_ref()
    }

    /// The resolvers of the intents' entity types.
    pub fn resolvers(&self) -> &Resolvers {
        &self.resolvers
    }

    /// Parses one utterance.
    pub fn parse(&self, text: &str, context: &Context) -> Result<Parse> {
        self.parse_reply(text, &Asked::Nothing, context)
    }

    /// Parses a reply to what the bot asked: "4" asked for the party is a party size, "no,
    /// 9pm" at a confirmation a no and a time (as far as the model was trained with the
    /// bot's questions; see [`Asked`]).
    pub fn parse_reply(&self, text: &str, asked: &Asked, context: &Context) -> Result<Parse> {
        Ok(self.parse_replies(&[text], asked, context)?.remove(0))
    }

    /// Parses many utterances at once (faster per utterance than one by one).
    pub fn parse_batch(&self, texts: &[&str], context: &Context) -> Result<Vec<Parse>> {
        self.parse_replies(texts, &Asked::Nothing, context)
    }

    fn parse_replies(
        &self,
        texts: &[&str],
        asked: &Asked,
        context: &Context,
    ) -> Result<Vec<Parse>> {
        let capped: Vec<std::borrow::Cow<str>> = texts.iter().map(|t| cap_text(t)).collect();
        let refs: Vec<&str> = capped.iter().map(|t| t.as_ref()).collect();
        let mut predictions = self.model.predict_replies(&refs, asked)?;
        self.read_past_greetings(&refs, asked, &mut predictions)?;
        Ok(refs
            .iter()
            .zip(predictions)
            .map(|(text, prediction)| self.interpret(text, prediction, context))
            .collect())
    }

    /// Replaces the prediction of each text that opens with a greeting ("Hi, I need a flight to
    /// Paris", "thanks! and the weather in Rome?") by the prediction of what follows it, where
    /// that is a request: the model learnt greetings and requests from examples apart, and
    /// may read the two together as neither, or lose a value. Without punctuation after the
    /// greeting ("morning flight to Paris"), only where the whole text reads as no request.
    fn read_past_greetings(
        &self,
        texts: &[&str],
        asked: &Asked,
        predictions: &mut [Prediction],
    ) -> Result<()> {
        let rests: Vec<(usize, usize)> = predictions
            .iter()
            .enumerate()
            .filter_map(|(i, prediction)| {
                let (at, punctuated) = self.greeting_end(&prediction.words)?;
                (punctuated || !self.is_request(&prediction.intent_probs)).then_some((i, at))
            })
            .collect();
        if rests.is_empty() {
            return Ok(());
        }
        let rest_texts: Vec<String> = rests
            .iter()
            .map(|&(i, at)| texts[i].chars().skip(at).collect())
            .collect();
        let refs: Vec<&str> = rest_texts.iter().map(String::as_str).collect();
        for ((i, at), mut rest) in rests
            .into_iter()
            .zip(self.model.predict_replies(&refs, asked)?)
        {
            if self.is_request(&rest.intent_probs) {
                for word in &mut rest.words {
                    word.start += at;
                    word.end += at;
                }
                predictions[i] = rest;
            }
        }
        Ok(())
    }

    /// Where the words after the greeting that `words` open with start, in characters, and
    /// whether punctuation follows the greeting. The greeting is a short example ("good
    /// morning"), or, up to punctuation, a greeting's first word and words of greetings ("Hi
    /// there, …").
    fn greeting_end(&self, words: &[Word]) -> Option<(usize, bool)> {
        let said: Vec<usize> = (0..words.len()).filter(|&i| is_word(&words[i])).collect();
        let longest = MAX_GREETING_WORDS.min(said.len().saturating_sub(1));
        let text = |i: usize| &words[i].text;
        let punctuated = |length: usize| said[length] > said[length - 1] + 1;
        let greeting_word = |i: &usize| self.greetings.iter().flatten().any(|w| w == text(*i));
        let is_greeting = |length: usize| {
            self.greetings
                .iter()
                .any(|greeting| greeting.iter().eq(said[..length].iter().map(|&i| text(i))))
        };
        // A greeting said alone ("hello there") opens nothing, and is not read twice.
        if is_greeting(said.len()) {
            return None;
        }
        let up_to_punctuation =
            (1..=longest)
                .find(|&length| punctuated(length))
                .filter(|&length| {
                    self.greetings.iter().any(|g| g[0] == *text(said[0]))
                        && said[..length].iter().all(greeting_word)
                });
        let length = up_to_punctuation
            .or_else(|| (1..=longest).rev().find(|&length| is_greeting(length)))?;
        Some((words[said[length]].start, punctuated(length)))
    }

    /// Whether the likeliest of `intent_probs` is an intent with slots, at least as likely as
    /// the out-of-scope threshold.
    fn is_request(&self, intent_probs: &[f32]) -> bool {
        let Some((best, &confidence)) = intent_probs
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
        else {
            return false;
        };
        let name = &self.model.intents()[best];
        confidence >= self.threshold
            && self
                .intents
                .as_ref()
                .and_then(|intents| intents.intent(name))
                .is_some_and(|intent| !intent.slots.is_empty())
    }

    fn interpret(&self, text: &str, prediction: Prediction, context: &Context) -> Parse {
        let mut ranking: Vec<IntentScore> = self
            .model
            .intents()
            .iter()
            .zip(&prediction.intent_probs)
            .map(|(name, &confidence)| IntentScore {
                name: name.clone(),
                confidence,
            })
            .collect();
        ranking.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
        let intent = match ranking.first() {
            Some(top) if top.confidence >= self.threshold => top.clone(),
            Some(top) => IntentScore {
                name: OUT_OF_SCOPE.to_string(),
                confidence: top.confidence,
            },
            None => IntentScore {
                name: OUT_OF_SCOPE.to_string(),
                confidence: 1.0,
            },
        };
        let chars: Vec<char> = text.chars().collect();
        let tags = self.model.tags();
        let tagged: Vec<Entity> = over_whole_words(tags.spans(&prediction.tags), &prediction.words)
            .into_iter()
            .filter_map(|span| {
                let (entity, role) = match tags.label(span.label).split_once(':') {
                    Some((entity, role)) => (entity.to_string(), Some(role.to_string())),
                    None => (tags.label(span.label).to_string(), None),
                };
                // The tagger may run a date on into the "!" after it, which no resolver reads.
                let span = match self.resolvers.builtin_of(&entity) {
                    Some(_) => span.without_edge_punctuation(&prediction.words)?,
                    None => span,
                };
                let start = prediction.words[span.start].start;
                let end = prediction.words[span.end - 1].end;
                // The tagger may run a pattern's value into the words before it ("6am, my
                // number is +31 612345678"): the value is the part the pattern matches.
                let tagged: String = chars[start..end].iter().collect();
                let (start, end) = match self.resolvers.pattern_part(&entity, &tagged) {
                    Some((from, to)) => (start + from, start + to),
                    None => (start, end),
                };
                let probs = &prediction.tag_probs[span.start..span.end];
                Some(Entity {
                    entity,
                    role,
                    value: chars[start..end].iter().collect(),
                    start,
                    end,
                    confidence: probs.iter().sum::<f32>() / probs.len() as f32,
                    resolved: None,
                })
            })
            .collect();
        // Each entity is resolved once: its full value goes into `entities`, its slot value
        // (or its text when it does not resolve) into `slots`.
        let resolved = merge_spans(tagged, self.resolvers.rule_matches(text))
            .into_iter()
            .map(|(entity, resolved)| {
                let resolved = resolved.or_else(|| {
                    self.resolvers
                        .resolve(&entity.entity, &entity.value, context)
                        .ok()
                });
                (entity, resolved)
            })
            .collect();
        // The predicted intent's definition, found once for both uses (none without intents,
        // or for `out_of_scope`).
        let definition = self
            .intents
            .as_ref()
            .and_then(|intents| intents.intents.iter().find(|i| i.name == intent.name));
        let (entities, values): (Vec<Entity>, Vec<serde_json::Value>) = self
            .split_date_times(definition, resolved, context)
            .into_iter()
            .map(|(mut entity, resolved)| {
                let value = resolved
                    .as_ref()
                    .map_or_else(|| entity.value.clone().into(), Resolved::slot_value);
                entity.resolved = resolved.map(|r| r.to_json());
                (entity, value)
            })
            .unzip();
        let slots = self.slots(definition, &entities, &values);
        Parse {
            text: text.to_string(),
            intent,
            intent_ranking: ranking,
            entities,
            slots,
        }
    }

    /// "tomorrow 9pm" tagged as one date (or one time), for an intent with a date slot and a
    /// time slot: the date and the time as two entities, so that each fills its slot.
    fn split_date_times(
        &self,
        definition: Option<&Intent>,
        entities: Vec<(Entity, Option<Resolved>)>,
        context: &Context,
    ) -> Vec<(Entity, Option<Resolved>)> {
        let slot_entity = |kind| {
            definition?
                .slots
                .iter()
                .filter_map(|s| s.entity.as_deref())
                .find(|e| self.resolvers.builtin_of(e) == Some(kind))
        };
        let (Some(date), Some(time)) = (
            slot_entity(BuiltinResolver::Date),
            slot_entity(BuiltinResolver::Time),
        ) else {
            return entities;
        };
        entities
            .into_iter()
            .flat_map(|(entity, resolved)| {
                let split = match resolved {
                    Some(Resolved::DateTime { .. })
                        if entity.entity == date || entity.entity == time =>
                    {
                        date_and_time(&self.resolvers, &entity, [date, time], context)
                    }
                    _ => None,
                };
                split.map_or_else(|| vec![(entity, resolved)], Vec::from)
            })
            .collect()
    }

    /// Maps entities to the slots of `definition`, the predicted intent (none: no slots): an
    /// entity fills the first slot of its type whose role (if the slot has one) matches; each
    /// entity fills one slot at most, and where there are more entities of a type than slots
    /// for it, the most confident fill them. Without intents, every entity fills the slot named
    /// after its label.
    fn slots(
        &self,
        definition: Option<&Intent>,
        entities: &[Entity],
        values: &[serde_json::Value],
    ) -> BTreeMap<String, serde_json::Value> {
        if self.intents.is_none() {
            return entities
                .iter()
                .zip(values)
                .map(|(e, value)| {
                    let name = match &e.role {
                        Some(role) => format!("{}:{role}", e.entity),
                        None => e.entity.clone(),
                    };
                    (name, value.clone())
                })
                .collect();
        }
        let Some(definition) = definition else {
            return BTreeMap::new();
        };
        let mut used: Vec<bool> = fillers(&definition.slots, entities)
            .into_iter()
            .map(|fills| !fills)
            .collect();
        let mut slots = BTreeMap::new();
        for slot in &definition.slots {
            let mut fills = entities.iter().enumerate().filter(|(i, e)| {
                !used[*i] && slot.takes(&e.entity) && (slot.role.is_none() || slot.role == e.role)
            });
            let taken: Vec<usize> = if slot.kind == SlotKind::List {
                fills.map(|(i, _)| i).collect()
            } else {
                fills.next().map(|(i, _)| i).into_iter().collect()
            };
            for &i in &taken {
                used[i] = true;
            }
            let value = match (slot.kind, taken.as_slice()) {
                (_, []) => continue,
                (SlotKind::List, _) => taken.iter().map(|&i| values[i].clone()).collect(),
                (_, [i, ..]) => values[*i].clone(),
            };
            slots.insert(slot.name.clone(), value);
        }
        slots
    }
}

/// The date and the time that `entity`'s words name one after the other, in either order,
/// as entities of the types `[date, time]`; up to two words between them ("at", "on",
/// "around") belong to neither.
fn date_and_time(
    resolvers: &Resolvers,
    entity: &Entity,
    [date, time]: [&str; 2],
    context: &Context,
) -> Option<[(Entity, Option<Resolved>); 2]> {
    let chars: Vec<char> = entity.value.chars().collect();
    let mut words: Vec<(usize, usize)> = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        match (c.is_whitespace(), words.last_mut()) {
            (true, _) => {}
            (false, Some(last)) if last.1 == i => last.1 = i + 1,
            (false, _) => words.push((i, i + 1)),
        }
    }
    let piece = |first: usize, last: usize, name: &str| {
        let (start, end) = (words[first].0, words[last - 1].1);
        let value: String = chars[start..end].iter().collect();
        let resolved = resolvers.resolve(name, &value, context).ok()?;
        let fits = match name == date {
            true => matches!(resolved, Resolved::Date { .. }),
            false => matches!(resolved, Resolved::Time { .. }),
        };
        let piece = Entity {
            entity: name.to_string(),
            role: entity.role.clone().filter(|_| name == entity.entity),
            value,
            start: entity.start + start,
            end: entity.start + end,
            ..entity.clone()
        };
        fits.then_some((piece, Some(resolved)))
    };
    let n = words.len();
    // The longest first piece and the shortest second one: "8 pm" rather than "8", "friday"
    // rather than "on friday".
    (1..n).rev().find_map(|cut| {
        (cut..n.min(cut + 3)).rev().find_map(|resume| {
            [(date, time), (time, date)]
                .into_iter()
                .find_map(|(first, second)| {
                    Some([piece(0, cut, first)?, piece(resume, n, second)?])
                })
        })
    })
}

/// Which of `entities` may fill `slots`: where more entities of one type are found than
/// single-valued slots take it, the least confident are left out, so that a word the tagger
/// doubts ("will there be thunderstorms in Oaxaca", 0.6) does not take the one `location` slot
/// from the place it is sure of (0.99). A list slot takes every entity of its type.
pub(crate) fn fillers(slots: &[Slot], entities: &[Entity]) -> Vec<bool> {
    entities
        .iter()
        .enumerate()
        .map(|(i, entity)| {
            let taking = || slots.iter().filter(|s| s.takes(&entity.entity));
            if taking().any(|s| s.kind == SlotKind::List) {
                return true;
            }
            let ahead = entities
                .iter()
                .enumerate()
                .filter(|&(j, other)| {
                    other.entity == entity.entity
                        && (other.confidence > entity.confidence
                            || (other.confidence == entity.confidence && j < i))
                })
                .count();
            ahead < taking().count()
        })
        .collect()
}

/// Adds rule matches (lookup lists, patterns) to the tagger's entities. Where they overlap, the
/// longer span wins, and the tagger's span on a tie (it knows the role); a span never overlaps
/// another in the result.
fn merge_spans(tagged: Vec<Entity>, rules: Vec<Found>) -> Vec<(Entity, Option<Resolved>)> {
    let mut entities: Vec<(Entity, Option<Resolved>)> =
        tagged.into_iter().map(|e| (e, None)).collect();
    for found in rules {
        let longest_overlap = entities
            .iter()
            .filter(|(e, _)| e.start < found.end && found.start < e.end)
            .map(|(e, _)| e.end - e.start)
            .max();
        if longest_overlap.is_some_and(|len| len >= found.end - found.start) {
            continue;
        }
        entities.retain(|(e, _)| !(e.start < found.end && found.start < e.end));
        entities.push((
            Entity {
                entity: found.entity,
                role: None,
                value: found.text,
                start: found.start,
                end: found.end,
                confidence: 1.0,
                resolved: None,
            },
            Some(found.resolved),
        ));
    }
    entities.sort_by_key(|(e, _)| e.start);
    entities
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(entity: &str, value: &str, confidence: f32) -> Entity {
        Entity {
            entity: entity.into(),
            role: None,
            value: value.into(),
            start: 0,
            end: value.len(),
            confidence,
            resolved: None,
        }
    }

    #[test]
    fn a_date_and_a_time_tagged_as_one_are_cut_apart() {
        let intents = Intents::from_str(
            "bot.yaml",
            "
entities:
  - {name: day, resolver: date}
  - {name: hour, resolver: time}
intents:
  - name: book
    examples: [\"a table [tomorrow](day) at [9pm](hour)\"]
",
        )
        .unwrap();
        let resolvers = Resolvers::new(&intents.entities);
        let context = Context::at("2026-11-23T10:00", "UTC").unwrap();
        let cut = |text: &str, tagged: &str| {
            let start = text.find(tagged).unwrap();
            let found = Entity {
                start,
                end: start + tagged.len(),
                ..entity("day", tagged, 0.9)
            };
            date_and_time(&resolvers, &found, ["day", "hour"], &context).map(|pieces| {
                pieces.map(|(e, resolved)| {
                    assert_eq!(&text[e.start..e.end], e.value);
                    (e.entity, e.value, resolved.unwrap().slot_value())
                })
            })
        };
        let piece = |entity: &str, value: &str, resolved: &str| {
            (
                entity.to_string(),
                value.to_string(),
                serde_json::json!(resolved),
            )
        };
        assert_eq!(
            cut("a table tomorrow 9pm", "tomorrow 9pm"),
            Some([
                piece("day", "tomorrow", "2026-11-24"),
                piece("hour", "9pm", "21:00")
            ])
        );
        assert_eq!(
            cut("at 8 pm on friday", "8 pm on friday"),
            Some([
                piece("hour", "8 pm", "20:00"),
                piece("day", "friday", "2026-11-27")
            ])
        );
        assert_eq!(
            cut("friday at around 7:30pm", "friday at around 7:30pm"),
            Some([
                piece("day", "friday", "2026-11-27"),
                piece("hour", "7:30pm", "19:30")
            ])
        );
        assert_eq!(cut("tomorrow night", "tomorrow night"), None);
    }

    #[test]
    fn the_most_confident_entities_fill_the_slots_there_is_room_for() {
        let intents = Intents::from_str(
            "bot.yaml",
            "
entities:
  - {name: city, values: [Oslo, Rome]}
  - {name: food, values: [ham, eggs]}
intents:
  - name: fly
    examples: [\"from [Oslo](city:origin) to [Rome](city:destination) with [ham](food)\"]
    slots:
      - {name: origin, entity: city, role: origin, required: false}
      - {name: destination, entity: city, role: destination, required: false}
      - {name: food, entity: food, kind: list, required: false}
",
        )
        .unwrap();
        let slots = &intents.intents[0].slots;
        let found = [
            entity("city", "thunderstorms", 0.6),
            entity("city", "Oslo", 0.99),
            entity("food", "ham", 0.5),
            entity("city", "Rome", 0.9),
            entity("food", "eggs", 0.9),
            entity("date", "today", 0.9),
        ];
        assert_eq!(
            fillers(slots, &found),
            [false, true, true, true, true, false]
        );
        // Ties go to the earlier entity.
        let tied = [
            entity("city", "a", 0.5),
            entity("city", "b", 0.5),
            entity("city", "c", 0.5),
        ];
        assert_eq!(fillers(slots, &tied), [true, true, false]);
    }
}
