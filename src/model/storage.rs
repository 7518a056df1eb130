//! How a model's weights are laid out in `model.safetensors`: each ensemble member's weights
//! under its own prefix; the word and character n-gram embedding tables and the BiLSTM's and
//! transformer's matrices, most of a model's weights, as 8 bits per value with a scale per
//! row (so that an ensemble of four SNIPS networks fits in 10 MB); the other layers trained
//! from scratch as 16-bit floats; a pretrained encoder's layers as they are, since
//! fine-tuning moves them by less than 16 bits resolve. Training ends by rounding its weights
//! the same way, so the saved model is exactly the one training evaluated.

use crate::encode::bert::PRETRAINED_PREFIX;
use crate::encode::embed::TABLES;
use crate::encode::{bilstm, transformer};
use crate::{Error, Result};
use candle_core::{DType, Tensor, D};
use std::collections::HashMap;

/// Member `k > 0`'s weights are named `member{k}.{name}`; the first member's keep their plain
/// names, as a single network's always had.
const MEMBER_PREFIX: &str = "member";
/// The companion of an 8-bit table: each row's offset and step, `(rows, 2)`.
const ROWS_SUFFIX: &str = ".rows";
const LEVELS: f64 = 255.0;

/// The members' weights under one set of names, their tables packed.
pub(super) fn pack<'a>(
    members: impl Iterator<Item = &'a [(String, Tensor)]>,
) -> Result<HashMap<String, Tensor>> {
    let mut out = HashMap::new();
    for (k, weights) in members.enumerate() {
        let prefix = match k {
            0 => String::new(),
            k => format!("{MEMBER_PREFIX}{k}."),
        };
        for (name, tensor) in weights {
            let stored = match precision(name) {
                Precision::Byte => {
                    let (codes, rows) = quantize(tensor)?;
                    out.insert(format!("{prefix}{name}{ROWS_SUFFIX}"), rows);
                    codes
                }
                Precision::Half => tensor.to_dtype(DType::F16)?,
                Precision::Full => tensor.clone(),
            };
            out.insert(format!("{prefix}{name}"), stored);
        }
    }
    Ok(out)
}

/// Each of `count` members' weights by plain name, their tables unpacked (16-bit weights are
/// widened where they are read).
pub(super) fn unpack(
    tensors: HashMap<String, Tensor>,
    count: usize,
) -> Result<Vec<HashMap<String, Tensor>>> {
    let mut members: Vec<HashMap<String, Tensor>> = vec![HashMap::new(); count];
    for (name, tensor) in tensors {
        let (k, plain) = member_of(&name);
        let member = members.get_mut(k).ok_or_else(|| {
            Error::Weights(format!("`{name}` belongs to none of the {count} networks"))
        })?;
        member.insert(plain.to_string(), tensor);
    }
    for weights in &mut members {
        let packed: Vec<(String, Tensor)> = weights
            .extract_if(|name, _| name.ends_with(ROWS_SUFFIX))
            .collect();
        for (rows_name, rows) in packed {
            let name = rows_name[..rows_name.len() - ROWS_SUFFIX.len()].to_string();
            let codes = weights
                .get(&name)
                .ok_or_else(|| Error::Weights(format!("model weights lack `{name}`")))?;
            let values = dequantize(codes, &rows)?;
            weights.insert(name, values);
        }
    }
    Ok(members)
}

/// How a weight is kept in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Precision {
    /// 8 bits per value, with each row's offset and step.
    Byte,
    /// 16-bit floats.
    Half,
    /// As trained.
    Full,
}

fn precision(name: &str) -> Precision {
    if TABLES.contains(&name) || bilstm::is_matrix(name) || transformer::is_matrix(name) {
        Precision::Byte
    } else if name.starts_with(PRETRAINED_PREFIX) {
        Precision::Full
    } else {
        Precision::Half
    }
}

/// The weight `name` as it comes back from being stored, or `None` where it is stored as it
/// is.
pub(crate) fn round_trip(name: &str, weight: &Tensor) -> Result<Option<Tensor>> {
    Ok(match precision(name) {
        Precision::Byte => {
            let (codes, rows) = quantize(weight)?;
            Some(dequantize(&codes, &rows)?)
        }
        Precision::Half => Some(weight.to_dtype(DType::F16)?.to_dtype(DType::F32)?),
        Precision::Full => None,
    })
}

fn member_of(name: &str) -> (usize, &str) {
    name.strip_prefix(MEMBER_PREFIX)
        .and_then(|rest| rest.split_once('.'))
        .and_then(|(k, plain)| Some((k.parse().ok()?, plain)))
        .unwrap_or((0, name))
}

