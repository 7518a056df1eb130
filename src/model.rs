//! The joint model: one shared encoder under an intent head and a tag head, and the model
//! folder it is saved to (`config.json`, `model.safetensors`, `tokenizer.json`).

use crate::encode::bert::{self, BertInput, PieceInputs};
use crate::encode::embed::{Bags, Embedder, Inputs};
use crate::encode::{Encoder, EncoderConfig, MAX_WORDS};
use crate::features::{char_ngrams, word_bigrams, Asked, Gazetteers, Questions};
use crate::heads::{HeadOptions, Heads, Logits};
use crate::intents::Intents;
use crate::nn::{Dropout, Params};
use crate::spans::TagSet;
use crate::tokenize::{Tokenizer, Word, WordSplit};
use crate::{Error, Result};
use candle_core::{Device, Tensor, D};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

pub(crate) mod storage;

/// Texts longer than this many characters are cut before parsing.
pub const MAX_TEXT_CHARS: usize = 2000;

const FORMAT_VERSION: u32 = 1;
const MANIFEST: &str = "config.json";
const WEIGHTS: &str = "model.safetensors";
const TOKENIZER: &str = "tokenizer.json";
/// The word-piece tokenizer of a BERT encoder.
const PIECES: &str = "pieces.json";

fn is_one(count: &usize) -> bool {
    *count == 1
}

fn is_no_count(count: &usize) -> bool {
    *count == 0
}

fn is_zero(value: &f64) -> bool {
    *value == 0.0
}

