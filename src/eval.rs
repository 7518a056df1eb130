//! Evaluation on held-out data: intent accuracy, span-level slot precision / recall / F1
//! (exact match, conlleval style), sentence accuracy (intent and every span right), with
//! per-intent and per-slot breakdowns, and what to fix: the intents confused most often and
//! the entity errors by kind (missed, spurious, wrong type, wrong boundary).

use crate::dataset::{word_spans, Sample};
use crate::model::{JointModel, Outputs};
use crate::Result;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Counts for one slot label.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SlotScore {
    /// Predicted spans that match a gold span exactly.
    pub true_positives: usize,
    /// Predicted spans with no exact gold match.
    pub false_positives: usize,
    /// Gold spans with no exact predicted match.
    pub false_negatives: usize,
    /// Precision in percent.
    pub precision: f64,
    /// Recall in percent.
    pub recall: f64,
    /// F1 in percent.
    pub f1: f64,
}

/// Counts for one intent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IntentScore {
    /// Gold utterances of the intent.
    pub count: usize,
    /// Of those, predicted right.
    pub correct: usize,
    /// Accuracy in percent.
    pub accuracy: f64,
}

/// All scores of one evaluation, in percent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Scores {
    /// Utterances evaluated.
    pub count: usize,
    /// Intent accuracy.
    pub intent_accuracy: f64,
    /// Span-level micro F1 over all slots.
    pub slot_f1: f64,
    /// Span-level micro precision.
    pub slot_precision: f64,
    /// Span-level micro recall.
    pub slot_recall: f64,
    /// Utterances with the right intent and exactly the right spans.
    pub sentence_accuracy: f64,
    /// By gold intent.
    pub per_intent: BTreeMap<String, IntentScore>,
    /// By slot label.
    pub per_slot: BTreeMap<String, SlotScore>,
    /// Every intent read as another, most frequent first.
    pub confusions: Vec<Confusion>,
    /// The spans not read exactly, by kind: all of them, and by the gold label (the
    /// predicted one for a spurious span).
    pub entity_errors: EntityErrors,
}

/// Utterances of one intent read as another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Confusion {
    /// The intent of the utterances.
    pub gold: String,
    /// The intent they were read as.
    pub predicted: String,
    /// How many.
    pub count: usize,
}

/// Entity errors by kind, in the style of the MUC/SemEval span evaluation.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ErrorCounts {
    /// A gold span that no predicted span overlaps.
    pub missed: usize,
    /// A predicted span that overlaps no gold span.
    pub spurious: usize,
    /// The right words with the wrong label.
    pub wrong_type: usize,
    /// The right label over overlapping but other words ("Friday" of "Friday morning").
    pub wrong_boundary: usize,
    /// Overlapping words with another label.
    pub wrong_type_and_boundary: usize,
}

impl ErrorCounts {
    /// Every error counted.
    pub fn total(&self) -> usize {
        self.missed
            + self.spurious
            + self.wrong_type
            + self.wrong_boundary
            + self.wrong_type_and_boundary
    }
}

/// Entity errors, all together and by label.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EntityErrors {
    /// All labels together.
    pub all: ErrorCounts,
    /// By label: the gold span's, or the predicted one's for a spurious span.
    pub by_label: BTreeMap<String, ErrorCounts>,
}

/// The kind of one entity error.
#[derive(Clone, Copy)]
enum ErrorKind {
    Missed,
    Spurious,
    WrongType,
    WrongBoundary,
    WrongTypeAndBoundary,
}

impl EntityErrors {
    fn add(&mut self, label: &str, kind: ErrorKind) {
        for counts in [
            &mut self.all,
            self.by_label.entry(label.to_string()).or_default(),
        ] {
            *match kind {
                ErrorKind::Missed => &mut counts.missed,
                ErrorKind::Spurious => &mut counts.spurious,
                ErrorKind::WrongType => &mut counts.wrong_type,
                ErrorKind::WrongBoundary => &mut counts.wrong_boundary,
                ErrorKind::WrongTypeAndBoundary => &mut counts.wrong_type_and_boundary,
            } += 1;
        }
    }

    /// Counts the errors of one utterance: each span not read exactly is paired with the
    /// unpaired span of the other side that it overlaps most, else it is missed or spurious.
    fn count(&mut self, gold: &BTreeSet<Span>, predicted: &BTreeSet<Span>) {
        let mut unpaired: Vec<&Span> = gold.difference(predicted).collect();
        for p in predicted.difference(gold) {
            let overlap = |g: &&Span| p.1.min(g.1).saturating_sub(p.0.max(g.0));
            let best = unpaired
                .iter()
                .enumerate()
                .filter(|(_, g)| overlap(g) > 0)
                .max_by_key(|(_, g)| overlap(g))
                .map(|(i, _)| i);
            let Some(g) = best.map(|i| unpaired.remove(i)) else {
                self.add(&p.2, ErrorKind::Spurious);
                continue;
            };
            let kind = match ((g.0, g.1) == (p.0, p.1), g.2 == p.2) {
                (true, _) => ErrorKind::WrongType,
                (false, true) => ErrorKind::WrongBoundary,
                (false, false) => ErrorKind::WrongTypeAndBoundary,
            };
            self.add(&g.2, kind);
        }
        for g in unpaired {
            self.add(&g.2, ErrorKind::Missed);
        }
    }
}

