//! The LSTM recurrence over a whole sequence as one candle op, with its own backward pass.
//!
//! Written from tensor ops, each step of the recurrence was a dozen small ops, and the
//! backward pass of every per-step slice of the input projection padded its gradient with
//! zeros to the whole sequence: work that grew with the square of the length. Training spent
//! more time there than in the matrix products. Here a step is one matrix product and one
//! loop over the gates, forwards and backwards. The forward pass records each word's gates and
//! cell beside its state, so that the backward pass need not run the recurrence again.

use candle_core::{CpuStorage, CustomOp2, Layout, Shape, Tensor};

/// One direction of an LSTM: the hidden states `(batch, words, hidden)` from `projected`
/// `(batch, words, 4 · hidden)`, every word's input projection with its biases, and
/// `recurrent` `(hidden, 4 · hidden)`. Gates are laid out `[input, forget, output, cell]`; the
/// initial state and cell are zero.
pub(crate) fn lstm(
    projected: &Tensor,
    recurrent: &Tensor,
    reverse: bool,
) -> candle_core::Result<Tensor> {
    let hidden = recurrent.dim(0)?;
    projected
        .contiguous()?
        .apply_op2(recurrent, LstmScan { reverse })?
        .narrow(2, 0, hidden)
}

/// The recurrence as a candle op: `(projected, recurrent)` → a record `(batch, words,
/// 7 · hidden)` of each word's hidden state, cell, tanh of the cell and gate activations, in
/// that order. Only the states leave [`lstm`], so the gradient of the rest is zero.
struct LstmScan {
    reverse: bool,
}

/// Sizes of one scan.
#[derive(Clone, Copy)]
struct Dims {
    batch: usize,
    words: usize,
    hidden: usize,
}

impl Dims {
    fn of(projected: &Shape, recurrent: &Shape) -> candle_core::Result<Self> {
        let (batch, words, gates) = projected.dims3()?;
        let (hidden, recurrent_gates) = recurrent.dims2()?;
        if gates != 4 * hidden || recurrent_gates != gates {
            return Err(candle_core::Error::Msg(format!(
                "lstm scan: projected {projected:?} does not match recurrent {recurrent:?}"
            )));
        }
        Ok(Dims {
            batch,
            words,
            hidden,
        })
    }

    fn gates(&self) -> usize {
        4 * self.hidden
    }

    /// Width of one word's record: state, cell, tanh of the cell, then the four gates.
    fn record(&self) -> usize {
        7 * self.hidden
    }

    /// Offset of word `t` of utterance `b` in a `(batch, words, width)` buffer.
    fn at(&self, b: usize, t: usize, width: usize) -> usize {
        (b * self.words + t) * width
    }
}

/// Where each part of a word's record starts.
const STATE: usize = 0;
const CELL: usize = 1;
const CELL_TANH: usize = 2;
const GATES: usize = 3;

impl LstmScan {
    /// Word positions in the order the recurrence visits them.
    fn order(&self, words: usize) -> Vec<usize> {
        if self.reverse {
            (0..words).rev().collect()
        } else {
            (0..words).collect()
        }
    }

    fn run(&self, dims: Dims, projected: &[f32], recurrent: &[f32]) -> Vec<f32> {
        let Dims { batch, hidden, .. } = dims;
        let (width, row) = (dims.gates(), dims.record());
        let mut record = vec![0f32; batch * dims.words * row];
        let mut gates = vec![0f32; batch * width];
        let mut state = vec![0f32; batch * hidden];
        let mut cell = vec![0f32; batch * hidden];
        for (step, t) in self.order(dims.words).into_iter().enumerate() {
            for b in 0..batch {
                gates[b * width..][..width]
                    .copy_from_slice(&projected[dims.at(b, t, width)..][..width]);
            }
            if step > 0 {
                // gates += state · recurrent
                multiply(
                    Product {
                        rows: batch,
                        columns: width,
                        inner: hidden,
                    },
                    Out::accumulate(&mut gates, width),
                    In::new(&state, hidden, 1),
                    In::new(recurrent, width, 1),
                );
            }
            for b in 0..batch {
                let gates = &mut gates[b * width..][..width];
                let (sigmoids, candidate) = gates.split_at_mut(3 * hidden);
                sigmoids.iter_mut().for_each(|g| *g = sigmoid(*g));
                candidate.iter_mut().for_each(|g| *g = tanh(*g));
                let out = &mut record[dims.at(b, t, row)..][..row];
                let cell = &mut cell[b * hidden..][..hidden];
                let state = &mut state[b * hidden..][..hidden];
                for j in 0..hidden {
                    let (input, forget, output) =
                        (sigmoids[j], sigmoids[hidden + j], sigmoids[2 * hidden + j]);
                    cell[j] = forget * cell[j] + input * candidate[j];
                    out[CELL_TANH * hidden + j] = tanh(cell[j]);
                    state[j] = output * out[CELL_TANH * hidden + j];
                }
                out[STATE * hidden..][..hidden].copy_from_slice(state);
                out[CELL * hidden..][..hidden].copy_from_slice(cell);
                out[GATES * hidden..].copy_from_slice(gates);
            }
        }
        record
    }

