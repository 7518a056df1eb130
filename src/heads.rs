//! Heads: the intent classifier on the pooled encoding and the per-word tag scorer, and the
//! joint loss that trains them (and the shared encoder) together.
//!
//! The tag head also sees the intent distribution, so that a word's tag can depend on what
//! the whole utterance is about ("[rome](city)" under `get_weather`, "rome" in a song title).

use crate::encode::embed::Bags;
use crate::nn::{Dropout, Init, Linear, Params};
use crate::spans::TagSet;
use crate::Result;
use candle_core::{DType, Tensor, D};
use std::collections::{BTreeSet, HashMap};

const HEAD_DROPOUT: f32 = 0.3;

/// The heads' settings, from the model's.
pub(crate) struct HeadOptions<'a> {
    /// Intents named with this symbol between parts ("atis_flight#atis_airfare") are scored
    /// from their parts.
    pub split_symbol: Option<&'a str>,
    /// Decode the tags with a CRF.
    pub crf: bool,
    /// Each word votes for the intent.
    pub word_intent: bool,
    /// A bag-of-n-grams intent classifier over this many hash buckets.
    pub ngram_buckets: Option<usize>,
}

pub(crate) struct Heads {
    /// Scores every intent, or every intent part when intents are made of parts.
    intent: Linear,
    parts: Option<IntentParts>,
    /// Each word's own intent scores, when the model votes with them.
    word_intent: Option<Linear>,
    /// `(n-gram buckets, scored)`: each n-gram's intent scores, when the model has a
    /// bag-of-n-grams intent classifier.
    ngram_intent: Option<Tensor>,
    tags: Linear,
    crf: Option<Crf>,
    transition_mask: Vec<f32>,
}

/// Unnormalised scores.
pub(crate) struct Logits {
    /// `(batch, intents)`.
    pub intents: Tensor,
    /// `(batch, words, tags)`.
    pub tags: Tensor,
    /// `(batch, words, intents)`: each word's own intent scores, when the model has them.
    pub word_intents: Option<Tensor>,
    /// `(batch, intents)`: the bag of n-grams' own intent scores, when the model has them.
    pub bag_intents: Option<Tensor>,
}

impl Heads {
    /// A head for each of `intents` and `tags` over encodings of `encoding` values.
    pub(crate) fn new(
        params: &mut Params,
        encoding: usize,
        intents: &[String],
        tags: &TagSet,
        options: HeadOptions<'_>,
    ) -> Result<Self> {
        let HeadOptions {
            split_symbol,
            crf,
            word_intent,
            ngram_buckets,
        } = options;
        let transition_mask = tags.transition_mask();
        let parts = split_symbol
            .map(|symbol| IntentParts::new(params, intents, symbol))
            .transpose()?
            .flatten();
        let scored = parts.as_ref().map_or(intents.len(), IntentParts::len);
        Ok(Heads {
            intent: Linear::new(params, "heads.intent", 2 * encoding, scored)?,
            parts,
            word_intent: word_intent
                .then(|| Linear::new(params, "heads.word_intent", encoding, scored))
                .transpose()?,
            ngram_intent: ngram_buckets
                .map(|buckets| params.get("heads.ngram_intent", &[buckets, scored], Init::Zeros))
                .transpose()?,
            tags: Linear::new(params, "heads.tags", encoding + intents.len(), tags.len())?,
            crf: crf
                .then(|| Crf::new(params, &transition_mask, tags.len()))
                .transpose()?,
            transition_mask,
        })
    }

    /// Transition scores for decoding, laid out as [`TagSet::transition_mask`]: the BIO mask,
    /// plus the learned scores when the model has a CRF.
    pub(crate) fn transitions(&self) -> Result<Vec<f32>> {
        let mut transitions = self.transition_mask.clone();
        if let Some(crf) = &self.crf {
            let learned = crf.transitions.flatten_all()?.to_vec1::<f32>()?;
            for (t, l) in transitions.iter_mut().zip(learned) {
                *t += l;
            }
        }
        Ok(transitions)
    }