/// A span over word indices: `(first word, one past last word, label)`.
type Span = (usize, usize, String);

/// Gold or predicted reading of one utterance: intent and spans over word indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The intent.
    pub intent: String,
    /// `(first word, one past last word, label)`.
    pub spans: BTreeSet<Span>,
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

/// Scores predicted readings against gold ones (same order).
///
/// ```
/// use slotfill::eval::{score, Reading};
/// let gold = Reading { intent: "a".into(), spans: [(0, 2, "city".to_string())].into() };
/// let wrong_span = Reading { intent: "a".into(), spans: [(0, 1, "city".to_string())].into() };
/// let scores = score(&[gold.clone(), gold.clone()], &[gold, wrong_span]);
/// assert_eq!(scores.intent_accuracy, 100.0);
/// assert_eq!(scores.sentence_accuracy, 50.0);
/// assert_eq!(scores.slot_precision, 50.0);
/// ```
pub fn score(gold: &[Reading], predicted: &[Reading]) -> Scores {
    let mut scores = Scores {
        count: gold.len(),
        ..Scores::default()
    };
    let (mut intents_right, mut sentences_right) = (0, 0);
    let (mut tp, mut fp, mut fneg) = (0, 0, 0);
    let mut confusions: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (g, p) in gold.iter().zip(predicted) {
        scores.entity_errors.count(&g.spans, &p.spans);
        let intent = scores.per_intent.entry(g.intent.clone()).or_default();
        intent.count += 1;
        if g.intent != p.intent {
            *confusions.entry((&g.intent, &p.intent)).or_default() += 1;
        }
        if g.intent == p.intent {
            intent.correct += 1;
            intents_right += 1;
            if g.spans == p.spans {
                sentences_right += 1;
            }
        }
        for span in p.spans.iter() {
            let slot = scores.per_slot.entry(span.2.clone()).or_default();
            if g.spans.contains(span) {
                slot.true_positives += 1;
                tp += 1;
            } else {
                slot.false_positives += 1;
                fp += 1;
            }
        }
        for span in g.spans.difference(&p.spans) {
            scores
                .per_slot
                .entry(span.2.clone())
                .or_default()
                .false_negatives += 1;
            fneg += 1;
        }
    }
    for intent in scores.per_intent.values_mut() {
        intent.accuracy = percent(intent.correct, intent.count);
    }
    for slot in scores.per_slot.values_mut() {
        slot.precision = percent(
            slot.true_positives,
            slot.true_positives + slot.false_positives,
        );
        slot.recall = percent(
            slot.true_positives,
            slot.true_positives + slot.false_negatives,
        );
        slot.f1 = f1(slot.precision, slot.recall);
    }
    scores.confusions = confusions
        .into_iter()
        .map(|((gold, predicted), count)| Confusion {
            gold: gold.to_string(),
            predicted: predicted.to_string(),
            count,
        })
        .collect();
    // Most frequent first; the sort is stable, so ties stay in name order.
    scores
        .confusions
        .sort_by_key(|c| std::cmp::Reverse(c.count));
    scores.intent_accuracy = percent(intents_right, gold.len());
    scores.sentence_accuracy = percent(sentences_right, gold.len());
    scores.slot_precision = percent(tp, tp + fp);
    scores.slot_recall = percent(tp, tp + fneg);
    scores.slot_f1 = f1(scores.slot_precision, scores.slot_recall);
    scores
}

/// Runs the model over `samples` and scores it, reading an intent whose confidence is below
/// `out_of_scope_threshold` as `out_of_scope`, as the [`Parser`](crate::Parser) does (a
/// bot's `settings.out_of_scope_threshold`). Shows a progress bar when `progress` is set.
pub fn evaluate(
    model: &JointModel,
    samples: &[Sample],
    out_of_scope_threshold: f32,
    progress: bool,
) -> Result<Scores> {
    let outputs = model_outputs(model, samples, progress)?;
    let penalty = model.config().unseen_label_penalty.unwrap_or(0.0);
    score_decoded(model, samples, &outputs, penalty, out_of_scope_threshold)
}