    /// The gradients of `projected` and `recurrent` from the gradient of the hidden states,
    /// the first `hidden` columns of `record_gradient`.
    fn backward(
        &self,
        dims: Dims,
        record: &[f32],
        recurrent: &[f32],
        record_gradient: &[f32],
    ) -> (Vec<f32>, Vec<f32>) {
        let Dims { batch, hidden, .. } = dims;
        let (width, row) = (dims.gates(), dims.record());
        let mut projected_gradient = vec![0f32; batch * dims.words * width];
        let mut recurrent_gradient = vec![0f32; hidden * width];
        // Gradients flowing back from the step after, to the state and cell of this one.
        let mut carried_state = vec![0f32; batch * hidden];
        let mut carried_cell = vec![0f32; batch * hidden];
        let order = self.order(dims.words);
        for (step, &t) in order.iter().enumerate().rev() {
            let previous = step.checked_sub(1).map(|s| order[s]);
            for b in 0..batch {
                let word = &record[dims.at(b, t, row)..][..row];
                let gates = &word[GATES * hidden..];
                let cell_tanh = &word[CELL_TANH * hidden..][..hidden];
                let previous_cell = previous.map(|p| &record[dims.at(b, p, row) + CELL * hidden..]);
                let state_gradient = &record_gradient[dims.at(b, t, row) + STATE * hidden..];
                let gradient = &mut projected_gradient[dims.at(b, t, width)..][..width];
                let carried_state = &carried_state[b * hidden..][..hidden];
                let carried_cell = &mut carried_cell[b * hidden..][..hidden];
                for j in 0..hidden {
                    let (input, forget, output, candidate) = (
                        gates[j],
                        gates[hidden + j],
                        gates[2 * hidden + j],
                        gates[3 * hidden + j],
                    );
                    let previous_cell = previous_cell.map_or(0.0, |c| c[j]);
                    let state = state_gradient[j] + carried_state[j];
                    let cell =
                        carried_cell[j] + state * output * (1.0 - cell_tanh[j] * cell_tanh[j]);
                    carried_cell[j] = cell * forget;
                    gradient[j] = cell * candidate * input * (1.0 - input);
                    gradient[hidden + j] = cell * previous_cell * forget * (1.0 - forget);
                    gradient[2 * hidden + j] = state * cell_tanh[j] * output * (1.0 - output);
                    gradient[3 * hidden + j] = cell * input * (1.0 - candidate * candidate);
                }
            }
            let Some(p) = previous else { break };
            let gates_gradient = In::new(
                &projected_gradient[dims.at(0, t, width)..],
                dims.words * width,
                1,
            );
            // recurrent_gradient += states[:, p]ᵀ · gates_gradient
            multiply(
                Product {
                    rows: hidden,
                    columns: width,
                    inner: batch,
                },
                Out::accumulate(&mut recurrent_gradient, width),
                In::new(
                    &record[dims.at(0, p, row) + STATE * hidden..],
                    1,
                    dims.words * row,
                ),
                gates_gradient,
            );
            // carried_state = gates_gradient · recurrentᵀ
            multiply(
                Product {
                    rows: batch,
                    columns: hidden,
                    inner: width,
                },
                Out::overwrite(&mut carried_state, hidden),
                gates_gradient,
                In::new(recurrent, 1, width),
            );
        }
        (projected_gradient, recurrent_gradient)
    }
}

/// tanh as the rational approximation of degree 13/6 that Eigen and XLA use: within a few
/// units in the last place of `f32::tanh`, and written so that the gate loops vectorize
/// instead of calling libm for every element, which took a sixth of training time.
fn tanh(x: f32) -> f32 {
    // Beyond this, tanh rounds to ±1 in f32.
    const CLAMP: f32 = 7.905_311;
    const NUMERATOR: [f32; 7] = [
        -2.760_768_5e-16,
        2.000_188e-13,
        -8.604_672e-11,
        5.122_297e-8,
        1.485_722_4e-5,
        6.372_619_3e-4,
        4.893_524_6e-3,
    ];
    const DENOMINATOR: [f32; 4] = [1.198_258_4e-6, 1.185_347_1e-4, 2.268_434_6e-3, 4.893_525e-3];
    let x = x.clamp(-CLAMP, CLAMP);
    let x2 = x * x;
    let p = NUMERATOR.iter().fold(0.0, |p, &c| p * x2 + c);
    let q = DENOMINATOR.iter().fold(0.0, |q, &c| q * x2 + c);
    x * p / q
}

