//! A pretrained BERT-family encoder (all-MiniLM-L6-v2, BERT-base, …) read from a Hugging Face
//! folder: `config.json`, `model.safetensors` and `tokenizer.json`.
//!
//! The layers are written here from tensor ops over the checkpoint's weights rather than taken
//! from candle-transformers, whose `BertModel` passes no gradient through its layer norms
//! (shared/notes/candle-on-cpu.md): fine-tuning it would train nothing and say nothing.
//! Word pieces map back to the words and character spans of the text.

use super::bilstm::BiLstm;
use super::hub;
use crate::nn::{Dropout, Init, LayerNorm, Linear, Params};
use crate::{Error, Result};
use candle_core::{DType, Device, Tensor, D};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

/// The keys of a Hugging Face BERT `config.json` that the encoder uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BertConfig {
    /// Width of every hidden state.
    pub hidden_size: usize,
    /// Transformer layers.
    pub num_hidden_layers: usize,
    /// Attention heads per layer.
    pub num_attention_heads: usize,
    /// Width of the feed-forward layers.
    pub intermediate_size: usize,
    /// Longest input, in word pieces.
    pub max_position_embeddings: usize,
    /// Token types (segments).
    pub type_vocab_size: usize,
    /// Word pieces in the vocabulary.
    pub vocab_size: usize,
    /// Layer-norm epsilon.
    #[serde(default = "bert_epsilon")]
    pub layer_norm_eps: f64,
    /// Activation of the feed-forward layers; only `gelu` (exact, with erf) is supported.
    #[serde(default = "gelu")]
    pub hidden_act: String,
}

fn bert_epsilon() -> f64 {
    1e-12
}

fn gelu() -> String {
    "gelu".into()
}

const HIDDEN_DROPOUT: f32 = 0.1;

/// Every weight of the pretrained encoder is named under this prefix.
pub(crate) const PRETRAINED_PREFIX: &str = "bert.";

/// The checkpoint's tensors under the encoder's names, linear weights as `inputs × outputs`.
type Checkpoint = HashMap<String, Tensor>;

/// Where a fresh parameter's values come from: the checkpoint, or `fallback` without one.
fn start(checkpoint: Option<&Checkpoint>, name: &str, fallback: Init) -> Result<Init> {
    let Some(checkpoint) = checkpoint else {
        return Ok(fallback);
    };
    let tensor = checkpoint
        .get(name)
        .ok_or_else(|| Error::Weights(format!("the checkpoint lacks `{name}`")))?;
    Ok(Init::Pretrained(tensor.clone()))
}

fn linear(
    params: &mut Params,
    checkpoint: Option<&Checkpoint>,
    name: &str,
    shape: (usize, usize),
) -> Result<Linear> {
    let weight = start(checkpoint, &format!("{name}.weight"), Init::Uniform(0.02))?;
    let bias = start(checkpoint, &format!("{name}.bias"), Init::Zeros)?;
    Linear::initialised(params, name, shape, weight, bias)
}

fn layer_norm(
    params: &mut Params,
    checkpoint: Option<&Checkpoint>,
    name: &str,
    config: &BertConfig,
) -> Result<LayerNorm> {
    let gain = start(checkpoint, &format!("{name}.weight"), Init::Ones)?;
    let shift = start(checkpoint, &format!("{name}.bias"), Init::Zeros)?;
    LayerNorm::initialised(
        params,
        name,
        config.hidden_size,
        (gain, shift),
        config.layer_norm_eps,
    )
}

struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attention_out: Linear,
    attention_norm: LayerNorm,
    intermediate: Linear,
    output: Linear,
    output_norm: LayerNorm,
}