    /// Mean intent cross-entropy (plus each word's, when words vote) times `intent_weight`
    /// plus the tag loss: the CRF's sequence loss per utterance, or the mean per-word
    /// cross-entropy without a CRF. The intent targets are smoothed by `intent_smoothing`.
    pub(crate) fn loss(
        &self,
        logits: &Logits,
        intents: &Tensor,
        tags: &[u32],
        intent_weight: f64,
        intent_smoothing: f64,
    ) -> Result<Tensor> {
        let mut intent_loss = smoothed_cross_entropy(&logits.intents, intents, intent_smoothing)?;
        if let Some(word_intents) = &logits.word_intents {
            let (batch, words, count) = word_intents.dims3()?;
            let per_word = intents
                .unsqueeze(1)?
                .broadcast_as((batch, words))?
                .flatten_all()?;
            intent_loss = (intent_loss
                + smoothed_cross_entropy(
                    &word_intents.reshape((batch * words, count))?,
                    &per_word,
                    intent_smoothing,
                )?)?;
        }
        // The bag's classifier also learns alone, as the logistic regression it stands for,
        // and not only what the encoder leaves to it.
        if let Some(bag_intents) = &logits.bag_intents {
            intent_loss =
                (intent_loss + smoothed_cross_entropy(bag_intents, intents, intent_smoothing)?)?;
        }
        let intent_loss = (intent_loss * intent_weight)?;
        let tag_loss = match &self.crf {
            Some(crf) => crf.loss(&logits.tags, tags)?,
            None => {
                let count = logits.tags.dim(2)?;
                let targets = Tensor::new(tags, logits.tags.device())?;
                candle_nn::loss::cross_entropy(&logits.tags.reshape(((), count))?, &targets)?
            }
        };
        Ok((intent_loss + tag_loss)?)
    }

    /// Each intent's scores from what the intent layer scored: the same, or summed over the
    /// intent's parts.
    fn intent_scores(&self, scored: Tensor) -> Result<Tensor> {
        match &self.parts {
            Some(parts) => parts.compose(&scored),
            None => Ok(scored),
        }
    }

    pub(crate) fn forward(
        &self,
        encoded: &Tensor,
        bags: Option<&Bags>,
        dropout: &mut Dropout,
    ) -> Result<Logits> {
        let (batch, words, _) = encoded.dims3()?;
        let encoded = dropout.apply(encoded, HEAD_DROPOUT)?;
        let pooled = Tensor::cat(&[encoded.mean(1)?, encoded.max(1)?], 1)?;
        let mut scored = self.intent.forward(&pooled)?;
        let mut bag_intents = None;
        // A linear classifier over the bag of n-grams, as a TF-IDF logistic regression:
        // what single words and their pieces say about the intent, whatever the encoder
        // made of their order. Summed per utterance by `index_add`, as the embedder's n-grams.
        if let (Some(table), Some(bags)) = (&self.ngram_intent, bags) {
            let rows = table
                .index_select(&bags.grams, 0)?
                .broadcast_mul(&bags.weights)?;
            let bag_scores = Tensor::zeros((batch, table.dim(1)?), rows.dtype(), rows.device())?
                .index_add(&bags.utterances, &rows, 0)?;
            scored = (scored + &bag_scores)?;
            bag_intents = Some(self.intent_scores(bag_scores)?);
        }
        let mut intents = self.intent_scores(scored)?;
        // Every word votes for an intent (as Stack-Propagation's token-level intent
        // detection): a phrase like "where can i see" speaks for the intent wherever the
        // rest of the utterance is an unknown title.
        let word_intents = match &self.word_intent {
            Some(word_intent) => {
                let scores = self.intent_scores(word_intent.forward(&encoded)?)?;
                let votes = candle_nn::ops::log_softmax(&scores, D::Minus1)?.mean(1)?;
                intents = (intents + votes)?;
                Some(scores)
            }
            None => None,
        };
        let intent_probs = candle_nn::ops::softmax(&intents, D::Minus1)?;
        let intent_per_word =
            intent_probs
                .unsqueeze(1)?
                .broadcast_as((batch, words, intent_probs.dim(1)?))?;
        let tags = self.tags.forward(&Tensor::cat(
            &[&encoded, &intent_per_word.contiguous()?],
            2,
        )?)?;
        Ok(Logits {
            intents,
            tags,
            word_intents,
            bag_intents,
        })
    }
}