fn sigmoid(x: f32) -> f32 {
    0.5 + 0.5 * tanh(0.5 * x)
}

impl CustomOp2 for LstmScan {
    fn name(&self) -> &'static str {
        "lstm-scan"
    }

    fn cpu_fwd(
        &self,
        projected: &CpuStorage,
        projected_layout: &Layout,
        recurrent: &CpuStorage,
        recurrent_layout: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let dims = Dims::of(projected_layout.shape(), recurrent_layout.shape())?;
        let record = self.run(
            dims,
            crate::nn::f32_slice(projected, projected_layout)?,
            crate::nn::f32_slice(recurrent, recurrent_layout)?,
        );
        Ok((
            CpuStorage::F32(record),
            Shape::from((dims.batch, dims.words, dims.record())),
        ))
    }

    fn bwd(
        &self,
        projected: &Tensor,
        recurrent: &Tensor,
        record: &Tensor,
        record_gradient: &Tensor,
    ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>)> {
        let dims = Dims::of(projected.shape(), recurrent.shape())?;
        let recurrent_values = recurrent.flatten_all()?.to_vec1::<f32>()?;
        let (projected_gradient, recurrent_gradient) = self.backward(
            dims,
            &record.flatten_all()?.to_vec1::<f32>()?,
            &recurrent_values,
            &record_gradient.flatten_all()?.to_vec1::<f32>()?,
        );
        Ok((
            Some(Tensor::from_vec(
                projected_gradient,
                projected.shape(),
                projected.device(),
            )?),
            Some(Tensor::from_vec(
                recurrent_gradient,
                recurrent.shape(),
                recurrent.device(),
            )?),
        ))
    }
}

/// The sizes of `out (rows × columns) = lhs (rows × inner) · rhs (inner × columns)`.
#[derive(Clone, Copy)]
struct Product {
    rows: usize,
    columns: usize,
    inner: usize,
}

/// A matrix read from a slice with its row and column strides.
#[derive(Clone, Copy)]
struct In<'a> {
    values: &'a [f32],
    row_stride: usize,
    column_stride: usize,
}

impl<'a> In<'a> {
    fn new(values: &'a [f32], row_stride: usize, column_stride: usize) -> Self {
        In {
            values,
            row_stride,
            column_stride,
        }
    }

    /// Whether a `rows × columns` matrix with these strides lies inside the slice.
    fn holds(&self, rows: usize, columns: usize) -> bool {
        rows == 0
            || columns == 0
            || (rows - 1) * self.row_stride + (columns - 1) * self.column_stride < self.values.len()
    }
}

/// The matrix a product is written to, row-major with `row_stride`.
struct Out<'a> {
    values: &'a mut [f32],
    row_stride: usize,
    accumulate: bool,
}

impl<'a> Out<'a> {
    /// `out += lhs · rhs`
    fn accumulate(values: &'a mut [f32], row_stride: usize) -> Self {
        Out {
            values,
            row_stride,
            accumulate: true,
        }
    }

    /// `out = lhs · rhs`
    fn overwrite(values: &'a mut [f32], row_stride: usize) -> Self {
        Out {
            values,
            row_stride,
            accumulate: false,
        }
    }
}

