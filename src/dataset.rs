//! Training and evaluation data: labelled utterances from an intents folder or from a corpus in
//! the `seq.in` / `seq.out` / `label` layout (SNIPS, ATIS), and example augmentation.

use crate::features::Asked;
use crate::intents::{Example, Intents};
use crate::{Error, Result};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::path::Path;

/// A labelled utterance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// The text.
    pub text: String,
    /// Its intent.
    pub intent: String,
    /// Its entity spans, in text order.
    pub spans: Vec<LabeledSpan>,
    /// The question it answers ([`Asked::Nothing`] for a message on its own).
    pub asked: Asked,
}

impl Sample {
    /// The text of one of its spans.
    pub fn span_text(&self, span: &LabeledSpan) -> String {
        self.text
            .chars()
            .skip(span.start)
            .take(span.end - span.start)
            .collect()
    }
}

/// An entity span of a sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabeledSpan {
    /// Start in characters.
    pub start: usize,
    /// End (exclusive) in characters.
    pub end: usize,
    /// `entity` or `entity:role`.
    pub label: String,
}

/// Every example of every intent.
pub fn from_intents(intents: &Intents) -> Vec<Sample> {
    intents
        .intents
        .iter()
        .flat_map(|intent| {
            intent
                .examples
                .iter()
                .map(|e| from_example(&intent.name, e))
        })
        .collect()
}

/// A sample from an annotated example of `intent`.
pub fn from_example(intent: &str, example: &Example) -> Sample {
    Sample {
        text: example.text.clone(),
        intent: intent.to_string(),
        spans: example
            .annotations
            .iter()
            .map(|a| LabeledSpan {
                start: a.start,
                end: a.end,
                label: match &a.role {
                    Some(role) => format!("{}:{role}", a.entity),
                    None => a.entity.clone(),
                },
            })
            .collect(),
        asked: Asked::Nothing,
    }
}

/// Reads `dir/seq.in`, `dir/seq.out` and `dir/label`: one utterance per line, whitespace
/// separated tokens, one BIO tag per token (`B-city` is entity `city`).
pub fn from_seq_dir(dir: &Path) -> Result<Vec<Sample>> {
    let read = |name: &str| -> Result<Vec<String>> {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        Ok(text.lines().map(str::to_string).collect())
    };
    let (texts, tags, labels) = (read("seq.in")?, read("seq.out")?, read("label")?);
    if texts.len() != tags.len() || texts.len() != labels.len() {
        return Err(Error::Dataset {
            file: dir.to_path_buf(),
            line: 0,
            message: format!(
                "seq.in has {} lines, seq.out {}, label {}: they must match",
                texts.len(),
                tags.len(),
                labels.len()
            ),
        });
    }
    texts
        .iter()
        .zip(&tags)
        .zip(&labels)
        .enumerate()
        .map(|(i, ((text, tags), label))| {
            let tokens: Vec<&str> = text.split_whitespace().collect();
            let tags: Vec<&str> = tags.split_whitespace().collect();
            if tokens.len() != tags.len() {
                return Err(Error::Dataset {
                    file: dir.join("seq.out"),
                    line: i + 1,
                    message: format!("{} tags for {} words", tags.len(), tokens.len()),
                });
            }
            Ok(sample_from_bio(&tokens, &tags, label.trim()))
        })
        .collect()
}

/// Joins tokens with single spaces and turns BIO tags into character spans (a stray `I-x`
/// starts a span, as conlleval reads it).
fn sample_from_bio(tokens: &[&str], tags: &[&str], intent: &str) -> Sample {
    let mut spans: Vec<LabeledSpan> = Vec::new();
    let mut position = 0;
    let mut open: Option<LabeledSpan> = None;
    for (token, tag) in tokens.iter().zip(tags) {
        let start = position;
        let end = start + token.chars().count();
        position = end + 1;
        let (prefix, label) = tag.split_once('-').unwrap_or(("O", ""));
        match (&mut open, prefix) {
            (Some(span), "I") if span.label == label => span.end = end,
            (_, "B" | "I") => {
                spans.extend(open.take());
                open = Some(LabeledSpan {
                    start,
                    end,
                    label: label.to_string(),
                });
            }
            _ => spans.extend(open.take()),
        }
    }
    spans.extend(open);
    Sample {
        text: tokens.join(" "),
        intent: intent.to_string(),
        spans,
        asked: Asked::Nothing,
    }
}

/// `copies` extra versions of each sample with every entity value replaced by another value
/// of the same entity: one seen elsewhere in the samples or one from `extra_values`.
pub fn augment(
    samples: &[Sample],
    copies: usize,
    extra_values: &BTreeMap<String, Vec<String>>,
    seed: u64,
) -> Vec<Sample> {
    let pools = value_pools(samples, extra_values);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = samples.to_vec();
    // Samples without entities are copied as they are, so that augmentation does not shift
    // the balance between intents.
    for sample in samples {
        for _ in 0..copies {
            out.push(swap_values(sample, &pools, &mut rng));
        }
    }
    out
}

