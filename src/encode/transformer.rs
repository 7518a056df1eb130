//! A small pre-norm transformer encoder with learned positions.

use super::MAX_WORDS;
use crate::nn::{Dropout, Init, LayerNorm, Linear, Params};
use crate::Result;
use candle_core::{Tensor, D};

const RESIDUAL_DROPOUT: f32 = 0.1;

/// The linear layers of a block whose weight matrices hold most of a transformer's weights.
const PROJECTIONS: [&str; 4] = [
    "qkv",
    "attention_out",
    "feed_forward_in",
    "feed_forward_out",
];

/// Whether `name` is one of the transformer's projection matrices (its biases, layer norms
/// and positions are not).
pub(crate) fn is_matrix(name: &str) -> bool {
    name == "encoder.input.weight"
        || name
            .strip_prefix("encoder.block")
            .and_then(|rest| rest.strip_suffix(".weight"))
            .and_then(|rest| rest.split_once('.'))
            .is_some_and(|(_, layer)| PROJECTIONS.contains(&layer))
}

struct Block {
    attention_norm: LayerNorm,
    qkv: Linear,
    attention_out: Linear,
    feed_forward_norm: LayerNorm,
    feed_forward_in: Linear,
    feed_forward_out: Linear,
    heads: usize,
}

impl Block {
    fn new(
        params: &mut Params,
        name: &str,
        dim: usize,
        heads: usize,
        feed_forward: usize,
    ) -> Result<Self> {
        Ok(Block {
            attention_norm: LayerNorm::new(params, &format!("{name}.attention_norm"), dim)?,
            qkv: Linear::new(params, &format!("{name}.qkv"), dim, 3 * dim)?,
            attention_out: Linear::new(params, &format!("{name}.attention_out"), dim, dim)?,
            feed_forward_norm: LayerNorm::new(params, &format!("{name}.feed_forward_norm"), dim)?,
            feed_forward_in: Linear::new(
                params,
                &format!("{name}.feed_forward_in"),
                dim,
                feed_forward,
            )?,
            feed_forward_out: Linear::new(
                params,
                &format!("{name}.feed_forward_out"),
                feed_forward,
                dim,
            )?,
            heads,
        })
    }

    fn forward(&self, x: &Tensor, dropout: &mut Dropout) -> Result<Tensor> {
        let (batch, words, dim) = x.dims3()?;
        let head_dim = dim / self.heads;
        let qkv = self.qkv.forward(&self.attention_norm.forward(x)?)?;
        let split = |i: usize| -> Result<Tensor> {
            Ok(qkv
                .narrow(2, i * dim, dim)?
                .reshape((batch, words, self.heads, head_dim))?
                .transpose(1, 2)?
                .contiguous()?)
        };
        let (q, k, v) = (split(0)?, split(1)?, split(2)?);
        let scores = (q.matmul(&k.t()?)? / (head_dim as f64).sqrt())?;
        // `softmax`, not `softmax_last_dim`: the fused op has no backward pass.
        let weights = candle_nn::ops::softmax(&scores, D::Minus1)?;
        let attended = weights
            .matmul(&v)?
            .transpose(1, 2)?
            .reshape((batch, words, dim))?;
        let x = (x + dropout.apply(&self.attention_out.forward(&attended)?, RESIDUAL_DROPOUT)?)?;
        let hidden = self
            .feed_forward_in
            .forward(&self.feed_forward_norm.forward(&x)?)?
            .gelu()?;
        let out = self.feed_forward_out.forward(&hidden)?;
        Ok((&x + dropout.apply(&out, RESIDUAL_DROPOUT)?)?)
    }
}

pub(crate) struct Transformer {
    input: Linear,
    positions: Tensor,
    blocks: Vec<Block>,
    final_norm: LayerNorm,
    dim: usize,
}

impl Transformer {
    pub(crate) fn new(
        params: &mut Params,
        inputs: usize,
        dim: usize,
        layers: usize,
        heads: usize,
        feed_forward: usize,
    ) -> Result<Self> {
        if heads == 0 || !dim.is_multiple_of(heads) {
            return Err(crate::Error::Config(format!(
                "transformer dim {dim} must be a multiple of its {heads} heads"
            )));
        }
        Ok(Transformer {
            input: Linear::new(params, "encoder.input", inputs, dim)?,
            positions: params.get("encoder.positions", &[MAX_WORDS, dim], Init::Uniform(0.02))?,
            blocks: (0..layers)
                .map(|i| {
                    Block::new(
                        params,
                        &format!("encoder.block{i}"),
                        dim,
                        heads,
                        feed_forward,
                    )
                })
                .collect::<Result<_>>()?,
            final_norm: LayerNorm::new(params, "encoder.final_norm", dim)?,
            dim,
        })
    }

    pub(crate) fn outputs(&self) -> usize {
        self.dim
    }

    pub(crate) fn forward(&self, x: &Tensor, dropout: &mut Dropout) -> Result<Tensor> {
        let words = x.dim(1)?;
        let mut x = self
            .input
            .forward(x)?
            .broadcast_add(&self.positions.narrow(0, 0, words)?)?;
        for block in &self.blocks {
            x = block.forward(&x, dropout)?;
        }
        self.final_norm.forward(&x)
    }
}