impl Layer {
    fn new(
        params: &mut Params,
        checkpoint: Option<&Checkpoint>,
        i: usize,
        config: &BertConfig,
    ) -> Result<Self> {
        let name = |part: &str| format!("bert.encoder.layer.{i}.{part}");
        let (hidden, inner) = (config.hidden_size, config.intermediate_size);
        Ok(Layer {
            query: linear(
                params,
                checkpoint,
                &name("attention.self.query"),
                (hidden, hidden),
            )?,
            key: linear(
                params,
                checkpoint,
                &name("attention.self.key"),
                (hidden, hidden),
            )?,
            value: linear(
                params,
                checkpoint,
                &name("attention.self.value"),
                (hidden, hidden),
            )?,
            attention_out: linear(
                params,
                checkpoint,
                &name("attention.output.dense"),
                (hidden, hidden),
            )?,
            attention_norm: layer_norm(
                params,
                checkpoint,
                &name("attention.output.LayerNorm"),
                config,
            )?,
            intermediate: linear(
                params,
                checkpoint,
                &name("intermediate.dense"),
                (hidden, inner),
            )?,
            output: linear(params, checkpoint, &name("output.dense"), (inner, hidden))?,
            output_norm: layer_norm(params, checkpoint, &name("output.LayerNorm"), config)?,
        })
    }

    /// `x`: `(batch, pieces, hidden)`; `mask_bias`: `(batch, 1, 1, pieces)`, 0 or a large
    /// negative number for padding.
    fn forward(
        &self,
        x: &Tensor,
        mask_bias: &Tensor,
        heads: usize,
        dropout: &mut Dropout,
    ) -> Result<Tensor> {
        let (batch, pieces, hidden) = x.dims3()?;
        let head = hidden / heads;
        let split = |t: Tensor| -> Result<Tensor> {
            Ok(t.reshape((batch, pieces, heads, head))?
                .transpose(1, 2)?
                .contiguous()?)
        };
        let q = split(self.query.forward(x)?)?;
        let k = split(self.key.forward(x)?)?;
        let v = split(self.value.forward(x)?)?;
        let scores = (q.matmul(&k.t()?)? / (head as f64).sqrt())?.broadcast_add(mask_bias)?;
        // `softmax`, not `softmax_last_dim`: the fused op has no backward pass.
        let weights = candle_nn::ops::softmax(&scores, D::Minus1)?;
        let attended = weights
            .matmul(&v)?
            .transpose(1, 2)?
            .reshape((batch, pieces, hidden))?;
        let attended = dropout.apply(&self.attention_out.forward(&attended)?, HIDDEN_DROPOUT)?;
        let x = self.attention_norm.forward(&(x + attended)?)?;
        let inner = self.intermediate.forward(&x)?.gelu_erf()?;
        let out = dropout.apply(&self.output.forward(&inner)?, HIDDEN_DROPOUT)?;
        self.output_norm.forward(&(x + out)?)
    }
}

/// The BERT layers: embeddings and the transformer stack.
pub(crate) struct Bert {
    words: Tensor,
    positions: Tensor,
    token_types: Tensor,
    embedding_norm: LayerNorm,
    layers: Vec<Layer>,
    config: BertConfig,
}

impl Bert {
    /// The layers, their fresh parameters started from `checkpoint` (or at random without one;
    /// loaded parameters ignore both).
    pub(crate) fn new(
        params: &mut Params,
        config: &BertConfig,
        checkpoint: Option<&Checkpoint>,
    ) -> Result<Self> {
        if config.hidden_act != "gelu" {
            return Err(Error::Config(format!(
                "BERT activation `{}` is not supported (only gelu)",
                config.hidden_act
            )));
        }
        if config.num_attention_heads == 0
            || !config
                .hidden_size
                .is_multiple_of(config.num_attention_heads)
        {
            return Err(Error::Config(format!(
                "BERT hidden size {} is not a multiple of its {} heads",
                config.hidden_size, config.num_attention_heads
            )));
        }
        let hidden = config.hidden_size;
        // The word-piece table stays as pretrained: a fifth of MiniLM's weights, whose dense
        // gradient and optimizer update would cost more than all the layers.
        let words = {
            let name = "bert.embeddings.word_embeddings.weight";
            let shape = [config.vocab_size, hidden];
            match checkpoint.and_then(|c| c.get(name)) {
                Some(pretrained) => params.frozen(name, &shape, pretrained.clone())?,
                None => params.get(name, &shape, Init::Uniform(0.02))?,
            }
        };
        let mut table = |name: &str, rows: usize| -> Result<Tensor> {
            let name = format!("bert.embeddings.{name}.weight");
            let init = start(checkpoint, &name, Init::Uniform(0.02))?;
            params.get(&name, &[rows, hidden], init)
        };
        let positions = table("position_embeddings", config.max_position_embeddings)?;
        let token_types = table("token_type_embeddings", config.type_vocab_size)?;
        Ok(Bert {
            words,
            positions,
            token_types,
            embedding_norm: layer_norm(params, checkpoint, "bert.embeddings.LayerNorm", config)?,
            layers: (0..config.num_hidden_layers)
                .map(|i| Layer::new(params, checkpoint, i, config))
                .collect::<Result<_>>()?,
            config: config.clone(),
        })
    }

