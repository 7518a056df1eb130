//! Building blocks shared by the encoders and heads: parameters that are either freshly
//! initialised from a seed or loaded from a model file, linear layers, a layer norm whose
//! backward pass works, and seeded dropout.
//!
//! candle's CPU random generator ignores seeds and several of its fused layers pass no gradient
//! back (shared/notes/candle-on-cpu.md), so both are done here with plain tensor ops.

use crate::{Error, Result};
use candle_core::{CpuStorage, DType, Device, Layout, Tensor, Var, D};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

/// How a fresh parameter is initialised.
#[derive(Debug, Clone)]
pub(crate) enum Init {
    Zeros,
    Ones,
    /// These exact values.
    Values(Vec<f32>),
    /// A pretrained tensor of the parameter's shape.
    Pretrained(Tensor),
    /// Uniform in `[-bound, bound]`.
    Uniform(f32),
}

/// Where parameters come from.
pub(crate) enum Params {
    /// New trainable variables, initialised from a seeded generator, and frozen tensors.
    Fresh {
        rng: Box<ChaCha8Rng>,
        vars: Vec<(String, Var)>,
        frozen: Vec<(String, Tensor)>,
    },
    /// Tensors read from a safetensors file.
    Loaded(HashMap<String, Tensor>),
}

impl Params {
    pub(crate) fn fresh(seed: u64) -> Self {
        Params::Fresh {
            rng: Box::new(ChaCha8Rng::seed_from_u64(seed)),
            vars: Vec::new(),
            frozen: Vec::new(),
        }
    }

    /// The parameter `name` of shape `shape`.
    pub(crate) fn get(&mut self, name: &str, shape: &[usize], init: Init) -> Result<Tensor> {
        match self {
            Params::Fresh { rng, vars, .. } => {
                let count: usize = shape.iter().product();
                let values: Vec<f32> = match init {
                    Init::Pretrained(tensor) if tensor.dims() == shape => {
                        return Ok(Self::track(vars, name, Var::from_tensor(&tensor)?));
                    }
                    Init::Pretrained(tensor) => {
                        return Err(Error::Weights(format!(
                            "pretrained weight `{name}` has shape {:?}, expected {shape:?}",
                            tensor.dims()
                        )))
                    }
                    Init::Zeros => vec![0.0; count],
                    Init::Ones => vec![1.0; count],
                    Init::Values(values) => values,
                    Init::Uniform(bound) => (0..count)
                        .map(|_| rng.random_range(-bound..=bound))
                        .collect(),
                };
                let var = Var::from_tensor(&Tensor::from_vec(values, shape, &Device::Cpu)?)?;
                Ok(Self::track(vars, name, var))
            }
            Params::Loaded(tensors) => {
                let tensor = tensors
                    .get(name)
                    .ok_or_else(|| Error::Weights(format!("model weights lack `{name}`")))?;
                if tensor.dims() != shape {
                    return Err(Error::Weights(format!(
                        "model weight `{name}` has shape {:?}, expected {shape:?}",
                        tensor.dims()
                    )));
                }
                Ok(tensor.to_dtype(DType::F32)?)
            }
        }
    }

    fn track(vars: &mut Vec<(String, Var)>, name: &str, var: Var) -> Tensor {
        let tensor = var.as_tensor().clone();
        vars.push((name.to_string(), var));
        tensor
    }

    /// A weight that training leaves as it is: `values` when fresh, the stored one when loaded.
    pub(crate) fn frozen(&mut self, name: &str, shape: &[usize], values: Tensor) -> Result<Tensor> {
        match self {
            Params::Fresh { frozen, .. } => {
                if values.dims() != shape {
                    return Err(Error::Weights(format!(
                        "weight `{name}` has shape {:?}, expected {shape:?}",
                        values.dims()
                    )));
                }
                frozen.push((name.to_string(), values.clone()));
                Ok(values)
            }
            Params::Loaded(_) => self.get(name, shape, Init::Zeros),
        }
    }

    /// Every weight, trainable or frozen, by name (to save a model).
    pub(crate) fn weights(&self) -> Vec<(String, Tensor)> {
        let mut named: Vec<(String, Tensor)> = match self {
            Params::Fresh { vars, frozen, .. } => vars
                .iter()
                .map(|(name, var)| (name.clone(), var.as_tensor().clone()))
                .chain(frozen.iter().cloned())
                .collect(),
            Params::Loaded(tensors) => tensors
                .iter()
                .map(|(n, t)| (n.clone(), t.clone()))
                .collect(),
        };
        named.sort_by(|a, b| a.0.cmp(&b.0));
        named
    }

    /// The trainable variables created so far, by name.
    pub(crate) fn into_vars(self) -> Vec<(String, Var)> {
        match self {
            Params::Fresh { vars, .. } => vars,
            Params::Loaded(_) => Vec::new(),
        }
    }
}

/// `y = x W + b` over the last dimension.
#[derive(Debug, Clone)]
pub(crate) struct Linear {
    weight: Tensor,
    bias: Tensor,
}