/// The requests of `samples` said without a value the dialogue can ask for: for each sample of
/// an intent in `asked` (intent → the entities its slots take) and each such span of it, a copy
/// without the span and the word that leads such spans in the samples ("in" of "in Paris"),
/// once per new text. A request of one value becomes the bare request ("will it rain").
///
/// An intent whose examples all name a value otherwise learns that it needs one: "will it
/// rain?" would read as no weather request at all. The lead words come from the samples
/// themselves, so this holds in any language.
///
/// ```
/// use slotfill::dataset::{without_asked_values, LabeledSpan, Sample};
/// use std::collections::{BTreeMap, BTreeSet};
/// let span = |start, end, label: &str| LabeledSpan { start, end, label: label.into() };
/// // "in" leads every city of the samples.
/// let samples: Vec<Sample> = ["Oslo", "Rome", "Bonn", "Lyon"]
///     .into_iter()
///     .map(|city| Sample {
///         text: format!("will it rain in {city} tomorrow"),
///         intent: "weather".into(),
///         spans: vec![span(16, 20, "city"), span(21, 29, "date")],
///         asked: Default::default(),
///     })
///     .collect();
/// let asked = BTreeMap::from([("weather".to_string(), BTreeSet::from(["city".to_string()]))]);
/// let bare = without_asked_values(&samples, &asked);
/// assert_eq!(bare.len(), 1);
/// assert_eq!(bare[0].text, "will it rain tomorrow");
/// assert_eq!(bare[0].spans, [span(13, 21, "date")]);
/// ```
pub fn without_asked_values(
    samples: &[Sample],
    asked: &BTreeMap<String, std::collections::BTreeSet<String>>,
) -> Vec<Sample> {
    let leads = lead_words(samples);
    let mut seen: std::collections::BTreeSet<String> =
        samples.iter().map(|s| s.text.to_lowercase()).collect();
    let mut out = Vec::new();
    for sample in samples {
        let Some(entities) = asked.get(&sample.intent) else {
            continue;
        };
        let chars: Vec<char> = sample.text.chars().collect();
        let mut tagged = vec![false; chars.len()];
        for span in &sample.spans {
            tagged[span.start..span.end]
                .iter_mut()
                .for_each(|t| *t = true);
        }
        let asked_spans = sample
            .spans
            .iter()
            .filter(|span| entities.contains(entity_of(&span.label)));
        for span in asked_spans {
            let mut keep = vec![true; chars.len()];
            keep[span.start..span.end]
                .iter_mut()
                .for_each(|k| *k = false);
            let before: String = chars[..span.start].iter().collect();
            let word = before.split_whitespace().next_back().unwrap_or_default();
            let leads = leads.get(entity_of(&span.label));
            if leads.is_some_and(|leads| leads.contains(&word.to_lowercase())) {
                let end = before.trim_end().chars().count();
                let start = end - word.chars().count();
                // A word of another value ("Oslo" before "tomorrow") stays.
                if !tagged[start..end].contains(&true) {
                    keep[start..end].iter_mut().for_each(|k| *k = false);
                }
            }
            let without = rebuilt(sample, &chars, &keep);
            if !without.text.is_empty() && seen.insert(without.text.to_lowercase()) {
                out.push(without);
            }
        }
    }
    out
}

/// A form as the model is taught to read replies to its questions: its intent, the label
/// (`entity` or `entity:role`) of each slot it asks for, and whether it confirms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionsOf {
    /// The form's intent.
    pub intent: String,
    /// Each slot asked for by an entity: its name and its span label.
    pub slots: Vec<(String, String)>,
    /// Whether the form asks for a confirmation (and then what to change).
    pub confirms: bool,
}

/// Values drawn for each slot's question: enough that a reply of a bare value is learned
/// for every slot, few enough that they do not outweigh the written requests.
const ANSWERS_PER_SLOT: usize = 12;