/// One matrix product on the calling thread, with the `gemm` kernels candle's own matmul
/// uses; strides let it read transposes and one word's rows of a sequence in place.
fn multiply(size: Product, out: Out, lhs: In, rhs: In) {
    let Product {
        rows,
        columns,
        inner,
    } = size;
    let out_view = In::new(out.values, out.row_stride, 1);
    assert!(
        out_view.holds(rows, columns) && lhs.holds(rows, inner) && rhs.holds(inner, columns),
        "lstm scan: a matrix product reaches outside its buffers"
    );
    // SAFETY: the assertion above keeps every element the product reads or writes inside its
    // slice; `out` is borrowed mutably, so it overlaps neither input.
    unsafe {
        gemm::gemm(
            rows,
            columns,
            inner,
            out.values.as_mut_ptr(),
            1,
            out.row_stride as isize,
            out.accumulate,
            lhs.values.as_ptr(),
            lhs.column_stride as isize,
            lhs.row_stride as isize,
            rhs.values.as_ptr(),
            rhs.column_stride as isize,
            rhs.row_stride as isize,
            1.0,
            1.0,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, Var, D};

    /// The recurrence written step by step from candle's tensor ops: what the scan replaced.
    fn stepwise(
        projected: &Tensor,
        recurrent: &Tensor,
        reverse: bool,
    ) -> candle_core::Result<Tensor> {
        let (batch, words, _) = projected.dims3()?;
        let h = recurrent.dim(0)?;
        let mut state = Tensor::zeros((batch, h), projected.dtype(), projected.device())?;
        let mut cell = state.clone();
        let mut outputs = vec![None; words];
        let order: Vec<usize> = if reverse {
            (0..words).rev().collect()
        } else {
            (0..words).collect()
        };
        for t in order {
            let gates = projected
                .narrow(1, t, 1)?
                .squeeze(1)?
                .add(&state.matmul(recurrent)?)?;
            let sigmoid = candle_nn::ops::sigmoid(&gates.narrow(1, 0, 3 * h)?)?;
            let candidate = gates.narrow(1, 3 * h, h)?.tanh()?;
            cell = ((sigmoid.narrow(1, h, h)? * &cell)? + (sigmoid.narrow(1, 0, h)? * candidate)?)?;
            state = (sigmoid.narrow(1, 2 * h, h)? * cell.tanh()?)?;
            outputs[t] = Some(state.clone());
        }
        Tensor::stack(&outputs.into_iter().flatten().collect::<Vec<_>>(), 1)
    }

    fn max_difference(a: &Tensor, b: &Tensor) -> candle_core::Result<f32> {
        (a - b)?
            .abs()?
            .flatten_all()?
            .max(D::Minus1)?
            .to_scalar::<f32>()
    }

    #[test]
    fn scan_matches_the_stepwise_recurrence_and_its_gradients() -> candle_core::Result<()> {
        let device = Device::Cpu;
        let (batch, words, hidden) = (3, 5, 4);
        for reverse in [false, true] {
            let projected = Var::rand(-1f32, 1f32, (batch, words, 4 * hidden), &device)?;
            let recurrent = Var::rand(-1f32, 1f32, (hidden, 4 * hidden), &device)?;
            // Weigh each output differently, so that every state's gradient differs.
            let weights = Tensor::rand(-1f32, 1f32, (batch, words, hidden), &device)?;
            let scanned = lstm(&projected, &recurrent, reverse)?;
            let expected = stepwise(&projected, &recurrent, reverse)?;
            assert!(max_difference(&scanned, &expected)? < 1e-5);

            let grads = (scanned * &weights)?.sum_all()?.backward()?;
            let expected_grads = (expected * &weights)?.sum_all()?.backward()?;
            for var in [&projected, &recurrent] {
                let got = grads.get(var).expect("a gradient");
                let want = expected_grads.get(var).expect("a gradient");
                assert!(max_difference(got, want)? < 1e-5, "reverse {reverse}");
                assert!(got.abs()?.sum_all()?.to_scalar::<f32>()? > 0.0);
            }
        }
        Ok(())
    }

    #[test]
    fn the_fast_tanh_and_sigmoid_match_the_exact_ones() {
        for i in -2000..=2000 {
            let x = i as f32 / 100.0;
            assert!((tanh(x) - x.tanh()).abs() < 1e-6, "tanh({x})");
            assert!(
                (sigmoid(x) - 1.0 / (1.0 + (-x).exp())).abs() < 1e-6,
                "sigmoid({x})"
            );
        }
        assert_eq!(tanh(f32::INFINITY), 1.0);
        assert_eq!(tanh(-1e30), -1.0);
    }

    #[test]
    fn a_single_word_has_no_recurrent_gradient_and_a_mismatch_is_an_error(
    ) -> candle_core::Result<()> {
        let device = Device::Cpu;
        let projected = Var::rand(-1f32, 1f32, (2, 1, 8), &device)?;
        let recurrent = Var::rand(-1f32, 1f32, (2, 8), &device)?;
        let scanned = lstm(&projected, &recurrent, false)?;
        let grads = scanned.sum_all()?.backward()?;
        let recurrent_gradient = grads.get(&recurrent).expect("a gradient");
        assert_eq!(
            recurrent_gradient.abs()?.sum_all()?.to_scalar::<f32>()?,
            0.0
        );

        let wrong = Tensor::zeros((3, 8), candle_core::DType::F32, &device)?;
        assert!(lstm(&projected, &wrong, true).is_err());
        Ok(())
    }
}