/// Intents made of parts, as ATIS's "atis_flight#atis_airfare" (Rasa's
/// `intent_split_symbol`): the layer scores each part, and an intent scores the sum of its
/// parts plus a bias of its own. A combination seen a few times in training then learns
/// from every utterance of each of its parts.
struct IntentParts {
    /// `(parts, intents)`: 1 where the intent holds the part.
    composition: Tensor,
    bias: Tensor,
}

impl IntentParts {
    /// `None` when no intent has more than one part.
    fn new(params: &mut Params, intents: &[String], symbol: &str) -> Result<Option<Self>> {
        if !intents.iter().any(|intent| intent.contains(symbol)) {
            return Ok(None);
        }
        let parts: BTreeSet<&str> = intents.iter().flat_map(|i| i.split(symbol)).collect();
        let row: HashMap<&str, usize> = parts.iter().enumerate().map(|(i, &p)| (p, i)).collect();
        let mut composition = vec![0f32; parts.len() * intents.len()];
        for (column, intent) in intents.iter().enumerate() {
            for part in intent.split(symbol) {
                composition[row[part] * intents.len() + column] += 1.0;
            }
        }
        Ok(Some(IntentParts {
            composition: Tensor::from_vec(
                composition,
                (parts.len(), intents.len()),
                &candle_core::Device::Cpu,
            )?,
            bias: params.get("heads.intent_parts.bias", &[intents.len()], Init::Zeros)?,
        }))
    }

    fn len(&self) -> usize {
        self.composition.dims()[0]
    }

    /// `(…, parts)` scores to `(…, intents)`.
    fn compose(&self, parts: &Tensor) -> Result<Tensor> {
        Ok(parts
            .broadcast_matmul(&self.composition)?
            .broadcast_add(&self.bias)?)
    }
}

/// A linear-chain CRF: learned scores for each tag transition (and for the first tag), trained
/// with the sequence-level negative log-likelihood. Invalid BIO transitions carry a large
/// constant penalty, so they are never learned nor decoded.
struct Crf {
    /// `(tags + 1, tags)`: row `from`, column `to`; the last row scores the first tag.
    transitions: Tensor,
    penalty: Tensor,
}

impl Crf {
    fn new(params: &mut Params, mask: &[f32], tags: usize) -> Result<Self> {
        let penalty: Vec<f32> = mask
            .iter()
            .map(|&m| if m.is_finite() { 0.0 } else { -1e4 })
            .collect();
        Ok(Crf {
            transitions: params.get("heads.crf.transitions", &[tags + 1, tags], Init::Zeros)?,
            penalty: Tensor::from_vec(penalty, (tags + 1, tags), &candle_core::Device::Cpu)?,
        })
    }