/// Model size and training settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelConfig {
    /// The shared encoder.
    pub encoder: EncoderConfig,
    /// The encoders of an ensemble's networks, in turn: network `k` has
    /// `member_encoders[k % len]` (empty: every network has `encoder`). Networks that differ
    /// make different errors: on ATIS a transformer's intents are better than a BiLSTM's and
    /// its tags worse, and two of each beat four of either on dev. BiLSTMs and transformers
    /// only, and `encoder` must be one of them too. A trained model lists each network's
    /// encoder here.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub member_encoders: Vec<EncoderConfig>,
    /// Vocabulary embedding size.
    pub word_dim: usize,
    /// Character n-gram embedding size.
    pub ngram_dim: usize,
    /// Hash buckets for character n-grams.
    pub ngram_buckets: usize,
    /// Most frequent training words kept in the vocabulary.
    pub max_vocab: usize,
    /// Words seen fewer times in training are left out of the vocabulary (as fastText's
    /// `minCount`): a word seen once learns little of its own, and its character n-grams and
    /// lookup features still describe it. Each word left out saves a row of the table.
    #[serde(skip_serializing_if = "is_one")]
    pub min_word_count: usize,
    /// How text is cut into words.
    pub split: WordSplit,
    /// Passes over the training data at most.
    pub epochs: usize,
    /// Training runs more epochs than `epochs` where that many passes take fewer optimizer
    /// steps than this: a bot with a few examples per intent needs more passes over them (as
    /// Rasa's DIET runs 300 epochs by default) than a large one.
    #[serde(skip_serializing_if = "is_no_count")]
    pub min_steps: usize,
    /// Stop after this many epochs without a better dev score.
    pub patience: usize,
    /// Utterances per step.
    pub batch_size: usize,
    /// AdamW learning rate.
    pub learning_rate: f64,
    /// How the learning rate changes during training.
    pub schedule: Schedule,
    /// With [`Schedule::OnPlateau`], the learning rate is multiplied by this after each epoch
    /// that does not improve the dev score.
    pub learning_rate_decay: f64,
    /// Seed of every random choice: initialisation, shuffling, dropout, augmentation.
    pub seed: u64,
    /// Networks trained side by side, from seeds `seed`, `seed + 1`, …, over the same
    /// vocabulary and features; parsing averages their intent probabilities, tag
    /// log-probabilities and transition scores. Several make an ensemble, more accurate than any
    /// one of them, that costs as many times the parse time and weights. Train an ensemble
    /// with `RAYON_NUM_THREADS=1` ([`crate::one_thread_per_product`]; the `slotfill` command
    /// calls it): its networks already keep the cores busy, and candle splitting each matrix
    /// product across them as well made every epoch three times slower on 2 cores.
    pub members: usize,
    /// A training word seen `n` times is replaced by the unknown word with probability
    /// `rate / (rate + n)`, so the model learns to tag words it has never seen.
    pub unknown_word_rate: f32,
    /// Probability of hiding a word's lookup-list features during training, so that the
    /// model does not trust the lists blindly.
    pub lookup_dropout: f32,
    /// Build lookup lists from the entity values of the training data (as Snips NLU does).
    /// A training utterance's features come from the lists of the other folds of the data
    /// (out-of-fold), so that they look like an unseen utterance's.
    pub lookups_from_training: bool,
    /// Add the built-in place gazetteer (cities and countries) as a lookup list. Bots built
    /// from intents get it on each entity with `resolver: location`; this is for corpora.
    pub place_lookup: bool,
    /// Decay per step of an exponential moving average of the weights, which is what is
    /// evaluated and kept (0: no averaging; 0.999 averages over about the last 1000 steps).
    pub weight_average_decay: f64,
    /// Weight of the intent loss against the tag loss in the joint loss.
    pub intent_loss_weight: f64,
    /// Share of each intent target spread evenly over all intents (label smoothing): the
    /// model learns not to be certain, and its confidences weigh less against the tags in
    /// joint decoding and in an ensemble's average.
    #[serde(skip_serializing_if = "is_zero")]
    pub intent_label_smoothing: f64,
    /// Decode tags with a CRF (learned transition scores, sequence-level loss) instead of
    /// per-word softmax.
    pub crf: bool,
    /// Extra copies of each YAML example with entity values swapped for others of the same
    /// entity.
    pub augment: usize,
    /// Share of the training examples whose entity values are swapped, anew each epoch, for
    /// other values of the same entity from the training data: the model has to find an
    /// entity from its context, not from a value it memorised.
    #[serde(skip_serializing_if = "is_zero")]
    pub entity_swap_rate: f64,
    /// Below this intent confidence, parse answers `out_of_scope`.
    pub out_of_scope_threshold: f32,
    /// Decode the intent and the tags together: each of the likeliest intents decodes the
    /// tags with this cost (in log-probability) on every span whose label was never seen with
    /// it in training (an intent with under 100 training examples may have every label), and
    /// the intent with the highest probability times its tag sequence's wins (0: decoded
    /// apart). Unset, training with a dev set picks it by dev score from
    /// [`PENALTY_CHOICES`], and training without one leaves it at 0: a bot's dialogue needs
    /// entities outside the intent (a correction, an answer to a question).
    pub unseen_label_penalty: Option<f32>,
    /// Each word also scores the intents; the utterance's intent scores add the mean of the
    /// words' log-probabilities, and training fits each word's scores to the utterance's
    /// intent (token-level intent detection, as Stack-Propagation).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub word_intent: bool,
    /// The intent scores add a linear classifier over the utterance's bag of n-grams (its
    /// words' character n-grams and its word pairs, hashed into `ngram_buckets`), trained
    /// with the rest: what a TF-IDF logistic regression reads, in the joint model. Unset,
    /// training decides from the data's shape ([`few_examples_per_intent`]); a model saved
    /// without it has none.
    #[serde(default, skip_serializing_if = "is_not_on")]
    pub ngram_intent: Option<bool>,
    /// Key the word vocabulary by each word's Snowball stem in this language (`english`,
    /// `french`, `german`, …; as Snips NLU's stem features): "showtime" shares the entry of
    /// "showtimes". The character n-grams still see the word as written.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::tokenize::stem_language"
    )]
    pub stem: Option<crate::tokenize::StemLanguage>,
    /// Intents named with this between parts (`"#"` for ATIS's
    /// `atis_flight#atis_airfare`, as Rasa's `intent_split_symbol`) are scored as the sum of
    /// their parts' scores plus a bias of their own, so that a combination seen a few times
    /// learns from every utterance of its parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent_split_symbol: Option<String>,
}

impl Default for ModelConfig {
    fn default() -> Self {
        ModelConfig {
            encoder: EncoderConfig::default(),
            member_encoders: Vec::new(),
            word_dim: 100,
            ngram_dim: 64,
            ngram_buckets: 16384,
            max_vocab: 20000,
            min_word_count: 1,
            split: WordSplit::Punctuation,
            epochs: 30,
            min_steps: 0,
            patience: 5,
            batch_size: 32,
            learning_rate: 2e-3,
            schedule: Schedule::OnPlateau,
            learning_rate_decay: 0.5,
            seed: 7,
            members: 1,
            unknown_word_rate: 0.25,
            lookup_dropout: 0.3,
            lookups_from_training: false,
            place_lookup: false,
            intent_loss_weight: 1.0,
            intent_label_smoothing: 0.0,
            weight_average_decay: 0.0,
            crf: true,
            augment: 0,
            entity_swap_rate: 0.0,
            out_of_scope_threshold: 0.0,
            unseen_label_penalty: None,
            word_intent: false,
            ngram_intent: None,
            stem: None,
            intent_split_symbol: None,
        }
    }
}