/// Replies to the questions of `forms`, for a model that reads the question asked
/// ([`Asked`]): for each slot, bare values of its entity from `pools` (half of them after the
/// word that leads its values in `written`, "in Rome"), read as the form's intent with the
/// slot's label, and fewer of each other slot whose entity differs (a reply may answer
/// another question than the one asked); at the confirmation and at "what would you like to
/// change?", bare values of its slots (a correction); and each request of `written` said to
/// two questions, so that a new request said mid-form keeps its intent.
///
/// ```
/// use slotfill::dataset::{replies_to_questions, QuestionsOf, Sample};
/// use slotfill::parse::Asked;
/// use std::collections::BTreeMap;
/// let forms = [QuestionsOf {
///     intent: "book_flight".into(),
///     slots: vec![("from".into(), "city:origin".into()), ("to".into(), "city:destination".into())],
///     confirms: false,
/// }];
/// let pools = BTreeMap::from([("city".to_string(), vec!["Berlin".to_string()])]);
/// let replies = replies_to_questions(&[], &forms, &pools, 7);
/// let origin = Asked::Slot { intent: "book_flight".into(), slot: "from".into() };
/// let berlin = replies.iter().find(|r| r.asked == origin && r.text == "Berlin").unwrap();
/// assert_eq!(berlin.spans[0].label, "city:origin");
/// ```
pub fn replies_to_questions(
    written: &[Sample],
    forms: &[QuestionsOf],
    pools: &BTreeMap<String, Vec<String>>,
    seed: u64,
) -> Vec<Sample> {
    let leads = lead_words(written);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::new();
    let mut questions = Vec::new();
    for form in forms {
        // Each question with each slot a reply to it gives, and how many replies of it.
        let mut asked: Vec<(Asked, usize, usize)> = Vec::new();
        for (index, (slot, label)) in form.slots.iter().enumerate() {
            let question = Asked::Slot {
                intent: form.intent.clone(),
                slot: slot.clone(),
            };
            for (other, (_, other_label)) in form.slots.iter().enumerate() {
                if other == index {
                    asked.push((question.clone(), other, ANSWERS_PER_SLOT));
                } else if entity_of(other_label) != entity_of(label) {
                    asked.push((question.clone(), other, ANSWERS_PER_SLOT / 3));
                }
            }
        }
        if form.confirms {
            for question in [
                Asked::Confirmation(form.intent.clone()),
                Asked::Change(form.intent.clone()),
            ] {
                asked.extend(
                    (0..form.slots.len())
                        .map(|index| (question.clone(), index, ANSWERS_PER_SLOT / 3)),
                );
            }
        }
        for (question, slot, count) in asked {
            let label = &form.slots[slot].1;
            let entity = entity_of(label);
            let Some(values) = pools.get(entity).filter(|v| !v.is_empty()) else {
                continue;
            };
            let leads: Vec<&String> = leads.get(entity).into_iter().flatten().collect();
            let mut seen = std::collections::BTreeSet::new();
            for draw in 0..count {
                let value = values.choose(&mut rng).expect("a value");
                let lead = leads.choose(&mut rng).filter(|_| draw % 2 == 1);
                let text = match lead {
                    Some(lead) => format!("{lead} {value}"),
                    None => value.clone(),
                };
                if !seen.insert(text.clone()) {
                    continue;
                }
                let start = text.chars().count() - value.chars().count();
                out.push(Sample {
                    spans: vec![LabeledSpan {
                        start,
                        end: text.chars().count(),
                        label: label.clone(),
                    }],
                    text,
                    intent: form.intent.clone(),
                    asked: question.clone(),
                });
            }
            questions.push(question);
        }
    }
    questions.dedup();
    for sample in written {
        for question in questions.choose_multiple(&mut rng, 2) {
            out.push(Sample {
                asked: question.clone(),
                ..sample.clone()
            });
        }
    }
    out
}

/// The words that lead an entity's spans in `samples`: each that comes right before at least
/// a quarter of them, where there are four or more ("in" before places, "at" before times).
fn lead_words(samples: &[Sample]) -> BTreeMap<&str, std::collections::BTreeSet<String>> {
    let mut before: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    let mut spans: BTreeMap<&str, usize> = BTreeMap::new();
    for sample in samples {
        for span in &sample.spans {
            let entity = entity_of(&span.label);
            *spans.entry(entity).or_default() += 1;
            let text: String = sample.text.chars().take(span.start).collect();
            if let Some(word) = text.split_whitespace().next_back() {
                *before
                    .entry(entity)
                    .or_default()
                    .entry(word.to_lowercase())
                    .or_default() += 1;
            }
        }
    }
    before
        .into_iter()
        .map(|(entity, words)| {
            let total = spans[entity];
            let leads = words
                .into_iter()
                .filter(|&(_, count)| total >= 4 && 4 * count >= total)
                .map(|(word, _)| word)
                .collect();
            (entity, leads)
        })
        .collect()
}