    /// Mean over the batch of `log Z - score(gold path)`.
    fn loss(&self, emissions: &Tensor, tags: &[u32]) -> Result<Tensor> {
        let (batch, words, n) = emissions.dims3()?;
        let transitions = self.transitions.add(&self.penalty)?;
        let log_partition = self.log_partition(emissions, &transitions)?.sum_all()?;
        let device = emissions.device();
        let gold_tags = Tensor::from_vec(tags.to_vec(), (batch * words, 1), device)?;
        let gold_emissions = emissions
            .reshape((batch * words, n))?
            .gather(&gold_tags, 1)?
            .sum_all()?;
        let pairs: Vec<u32> = tags
            .chunks(words)
            .flat_map(|sequence| {
                std::iter::once((n * n) as u32 + sequence[0])
                    .chain(sequence.windows(2).map(move |w| w[0] * n as u32 + w[1]))
            })
            .collect();
        let gold_transitions = transitions
            .flatten_all()?
            .index_select(&Tensor::new(pairs, device)?, 0)?
            .sum_all()?;
        let gold = (gold_emissions + gold_transitions)?;
        Ok(((log_partition - gold)? / batch as f64)?)
    }

    /// `(batch,)`: `log Z` of each utterance, by the forward algorithm in probabilities, each
    /// word's values rescaled to sum to 1: one `(batch, tags) × (tags, tags)` matmul per word
    /// where a log-sum-exp over `(batch, tags, tags)` scores took most of a training step. In
    /// f64, whose `exp` does not underflow at any score gap a network produces.
    fn log_partition(&self, emissions: &Tensor, transitions: &Tensor) -> Result<Tensor> {
        let (_, words, n) = emissions.dims3()?;
        if words == 0 {
            return Err(crate::Error::Text("an utterance without words".into()));
        }
        let emissions = emissions.to_dtype(DType::F64)?;
        let transitions = transitions.to_dtype(DType::F64)?;
        let step = transitions.narrow(0, 0, n)?;
        let step_shift = step.max_keepdim(0)?.max_keepdim(1)?.detach();
        let step_weights = step.broadcast_sub(&step_shift)?.exp()?;
        let start = transitions.narrow(0, n, 1)?;
        let word_scores = |word: usize| emissions.narrow(1, word, 1)?.squeeze(1);
        let (weights, max) = exp_per_row(&word_scores(0)?.broadcast_add(&start)?)?;
        let (mut alpha, total) = scaled_per_row(&weights)?;
        let mut log_partition = total.log()?.add(&max)?;
        for word in 1..words {
            let (weights, max) = exp_per_row(&word_scores(word)?)?;
            let (next, total) = scaled_per_row(&alpha.matmul(&step_weights)?.mul(&weights)?)?;
            alpha = next;
            let log_scale = total.log()?.add(&max)?.broadcast_add(&step_shift)?;
            log_partition = log_partition.add(&log_scale)?;
        }
        Ok(log_partition.squeeze(1)?.to_dtype(DType::F32)?)
    }
}

/// Mean cross-entropy of `(rows, classes)` scores against targets that put `1 - smoothing`
/// on the right class and spread `smoothing` evenly over all of them (label smoothing).
fn smoothed_cross_entropy(scores: &Tensor, targets: &Tensor, smoothing: f64) -> Result<Tensor> {
    let log_probs = candle_nn::ops::log_softmax(scores, D::Minus1)?;
    let right = log_probs
        .gather(&targets.unsqueeze(1)?, 1)?
        .mean_all()?
        .neg()?;
    if smoothing == 0.0 {
        return Ok(right);
    }
    let spread = log_probs.mean_all()?.neg()?;
    Ok(((right * (1.0 - smoothing))? + (spread * smoothing)?)?)
}

/// `(exp(x - max), max)` of each row of `(batch, tags)` scores, the max kept as `(batch, 1)`.
fn exp_per_row(scores: &Tensor) -> Result<(Tensor, Tensor)> {
    let max = scores.max_keepdim(1)?.detach();
    Ok((scores.broadcast_sub(&max)?.exp()?, max))
}

