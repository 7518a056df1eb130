//! A bidirectional LSTM: candle's LSTM is one-directional and projects the input again at
//! every step, so the input projection here is one matmul over the sequence, and the
//! recurrence one op with its own backward pass ([`super::recurrence`]).

use crate::nn::{Dropout, Init, Linear, Params};
use crate::Result;
use candle_core::Tensor;

const LAYER_DROPOUT: f32 = 0.2;
/// Every weight of the encoder is named under this.
const PREFIX: &str = "encoder.lstm";

/// Whether `name` is one of the LSTM's weight matrices (its biases are not).
pub(crate) fn is_matrix(name: &str) -> bool {
    name.starts_with(PREFIX) && !name.ends_with(".bias")
}

struct Direction {
    input: Linear,
    recurrent: Tensor,
}

impl Direction {
    fn new(params: &mut Params, name: &str, inputs: usize, hidden: usize) -> Result<Self> {
        // A forget-gate bias of 1 lets gradients through early in training.
        let mut bias = vec![0f32; 4 * hidden];
        bias[hidden..2 * hidden].fill(1.0);
        let input = Linear::with_bias(
            params,
            &format!("{name}.input"),
            inputs,
            4 * hidden,
            Init::Values(bias),
        )?;
        let bound = 1.0 / (hidden as f32).sqrt();
        let recurrent = params.get(
            &format!("{name}.recurrent"),
            &[hidden, 4 * hidden],
            Init::Uniform(bound),
        )?;
        Ok(Direction { input, recurrent })
    }

    /// The input projection is one matmul over the sequence; the recurrence is one op.
    fn forward(&self, x: &Tensor, reverse: bool) -> Result<Tensor> {
        let projected = self.input.forward(x)?;
        Ok(super::recurrence::lstm(
            &projected,
            &self.recurrent,
            reverse,
        )?)
    }
}

pub(crate) struct BiLstm {
    layers: Vec<(Direction, Direction)>,
    hidden: usize,
}

impl BiLstm {
    pub(crate) fn new(
        params: &mut Params,
        inputs: usize,
        hidden: usize,
        layers: usize,
    ) -> Result<Self> {
        let layers = (0..layers.max(1))
            .map(|i| {
                let width = if i == 0 { inputs } else { 2 * hidden };
                Ok((
                    Direction::new(params, &format!("{PREFIX}{i}.forward"), width, hidden)?,
                    Direction::new(params, &format!("{PREFIX}{i}.backward"), width, hidden)?,
                ))
            })
            .collect::<Result<_>>()?;
        Ok(BiLstm { layers, hidden })
    }

    pub(crate) fn outputs(&self) -> usize {
        2 * self.hidden
    }

    pub(crate) fn forward(&self, x: &Tensor, dropout: &mut Dropout) -> Result<Tensor> {
        let mut x = x.clone();
        for (i, (forward, backward)) in self.layers.iter().enumerate() {
            if i > 0 {
                x = dropout.apply(&x, LAYER_DROPOUT)?;
            }
            x = Tensor::cat(
                &[forward.forward(&x, false)?, backward.forward(&x, true)?],
                2,
            )?;
        }
        Ok(x)
    }
}