    /// The last hidden state, `(batch, pieces, hidden)`, of word-piece `ids` `(batch, pieces)`
    /// (u32) where `mask` `(batch, pieces)` is 1 for real pieces and 0 for padding.
    pub(crate) fn forward(
        &self,
        ids: &Tensor,
        mask: &Tensor,
        dropout: &mut Dropout,
    ) -> Result<Tensor> {
        let (batch, pieces) = ids.dims2()?;
        let hidden = self.config.hidden_size;
        let words = self
            .words
            .index_select(&ids.flatten_all()?, 0)?
            .reshape((batch, pieces, hidden))?;
        let x = words
            .broadcast_add(&self.positions.narrow(0, 0, pieces)?)?
            .broadcast_add(&self.token_types.narrow(0, 0, 1)?)?;
        let mut x = dropout.apply(&self.embedding_norm.forward(&x)?, HIDDEN_DROPOUT)?;
        let mask_bias =
            ((mask.to_dtype(DType::F32)? - 1.0)? * 1e9)?.reshape((batch, 1, 1, pieces))?;
        for layer in &self.layers {
            x = layer.forward(&x, &mask_bias, self.config.num_attention_heads, dropout)?;
        }
        Ok(x)
    }
}

/// The BERT encoder of the joint model: each word's vector is the mean of its pieces' last
/// hidden states, next to the word's own features (embedding, n-grams, lookup lists), and
/// optionally a BiLSTM over those.
pub(crate) struct BertWords {
    bert: Bert,
    inputs: usize,
    top: Option<BiLstm>,
}

/// What the BERT encoder reads for a batch: the word pieces, or each word's pooled state
/// computed before (the frozen encoder's training features).
pub(crate) enum BertInput {
    Pieces(PieceInputs),
    /// `(batch, words, hidden)`.
    States(Tensor),
}

impl BertWords {
    /// Fresh parameters start from the checkpoint in `path`; loaded ones need only `config`.
    /// `inputs` is the size of each word's own features.
    pub(crate) fn new(
        params: &mut Params,
        path: &Path,
        config: &BertConfig,
        inputs: usize,
        bilstm: Option<usize>,
    ) -> Result<Self> {
        let checkpoint = match params {
            Params::Fresh { .. } => Some(read_checkpoint(path)?),
            Params::Loaded(_) => None,
        };
        let bert = Bert::new(params, config, checkpoint.as_ref())?;
        let top = bilstm
            .map(|hidden| BiLstm::new(params, config.hidden_size + inputs, hidden, 1))
            .transpose()?;
        Ok(BertWords { bert, inputs, top })
    }

    pub(crate) fn outputs(&self) -> usize {
        match &self.top {
            Some(top) => top.outputs(),
            None => self.bert.config.hidden_size + self.inputs,
        }
    }

    /// Each word's pooled last hidden state: `(batch, words, hidden)`.
    pub(crate) fn word_states(
        &self,
        pieces: &PieceInputs,
        dropout: &mut Dropout,
    ) -> Result<Tensor> {
        let hidden = self.bert.forward(&pieces.ids, &pieces.mask, dropout)?;
        Ok(pieces.pooling.matmul(&hidden)?)
    }

    /// `x`: the words' own features `(batch, words, inputs)`.
    pub(crate) fn forward(
        &self,
        x: &Tensor,
        input: &BertInput,
        dropout: &mut Dropout,
    ) -> Result<Tensor> {
        let words = match input {
            BertInput::Pieces(pieces) => self.word_states(pieces, dropout)?,
            BertInput::States(states) => dropout.apply(states, HIDDEN_DROPOUT)?,
        };
        let joined = Tensor::cat(&[&words, x], 2)?;
        match &self.top {
            Some(top) => top.forward(&joined, dropout),
            None => Ok(joined),
        }
    }
}