impl Linear {
    pub(crate) fn new(
        params: &mut Params,
        name: &str,
        inputs: usize,
        outputs: usize,
    ) -> Result<Self> {
        Self::with_bias(params, name, inputs, outputs, Init::Zeros)
    }

    pub(crate) fn with_bias(
        params: &mut Params,
        name: &str,
        inputs: usize,
        outputs: usize,
        bias: Init,
    ) -> Result<Self> {
        let bound = 1.0 / (inputs as f32).sqrt();
        Self::initialised(params, name, (inputs, outputs), Init::Uniform(bound), bias)
    }

    /// A layer whose fresh weight (`inputs × outputs`) and bias start from `weight` and `bias`.
    pub(crate) fn initialised(
        params: &mut Params,
        name: &str,
        (inputs, outputs): (usize, usize),
        weight: Init,
        bias: Init,
    ) -> Result<Self> {
        Ok(Linear {
            weight: params.get(&format!("{name}.weight"), &[inputs, outputs], weight)?,
            bias: params.get(&format!("{name}.bias"), &[outputs], bias)?,
        })
    }

    pub(crate) fn forward(&self, x: &Tensor) -> Result<Tensor> {
        Ok(x.broadcast_matmul(&self.weight)?
            .broadcast_add(&self.bias)?)
    }
}

/// Layer normalisation over the last dimension, from mean and variance ops so that gradients
/// flow (candle's fused layer norm has no backward pass).
#[derive(Debug, Clone)]
pub(crate) struct LayerNorm {
    gain: Tensor,
    shift: Tensor,
    epsilon: f64,
}

impl LayerNorm {
    pub(crate) fn new(params: &mut Params, name: &str, dim: usize) -> Result<Self> {
        Self::initialised(params, name, dim, (Init::Ones, Init::Zeros), 1e-5)
    }

    /// A layer norm whose fresh gain and shift start from `inits`.
    pub(crate) fn initialised(
        params: &mut Params,
        name: &str,
        dim: usize,
        (gain, shift): (Init, Init),
        epsilon: f64,
    ) -> Result<Self> {
        Ok(LayerNorm {
            gain: params.get(&format!("{name}.weight"), &[dim], gain)?,
            shift: params.get(&format!("{name}.bias"), &[dim], shift)?,
            epsilon,
        })
    }

    pub(crate) fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let mean = x.mean_keepdim(D::Minus1)?;
        let centered = x.broadcast_sub(&mean)?;
        let variance = centered.sqr()?.mean_keepdim(D::Minus1)?;
        let normed = centered.broadcast_div(&(variance + self.epsilon)?.sqrt()?)?;
        Ok(normed
            .broadcast_mul(&self.gain)?
            .broadcast_add(&self.shift)?)
    }
}

/// Seeded dropout: active while training, the identity at inference.
pub(crate) struct Dropout<'a> {
    rng: Option<&'a mut ChaCha8Rng>,
}

impl<'a> Dropout<'a> {
    /// No dropout (inference).
    pub(crate) fn off() -> Self {
        Dropout { rng: None }
    }

    /// Dropout drawn from `rng` (training).
    pub(crate) fn on(rng: &'a mut ChaCha8Rng) -> Self {
        Dropout { rng: Some(rng) }
    }

    pub(crate) fn is_on(&self) -> bool {
        self.rng.is_some()
    }

    /// Zeroes each element with probability `p` and scales the rest by `1 / (1 - p)`.
    pub(crate) fn apply(&mut self, x: &Tensor, p: f32) -> Result<Tensor> {
        let Some(rng) = self.rng.as_deref_mut() else {
            return Ok(x.clone());
        };
        if p <= 0.0 {
            return Ok(x.clone());
        }
        let keep = 1.0 / (1.0 - p);
        let mask: Vec<f32> = (0..x.elem_count())
            .map(|_| if rng.random::<f32>() < p { 0.0 } else { keep })
            .collect();
        Ok((x * Tensor::from_vec(mask, x.shape(), x.device())?)?)
    }

    /// A uniform draw in `[0, 1)` from the same generator (0.5 when off).
    pub(crate) fn draw(&mut self) -> f32 {
        self.rng.as_deref_mut().map_or(0.5, |rng| rng.random())
    }
}

/// The values of a contiguous f32 CPU tensor, inside a custom op.
pub(crate) fn f32_slice<'a>(
    storage: &'a CpuStorage,
    layout: &Layout,
) -> candle_core::Result<&'a [f32]> {
    match (storage, layout.contiguous_offsets()) {
        (CpuStorage::F32(values), Some((start, end))) => Ok(&values[start..end]),
        _ => Err(candle_core::Error::Msg(
            "expected a contiguous f32 tensor".into(),
        )),
    }
}

/// The values of a contiguous f32 CPU tensor, inside an in-place custom op.
pub(crate) fn f32_slice_mut<'a>(
    storage: &'a mut CpuStorage,
    layout: &Layout,
) -> candle_core::Result<&'a mut [f32]> {
    match (storage, layout.contiguous_offsets()) {
        (CpuStorage::F32(values), Some((start, end))) => Ok(&mut values[start..end]),
        _ => Err(candle_core::Error::Msg(
            "expected a contiguous f32 tensor".into(),
        )),
    }
}
