//! Heads: the intent classifier on the pooled encoding and the per-word tag scorer, and the
//! joint loss that trains them (and the shared encoder) together.
//!
//! The tag head also sees the intent distribution, so that a word's tag can depend on what
//! the whole utterance is about ("[rome](city)" under `get_weather`, "rome" in a song title).

use crate::nn::{Dropout, Init, Linear, Params};
use crate::spans::TagSet;
use crate::Result;
use candle_core::{Tensor, D};

const HEAD_DROPOUT: f32 = 0.3;

pub(crate) struct Heads {
    intent: Linear,
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
}

impl Heads {
    pub(crate) fn new(
        params: &mut Params,
        encoding: usize,
        intents: usize,
        tags: &TagSet,
        crf: bool,
    ) -> Result<Self> {
        let transition_mask = tags.transition_mask();
        Ok(Heads {
            intent: Linear::new(params, "heads.intent", 2 * encoding, intents)?,
            tags: Linear::new(params, "heads.tags", encoding + intents, tags.len())?,
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

    /// Mean intent cross-entropy times `intent_weight` plus the tag loss: the CRF's sequence
    /// loss per utterance, or the mean per-word cross-entropy without a CRF.
    pub(crate) fn loss(
        &self,
        logits: &Logits,
        intents: &Tensor,
        tags: &[u32],
        intent_weight: f64,
    ) -> Result<Tensor> {
        let intent_loss =
            (candle_nn::loss::cross_entropy(&logits.intents, intents)? * intent_weight)?;
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

    pub(crate) fn forward(&self, encoded: &Tensor, dropout: &mut Dropout) -> Result<Logits> {
        let (batch, words, _) = encoded.dims3()?;
        let encoded = dropout.apply(encoded, HEAD_DROPOUT)?;
        let pooled = Tensor::cat(&[encoded.mean(1)?, encoded.max(1)?], 1)?;
        let intents = self.intent.forward(&pooled)?;
        let intent_probs = candle_nn::ops::softmax(&intents, D::Minus1)?;
        let intent_per_word =
            intent_probs
                .unsqueeze(1)?
                .broadcast_as((batch, words, intent_probs.dim(1)?))?;
        let tags = self.tags.forward(&Tensor::cat(
            &[&encoded, &intent_per_word.contiguous()?],
            2,
        )?)?;
        Ok(Logits { intents, tags })
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
        let step = transitions.narrow(0, 0, n)?.unsqueeze(0)?;
        let start = transitions.narrow(0, n, 1)?;
        let mut alpha = emissions
            .narrow(1, 0, 1)?
            .squeeze(1)?
            .broadcast_add(&start)?;
        for word in 1..words {
            let scores = alpha.unsqueeze(2)?.broadcast_add(&step)?;
            alpha = log_sum_exp(&scores, 1)?.add(&emissions.narrow(1, word, 1)?.squeeze(1)?)?;
        }
        let log_partition = log_sum_exp(&alpha, 1)?.sum_all()?;

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
}

/// `log(sum(exp(x)))` over `dim`, removed; the max is taken out first for stability.
fn log_sum_exp(x: &Tensor, dim: usize) -> Result<Tensor> {
    let max = x.max_keepdim(dim)?.detach();
    let sum = x.broadcast_sub(&max)?.exp()?.sum_keepdim(dim)?.log()?;
    Ok((sum + max)?.squeeze(dim)?)
}