/// Each row's values as the nearest of 256 levels between its minimum and maximum.
fn quantize(table: &Tensor) -> Result<(Tensor, Tensor)> {
    let table = table.to_dtype(DType::F32)?;
    let low = table.min_keepdim(D::Minus1)?;
    let high = table.max_keepdim(D::Minus1)?;
    // A constant row still needs a non-zero step.
    let step = ((high - &low)? / LEVELS)?.maximum(f32::MIN_POSITIVE)?;
    let codes = table
        .broadcast_sub(&low)?
        .broadcast_div(&step)?
        .round()?
        .clamp(0.0, LEVELS)?
        .to_dtype(DType::U8)?;
    Ok((codes, Tensor::cat(&[low, step], D::Minus1)?))
}

fn dequantize(codes: &Tensor, rows: &Tensor) -> Result<Tensor> {
    let low = rows.narrow(D::Minus1, 0, 1)?;
    let step = rows.narrow(D::Minus1, 1, 1)?;
    Ok(codes
        .to_dtype(DType::F32)?
        .broadcast_mul(&step)?
        .broadcast_add(&low)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Device;

    fn weights(offset: f32) -> Vec<(String, Tensor)> {
        let table: Vec<f32> = (0..12).map(|i| offset + (i as f32 * 0.37).sin()).collect();
        vec![
            (
                "embed.words".to_string(),
                Tensor::from_vec(table, (3, 4), &Device::Cpu).unwrap(),
            ),
            (
                "encoder.lstm0.forward.recurrent".to_string(),
                Tensor::from_vec(
                    (0..6).map(|i| offset - i as f32 * 0.3).collect(),
                    (2, 3),
                    &Device::Cpu,
                )
                .unwrap(),
            ),
            (
                "heads.intent.bias".to_string(),
                Tensor::new(&[offset, 0.5], &Device::Cpu).unwrap(),
            ),
        ]
    }

    fn values(t: &Tensor) -> Vec<f32> {
        t.flatten_all().unwrap().to_vec1().unwrap()
    }

    #[test]
    fn members_and_tables_come_back_as_training_left_them() {
        let members = [weights(0.0), weights(2.0)];
        let packed = pack(members.iter().map(Vec::as_slice)).unwrap();
        assert_eq!(packed["embed.words"].dtype(), DType::U8);
        assert_eq!(
            packed["member1.encoder.lstm0.forward.recurrent"].dtype(),
            DType::U8
        );
        assert_eq!(packed["member1.heads.intent.bias"].dtype(), DType::F16);
        assert!(unpack(packed.clone(), 1).is_err());
        let unpacked = unpack(packed, 2).unwrap();
        assert_eq!(unpacked.len(), 2);
        for (member, stored) in members.iter().zip(&unpacked) {
            assert_eq!(stored.len(), member.len());
            for (name, tensor) in member {
                let expected = values(&round_trip(name, tensor).unwrap().unwrap());
                let widened = stored[name].to_dtype(DType::F32).unwrap();
                assert_eq!(values(&widened), expected, "{name}");
                for (kept, original) in expected.iter().zip(values(tensor)) {
                    // Half a step of a row spanning 2.0.
                    assert!((kept - original).abs() <= 2.0 / 510.0 + 1e-6, "{name}");
                }
            }
        }
    }

    #[test]
    fn encoder_matrices_are_bytes_and_their_norms_halves() {
        for name in [
            "encoder.lstm0.backward.input.weight",
            "encoder.input.weight",
            "encoder.block1.qkv.weight",
            "encoder.block0.feed_forward_out.weight",
        ] {
            assert_eq!(precision(name), Precision::Byte, "{name}");
        }
        for name in [
            "encoder.lstm0.forward.bias",
            "encoder.block0.qkv.bias",
            "encoder.block0.attention_norm.weight",
            "encoder.positions",
            "heads.tags.weight",
        ] {
            assert_eq!(precision(name), Precision::Half, "{name}");
        }
    }

    #[test]
    fn a_constant_row_survives() {
        let table = Tensor::new(&[[0.25f32, 0.25], [1.0, -1.0]], &Device::Cpu).unwrap();
        let kept = values(&round_trip("embed.ngrams", &table).unwrap().unwrap());
        for (kept, original) in kept.iter().zip([0.25, 0.25, 1.0, -1.0]) {
            assert!((kept - original).abs() < 1e-6);
        }
    }
}