/// A batch's word pieces as tensors.
pub(crate) struct PieceInputs {
    /// `(batch, pieces)` ids, padded with 0.
    pub ids: Tensor,
    /// `(batch, pieces)`: 1 for real pieces.
    pub mask: Tensor,
    /// `(batch, words, pieces)`: `1 / count` where a piece belongs to a word.
    pub pooling: Tensor,
}

impl PieceInputs {
    /// `batch[i]`: the piece ids of one text and, for each of its words, its pieces.
    pub(crate) fn new(batch: &[(&[u32], &[Range<usize>])]) -> Result<Self> {
        let rows = batch.len();
        let pieces = batch.iter().map(|(ids, _)| ids.len()).max().unwrap_or(1);
        let words = batch.iter().map(|(_, w)| w.len()).max().unwrap_or(0);
        let mut ids = vec![0u32; rows * pieces];
        let mut mask = vec![0f32; rows * pieces];
        let mut pooling = vec![0f32; rows * words * pieces];
        for (row, (piece_ids, word_pieces)) in batch.iter().enumerate() {
            ids[row * pieces..row * pieces + piece_ids.len()].copy_from_slice(piece_ids);
            mask[row * pieces..row * pieces + piece_ids.len()].fill(1.0);
            for (word, range) in word_pieces.iter().enumerate() {
                let share = 1.0 / range.len().max(1) as f32;
                for piece in range.clone() {
                    pooling[(row * words + word) * pieces + piece] = share;
                }
            }
        }
        Ok(PieceInputs {
            ids: Tensor::from_vec(ids, (rows, pieces), &Device::Cpu)?,
            mask: Tensor::from_vec(mask, (rows, pieces), &Device::Cpu)?,
            pooling: Tensor::from_vec(pooling, (rows, words, pieces), &Device::Cpu)?,
        })
    }
}

/// For each of `words` (character spans from slotfill's own tokenizer), the pieces of the
/// BERT words that overlap it.
pub(crate) fn align(pieces: &Pieces, words: &[Range<usize>]) -> Vec<Range<usize>> {
    words
        .iter()
        .map(|word| {
            let overlapping: Vec<&Range<usize>> = pieces
                .words
                .iter()
                .zip(&pieces.word_pieces)
                .filter(|(span, _)| span.start < word.end && word.start < span.end)
                .map(|(_, range)| range)
                .collect();
            match (overlapping.first(), overlapping.last()) {
                (Some(first), Some(last)) => first.start..last.end,
                _ => 0..0,
            }
        })
        .collect()
}

/// A text cut into word pieces.
#[derive(Debug, Clone, PartialEq)]
pub struct Pieces {
    /// Vocabulary ids, `[CLS]` first and `[SEP]` last.
    pub ids: Vec<u32>,
    /// The words of the text as character spans; the pieces of word `i` are `word_pieces[i]`.
    pub words: Vec<Range<usize>>,
    /// For each word, the range of its pieces in `ids`.
    pub word_pieces: Vec<Range<usize>>,
}

/// A pretrained BERT-family model ready to encode text: its tokenizer and layers.
///
/// ```no_run
/// use slotfill::encode::bert::BertEncoder;
/// let minilm = BertEncoder::load(std::path::Path::new("models/minilm"))?;
/// let vector = minilm.sentence_embedding("what's the weather in Paris tomorrow")?;
/// assert_eq!(vector.len(), 384);
/// # Ok::<(), slotfill::Error>(())
/// ```
pub struct BertEncoder {
    tokenizer: tokenizers::Tokenizer,
    bert: Bert,
}

impl BertEncoder {
    /// Loads `config.json`, `model.safetensors` and `tokenizer.json` from `dir`, or from the
    /// Hugging Face hub cache when `dir` is a model id (`sentence-transformers/all-MiniLM-L6-v2`).
    pub fn load(dir: &Path) -> Result<Self> {
        let config = read_config(dir)?;
        let tokenizer = read_tokenizer(dir)?;
        let mut params = Params::Loaded(read_checkpoint(dir)?);
        let bert = Bert::new(&mut params, &config, None)?;
        Ok(BertEncoder { tokenizer, bert })
    }

    /// The model's settings.
    pub fn config(&self) -> &BertConfig {
        &self.bert.config
    }

