//! Encode: turn a batch of words into one contextual vector per word. The same encoding feeds
//! both heads (intent and tags).
//!
//! `embed` builds each word's input vector; the encoder is chosen in the model config
//! ([`EncoderConfig`]): `bilstm` (the classic token-classification encoder), `transformer`,
//! or a pretrained [`bert`] model.

pub mod bert;
pub(crate) mod bilstm;
pub(crate) mod embed;
pub(crate) mod hub;
pub(crate) mod recurrence;
pub(crate) mod transformer;

use crate::nn::{Dropout, Params};
use crate::Result;
use candle_core::Tensor;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Which encoder the model uses, and its size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum EncoderConfig {
    /// Bidirectional LSTM layers.
    Bilstm {
        /// Hidden size of each direction.
        hidden: usize,
        /// Stacked layers.
        layers: usize,
    },
    /// A pre-norm transformer encoder with learned positions.
    Transformer {
        /// Model width.
        dim: usize,
        /// Stacked layers.
        layers: usize,
        /// Attention heads (`dim` must divide by it).
        heads: usize,
        /// Feed-forward width.
        feed_forward: usize,
    },
    /// A pretrained BERT-family model (e.g. all-MiniLM-L6-v2): fine-tuned with the heads (its
    /// word-piece table stays frozen), or frozen whole with light layers trained on top.
    Bert {
        /// The Hugging Face folder (config.json, model.safetensors, tokenizer.json) that
        /// training starts from, or a model id on the hub
        /// (`sentence-transformers/all-MiniLM-L6-v2`).
        path: PathBuf,
        /// Learning rate of the pretrained layers (the heads use the model's).
        #[serde(default = "bert_learning_rate")]
        learning_rate: f64,
        /// Train the pretrained layers (`true`), or keep them as they are and train only what
        /// sits on top, from features computed once per training utterance (`false`).
        #[serde(default = "fine_tune")]
        fine_tune: bool,
        /// Hidden size (each direction) of a BiLSTM over the words' vectors, between the
        /// pretrained layers and the heads; none when absent.
        #[serde(default)]
        bilstm: Option<usize>,
        /// The model's settings, copied from `path` when training starts.
        #[serde(default)]
        config: Option<bert::BertConfig>,
    },
}

fn bert_learning_rate() -> f64 {
    5e-5
}

fn fine_tune() -> bool {
    true
}

impl EncoderConfig {
    /// The pretrained all-MiniLM-L6-v2 in `models/minilm` (scripts/fetch_minilm.sh), fine-tuned.
    pub fn minilm() -> Self {
        EncoderConfig::Bert {
            path: "models/minilm".into(),
            learning_rate: 1e-4,
            fine_tune: true,
            bilstm: None,
            config: None,
        }
    }

    /// Whether training updates pretrained weights; when not, their features are computed
    /// once per training utterance.
    pub(crate) fn frozen_pretrained(&self) -> bool {
        matches!(
            self,
            EncoderConfig::Bert {
                fine_tune: false,
                ..
            }
        )
    }
}

impl Default for EncoderConfig {
    fn default() -> Self {
        EncoderConfig::Bilstm {
            hidden: 128,
            layers: 1,
        }
    }
}

/// The longest input the encoders accept, in words; longer texts are cut.
pub const MAX_WORDS: usize = 128;

pub(crate) enum Encoder {
    Bilstm(bilstm::BiLstm),
    Transformer(transformer::Transformer),
    Bert(bert::BertWords),
}

impl Encoder {
    pub(crate) fn new(params: &mut Params, config: &EncoderConfig, inputs: usize) -> Result<Self> {
        Ok(match config {
            EncoderConfig::Bert {
                path,
                config,
                bilstm,
                ..
            } => {
                // `JointModel::build` copies it from `path` before building.
                let config = config.as_ref().ok_or_else(|| {
                    crate::Error::Config("the BERT encoder's config is missing".into())
                })?;
                Encoder::Bert(bert::BertWords::new(params, path, config, inputs, *bilstm)?)
            }
            &EncoderConfig::Bilstm { hidden, layers } => {
                Encoder::Bilstm(bilstm::BiLstm::new(params, inputs, hidden, layers)?)
            }
            &EncoderConfig::Transformer {
                dim,
                layers,
                heads,
                feed_forward,
            } => Encoder::Transformer(transformer::Transformer::new(
                params,
                inputs,
                dim,
                layers,
                heads,
                feed_forward,
            )?),
        })
    }

    /// Size of each word's encoding.
    pub(crate) fn outputs(&self) -> usize {
        match self {
            Encoder::Bilstm(e) => e.outputs(),
            Encoder::Transformer(e) => e.outputs(),
            Encoder::Bert(e) => e.outputs(),
        }
    }

    /// `(batch, words, inputs)` → `(batch, words, outputs)`. All sequences of a batch have the
    /// same length in words, so no masking is needed; the BERT encoder also takes the word
    /// pieces (which it pads and masks) or their states computed before.
    pub(crate) fn forward(
        &self,
        x: &Tensor,
        pieces: Option<&bert::BertInput>,
        dropout: &mut Dropout,
    ) -> Result<Tensor> {
        match (self, pieces) {
            (Encoder::Bilstm(e), _) => e.forward(x, dropout),
            (Encoder::Transformer(e), _) => e.forward(x, dropout),
            (Encoder::Bert(e), Some(pieces)) => e.forward(x, pieces, dropout),
            (Encoder::Bert(..), None) => Err(crate::Error::Weights(
                "the BERT encoder needs the word pieces".into(),
            )),
        }
    }
}