/// Whether data of `intents` intents and `utterances` training utterances is what the
/// bag-of-n-grams intent head is for: many intents with few examples each (SLURP: 81 × 43),
/// where a linear model over n-grams learns from a handful of examples what the encoder needs
/// many for. SNIPS (7 intents) and ATIS (about 200 utterances an intent) are left as they were.
///
/// ```
/// use slotfill::model::few_examples_per_intent;
/// assert!(few_examples_per_intent(81, 3509)); // SLURP
/// assert!(!few_examples_per_intent(7, 13084)); // SNIPS
/// assert!(!few_examples_per_intent(21, 4478)); // ATIS
/// assert!(!few_examples_per_intent(8, 480)); // a small bot
/// ```
pub fn few_examples_per_intent(intents: usize, utterances: usize) -> bool {
    const MANY_INTENTS: usize = 20;
    const FEW_UTTERANCES: usize = 100;
    intents >= MANY_INTENTS && utterances <= FEW_UTTERANCES * intents
}

fn is_not_on(value: &Option<bool>) -> bool {
    *value != Some(true)
}

impl ModelConfig {
    /// Sets what the config leaves to the data's shape: `ngram_intent` for data of
    /// `intents` intents and `utterances` training utterances.
    pub fn fit_to_data(&mut self, intents: usize, utterances: usize) {
        self.ngram_intent
            .get_or_insert_with(|| few_examples_per_intent(intents, utterances));
    }

    /// Whether the model has the bag-of-n-grams intent head (`ngram_intent` set and on).
    pub fn has_ngram_intent(&self) -> bool {
        self.ngram_intent == Some(true)
    }

    /// The encoder of the ensemble's network `network` (see
    /// [`ModelConfig::member_encoders`]).
    ///
    /// ```
    /// use slotfill::encode::EncoderConfig;
    /// use slotfill::model::ModelConfig;
    /// let transformer = EncoderConfig::Transformer { dim: 64, layers: 1, heads: 2, feed_forward: 128 };
    /// let config = ModelConfig {
    ///     members: 4,
    ///     member_encoders: vec![EncoderConfig::default(), transformer.clone()],
    ///     ..ModelConfig::default()
    /// };
    /// assert_eq!(config.encoder_of(2), &EncoderConfig::default());
    /// assert_eq!(config.encoder_of(3), &transformer);
    /// assert_eq!(ModelConfig::default().encoder_of(3), &EncoderConfig::default());
    /// ```
    pub fn encoder_of(&self, network: usize) -> &EncoderConfig {
        match self.member_encoders.len() {
            0 => &self.encoder,
            len => &self.member_encoders[network % len],
        }
    }

    /// Settings that cannot train together, or out of their range.
    pub(crate) fn check(&self) -> Result<()> {
        // Either would save a model that learned nothing over the one already there.
        if self.epochs == 0 {
            return Err(Error::Config(
                "epochs is 0: training would make no pass over the examples; set 1 or more".into(),
            ));
        }
        if self.members == 0 {
            return Err(Error::Config(
                "members is 0: a model is at least one network; set 1 or more".into(),
            ));
        }
        // An ensemble's examples are encoded once for every network, so all must read the
        // same inputs: a BERT encoder's word pieces are its own.
        let pretrained = |e: &EncoderConfig| matches!(e, EncoderConfig::Bert { .. });
        if !self.member_encoders.is_empty()
            && (pretrained(&self.encoder) || self.member_encoders.iter().any(pretrained))
        {
            return Err(Error::Config(
                "member_encoders mixes BiLSTMs and transformers only; a BERT encoder cannot be \
                 one of them nor the `encoder` beside them"
                    .into(),
            ));
        }
        if !(0.0..1.0).contains(&self.intent_label_smoothing) {
            return Err(Error::Config(format!(
                "intent_label_smoothing is the share of each intent target spread over all \
                 intents: at least 0 and below 1, not {}",
                self.intent_label_smoothing
            )));
        }
        if !(0.0..=1.0).contains(&self.entity_swap_rate) {
            return Err(Error::Config(format!(
                "entity_swap_rate is the share of training examples whose entity values are \
                 swapped each epoch: between 0 and 1, not {}",
                self.entity_swap_rate
            )));
        }
        if self.entity_swap_rate > 0.0 && self.encoder.frozen_pretrained() {
            return Err(Error::Config(
                "entity_swap_rate needs each epoch's examples encoded anew, and a frozen BERT \
                 encoder's features are computed once: use fine_tune: true or no swapping"
                    .into(),
            ));
        }
        if self.intent_split_symbol.as_deref() == Some("") {
            return Err(Error::Config(
                "intent_split_symbol is empty: name the text between an intent's parts, as \"#\""
                    .into(),
            ));
        }
        Ok(())
    }
}

/// How the learning rate changes during training.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Schedule {
    /// Multiplied by `learning_rate_decay` after each epoch that does not improve the dev
    /// score.
    OnPlateau,
    /// Up from zero over the first tenth of the steps, then down to zero at the last step of
    /// the last epoch: the schedule BERT is fine-tuned with.
    Linear,
}