/// Each row of `values` divided by its sum, and the sums as `(batch, 1)`.
fn scaled_per_row(values: &Tensor) -> Result<(Tensor, Tensor)> {
    let total = values.sum_keepdim(1)?;
    Ok((values.broadcast_div(&total)?, total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Device;

    /// Smoothing 0 is the plain cross-entropy; otherwise the targets put `1 - s + s / n` on
    /// the right class and `s / n` on each other.
    #[test]
    fn smoothed_cross_entropy_spreads_the_target() -> Result<()> {
        let scores = Tensor::new(&[[2f32, 0.5, -1.0], [0.0, 1.0, 3.0]], &Device::Cpu)?;
        let targets = Tensor::new(&[0u32, 1], &Device::Cpu)?;
        let plain = candle_nn::loss::cross_entropy(&scores, &targets)?.to_scalar::<f32>()?;
        let unsmoothed = smoothed_cross_entropy(&scores, &targets, 0.0)?.to_scalar::<f32>()?;
        assert_eq!(plain, unsmoothed);
        let smoothing = 0.3;
        let log_probs = candle_nn::ops::log_softmax(&scores, D::Minus1)?.to_vec2::<f32>()?;
        let expected: f32 = log_probs
            .iter()
            .zip([0, 1])
            .map(|(row, right)| {
                row.iter()
                    .enumerate()
                    .map(|(class, log_prob)| {
                        let share =
                            smoothing / 3.0 + if class == right { 1.0 - smoothing } else { 0.0 };
                        -share * log_prob
                    })
                    .sum::<f32>()
            })
            .sum::<f32>()
            / 2.0;
        let got =
            smoothed_cross_entropy(&scores, &targets, smoothing as f64)?.to_scalar::<f32>()?;
        assert!((got - expected).abs() < 1e-5, "{got} against {expected}");
        Ok(())
    }

    /// The scaled forward algorithm agrees with summing over every tag sequence.
    #[test]
    fn log_partition_sums_over_every_sequence() -> Result<()> {
        let tags = TagSet::new(["a".to_string(), "b".to_string()]);
        let n = tags.len();
        let (batch, words) = (2, 3);
        let mask = tags.transition_mask();
        let learned: Vec<f32> = (0..mask.len())
            .map(|i| ((i * 3) % 4) as f32 * 0.7)
            .collect();
        let mut crf = Crf::new(&mut Params::fresh(1), &mask, n)?;
        crf.transitions = Tensor::from_vec(learned.clone(), (n + 1, n), &Device::Cpu)?;
        let penalty = crf.penalty.flatten_all()?.to_vec1::<f32>()?;
        // Score gaps far beyond what f32 `exp` survives.
        let scores: Vec<f32> = (0..batch * words * n)
            .map(|i| ((i * 7) % 5) as f32 * 30.0 - 60.0)
            .collect();
        let emissions = Tensor::from_vec(scores.clone(), (batch, words, n), &Device::Cpu)?;
        let transitions = crf.transitions.add(&crf.penalty)?;
        let got = crf
            .log_partition(&emissions, &transitions)?
            .to_vec1::<f32>()?;
        let transition = |i: usize| (learned[i] + penalty[i]) as f64;
        for (utterance, &got) in got.iter().enumerate() {
            let emission = |word: usize, tag: usize| scores[(utterance * words + word) * n + tag];
            let path_scores: Vec<f64> = (0..n.pow(words as u32))
                .map(|code| {
                    let path: Vec<usize> = (0..words).map(|w| code / n.pow(w as u32) % n).collect();
                    let mut score = transition(n * n + path[0]) + emission(0, path[0]) as f64;
                    for w in 1..words {
                        score +=
                            transition(path[w - 1] * n + path[w]) + emission(w, path[w]) as f64;
                    }
                    score
                })
                .collect();
            let max = path_scores
                .iter()
                .copied()
                .fold(f64::NEG_INFINITY, f64::max);
            let expected = max
                + path_scores
                    .iter()
                    .map(|s| (s - max).exp())
                    .sum::<f64>()
                    .ln();
            assert!(
                (got as f64 - expected).abs() < 1e-3,
                "utterance {utterance}: {got} against {expected}"
            );
        }
        Ok(())
    }
}
