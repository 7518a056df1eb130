//! Training: builds the vocabulary, labels and lookup features from the data, then trains the
//! joint model with AdamW on the sum of the intent and tag losses, batching utterances of equal
//! length, with early stopping on a dev set.

use crate::dataset::{word_spans, QuestionsOf, Sample};
use crate::encode::bert::{BertInput, PRETRAINED_PREFIX};
use crate::encode::EncoderConfig;
use crate::eval::{evaluate, model_outputs, score_decoded, Scores};
use crate::features::{Gazetteer, Gazetteers, Questions};
use crate::model::{
    new_manifest, storage, Encoded, JointModel, ModelConfig, Schedule, PENALTY_CHOICES,
};
use crate::nn::Dropout;
use crate::spans::TagSet;
use crate::tokenize::Tokenizer;
use crate::{Error, Result};
use candle_core::backprop::GradStore;
use candle_core::{Tensor, Var};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Instant;

mod optimizer;
use optimizer::AdamW;

/// Above this global norm all gradients are scaled down together: LSTMs occasionally produce
/// gradient spikes that would otherwise undo the learned weights.
const MAX_GRADIENT_NORM: f64 = 5.0;

/// What a training run produced besides the model.
#[derive(Debug, Clone)]
pub struct TrainReport {
    /// Each network's run, in member order.
    pub networks: Vec<NetworkReport>,
    /// Dev scores of the model as saved, when a dev set was given.
    pub dev: Option<Scores>,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Training samples skipped because their spans overlap.
    pub skipped: usize,
}

/// How one network's training went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetworkReport {
    /// The seed it was trained from.
    pub seed: u64,
    /// Epochs run (early stopping may end before the configured number).
    pub epochs: usize,
    /// The epoch whose weights were kept (1-based).
    pub best_epoch: usize,
}

/// What to train from.
pub struct TrainData<'a> {
    /// Training samples.
    pub train: &'a [Sample],
    /// Dev samples for early stopping (without them every epoch runs and the last is kept).
    pub dev: Option<&'a [Sample]>,
    /// Lookup lists given by the user (YAML entity values, the place gazetteer).
    pub lookups: Vec<Gazetteer>,
    /// Fingerprint of the intents the data comes from.
    pub fingerprint: Option<String>,
}

struct Example {
    /// Index of the training sample it encodes.
    source: usize,
    encoded: Encoded,
    tags: Vec<u32>,
    intent: u32,
    /// A frozen BERT encoder's pooled state of each word, computed once.
    word_states: Option<Tensor>,
}

/// A model being trained, with its optimizer state.
pub struct Trainer {
    model: JointModel,
    vars: Vec<(String, Var)>,
    examples: Arc<[Arc<Example>]>,
    word_frequency: Arc<[usize]>,
    /// One optimizer per learning rate: the pretrained layers of a BERT encoder need far
    /// smaller steps than the rest.
    optimizers: Vec<AdamW>,
    rng: ChaCha8Rng,
    skipped: usize,
}

/// What every network of a training run shares, built once: the vocabulary, labels and
/// lookup lists, and the encoded training examples (with a frozen BERT encoder, its features,
/// the costly part).
struct Prepared {
    manifest: crate::model::Manifest,
    tokenizer: Tokenizer,
    /// Each network's epochs share the examples that entity swapping leaves as they are.
    examples: Arc<[Arc<Example>]>,
    word_frequency: Arc<[usize]>,
    skipped: usize,
    /// With `entity_swap_rate`, what drawing each epoch's examples needs.
    swap: Option<EntitySwap>,
}

/// Entity swapping (`entity_swap_rate`): the training samples, the values each entity takes
/// in each intent's samples, and the lookup lists each fold's features come from.
struct EntitySwap {
    rate: f64,
    samples: Vec<Sample>,
    /// Values are swapped within an intent only: which values an entity takes is evidence of
    /// the intent (a title that is a film, not a book), and swapping across intents taught
    /// the intent head to ignore it (SNIPS dev intent accuracy fell from 99.4 to 98.9).
    pools: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    fold_lookups: Vec<Gazetteers>,
}

impl EntitySwap {
    /// One epoch's examples: `examples` with the entity values of about `rate` of them
    /// swapped. A swapped example's lookup features come from its sample's fold, as the
    /// sample's own do.
    fn draw(
        &self,
        model: &JointModel,
        examples: &[Arc<Example>],
        rng: &mut ChaCha8Rng,
    ) -> Result<Arc<[Arc<Example>]>> {
        examples
            .iter()
            .map(|original| {
                let sample = &self.samples[original.source];
                if sample.spans.is_empty() || rng.random::<f64>() >= self.rate {
                    return Ok(Arc::clone(original));
                }
                let swapped = crate::dataset::swap_values(sample, &self.pools[&sample.intent], rng);
                let lookups = self.fold_lookups.get(lookup_fold(original.source));
                Ok(example(model, &swapped, original.source, lookups)?
                    .map_or_else(|| Arc::clone(original), Arc::new))
            })
            .collect()
    }
}