/// Everything in `config.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Manifest {
    pub format: u32,
    pub slotfill_version: String,
    pub config: ModelConfig,
    pub intents: Vec<String>,
    pub tags: TagSet,
    /// For each intent, the span labels joint decoding lets it have without a penalty.
    #[serde(default)]
    pub intent_labels: Vec<Vec<usize>>,
    pub lookups: Gazetteers,
    /// The questions the model reads replies to (none for corpus-trained models).
    #[serde(default, skip_serializing_if = "Questions::is_empty")]
    pub questions: Questions,
    /// Fingerprint of the intents folder trained from (None for corpus-trained models).
    pub fingerprint: Option<String>,
}

/// The length of a bag of n-grams, where TF-IDF's is 1: a sparse n-gram is seen in few steps,
/// and a larger input moves its scores further in each. Picked on SLURP's dev split from 1, 4
/// and 8 (intent accuracy 77.45, 78.39, 77.85; sentence 54.50, 55.57, 54.77).
const BAG_WEIGHT: f32 = 4.0;

/// One utterance cut into words with its features.
pub(crate) struct Encoded {
    pub words: Vec<Word>,
    pub ids: Vec<u32>,
    pub ngrams: Vec<Vec<u32>>,
    /// Its word pairs, hashed, for the bag-of-n-grams intent head (empty without one).
    pub bigrams: Vec<u32>,
    pub lookups: Vec<f32>,
    /// The features of the question it answers ([`Questions::features`]).
    pub asked: Vec<f32>,
    /// For a BERT encoder: the text's piece ids and each word's pieces.
    pub pieces: Option<(Vec<u32>, Vec<std::ops::Range<usize>>)>,
}

/// What the model says about one utterance.
#[derive(Debug, Clone)]
pub struct Prediction {
    /// The words (at most [`MAX_WORDS`]).
    pub words: Vec<Word>,
    /// Probability of each intent, in [`JointModel::intents`] order (empty for empty text).
    pub intent_probs: Vec<f32>,
    /// The decoded (valid BIO) tag of each word.
    pub tags: Vec<u32>,
    /// The probability of each decoded tag at its word, over all tag sequences (CRF marginals).
    pub tag_probs: Vec<f32>,
}

/// The networks' averaged scores for one utterance, before its tags are decoded.
pub(crate) struct Outputs {
    words: Vec<Word>,
    /// Probability of each intent (empty for empty text).
    intent_probs: Vec<f32>,
    /// Log-probability of each tag at each word, `words × tags` flat.
    tag_log_probs: Vec<f32>,
}

/// One network: word embeddings, the shared encoder and the heads.
pub(crate) struct Network {
    /// Every weight by name, sorted (what is saved).
    pub(crate) weights: Vec<(String, Tensor)>,
    embedder: Embedder,
    encoder: Encoder,
    pub(crate) heads: Heads,
}

impl Network {
    /// Builds the model's network number `index` over `params` (fresh or loaded).
    fn build(params: &mut Params, manifest: &Manifest, index: usize, vocab: usize) -> Result<Self> {
        let config = &manifest.config;
        let embedder = Embedder::new(
            params,
            vocab,
            config.word_dim,
            config.ngram_buckets,
            config.ngram_dim,
            manifest.lookups.dims() + manifest.questions.dims(),
        )?;
        let encoder = Encoder::new(params, config.encoder_of(index), embedder.outputs()?)?;
        let heads = Heads::new(
            params,
            encoder.outputs(),
            &manifest.intents,
            &manifest.tags,
            HeadOptions {
                split_symbol: config.intent_split_symbol.as_deref(),
                crf: config.crf,
                word_intent: config.word_intent,
                ngram_buckets: config.has_ngram_intent().then_some(config.ngram_buckets),
            },
        )?;
        Ok(Network {
            weights: params.weights(),
            embedder,
            encoder,
            heads,
        })
    }

    /// A BERT encoder's pooled state of each word of `batch` (`(batch, words, hidden)`, words
    /// padded to the longest text); `None` for other encoders.
    pub(crate) fn bert_word_states(&self, batch: &[&Encoded]) -> Result<Option<Tensor>> {
        let Encoder::Bert(bert) = &self.encoder else {
            return Ok(None);
        };
        let pieces = piece_inputs(batch)?
            .ok_or_else(|| Error::Weights("the BERT encoder needs the word pieces".into()))?;
        Ok(Some(bert.word_states(&pieces, &mut Dropout::off())?))
    }