    /// Cuts `text` into word pieces, keeping each word's character span.
    pub fn pieces(&self, text: &str) -> Result<Pieces> {
        pieces(
            &self.tokenizer,
            text,
            self.bert.config.max_position_embeddings,
        )
    }

    /// The last hidden state of `text`: one vector per word piece, `[CLS]` and `[SEP]`
    /// included.
    pub fn hidden_states(&self, text: &str) -> Result<Vec<Vec<f32>>> {
        let pieces = self.pieces(text)?;
        let count = pieces.ids.len();
        let ids = Tensor::from_vec(pieces.ids, (1, count), &Device::Cpu)?;
        let mask = Tensor::ones((1, count), DType::F32, &Device::Cpu)?;
        let hidden = self.bert.forward(&ids, &mask, &mut Dropout::off())?;
        Ok(hidden.squeeze(0)?.to_vec2::<f32>()?)
    }

    /// The sentence-transformers embedding: the mean of the last hidden state over every
    /// piece, L2-normalised.
    pub fn sentence_embedding(&self, text: &str) -> Result<Vec<f32>> {
        let states = self.hidden_states(text)?;
        let mut mean = vec![0.0f32; self.bert.config.hidden_size];
        for state in &states {
            for (m, v) in mean.iter_mut().zip(state) {
                *m += v / states.len() as f32;
            }
        }
        let norm = mean.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-12);
        Ok(mean.into_iter().map(|v| v / norm).collect())
    }
}

pub(crate) fn read_config(dir: &Path) -> Result<BertConfig> {
    let dir = &hub::locate(dir)?;
    let path = dir.join("config.json");
    let text = std::fs::read_to_string(&path).map_err(|e| missing(dir, &path, e))?;
    serde_json::from_str(&text).map_err(|e| Error::Pretrained {
        path: path.clone(),
        message: format!("not a BERT config ({e})"),
    })
}

pub(crate) fn read_tokenizer(dir: &Path) -> Result<tokenizers::Tokenizer> {
    let dir = &hub::locate(dir)?;
    let path = dir.join("tokenizer.json");
    if !path.exists() {
        return Err(missing(dir, &path, "not found"));
    }
    let unreadable = |e: tokenizers::Error| Error::Pretrained {
        path: path.clone(),
        message: e.to_string(),
    };
    let mut tokenizer = tokenizers::Tokenizer::from_file(&path).map_err(unreadable)?;
    // sentence-transformers ships padding to 128 pieces; batches are padded here instead, and
    // long texts are cut to the position limit in `pieces`.
    tokenizer.with_padding(None);
    tokenizer.with_truncation(None).map_err(unreadable)?;
    Ok(tokenizer)
}

/// The checkpoint under the encoder's names (`bert.` prefixed once), with linear weights
/// transposed to `inputs × outputs`.
pub(crate) fn read_checkpoint(dir: &Path) -> Result<Checkpoint> {
    let dir = &hub::locate(dir)?;
    let path = dir.join("model.safetensors");
    if !path.exists() {
        return Err(missing(dir, &path, "not found"));
    }
    let tensors = candle_core::safetensors::load(&path, &Device::Cpu)?;
    let mut checkpoint = Checkpoint::new();
    for (name, tensor) in tensors {
        let name = format!("bert.{}", name.strip_prefix("bert.").unwrap_or(&name));
        let is_linear =
            name.ends_with(".weight") && tensor.rank() == 2 && !name.contains("embeddings");
        let tensor = match is_linear {
            true => tensor.t()?.contiguous()?,
            false => tensor,
        };
        checkpoint.insert(name, tensor.to_dtype(DType::F32)?);
    }
    Ok(checkpoint)
}

fn missing(dir: &Path, path: &Path, why: impl std::fmt::Display) -> Error {
    Error::Model {
        dir: dir.to_path_buf(),
        message: format!(
            "{}: {why}; a BERT folder needs {} (scripts/fetch_minilm.sh fetches \
             all-MiniLM-L6-v2 into models/minilm)",
            path.display(),
            hub::FILES.join(", ")
        ),
    }
}