impl Prepared {
    fn new(data: &TrainData, config: &ModelConfig, progress: &Progress) -> Result<Self> {
        if data.train.is_empty() {
            return Err(Error::NoExamples);
        }
        config.check()?;
        let plain = Tokenizer::new(config.split).with_stemmer(config.stem);
        let words: Vec<Vec<crate::tokenize::Word>> = data
            .train
            .iter()
            .map(|s| plain.words(&s.text))
            .collect::<Result<_>>()?;
        let counts = word_counts(&plain, &words);
        let mut vocabulary: Vec<(&str, usize)> =
            counts.iter().map(|(w, &c)| (w.as_str(), c)).collect();
        vocabulary.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        vocabulary.retain(|&(_, count)| count >= config.min_word_count);
        vocabulary.truncate(config.max_vocab);
        let tokenizer = plain.with_vocabulary(vocabulary.iter().map(|(w, _)| *w))?;

        let mut intents: Vec<String> = data.train.iter().map(|s| s.intent.clone()).collect();
        intents.sort();
        intents.dedup();
        let tags = TagSet::new(
            data.train
                .iter()
                .flat_map(|s| s.spans.iter().map(|sp| sp.label.clone())),
        );
        let intent_labels = intent_labels(data.train, &intents, &tags);
        let mut config = config.clone();
        config.fit_to_data(intents.len(), data.train.len());
        let config = &config;
        let mut lookups = data.lookups.clone();
        if config.lookups_from_training {
            lookups.extend(training_lookups(data.train.iter().zip(&words)));
        }
        if config.place_lookup {
            lookups.push(Gazetteer {
                name: "places".into(),
                places: true,
                ..Gazetteer::default()
            });
        }
        let manifest = new_manifest(
            config.clone(),
            intents,
            tags,
            intent_labels,
            Gazetteers::new(lookups),
            Questions::new(data.train.iter().map(|s| &s.asked)),
            data.fingerprint.clone(),
        );
        // Encoding needs the model's tokenizer, lookup lists and (for a BERT encoder) its
        // pretrained layers, none of which depend on the seed.
        let (model, _) = JointModel::fresh(manifest, tokenizer)?;
        let fold_lookups = if config.lookups_from_training {
            out_of_fold_lookups(&model.manifest.lookups, data.train, &words)
        } else {
            Vec::new()
        };
        let (mut examples, skipped) = prepare(&model, data.train, &fold_lookups)?;
        let swap = (config.entity_swap_rate > 0.0).then(|| EntitySwap {
            rate: config.entity_swap_rate,
            samples: data.train.to_vec(),
            pools: model
                .intents()
                .iter()
                .map(|intent| {
                    let samples = data.train.iter().filter(|s| &s.intent == intent);
                    let pools = crate::dataset::value_pools(samples, &BTreeMap::new());
                    (intent.to_string(), pools)
                })
                .collect(),
            fold_lookups,
        });
        if config.encoder.frozen_pretrained() {
            compute_word_states(&model, &mut examples, progress)?;
        }
        // Ids follow the vocabulary's order after the unknown word's 0.
        let word_frequency: Vec<usize> = std::iter::once(0)
            .chain(vocabulary.iter().map(|&(_, count)| count))
            .collect();
        Ok(Prepared {
            manifest: model.manifest,
            tokenizer: model.tokenizer,
            examples: examples.into_iter().map(Arc::new).collect(),
            word_frequency: word_frequency.into(),
            skipped,
            swap,
        })
    }
}

impl Trainer {
    /// Builds the vocabulary, labels, lookup features and a freshly initialised model.
    pub fn new(data: &TrainData, config: &ModelConfig) -> Result<Self> {
        Self::start(&Prepared::new(data, config, &Progress::hidden())?, 0)
    }

    /// A freshly initialised network over what `prepared` holds: the ensemble's network
    /// `member`, with its seed and encoder.
    fn start(prepared: &Prepared, member: usize) -> Result<Self> {
        let mut manifest = prepared.manifest.clone();
        let config = &mut manifest.config;
        config.seed = config.seed.wrapping_add(member as u64);
        config.encoder = config.encoder_of(member).clone();
        config.member_encoders.clear();
        config.members = 1;
        let config = config.clone();
        let (model, params) = JointModel::fresh(manifest, prepared.tokenizer.clone())?;
        let frozen = config.encoder.frozen_pretrained();
        let vars: Vec<(String, Var)> = params
            .into_vars()
            .into_iter()
            .filter(|(name, _)| !(frozen && name.starts_with(PRETRAINED_PREFIX)))
            .collect();
        let pretrained_rate = match &config.encoder {
            EncoderConfig::Bert {
                learning_rate,
                fine_tune: true,
                ..
            } => Some(*learning_rate),
            _ => None,
        };
        let (pretrained, own): (Vec<_>, Vec<_>) = vars.iter().partition(|(name, _)| {
            pretrained_rate.is_some() && name.starts_with(PRETRAINED_PREFIX)
        });
        let optimizers = [
            (own, config.learning_rate),
            (pretrained, pretrained_rate.unwrap_or_default()),
        ]
        .into_iter()
        .filter(|(group, _)| !group.is_empty())
        .map(|(group, lr)| {
            AdamW::new(
                group.into_iter().map(|(_, v)| v.clone()).collect(),
                lr,
                1e-4,
            )
        })
        .collect();
        Ok(Trainer {
            model,
            vars,
            examples: prepared.examples.clone(),
            word_frequency: prepared.word_frequency.clone(),
            optimizers,
            rng: ChaCha8Rng::seed_from_u64(config.seed.wrapping_add(1)),
            skipped: prepared.skipped,
        })
    }