    pub(crate) fn logits(&self, inputs: &Inputs, dropout: &mut Dropout) -> Result<Logits> {
        let embedded = self.embedder.forward(inputs, dropout)?;
        let encoded = self
            .encoder
            .forward(&embedded, inputs.pieces.as_ref(), dropout)?;
        self.heads.forward(&encoded, inputs.bags.as_ref(), dropout)
    }
}

/// A trained (or training) joint model: one network, or an ensemble of networks over the same
/// words and features.
pub struct JointModel {
    pub(crate) manifest: Manifest,
    pub(crate) tokenizer: Tokenizer,
    /// The word-piece tokenizer of a BERT encoder.
    pieces: Option<tokenizers::Tokenizer>,
    networks: Vec<Network>,
}

impl JointModel {
    /// A freshly initialised single-network model, and the parameters it is built over.
    pub(crate) fn fresh(mut manifest: Manifest, tokenizer: Tokenizer) -> Result<(Self, Params)> {
        let pieces = Self::word_pieces(&mut manifest, None)?;
        let mut params = Params::fresh(manifest.config.seed);
        let network = Network::build(&mut params, &manifest, 0, tokenizer.vocab_size())?;
        let model = JointModel {
            manifest,
            tokenizer,
            pieces,
            networks: vec![network],
        };
        Ok((model, params))
    }

    /// The network of a model in training (which has exactly one).
    pub(crate) fn network(&self) -> &Network {
        &self.networks[0]
    }

    /// The members' networks as one ensemble model, with the first member's settings and
    /// each member's encoder.
    pub(crate) fn ensemble(members: Vec<JointModel>) -> Result<Self> {
        let encoders: Vec<EncoderConfig> = members
            .iter()
            .map(|m| m.manifest.config.encoder.clone())
            .collect();
        let mut members = members.into_iter();
        let mut model = members
            .next()
            .ok_or_else(|| Error::Config("an ensemble needs a member".into()))?;
        model.networks.extend(members.flat_map(|m| m.networks));
        let config = &mut model.manifest.config;
        config.members = model.networks.len();
        config.member_encoders = if encoders.iter().all(|e| e == &config.encoder) {
            Vec::new()
        } else {
            encoders
        };
        Ok(model)
    }

    /// A BERT encoder's word-piece tokenizer: from `model_dir` when loading, from its
    /// pretrained folder when training (whose BERT settings are copied into the manifest).
    fn word_pieces(
        manifest: &mut Manifest,
        model_dir: Option<&Path>,
    ) -> Result<Option<tokenizers::Tokenizer>> {
        Ok(match &mut manifest.config.encoder {
            EncoderConfig::Bert { path, config, .. } => {
                if config.is_none() {
                    *config = Some(bert::read_config(path)?);
                }
                Some(match model_dir {
                    Some(dir) => {
                        tokenizers::Tokenizer::from_file(dir.join(PIECES)).map_err(|e| {
                            Error::Pretrained {
                                path: dir.join(PIECES),
                                message: e.to_string(),
                            }
                        })?
                    }
                    None => bert::read_tokenizer(path)?,
                })
            }
            _ => None,
        })
    }

    /// Loads a model folder written by training.
    pub fn load(dir: &Path) -> Result<Self> {
        let model_error = |message: String| Error::Model {
            dir: dir.to_path_buf(),
            message,
        };
        let manifest_path = dir.join(MANIFEST);
        let text = std::fs::read_to_string(&manifest_path)
            .map_err(|e| model_error(format!("cannot read {}: {e}", manifest_path.display())))?;
        let manifest: Manifest = serde_json::from_str(&text)
            .map_err(|e| model_error(format!("{MANIFEST} is not a slotfill model ({e})")))?;
        if manifest.format != FORMAT_VERSION {
            return Err(model_error(format!(
                "model format {} is not the supported {FORMAT_VERSION}",
                manifest.format
            )));
        }
        let tokenizer = Tokenizer::load(&dir.join(TOKENIZER))
            .map_err(|e| model_error(e.to_string()))?
            .with_stemmer(manifest.config.stem);
        let tensors = candle_core::safetensors::load(dir.join(WEIGHTS), &Device::Cpu)
            .map_err(|e| model_error(format!("cannot read {WEIGHTS}: {e}")))?;
        let build = || -> Result<Self> {
            let mut manifest = manifest;
            let pieces = Self::word_pieces(&mut manifest, Some(dir))?;
            let members = storage::unpack(tensors, manifest.config.members.max(1))?;
            let networks = members
                .into_iter()
                .enumerate()
                .map(|(k, weights)| {
                    Network::build(
                        &mut Params::Loaded(weights),
                        &manifest,
                        k,
                        tokenizer.vocab_size(),
                    )
                })
                .collect::<Result<_>>()?;
            Ok(JointModel {
                manifest,
                tokenizer,
                pieces,
                networks,
            })
        };
        build().map_err(|e| model_error(e.to_string()))
    }

