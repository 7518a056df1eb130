//! Each word's input vector: a vocabulary embedding, the mean of its hashed character n-gram
//! embeddings, and its lookup-list features.

use crate::nn::{Dropout, Init, Params};
use crate::Result;
use candle_core::Tensor;

const EMBEDDING_DROPOUT: f32 = 0.25;

/// The embedding tables' weight names: the vocabulary's and the character n-grams'.
pub(crate) const TABLES: [&str; 2] = ["embed.words", "embed.ngrams"];

/// A batch of same-length utterances, as tensors.
pub(crate) struct Inputs {
    /// `(batch, words)` vocabulary ids.
    pub words: Tensor,
    /// `(n-grams,)`: the bucket id of every word's n-grams, word after word.
    pub ngrams: Tensor,
    /// `(n-grams,)`: the word (`0..batch * words`) each n-gram belongs to.
    pub ngram_words: Tensor,
    /// `(n-grams, 1)`: `1 / count` of its word's n-grams.
    pub ngram_weights: Tensor,
    /// `(batch, words, lookup dims)`, when the model has lookup lists.
    pub lookups: Option<Tensor>,
    /// The word pieces or their states, for a BERT encoder.
    pub pieces: Option<super::bert::BertInput>,
    /// Each utterance's bag of n-grams, for a model with an n-gram intent head.
    pub bags: Option<Bags>,
}

/// The n-grams of each utterance of a batch: its words' character n-grams and its word
/// pairs, flat, each with its utterance and weight.
pub(crate) struct Bags {
    /// `(n-grams,)` bucket ids.
    pub grams: Tensor,
    /// `(n-grams,)`: the utterance (`0..batch`) each belongs to.
    pub utterances: Tensor,
    /// `(n-grams, 1)`: `1 / √count` of its utterance's n-grams, as TF-IDF's unit length.
    pub weights: Tensor,
}

pub(crate) struct Embedder {
    words: Tensor,
    ngrams: Tensor,
    lookup_dims: usize,
}

impl Embedder {
    pub(crate) fn new(
        params: &mut Params,
        vocab: usize,
        word_dim: usize,
        buckets: usize,
        ngram_dim: usize,
        lookup_dims: usize,
    ) -> Result<Self> {
        Ok(Embedder {
            words: params.get(TABLES[0], &[vocab, word_dim], Init::Uniform(0.1))?,
            ngrams: params.get(TABLES[1], &[buckets, ngram_dim], Init::Uniform(0.1))?,
            lookup_dims,
        })
    }

    pub(crate) fn outputs(&self) -> Result<usize> {
        Ok(self.words.dim(1)? + self.ngrams.dim(1)? + self.lookup_dims)
    }

    /// `(batch, words, outputs)`.
    pub(crate) fn forward(&self, inputs: &Inputs, dropout: &mut Dropout) -> Result<Tensor> {
        let (batch, words) = inputs.words.dims2()?;
        let word_vectors = self
            .words
            .index_select(&inputs.words.flatten_all()?, 0)?
            .reshape((batch, words, ()))?;
        let weighted = self
            .ngrams
            .index_select(&inputs.ngrams, 0)?
            .broadcast_mul(&inputs.ngram_weights)?;
        // Summed per word by `index_add`, whose gradient is a gather; a sum over a padded
        // `(words, n-grams, dim)` middle axis cost a tenth of a training step, and as much
        // again backward.
        let ngram_vectors = Tensor::zeros(
            (batch * words, self.ngrams.dim(1)?),
            weighted.dtype(),
            weighted.device(),
        )?
        .index_add(&inputs.ngram_words, &weighted, 0)?
        .reshape((batch, words, ()))?;
        let mut parts = vec![
            dropout.apply(&word_vectors, EMBEDDING_DROPOUT)?,
            dropout.apply(&ngram_vectors, EMBEDDING_DROPOUT)?,
        ];
        parts.extend(inputs.lookups.clone());
        Ok(Tensor::cat(&parts, 2)?)
    }
}