    /// Loss and gradients of one batch (example indices of equal length).
    fn gradients(&mut self, batch: &[usize]) -> Result<(f64, GradStore)> {
        let model = &self.model;
        let rate = model.config().unknown_word_rate;
        let unk = model.tokenizer.unk_id();
        let batch: Vec<&Example> = batch.iter().map(|&i| &*self.examples[i]).collect();
        let encoded: Vec<&Encoded> = batch.iter().map(|e| &e.encoded).collect();
        let rng = &mut self.rng;
        let ids: Vec<u32> = encoded
            .iter()
            .flat_map(|e| e.ids.iter())
            .map(|&id| {
                let seen = self.word_frequency[id as usize] as f32;
                if id != unk && rng.random::<f32>() < rate / (rate + seen) {
                    unk
                } else {
                    id
                }
            })
            .collect();
        let mut dropout = Dropout::on(rng);
        let mut inputs = model.inputs(&encoded, Some(ids), &mut dropout)?;
        let states: Option<Vec<&Tensor>> = batch.iter().map(|e| e.word_states.as_ref()).collect();
        if let Some(states) = states {
            inputs.pieces = Some(BertInput::States(Tensor::stack(&states, 0)?));
        }
        let network = model.network();
        let logits = network.logits(&inputs, &mut dropout)?;
        let cpu = &candle_core::Device::Cpu;
        let intents = Tensor::new(batch.iter().map(|e| e.intent).collect::<Vec<_>>(), cpu)?;
        let tags: Vec<u32> = batch.iter().flat_map(|e| e.tags.iter().copied()).collect();
        let loss = network.heads.loss(
            &logits,
            &intents,
            &tags,
            model.config().intent_loss_weight,
            model.config().intent_label_smoothing,
        )?;
        let grads = loss.backward()?;
        Ok((loss.to_scalar::<f32>()? as f64, grads))
    }

    fn step(&mut self, batch: &[usize]) -> Result<f64> {
        let (loss, grads) = self.gradients(batch)?;
        let scale = optimizer::clipping_scale(
            &grads,
            self.vars.iter().map(|(_, var)| var),
            MAX_GRADIENT_NORM,
        )?;
        for optimizer in &mut self.optimizers {
            optimizer.step(&grads, scale)?;
        }
        Ok(loss)
    }

    /// The gradient norm of every trainable weight over one batch of the most common length:
    /// a weight whose norm is 0 does not learn.
    pub fn gradient_norms(&mut self) -> Result<Vec<(String, f32)>> {
        let mut by_length: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, e) in self.examples.iter().enumerate() {
            by_length.entry(e.tags.len()).or_default().push(i);
        }
        let batch = by_length
            .into_values()
            .max_by_key(Vec::len)
            .unwrap_or_default();
        let (_, grads) = self.gradients(&batch)?;
        self.vars
            .iter()
            .map(|(name, var)| {
                let norm = match grads.get(var) {
                    Some(g) => g.sqr()?.sum_all()?.sqrt()?.to_scalar::<f32>()?,
                    None => 0.0,
                };
                Ok((name.clone(), norm))
            })
            .collect()
    }
}

/// An exponential moving average of the trainable weights, which is what gets evaluated and
/// kept: it smooths the noise of the last steps out of the weights.
struct WeightAverage {
    decay: f64,
    updates: usize,
    weights: Vec<Tensor>,
}

impl WeightAverage {
    /// `None` when `decay` is 0 (averaging off).
    fn new(vars: &[(String, Var)], decay: f64) -> Result<Option<Self>> {
        if decay <= 0.0 {
            return Ok(None);
        }
        Ok(Some(WeightAverage {
            decay,
            updates: 0,
            weights: copy_weights(vars)?,
        }))
    }

    fn update(&mut self, vars: &[(String, Var)]) -> Result<()> {
        self.updates += 1;
        // The early average would otherwise remember the random initialisation for thousands
        // of steps.
        let n = self.updates as f64;
        let decay = self.decay.min((1.0 + n) / (10.0 + n));
        for (average, (_, var)) in self.weights.iter().zip(vars) {
            optimizer::blend_into(average, var.as_tensor(), decay)?;
        }
        Ok(())
    }

    /// Puts the average into `vars` and returns the weights they held.
    fn swap_in(&self, vars: &[(String, Var)]) -> Result<Vec<Tensor>> {
        let live = copy_weights(vars)?;
        set_weights(vars, &self.weights)?;
        Ok(live)
    }
}

fn copy_weights(vars: &[(String, Var)]) -> Result<Vec<Tensor>> {
    Ok(vars
        .iter()
        .map(|(_, v)| v.as_tensor().copy())
        .collect::<candle_core::Result<_>>()?)
}

fn set_weights(vars: &[(String, Var)], weights: &[Tensor]) -> Result<()> {
    for ((_, var), value) in vars.iter().zip(weights) {
        var.set(value)?;
    }
    Ok(())
}

/// The epoch with the best dev score so far.
struct Best {
    /// The dev objective, then minus the training loss to break ties.
    objective: (f64, f64),
    epoch: usize,
    weights: Vec<Tensor>,
}

/// Stack of a training thread: candle's backward pass walks the graph recursively, so a
/// training thread gets the main thread's usual size and trains whatever the main thread can.
const TRAINING_STACK: usize = 8 << 20;