    /// Writes the model folder.
    pub fn save(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let manifest = serde_json::to_string_pretty(&self.manifest)
            .map_err(|e| Error::io(dir.join(MANIFEST), e.into()))?;
        std::fs::write(dir.join(MANIFEST), manifest)
            .map_err(|e| Error::io(dir.join(MANIFEST), e))?;
        self.tokenizer.save(&dir.join(TOKENIZER))?;
        if let Some(pieces) = &self.pieces {
            pieces
                .save(dir.join(PIECES), false)
                .map_err(|e| Error::Pretrained {
                    path: dir.join(PIECES),
                    message: e.to_string(),
                })?;
        }
        let tensors = storage::pack(self.networks.iter().map(|n| n.weights.as_slice()))?;
        candle_core::safetensors::save(&tensors, dir.join(WEIGHTS))?;
        Ok(())
    }

    /// Intent names, in the order of [`Prediction::intent_probs`].
    pub fn intents(&self) -> &[String] {
        &self.manifest.intents
    }

    /// The tag set of the tagger.
    pub fn tags(&self) -> &TagSet {
        &self.manifest.tags
    }

    /// Settings the model was trained with.
    pub fn config(&self) -> &ModelConfig {
        &self.manifest.config
    }

    /// Fingerprint of the intents the model was trained from.
    pub fn fingerprint(&self) -> Option<&str> {
        self.manifest.fingerprint.as_deref()
    }

    /// Whether the model was trained from exactly these intents.
    pub fn trained_on(&self, intents: &Intents) -> bool {
        self.fingerprint() == Some(intents.fingerprint().as_str())
    }

    /// Cuts a reply to `asked` into words (at most [`MAX_WORDS`]) and computes their
    /// features.
    pub(crate) fn encode(&self, text: &str, asked: &Asked) -> Result<Encoded> {
        self.encode_with_lookups(text, asked, &self.manifest.lookups)
    }

    /// [`JointModel::encode`] with the lookup features of other lists than the model's (a
    /// training fold's).
    pub(crate) fn encode_with_lookups(
        &self,
        text: &str,
        asked: &Asked,
        lookups: &Gazetteers,
    ) -> Result<Encoded> {
        let mut words = self.tokenizer.words(text)?;
        words.truncate(MAX_WORDS);
        let buckets = self.manifest.config.ngram_buckets as u32;
        let pieces = match (&self.pieces, &self.manifest.config.encoder) {
            (
                Some(tokenizer),
                EncoderConfig::Bert {
                    config: Some(c), ..
                },
            ) => {
                let pieces = bert::pieces(tokenizer, text, c.max_position_embeddings)?;
                let spans: Vec<std::ops::Range<usize>> =
                    words.iter().map(|w| w.start..w.end).collect();
                let aligned = bert::align(&pieces, &spans);
                Some((pieces.ids, aligned))
            }
            _ => None,
        };
        Ok(Encoded {
            pieces,
            ids: words.iter().map(|w| self.tokenizer.id(&w.text)).collect(),
            ngrams: words
                .iter()
                .map(|w| char_ngrams(&w.text, buckets))
                .collect(),
            bigrams: match self.manifest.config.has_ngram_intent() {
                true => word_bigrams(words.iter().map(|w| w.text.as_str()), buckets),
                false => Vec::new(),
            },
            lookups: lookups.features(&words),
            asked: self.manifest.questions.features(asked),
            words,
        })
    }