pub(crate) fn pieces(
    tokenizer: &tokenizers::Tokenizer,
    text: &str,
    limit: usize,
) -> Result<Pieces> {
    let encoding = tokenizer
        .encode_char_offsets(text, true)
        .map_err(|e| Error::Text(format!("word pieces of {text:?}: {e}")))?;
    let mut ids = encoding.get_ids().to_vec();
    let mut words: Vec<Range<usize>> = Vec::new();
    let mut word_pieces: Vec<Range<usize>> = Vec::new();
    let mut last_word = None;
    for (i, (word, &(start, end))) in encoding
        .get_word_ids()
        .iter()
        .zip(encoding.get_offsets())
        .enumerate()
    {
        // Keep room for [SEP] within the position limit.
        if i + 1 >= limit {
            break;
        }
        let Some(word) = *word else { continue };
        if last_word == Some(word) {
            if let (Some(span), Some(range)) = (words.last_mut(), word_pieces.last_mut()) {
                span.end = end;
                range.end = i + 1;
            }
        } else {
            words.push(start..end);
            word_pieces.push(i..i + 1);
            last_word = Some(word);
        }
    }
    if ids.len() > limit {
        let sep = *ids.last().unwrap_or(&0);
        ids.truncate(limit - 1);
        ids.push(sep);
    }
    Ok(Pieces {
        ids,
        words,
        word_pieces,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::Params;

    fn tiny() -> BertConfig {
        BertConfig {
            hidden_size: 8,
            num_hidden_layers: 2,
            num_attention_heads: 2,
            intermediate_size: 16,
            max_position_embeddings: 16,
            type_vocab_size: 2,
            vocab_size: 20,
            layer_norm_eps: 1e-12,
            hidden_act: "gelu".into(),
        }
    }

    /// Fine-tuning must reach every weight: a gradient for each, through the layer norms.
    #[test]
    fn every_bert_weight_gets_a_gradient() {
        let mut params = Params::fresh(7);
        let bert = Bert::new(&mut params, &tiny(), None).unwrap();
        let ids = Tensor::new(&[[1u32, 5, 7, 2], [1, 9, 2, 0]], &Device::Cpu).unwrap();
        let mask = Tensor::new(&[[1f32, 1., 1., 1.], [1., 1., 1., 0.]], &Device::Cpu).unwrap();
        let out = bert.forward(&ids, &mask, &mut Dropout::off()).unwrap();
        // A loss that depends on every output unevenly, so no gradient cancels out.
        let weights = Tensor::arange(0f32, out.elem_count() as f32, &Device::Cpu)
            .unwrap()
            .reshape(out.shape())
            .unwrap()
            .sin()
            .unwrap();
        let loss = (out * weights).unwrap().sum_all().unwrap();
        let grads = loss.backward().unwrap();
        let vars = params.into_vars();
        assert_eq!(
            vars.len(),
            5 + 2 * 16,
            "embeddings and 16 tensors per layer"
        );
        for (name, var) in vars {
            let grad = grads.get(var.as_tensor()).expect(&name);
            let norm = grad
                .sqr()
                .unwrap()
                .sum_all()
                .unwrap()
                .to_scalar::<f32>()
                .unwrap();
            assert!(norm > 0.0, "`{name}` gets no gradient");
        }
    }

    #[test]
    fn padding_does_not_change_the_real_pieces() {
        let mut params = Params::fresh(3);
        let bert = Bert::new(&mut params, &tiny(), None).unwrap();
        let alone = bert
            .forward(
                &Tensor::new(&[[1u32, 5, 2]], &Device::Cpu).unwrap(),
                &Tensor::new(&[[1f32, 1., 1.]], &Device::Cpu).unwrap(),
                &mut Dropout::off(),
            )
            .unwrap();
        let padded = bert
            .forward(
                &Tensor::new(&[[1u32, 5, 2, 0, 0]], &Device::Cpu).unwrap(),
                &Tensor::new(&[[1f32, 1., 1., 0., 0.]], &Device::Cpu).unwrap(),
                &mut Dropout::off(),
            )
            .unwrap();
        let difference = (alone - padded.narrow(1, 0, 3).unwrap())
            .unwrap()
            .abs()
            .unwrap()
            .max_all()
            .unwrap()
            .to_scalar::<f32>()
            .unwrap();
        assert!(difference < 1e-5, "{difference}");
    }
}