/// The model's scores for every sample, to decode with [`score_decoded`].
pub(crate) fn model_outputs(
    model: &JointModel,
    samples: &[Sample],
    progress: bool,
) -> Result<Vec<Outputs>> {
    let bar = if progress {
        ProgressBar::new(samples.len() as u64).with_style(
            ProgressStyle::with_template("evaluating {bar:30} {pos}/{len} utterances")
                .expect("valid template"),
        )
    } else {
        ProgressBar::hidden()
    };
    let mut outputs = Vec::with_capacity(samples.len());
    for chunk in samples.chunks(256) {
        let texts: Vec<&str> = chunk.iter().map(|s| s.text.as_str()).collect();
        outputs.extend(model.outputs(&texts, &crate::features::Asked::Nothing)?);
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    Ok(outputs)
}

/// Scores the model's `outputs` for `samples`, decoded with the unseen-label `penalty`.
pub(crate) fn score_decoded(
    model: &JointModel,
    samples: &[Sample],
    outputs: &[Outputs],
    penalty: f32,
    out_of_scope_threshold: f32,
) -> Result<Scores> {
    let mut gold = Vec::with_capacity(samples.len());
    let mut predicted = Vec::with_capacity(samples.len());
    for (sample, prediction) in samples.iter().zip(model.decode(outputs, penalty)?) {
        gold.push(Reading {
            intent: sample.intent.clone(),
            spans: word_spans(&prediction.words, &sample.spans)
                .into_iter()
                .map(|(s, e, l)| (s, e, l.to_string()))
                .collect(),
        });
        predicted.push(reading(model, &prediction, out_of_scope_threshold));
    }
    Ok(score(&gold, &predicted))
}

fn reading(
    model: &JointModel,
    prediction: &crate::model::Prediction,
    out_of_scope_threshold: f32,
) -> Reading {
    let best = prediction
        .intent_probs
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .filter(|(_, &confidence)| confidence >= out_of_scope_threshold)
        .map(|(i, _)| model.intents()[i].clone())
        .unwrap_or_else(|| crate::parse::OUT_OF_SCOPE.to_string());
    Reading {
        intent: best,
        spans: model
            .tags()
            .spans(&prediction.tags)
            .into_iter()
            .map(|s| (s.start, s.end, model.tags().label(s.label).to_string()))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(intent: &str, spans: &[(usize, usize, &str)]) -> Reading {
        Reading {
            intent: intent.into(),
            spans: spans
                .iter()
                .map(|&(s, e, l)| (s, e, l.to_string()))
                .collect(),
        }
    }

    #[test]
    fn hand_made_scores() {
        let gold = [
            reading("flight", &[(0, 1, "from"), (2, 4, "to")]),
            reading("flight", &[(1, 2, "to")]),
            reading("weather", &[]),
        ];
        let predicted = [
            reading("flight", &[(0, 1, "from"), (2, 3, "to")]),
            reading("weather", &[(1, 2, "to")]),
            reading("weather", &[(0, 1, "to")]),
        ];
        let s = score(&gold, &predicted);
        assert!((s.intent_accuracy - 200.0 / 3.0).abs() < 1e-9);
        assert_eq!(s.sentence_accuracy, 0.0);
        // tp: (0,1,from), (1,2,to); fp: (2,3,to), (0,1,to); fn: (2,4,to)
        assert_eq!(s.slot_precision, 50.0);
        assert!((s.slot_recall - 200.0 / 3.0).abs() < 1e-9);
        assert!((s.slot_f1 - 2.0 * 50.0 * (200.0 / 3.0) / (50.0 + 200.0 / 3.0)).abs() < 1e-9);
        assert_eq!(s.per_slot["from"].f1, 100.0);
        assert_eq!(s.per_slot["to"].true_positives, 1);
        assert_eq!(s.per_slot["to"].false_positives, 2);
        assert_eq!(s.per_intent["flight"].correct, 1);
        assert_eq!(
            s.confusions,
            [Confusion {
                gold: "flight".into(),
                predicted: "weather".into(),
                count: 1
            }]
        );
        // (2,3,to) against (2,4,to) is a boundary; (0,1,to) of "weather" is spurious.
        let errors = &s.entity_errors.all;
        assert_eq!((errors.wrong_boundary, errors.spurious), (1, 1));
        assert_eq!(errors.total(), 2);
    }

    #[test]
    fn entity_errors_have_a_kind_each() {
        let gold = [reading(
            "a",
            &[
                (0, 1, "city"),
                (2, 3, "date"),
                (4, 6, "time"),
                (8, 9, "name"),
            ],
        )];
        let predicted = [reading(
            "a",
            &[
                (0, 1, "country"),
                (2, 4, "date"),
                (5, 7, "date"),
                (10, 11, "x"),
            ],
        )];
        let errors = score(&gold, &predicted).entity_errors;
        let all = &errors.all;
        assert_eq!(
            (
                all.wrong_type,
                all.wrong_boundary,
                all.wrong_type_and_boundary,
                all.missed,
                all.spurious
            ),
            (1, 1, 1, 1, 1)
        );
        assert_eq!(errors.by_label["city"].wrong_type, 1);
        assert_eq!(errors.by_label["time"].wrong_type_and_boundary, 1);
        assert_eq!(errors.by_label["name"].missed, 1);
        assert_eq!(errors.by_label["x"].spurious, 1);
    }

    #[test]
    fn perfect_predictions_score_100() {
        let gold = [reading("a", &[(0, 2, "x")])];
        let s = score(&gold, &gold);
        assert_eq!(
            (s.intent_accuracy, s.slot_f1, s.sentence_accuracy),
            (100.0, 100.0, 100.0)
        );
    }
}