    /// Tensors for same-length utterances; `word_ids` overrides the ids (unknown-word
    /// replacement while training) and `dropout` hides lookup features while training.
    pub(crate) fn inputs(
        &self,
        batch: &[&Encoded],
        word_ids: Option<Vec<u32>>,
        dropout: &mut Dropout,
    ) -> Result<Inputs> {
        let words = batch[0].ids.len();
        let ids =
            word_ids.unwrap_or_else(|| batch.iter().flat_map(|e| e.ids.iter().copied()).collect());
        let mut ngrams = Vec::new();
        let mut ngram_words = Vec::new();
        let mut weights = Vec::new();
        for (word, grams) in batch.iter().flat_map(|e| e.ngrams.iter()).enumerate() {
            let weight = 1.0 / grams.len() as f32;
            ngrams.extend_from_slice(grams);
            ngram_words.extend(std::iter::repeat_n(word as u32, grams.len()));
            weights.extend(std::iter::repeat_n(weight, grams.len()));
        }
        // Each word's lookup features (hidden by dropout while training), then the question's.
        let lookup_dims = self.manifest.lookups.dims();
        let dims = lookup_dims + self.manifest.questions.dims();
        let lookups = if dims == 0 {
            None
        } else {
            let mut values: Vec<f32> = Vec::with_capacity(batch.len() * words * dims);
            for encoded in batch {
                for word in 0..words {
                    let features = &encoded.lookups[word * lookup_dims..(word + 1) * lookup_dims];
                    let hidden = lookup_dims > 0
                        && dropout.is_on()
                        && dropout.draw() < self.manifest.config.lookup_dropout;
                    match hidden {
                        true => values.extend(std::iter::repeat_n(0.0, lookup_dims)),
                        false => values.extend_from_slice(features),
                    }
                    values.extend_from_slice(&encoded.asked);
                }
            }
            Some(Tensor::from_vec(
                values,
                (batch.len(), words, dims),
                &Device::Cpu,
            )?)
        };
        let bags = self
            .manifest
            .config
            .has_ngram_intent()
            .then(|| Self::bags(batch))
            .transpose()?;
        let count = ngrams.len();
        Ok(Inputs {
            bags,
            pieces: piece_inputs(batch)?.map(BertInput::Pieces),
            words: Tensor::from_vec(ids, (batch.len(), words), &Device::Cpu)?,
            ngrams: Tensor::from_vec(ngrams, count, &Device::Cpu)?,
            ngram_words: Tensor::from_vec(ngram_words, count, &Device::Cpu)?,
            ngram_weights: Tensor::from_vec(weights, (count, 1), &Device::Cpu)?,
            lookups,
        })
    }

    /// The bag of n-grams of each utterance of `batch`, for the n-gram intent head. Each
    /// n-gram weighs [`BAG_WEIGHT`]` / √count`.
    fn bags(batch: &[&Encoded]) -> Result<Bags> {
        let (mut grams, mut utterances, mut weights) = (Vec::<u32>::new(), Vec::new(), Vec::new());
        for (utterance, encoded) in batch.iter().enumerate() {
            let own = encoded.ngrams.iter().flatten().chain(&encoded.bigrams);
            let count = own.clone().count();
            let weight = BAG_WEIGHT / (count.max(1) as f32).sqrt();
            utterances.extend(std::iter::repeat_n(utterance as u32, count));
            weights.extend(std::iter::repeat_n(weight, count));
            grams.extend(own);
        }
        let count = grams.len();
        Ok(Bags {
            grams: Tensor::from_vec(grams, count, &Device::Cpu)?,
            utterances: Tensor::from_vec(utterances, count, &Device::Cpu)?,
            weights: Tensor::from_vec(weights, (count, 1), &Device::Cpu)?,
        })
    }

    /// Predicts intents and tags for many texts, batching texts of equal length.
    pub fn predict(&self, texts: &[&str]) -> Result<Vec<Prediction>> {
        self.predict_replies(texts, &Asked::Nothing)
    }

    /// [`JointModel::predict`] for replies to the question `asked`.
    pub fn predict_replies(&self, texts: &[&str], asked: &Asked) -> Result<Vec<Prediction>> {
        let outputs = self.outputs(texts, asked)?;
        self.decode(
            &outputs,
            self.manifest.config.unseen_label_penalty.unwrap_or(0.0),
        )
    }

