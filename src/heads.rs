//! Heads: the intent classifier on the pooled encoding and the per-word tag scorer, and the
//! joint loss that trains them (and the shared encoder) together.
//!
//! The tag head also sees the intent distribution, so that a word's tag can depend on what
//! the whole utterance is about ("[rome](city)" under `get_weather`, "rome" in a song title).

use crate::nn::{Dropout, Linear, Params};
use crate::Result;
use candle_core::{Tensor, D};

const HEAD_DROPOUT: f32 = 0.3;

pub(crate) struct Heads {
    intent: Linear,
    tags: Linear,
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
        tags: usize,
    ) -> Result<Self> {
        Ok(Heads {
            intent: Linear::new(params, "heads.intent", 2 * encoding, intents)?,
            tags: Linear::new(params, "heads.tags", encoding + intents, tags)?,
        })
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

/// Mean cross-entropy of the intents plus mean cross-entropy of the tags.
pub(crate) fn joint_loss(logits: &Logits, intents: &Tensor, tags: &Tensor) -> Result<Tensor> {
    let intent_loss = candle_nn::loss::cross_entropy(&logits.intents, intents)?;
    let tag_count = logits.tags.dim(2)?;
    let tag_loss = candle_nn::loss::cross_entropy(&logits.tags.reshape(((), tag_count))?, tags)?;
    Ok((intent_loss + tag_loss)?)
}