/// `sample` with only the characters of `chars` that `keep` marks, one space between words,
/// and its remaining spans moved along.
fn rebuilt(sample: &Sample, chars: &[char], keep: &[bool]) -> Sample {
    let mut text = String::new();
    // Where each kept character lands in the new text.
    let mut moved = vec![None; chars.len() + 1];
    let mut space = false;
    for (i, &c) in chars.iter().enumerate() {
        if !keep[i] {
            continue;
        }
        if c.is_whitespace() {
            space = !text.is_empty();
            continue;
        }
        // No space before punctuation that a dropped word stood before ("rain in Oslo?").
        if space && !c.is_ascii_punctuation() {
            text.push(' ');
        }
        space = false;
        moved[i] = Some(text.chars().count());
        text.push(c);
    }
    let spans = sample
        .spans
        .iter()
        .filter(|span| keep[span.start])
        .filter_map(|span| {
            let start = moved[span.start]?;
            let last = moved[span.end - 1]?;
            Some(LabeledSpan {
                start,
                end: last + 1,
                label: span.label.clone(),
            })
        })
        .collect();
    Sample {
        text,
        intent: sample.intent.clone(),
        spans,
        asked: sample.asked.clone(),
    }
}

/// The entity of a span label: the label without its role (`location:origin` → `location`).
fn entity_of(label: &str) -> &str {
    label.split(':').next().unwrap_or(label)
}

/// Every value each entity takes in `samples` or in `extra_values`, sorted and without
/// repeats: what [`swap_values`] draws from.
pub(crate) fn value_pools<'a>(
    samples: impl IntoIterator<Item = &'a Sample>,
    extra_values: &BTreeMap<String, Vec<String>>,
) -> BTreeMap<String, Vec<String>> {
    let mut pools = extra_values.clone();
    for sample in samples {
        for span in &sample.spans {
            let value = sample.span_text(span);
            pools
                .entry(entity_of(&span.label).to_string())
                .or_default()
                .push(value);
        }
    }
    for values in pools.values_mut() {
        values.sort();
        values.dedup();
    }
    pools
}

/// `sample` with each entity value replaced by a value of the same entity drawn from `pools`
/// (see [`value_pools`]); its spans follow the new values.
pub(crate) fn swap_values(
    sample: &Sample,
    pools: &BTreeMap<String, Vec<String>>,
    rng: &mut impl Rng,
) -> Sample {
    let chars: Vec<char> = sample.text.chars().collect();
    let mut text = String::new();
    let mut spans = Vec::with_capacity(sample.spans.len());
    let mut cursor = 0;
    for span in &sample.spans {
        text.extend(&chars[cursor..span.start]);
        let original: String = chars[span.start..span.end].iter().collect();
        let value = pools
            .get(entity_of(&span.label))
            .and_then(|pool| pool.choose(rng))
            .unwrap_or(&original);
        let start = text.chars().count();
        text.push_str(value);
        spans.push(LabeledSpan {
            start,
            end: start + value.chars().count(),
            label: span.label.clone(),
        });
        cursor = span.end;
    }
    text.extend(&chars[cursor..]);
    Sample {
        text,
        intent: sample.intent.clone(),
        spans,
        asked: sample.asked.clone(),
    }
}

/// The spans of `sample` over word indices: each span covers the words it overlaps.
/// Spans that cover no word are dropped.
pub(crate) fn word_spans<'a>(
    words: &[crate::tokenize::Word],
    spans: &'a [LabeledSpan],
) -> Vec<(usize, usize, &'a str)> {
    spans
        .iter()
        .filter_map(|span| {
            let inside: Vec<usize> = words
                .iter()
                .enumerate()
                .filter(|(_, w)| w.start < span.end && span.start < w.end)
                .map(|(i, _)| i)
                .collect();
            Some((*inside.first()?, inside.last()? + 1, span.label.as_str()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bio_becomes_char_spans() {
        let sample = sample_from_bio(
            &["fly", "to", "new", "york", "at", "5"],
            &["O", "O", "B-city", "I-city", "O", "I-time"],
            "flight",
        );
        assert_eq!(sample.text, "fly to new york at 5");
        let spans: Vec<_> = sample
            .spans
            .iter()
            .map(|s| (s.start, s.end, s.label.as_str()))
            .collect();
        assert_eq!(spans, [(7, 15, "city"), (19, 20, "time")]);
    }

    #[test]
    fn augmentation_swaps_values_of_the_same_entity() {
        let samples = vec![Sample {
            text: "weather in Oslo please".into(),
            intent: "get_weather".into(),
            spans: vec![LabeledSpan {
                start: 11,
                end: 15,
                label: "location".into(),
            }],
            asked: Asked::Nothing,
        }];
        let extra = BTreeMap::from([("location".to_string(), vec!["São Paulo".to_string()])]);
        let out = augment(&samples, 8, &extra, 1);
        assert_eq!(out.len(), 9);
        assert!(out.iter().any(|s| s.text == "weather in São Paulo please"));
        for sample in &out {
            let value = sample.span_text(&sample.spans[0]);
            assert!(value == "Oslo" || value == "São Paulo");
        }
    }
}