/// Trains a model: one network, or `config.members` networks side by side (a thread each,
/// seeded `config.seed`, `config.seed + 1`, …) that parse as an ensemble. Deterministic for a
/// given `config.seed`.
pub fn train(
    data: TrainData,
    config: ModelConfig,
    progress: bool,
) -> Result<(JointModel, TrainReport)> {
    let started = Instant::now();
    let members = config.members.max(1);
    let bars = (progress && members > 1).then(MultiProgress::new);
    let shared = Progress {
        show: progress,
        bars: bars.clone(),
        label: String::new(),
    };
    let prepared = Prepared::new(&data, &config, &shared)?;
    let trained: Vec<Result<(JointModel, NetworkReport, usize)>> = std::thread::scope(|scope| {
        let runs: Vec<_> = (0..members)
            .map(|k| {
                let progress = Progress {
                    show: progress,
                    bars: bars.clone(),
                    label: match members {
                        1 => String::new(),
                        _ => format!("network {}/{members} ", k + 1),
                    },
                };
                let (data, prepared) = (&data, &prepared);
                std::thread::Builder::new()
                    .stack_size(TRAINING_STACK)
                    .spawn_scoped(scope, move || {
                        train_network(prepared, data.dev, k, &progress)
                    })
            })
            .collect();
        runs.into_iter()
            .map(|run| {
                run.map_err(|e| Error::Thread(e.to_string()))?
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut models = Vec::with_capacity(members);
    let mut networks = Vec::with_capacity(members);
    let mut skipped = 0;
    for run in trained {
        let (model, report, skipped_samples) = run?;
        models.push(model);
        networks.push(report);
        skipped = skipped_samples;
    }
    let mut model = JointModel::ensemble(models)?;
    let dev = match data.dev {
        Some(dev) if config.unseen_label_penalty.is_none() => {
            Some(choose_penalty(&mut model, dev, progress)?)
        }
        Some(dev) => Some(evaluate(
            &model,
            dev,
            model.config().out_of_scope_threshold,
            false,
        )?),
        None => None,
    };
    Ok((
        model,
        TrainReport {
            networks,
            dev,
            seconds: started.elapsed().as_secs_f64(),
            skipped,
        },
    ))
}

/// Where a network's training shows its progress: nowhere, the terminal, or its own lines
/// among an ensemble's.
struct Progress {
    show: bool,
    bars: Option<MultiProgress>,
    /// Which network the lines are about, when there are several.
    label: String,
}

impl Progress {
    /// Shows nothing.
    fn hidden() -> Self {
        Progress {
            show: false,
            bars: None,
            label: String::new(),
        }
    }

    /// A bar of `len` steps drawn with `template` (an indicatif template after the label).
    fn bar(&self, len: usize, template: &str) -> ProgressBar {
        if !self.show {
            return ProgressBar::hidden();
        }
        let style = ProgressStyle::with_template(&format!("{}{template}", self.label))
            .expect("valid template");
        let bar = ProgressBar::new(len as u64).with_style(style);
        match &self.bars {
            Some(bars) => bars.add(bar),
            None => bar,
        }
    }

    fn line(&self, text: &str) {
        if !self.show {
            return;
        }
        // Bars print nothing where they are not drawn (stderr to a file), lines still must.
        match &self.bars {
            Some(bars) if !bars.is_hidden() => bars
                .println(format!("{}{text}", self.label))
                .unwrap_or_else(|_| eprintln!("{}{text}", self.label)),
            _ => eprintln!("{}{text}", self.label),
        }
    }
}

/// Trains the ensemble's network `member`, keeping the epoch with the best dev score; returns
/// it with its report and the number of training samples skipped.
fn train_network(
    prepared: &Prepared,
    dev: Option<&[Sample]>,
    member: usize,
    progress: &Progress,
) -> Result<(JointModel, NetworkReport, usize)> {
    let mut trainer = Trainer::start(prepared, member)?;
    let config = trainer.model.config().clone();
    let base_rates: Vec<f64> = trainer
        .optimizers
        .iter()
        .map(|o| o.learning_rate())
        .collect();
    let mut steps_done = 0;
    let mut average = WeightAverage::new(&trainer.vars, config.weight_average_decay)?;
    let mut best: Option<Best> = None;
    // Batches group utterances of one length, so an epoch has more steps than
    // utterances / batch size; the rng is cloned so that counting them changes no draw.
    let steps_per_epoch = batches(
        &trainer.examples,
        config.batch_size,
        &mut trainer.rng.clone(),
    )
    .len()
    .max(1);
    let epochs = config
        .epochs
        .max(config.min_steps.div_ceil(steps_per_epoch));
    let mut epochs_run = 0;
    for epoch in 1..=epochs {
        epochs_run = epoch;
        if let Some(swap) = &prepared.swap {
            trainer.examples = swap.draw(&trainer.model, &prepared.examples, &mut trainer.rng)?;
        }
        let batches = batches(&trainer.examples, config.batch_size, &mut trainer.rng);
        let bar = progress.bar(
            batches.len(),
            &format!("epoch {epoch}/{epochs} {{bar:30}} {{pos}}/{{len}} {{msg}} ({{elapsed}})"),
        );
        let mut loss_sum = 0.0;
        let steps = epochs * batches.len();
        for (step, batch) in batches.iter().enumerate() {
            if config.schedule == Schedule::Linear {
                let factor = linear_schedule(steps_done, steps);
                for (optimizer, base) in trainer.optimizers.iter_mut().zip(&base_rates) {
                    optimizer.set_learning_rate(base * factor);
                }
            }
            steps_done += 1;
            loss_sum += trainer.step(batch)?;
            if let Some(average) = &mut average {
                average.update(&trainer.vars)?;
            }
            bar.set_message(format!("loss {:.4}", loss_sum / (step + 1) as f64));
            bar.inc(1);
        }
        bar.finish_and_clear();
        let Some(dev) = dev else {
            continue;
        };
        let live = average
            .as_ref()
            .map(|a| a.swap_in(&trainer.vars))
            .transpose()?;
        let threshold = trainer.model.config().out_of_scope_threshold;
        let scores = evaluate(&trainer.model, dev, threshold, false)?;
        // A tie on dev (a small or easy dev set) goes to the epoch that fits the training data
        // better, rather than to the first that got there.
        let objective = (dev_objective(&scores), -loss_sum);
        progress.line(&format!(
            "epoch {epoch}: loss {:.4}, dev intent {:.2} slot F1 {:.2} sentence {:.2}",
            loss_sum / batches.len().max(1) as f64,
            scores.intent_accuracy,
            scores.slot_f1,
            scores.sentence_accuracy
        ));
        let improved = best.as_ref().is_none_or(|b| objective > b.objective);
        if improved {
            best = Some(Best {
                objective,
                epoch,
                weights: copy_weights(&trainer.vars)?,
            });
        }
        if let Some(live) = live {
            set_weights(&trainer.vars, &live)?;
        }
        if improved {
            continue;
        }
        if best
            .as_ref()
            .is_some_and(|b| epoch - b.epoch >= config.patience)
        {
            break;
        }
        if config.schedule == Schedule::OnPlateau {
            // No better on dev: smaller steps usually find the next improvement.
            for optimizer in &mut trainer.optimizers {
                let lr = optimizer.learning_rate() * config.learning_rate_decay;
                optimizer.set_learning_rate(lr);
            }
        }
    }
    let best_epoch = match best {
        Some(best) => {
            set_weights(&trainer.vars, &best.weights)?;
            best.epoch
        }
        None => {
            if let Some(average) = &average {
                set_weights(&trainer.vars, &average.weights)?;
            }
            epochs_run
        }
    };
    // What is saved is what gets evaluated from here on.
    for (name, var) in &trainer.vars {
        if let Some(stored) = storage::round_trip(name, var.as_tensor())? {
            var.set(&stored)?;
        }
    }
    let report = NetworkReport {
        seed: config.seed,
        epochs: epochs_run,
        best_epoch,
    };
    Ok((trainer.model, report, trainer.skipped))
}

/// Below this many training examples, an intent's labels are not known well enough to hold
/// the others against it in joint decoding: by the rule of three, a label absent from `n`
/// examples may still be in up to `3 / n` of the intent's utterances (here 3 %).
const MIN_EXAMPLES_FOR_LABELS: usize = 100;

/// For each intent, the span labels joint decoding lets it have: those seen with it in
/// training, or all of them for an intent with fewer than [`MIN_EXAMPLES_FOR_LABELS`] examples.
fn intent_labels(train: &[Sample], intents: &[String], tags: &TagSet) -> Vec<Vec<usize>> {
    intents
        .iter()
        .map(|intent| {
            let examples: Vec<&Sample> = train.iter().filter(|s| &s.intent == intent).collect();
            if examples.len() < MIN_EXAMPLES_FOR_LABELS {
                return (0..tags.labels().len()).collect();
            }
            let mut labels: Vec<usize> = examples
                .iter()
                .flat_map(|s| s.spans.iter())
                .filter_map(|span| tags.label_index(&span.label))
                .collect();
            labels.sort_unstable();
            labels.dedup();
            labels
        })
        .collect()
}

/// What early stopping and the decoding choice maximise on dev.
fn dev_objective(scores: &Scores) -> f64 {
    scores.intent_accuracy + scores.slot_f1 + scores.sentence_accuracy
}

/// Sets the model's unseen-label penalty to the one of [`PENALTY_CHOICES`] with the best dev
/// score (the smallest on a tie) and returns that score.
fn choose_penalty(model: &mut JointModel, dev: &[Sample], progress: bool) -> Result<Scores> {
    // Only decoding depends on the penalty: the networks run over dev once.
    let outputs = model_outputs(model, dev, false)?;
    let mut best: Option<(f32, Scores)> = None;
    for penalty in PENALTY_CHOICES {
        let threshold = model.config().out_of_scope_threshold;
        let scores = score_decoded(model, dev, &outputs, penalty, threshold)?;
        if best
            .as_ref()
            .is_none_or(|b| dev_objective(&scores) > dev_objective(&b.1))
        {
            best = Some((penalty, scores));
        }
    }
    let (penalty, scores) = best.expect("PENALTY_CHOICES is not empty");
    model.manifest.config.unseen_label_penalty = Some(penalty);
    if progress {
        eprintln!(
            "joint decoding: unseen-label penalty {penalty}, dev intent {:.2} slot F1 {:.2} sentence {:.2}",
            scores.intent_accuracy, scores.slot_f1, scores.sentence_accuracy
        );
    }
    Ok(scores)
}

/// How often each vocabulary form (see [`Tokenizer::vocabulary_form`]) occurs in `words`.
fn word_counts(
    tokenizer: &Tokenizer,
    words: &[Vec<crate::tokenize::Word>],
) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in words.iter().flatten() {
        *counts
            .entry(tokenizer.vocabulary_form(&word.text).into_owned())
            .or_insert(0) += 1;
    }
    counts
}

/// Name prefix of the lookup lists built from training values.
const TRAINING_LIST: &str = "training:";

/// One lookup list per entity type, of the normalized values the training data tags with it.
fn training_lookups<'a>(
    samples: impl Iterator<Item = (&'a Sample, &'a Vec<crate::tokenize::Word>)>,
) -> Vec<Gazetteer> {
    let mut lists: BTreeMap<String, Gazetteer> = BTreeMap::new();
    for (sample, words) in samples {
        for (start, end, label) in word_spans(words, &sample.spans) {
            let entity = label.split(':').next().unwrap_or(label);
            let phrase: Vec<&str> = words[start..end].iter().map(|w| w.text.as_str()).collect();
            lists
                .entry(entity.to_string())
                .or_insert_with(|| Gazetteer {
                    name: format!("{TRAINING_LIST}{entity}"),
                    ..Gazetteer::default()
                })
                .phrases
                .insert(phrase.join(" "));
        }
    }
    lists.into_values().collect()
}

/// Folds of the training samples for [`out_of_fold_lookups`].
const LOOKUP_FOLDS: usize = 5;

/// The fold of the training sample at `index`.
fn lookup_fold(index: usize) -> usize {
    index % LOOKUP_FOLDS
}

/// For each fold of the training samples ([`lookup_fold`]), the
/// lookup lists without the training values found only in that fold. A training utterance's
/// own entity values are then listed for it only when other utterances have them too, as an
/// unseen utterance's are: with the full lists the model learns that every listed phrase is
/// an entity, and trusts the lists blindly.
fn out_of_fold_lookups(
    full: &Gazetteers,
    samples: &[Sample],
    words: &[Vec<crate::tokenize::Word>],
) -> Vec<Gazetteers> {
    (0..LOOKUP_FOLDS)
        .map(|fold| {
            let others = samples
                .iter()
                .zip(words)
                .enumerate()
                .filter(|&(i, _)| lookup_fold(i) != fold)
                .map(|(_, pair)| pair);
            let listed: BTreeMap<String, Gazetteer> = training_lookups(others)
                .into_iter()
                .map(|list| (list.name.clone(), list))
                .collect();
            full.filtered(|name, phrase| {
                !name.starts_with(TRAINING_LIST)
                    || listed
                        .get(name)
                        .is_some_and(|list| list.phrases.contains(phrase))
            })
        })
        .collect()
}

/// `fold_lookups`: when not empty, the lookup lists each training fold's features come from
/// ([`out_of_fold_lookups`]).
fn prepare(
    model: &JointModel,
    samples: &[Sample],
    fold_lookups: &[Gazetteers],
) -> Result<(Vec<Example>, usize)> {
    let mut examples = Vec::with_capacity(samples.len());
    for (index, sample) in samples.iter().enumerate() {
        let lookups = fold_lookups.get(lookup_fold(index));
        examples.extend(example(model, sample, index, lookups)?);
    }
    let skipped = samples.len() - examples.len();
    Ok((examples, skipped))
}

/// The training example of `sample` (the training sample at `source`), with its lookup
/// features from `lookups` when given; `None` when it has no words or its spans do not fit
/// its words.
fn example(
    model: &JointModel,
    sample: &Sample,
    source: usize,
    lookups: Option<&Gazetteers>,
) -> Result<Option<Example>> {
    let encoded = match lookups {
        Some(lookups) => model.encode_with_lookups(&sample.text, &sample.asked, lookups)?,
        None => model.encode(&sample.text, &sample.asked)?,
    };
    if encoded.ids.is_empty() {
        return Ok(None);
    }
    let spans = word_spans(&encoded.words, &sample.spans);
    let Ok(tags) = model.tags().encode(encoded.ids.len(), &spans) else {
        return Ok(None);
    };
    let intent = model
        .intents()
        .iter()
        .position(|i| *i == sample.intent)
        .expect("training intents come from the samples") as u32;
    Ok(Some(Example {
        source,
        encoded,
        tags,
        intent,
        word_states: None,
    }))
}

/// The learning-rate factor of step `step` (0-based) of `steps`: up over the first tenth,
/// then down to zero.
fn linear_schedule(step: usize, steps: usize) -> f64 {
    let warmup = (steps / 10).max(1);
    if step < warmup {
        (step + 1) as f64 / warmup as f64
    } else {
        (steps - step.min(steps)) as f64 / (steps - warmup).max(1) as f64
    }
}

/// Runs the frozen encoder once over every example, so that training steps skip it.
fn compute_word_states(
    model: &JointModel,
    examples: &mut [Example],
    progress: &Progress,
) -> Result<()> {
    const CHUNK: usize = 32;
    let bar = progress.bar(
        examples.len(),
        "features of the frozen encoder {bar:30} {pos}/{len} ({elapsed})",
    );
    for chunk in examples.chunks_mut(CHUNK) {
        let batch: Vec<&Encoded> = chunk.iter().map(|e| &e.encoded).collect();
        let Some(states) = model.network().bert_word_states(&batch)? else {
            return Ok(());
        };
        for (row, example) in chunk.iter_mut().enumerate() {
            let words = example.encoded.ids.len();
            // Detached: a step must not walk back through the encoder's graph.
            let state = states.get(row)?.narrow(0, 0, words)?.contiguous()?;
            example.word_states = Some(state.detach());
            example.encoded.pieces = None;
        }
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    Ok(())
}

/// Batches of example indices of equal length, shuffled.
fn batches(examples: &[Arc<Example>], size: usize, rng: &mut ChaCha8Rng) -> Vec<Vec<usize>> {
    let mut by_length: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, e) in examples.iter().enumerate() {
        by_length.entry(e.tags.len()).or_default().push(i);
    }
    let mut batches = Vec::new();
    for mut group in by_length.into_values() {
        group.shuffle(rng);
        batches.extend(group.chunks(size.max(1)).map(<[usize]>::to_vec));
    }
    batches.shuffle(rng);
    batches
}

/// Settings for bots written in YAML: a small model that trains in seconds, with augmented
/// examples since bots have few.
pub fn bot_config() -> ModelConfig {
    ModelConfig {
        encoder: crate::encode::EncoderConfig::Bilstm {
            hidden: 64,
            layers: 1,
        },
        word_dim: 48,
        ngram_dim: 48,
        ngram_buckets: 4096,
        epochs: 20,
        // The bundled bot's 20 epochs take about 1,500 steps; a bot of 15 examples an intent
        // gained 10 points of intent accuracy on held-out utterances from 20 epochs to 100.
        min_steps: 1500,
        patience: 20,
        augment: 3,
        out_of_scope_threshold: 0.5,
        ..ModelConfig::default()
    }
}

/// Trains a model on an intents folder's examples, with their lookup lists as features and
/// augmented copies of the examples. The model carries the intents' fingerprint.
pub fn train_intents(
    intents: &crate::intents::Intents,
    mut config: ModelConfig,
    progress: bool,
) -> Result<(JointModel, TrainReport)> {
    config.out_of_scope_threshold = intents.settings.out_of_scope_threshold;
    // The bot's own examples tell its shape, not the augmented copies made of them.
    let examples: usize = intents.intents.iter().map(|i| i.examples.len()).sum();
    config.fit_to_data(intents.intents.len(), examples);
    let tokenizer = Tokenizer::new(config.split);
    let mut extra_values: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut lookups = Vec::new();
    for entity in &intents.entities {
        let mut phrases = std::collections::BTreeSet::new();
        for (value, synonyms) in &entity.values {
            for text in std::iter::once(value).chain(synonyms) {
                let words = tokenizer.words(text)?;
                phrases.insert(
                    words
                        .iter()
                        .map(|w| w.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                );
                extra_values
                    .entry(entity.name.clone())
                    .or_default()
                    .push(text.clone());
            }
        }
        lookups.push(Gazetteer {
            name: entity.name.clone(),
            phrases,
            places: entity.resolver == Some(crate::intents::BuiltinResolver::Location),
        });
        if let Some(kind) = entity.resolver {
            extra_values
                .entry(entity.name.clone())
                .or_default()
                .extend(crate::resolve::examples(kind).iter().map(|e| e.to_string()));
        }
    }
    let written = crate::dataset::from_intents(intents);
    let mut samples = crate::dataset::augment(&written, config.augment, &extra_values, config.seed);
    // The forms ask for what a request leaves out, so the requests without those values
    // are requests too.
    let asked = intents
        .intents
        .iter()
        .map(|intent| {
            let entities = intent.slots.iter().filter_map(|slot| slot.entity.clone());
            (intent.name.clone(), entities.collect())
        })
        .collect();
    samples.extend(crate::dataset::without_asked_values(&written, &asked));
    // The dialogue gives the parser the question it asked, so replies to each are learned.
    let forms: Vec<QuestionsOf> = intents
        .intents
        .iter()
        .map(|intent| QuestionsOf {
            intent: intent.name.clone(),
            slots: intent
                .slots
                .iter()
                .filter_map(|slot| {
                    let label = match &slot.role {
                        Some(role) => format!("{}:{role}", slot.entity.as_ref()?),
                        None => slot.entity.clone()?,
                    };
                    Some((slot.name.clone(), label))
                })
                .collect(),
            confirms: intent.confirm.is_some(),
        })
        .filter(|form| !form.slots.is_empty())
        .collect();
    let pools = crate::dataset::value_pools(&written, &extra_values);
    samples.extend(crate::dataset::replies_to_questions(
        &written,
        &forms,
        &pools,
        config.seed,
    ));
    train(
        TrainData {
            train: &samples,
            dev: None,
            lookups,
            fingerprint: Some(intents.fingerprint()),
        },
        config,
        progress,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::LabeledSpan;
    use crate::features::Asked;
    use crate::tokenize::WordSplit;

    fn play(genre: &str) -> Sample {
        Sample {
            text: format!("play {genre}"),
            intent: "play".into(),
            spans: vec![LabeledSpan {
                start: 5,
                end: 5 + genre.chars().count(),
                label: "genre".into(),
            }],
            asked: Asked::Nothing,
        }
    }

    #[test]
    fn only_an_intent_with_enough_examples_is_held_to_its_labels() {
        let greeting = Sample {
            text: "hello".into(),
            intent: "greet".into(),
            spans: vec![],
            asked: Asked::Nothing,
        };
        let mut train = vec![play("jazz"); MIN_EXAMPLES_FOR_LABELS];
        train.push(greeting);
        let tags = TagSet::new(["city".to_string(), "genre".to_string()]);
        let intents = ["greet".to_string(), "play".to_string()];
        assert_eq!(
            intent_labels(&train, &intents, &tags),
            [vec![0, 1], vec![1]]
        );
    }

    #[test]
    fn a_value_is_listed_for_its_own_fold_only_when_another_fold_has_it() {
        // Folds: "jazz" in 0 and 1, "blues" in 2 only, "soul" in 3 and 4.
        let samples: Vec<Sample> = ["jazz", "jazz", "blues", "soul", "soul"]
            .into_iter()
            .map(play)
            .collect();
        let split = Tokenizer::new(WordSplit::Punctuation);
        let words: Vec<_> = samples
            .iter()
            .map(|s| split.words(&s.text).unwrap())
            .collect();
        let full = Gazetteers::new(training_lookups(samples.iter().zip(&words)));
        let folds = out_of_fold_lookups(&full, &samples, &words);
        assert_eq!(folds.len(), LOOKUP_FOLDS);
        let listed = |fold: usize, genre: &str| {
            let features = folds[fold].features(&split.words(&format!("play {genre}")).unwrap());
            assert_eq!(features.len(), 2 * full.dims(), "same layout in every fold");
            features[full.dims()] == 1.0
        };
        assert!(listed(0, "jazz") && listed(1, "jazz"));
        assert!(!listed(2, "blues"), "only its own fold has it");
        assert!(listed(0, "blues") && listed(3, "blues"));
        assert!(listed(3, "soul") && listed(4, "soul"));
        assert_eq!(
            full.features(&split.words("play blues").unwrap())[full.dims()],
            1.0,
            "the saved lists keep every value"
        );
    }

    /// A trainer over `samples` alone (no dev set, no lookup lists given).
    fn trainer(samples: &[Sample], config: ModelConfig) -> Trainer {
        let data = TrainData {
            train: samples,
            dev: None,
            lookups: Vec::new(),
            fingerprint: None,
        };
        Trainer::new(&data, &config).unwrap()
    }

    #[test]
    fn place_lookup_marks_cities_the_training_data_never_names() {
        let config = ModelConfig {
            place_lookup: true,
            ..ModelConfig::default()
        };
        let trainer = trainer(&[play("jazz")], config);
        let split = Tokenizer::new(WordSplit::Punctuation);
        let features = trainer
            .model
            .manifest
            .lookups
            .features(&split.words("play jazz in oslo").unwrap());
        assert_eq!(features, [0., 0., 0., 0., 0., 0., 1., 0.]);
    }

    #[test]
    fn words_seen_too_rarely_stay_out_of_the_vocabulary() {
        let samples = [play("jazz"), play("jazz"), play("soul")];
        let config = ModelConfig {
            min_word_count: 2,
            ..ModelConfig::default()
        };
        let tokenizer = trainer(&samples, config).model.tokenizer;
        assert_ne!(tokenizer.id("jazz"), tokenizer.unk_id());
        assert_ne!(tokenizer.id("play"), tokenizer.unk_id());
        assert_eq!(tokenizer.id("soul"), tokenizer.unk_id());
    }

    #[test]
    fn swapping_gives_each_example_the_other_values_of_its_entity() {
        let samples = [play("jazz"), play("blues"), play("hip hop")];
        let data = TrainData {
            train: &samples,
            dev: None,
            lookups: Vec::new(),
            fingerprint: None,
        };
        let quiet = Progress::hidden();
        let swapping = ModelConfig {
            entity_swap_rate: 1.0,
            lookups_from_training: true,
            ..ModelConfig::default()
        };
        let prepared = Prepared::new(&data, &swapping, &quiet).unwrap();
        let model = Trainer::start(&prepared, 0).unwrap().model;
        let swap = prepared.swap.as_ref().expect("a positive rate swaps");
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut drawn = std::collections::BTreeSet::new();
        for _ in 0..30 {
            for example in swap
                .draw(&model, &prepared.examples, &mut rng)
                .unwrap()
                .iter()
            {
                let words: Vec<&str> = example
                    .encoded
                    .words
                    .iter()
                    .map(|w| w.text.as_str())
                    .collect();
                let genre = words[1..].join(" ");
                let tags: Vec<String> =
                    example.tags.iter().map(|&t| model.tags().name(t)).collect();
                let expected = match words.len() {
                    2 => vec!["O", "B-genre"],
                    _ => vec!["O", "B-genre", "I-genre"],
                };
                assert_eq!(tags, expected, "the tags follow the new value {genre:?}");
                let features =
                    swap.fold_lookups[lookup_fold(example.source)].features(&example.encoded.words);
                assert_eq!(
                    example.encoded.lookups, features,
                    "the sample's fold's lists"
                );
                drawn.insert((example.source, genre));
            }
        }
        assert_eq!(drawn.len(), 9, "every sample drew every genre: {drawn:?}");
        let default = Prepared::new(&data, &ModelConfig::default(), &quiet).unwrap();
        assert!(default.swap.is_none());
        let above_one = ModelConfig {
            entity_swap_rate: 1.5,
            ..ModelConfig::default()
        };
        let error = Prepared::new(&data, &above_one, &quiet).err().unwrap();
        assert!(error.to_string().contains("entity_swap_rate"), "{error}");
    }

    #[test]
    fn the_weight_average_follows_the_weights_and_swaps_in() {
        let cpu = &candle_core::Device::Cpu;
        let vars = vec![("w".to_string(), Var::new(&[0f32], cpu).unwrap())];
        let mut average = WeightAverage::new(&vars, 0.9).unwrap().unwrap();
        vars[0].1.set(&Tensor::new(&[2f32], cpu).unwrap()).unwrap();
        average.update(&vars).unwrap();
        // First update: the decay is capped at 2/11, so the average moves most of the way.
        let expected = 2.0 * (1.0 - 2.0 / 11.0);
        let live = average.swap_in(&vars).unwrap();
        assert_eq!(live[0].to_vec1::<f32>().unwrap(), [2.0]);
        let averaged = vars[0].1.as_tensor().to_vec1::<f32>().unwrap()[0];
        assert!(
            (averaged - expected).abs() < 1e-6,
            "{averaged} vs {expected}"
        );
        assert!(WeightAverage::new(&vars, 0.0).unwrap().is_none());
    }
}