    /// The networks' averaged scores for many texts, before decoding: the costly half of
    /// [`JointModel::predict`], which [`JointModel::decode`] can then decode several ways.
    pub(crate) fn outputs(&self, texts: &[&str], asked: &Asked) -> Result<Vec<Outputs>> {
        let encoded: Vec<Encoded> = texts
            .iter()
            .map(|t| self.encode(&cap_text(t), asked))
            .collect::<Result<_>>()?;
        let mut by_length: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, e) in encoded.iter().enumerate() {
            by_length.entry(e.ids.len()).or_default().push(i);
        }
        let mut out: Vec<Option<Outputs>> = (0..encoded.len()).map(|_| None).collect();
        const CHUNK: usize = 64;
        for (length, indices) in by_length {
            if length == 0 {
                for &i in &indices {
                    out[i] = Some(Outputs {
                        words: Vec::new(),
                        intent_probs: Vec::new(),
                        tag_log_probs: Vec::new(),
                    });
                }
                continue;
            }
            for chunk in indices.chunks(CHUNK) {
                let batch: Vec<&Encoded> = chunk.iter().map(|&i| &encoded[i]).collect();
                let inputs = self.inputs(&batch, None, &mut Dropout::off())?;
                let (intent_probs, tag_log_probs) = self.scores(&inputs)?;
                let intent_probs: Vec<Vec<f32>> = intent_probs.to_vec2()?;
                let tag_log_probs: Vec<Vec<Vec<f32>>> = tag_log_probs.to_vec3()?;
                for ((&i, intent_probs), log_probs) in
                    chunk.iter().zip(intent_probs).zip(tag_log_probs)
                {
                    out[i] = Some(Outputs {
                        words: encoded[i].words.clone(),
                        intent_probs,
                        tag_log_probs: log_probs.concat(),
                    });
                }
            }
        }
        Ok(out
            .into_iter()
            .map(|o| o.expect("every text is scored"))
            .collect())
    }

    /// Decodes each text's intent and tags from its [`Outputs`], jointly with `penalty` as
    /// the unseen-label penalty (see [`ModelConfig::unseen_label_penalty`]).
    pub(crate) fn decode(&self, outputs: &[Outputs], penalty: f32) -> Result<Vec<Prediction>> {
        let transitions = self.transitions()?;
        let tags = &self.manifest.tags;
        Ok(outputs
            .iter()
            .map(|output| {
                if output.words.is_empty() {
                    return Prediction {
                        words: Vec::new(),
                        intent_probs: Vec::new(),
                        tags: Vec::new(),
                        tag_probs: Vec::new(),
                    };
                }
                let mut intent_probs = output.intent_probs.clone();
                let decoded = tags.decode_with_intent(
                    &output.tag_log_probs,
                    &transitions,
                    &mut intent_probs,
                    &self.manifest.intent_labels,
                    penalty,
                );
                let marginals = tags.marginals(&output.tag_log_probs, &transitions);
                let tag_probs = decoded
                    .iter()
                    .zip(marginals.chunks(tags.len()))
                    .map(|(&t, word)| word[t as usize])
                    .collect();
                Prediction {
                    words: output.words.clone(),
                    intent_probs,
                    tags: decoded,
                    tag_probs,
                }
            })
            .collect())
    }

    /// Intent probabilities `(batch, intents)` and tag log-probabilities `(batch, words,
    /// tags)`, averaged over the networks.
    fn scores(&self, inputs: &Inputs) -> Result<(Tensor, Tensor)> {
        let mut intents: Option<Tensor> = None;
        let mut tags: Option<Tensor> = None;
        for network in &self.networks {
            let logits = network.logits(inputs, &mut Dropout::off())?;
            let probs = candle_nn::ops::softmax_last_dim(&logits.intents)?;
            let log_probs = candle_nn::ops::log_softmax(&logits.tags, D::Minus1)?;
            intents = Some(match intents {
                Some(sum) => (sum + probs)?,
                None => probs,
            });
            tags = Some(match tags {
                Some(sum) => (sum + log_probs)?,
                None => log_probs,
            });
        }
        let (Some(intents), Some(tags)) = (intents, tags) else {
            return Err(Error::Weights("the model has no network".into()));
        };
        if self.networks.len() == 1 {
            return Ok((intents, tags));
        }
        let count = self.networks.len() as f64;
        Ok(((intents / count)?, (tags / count)?))
    }

    /// Transition scores for decoding, averaged over the networks.
    fn transitions(&self) -> Result<Vec<f32>> {
        let mut sum: Vec<f32> = Vec::new();
        for network in &self.networks {
            let transitions = network.heads.transitions()?;
            if sum.is_empty() {
                sum = transitions;
            } else {
                sum.iter_mut().zip(transitions).for_each(|(s, t)| *s += t);
            }
        }
        let count = self.networks.len() as f32;
        Ok(sum.into_iter().map(|s| s / count).collect())
    }
}

/// The unseen-label penalties training chooses from on dev, when the config sets none.
pub const PENALTY_CHOICES: [f32; 5] = [0.0, 1.0, 2.0, 4.0, 8.0];

/// The word pieces of a batch, when every text has them.
fn piece_inputs(batch: &[&Encoded]) -> Result<Option<PieceInputs>> {
    batch
        .iter()
        .map(|e| {
            e.pieces
                .as_ref()
                .map(|(ids, w)| (ids.as_slice(), w.as_slice()))
        })
        .collect::<Option<Vec<_>>>()
        .map(|b| PieceInputs::new(&b))
        .transpose()
}

/// The text cut to [`MAX_TEXT_CHARS`] characters.
pub(crate) fn cap_text(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_TEXT_CHARS) {
        Some((cut, _)) => std::borrow::Cow::Owned(text[..cut].to_string()),
        None => std::borrow::Cow::Borrowed(text),
    }
}

pub(crate) fn new_manifest(
    config: ModelConfig,
    intents: Vec<String>,
    tags: TagSet,
    intent_labels: Vec<Vec<usize>>,
    lookups: Gazetteers,
    questions: Questions,
    fingerprint: Option<String>,
) -> Manifest {
    Manifest {
        format: FORMAT_VERSION,
        slotfill_version: env!("CARGO_PKG_VERSION").to_string(),
        config,
        intents,
        tags,
        intent_labels,
        lookups,
        questions,
        fingerprint,
    }
}
