//! Trains tiny models end to end: every weight learns, and a saved model loads and predicts
//! exactly what the trained one did.

use slotfill::dataset::{LabeledSpan, Sample};
use slotfill::encode::EncoderConfig;
use slotfill::features::Gazetteer;
use slotfill::model::{JointModel, ModelConfig, Prediction};
use slotfill::train::{train, TrainData, TrainReport, Trainer};
use std::path::Path;

fn sample(intent: &str, text: &str, entity: Option<(&str, &str)>) -> Sample {
    let spans = entity
        .map(|(value, label)| {
            let start = text.find(value).expect("value in text");
            let start = text[..start].chars().count();
            vec![LabeledSpan {
                start,
                end: start + value.chars().count(),
                label: label.to_string(),
            }]
        })
        .unwrap_or_default();
    Sample {
        text: text.to_string(),
        intent: intent.to_string(),
        spans,
        asked: Default::default(),
    }
}

fn tiny_data() -> Vec<Sample> {
    let cities = ["Paris", "Oslo", "Berlin", "São Paulo", "Rome", "New York"];
    let mut samples = Vec::new();
    for city in cities {
        samples.push(sample(
            "weather",
            &format!("weather in {city}"),
            Some((city, "city")),
        ));
        samples.push(sample(
            "weather",
            &format!("is it raining in {city}"),
            Some((city, "city")),
        ));
        samples.push(sample(
            "flight",
            &format!("fly me to {city}"),
            Some((city, "city:to")),
        ));
        samples.push(sample(
            "flight",
            &format!("book a flight to {city}"),
            Some((city, "city:to")),
        ));
    }
    samples.push(sample("greet", "hello there", None));
    samples.push(sample("greet", "hi", None));
    samples
}

/// A few utterances of an intent made of two others' parts.
fn composite_data() -> Vec<Sample> {
    let mut samples = tiny_data();
    for city in ["Paris", "Oslo", "Rome"] {
        samples.push(sample(
            "flight#weather",
            &format!("weather in {city} and a flight"),
            Some((city, "city")),
        ));
    }
    samples
}

fn tiny_config(encoder: EncoderConfig) -> ModelConfig {
    // A fine-tuned pretrained encoder needs far fewer passes; a frozen one trains only its
    // light top layers, whose passes are cheap.
    let (epochs, learning_rate) = match encoder {
        EncoderConfig::Bert {
            fine_tune: true, ..
        } => (8, 1e-2),
        // Pretrained features are large next to the small own ones: smaller steps.
        EncoderConfig::Bert { .. } => (60, 2e-3),
        _ => (60, 1e-2),
    };
    ModelConfig {
        encoder,
        epochs,
        word_dim: 16,
        ngram_dim: 16,
        ngram_buckets: 512,
        patience: 60,
        learning_rate_decay: 1.0,
        batch_size: 4,
        learning_rate,
        ..ModelConfig::default()
    }
}

/// Both small encoders, and all-MiniLM-L6-v2 where `scripts/fetch_minilm.sh` fetched it.
fn encoders() -> Vec<EncoderConfig> {
    let mut encoders = vec![
        EncoderConfig::Bilstm {
            hidden: 16,
            layers: 2,
        },
        EncoderConfig::Transformer {
            dim: 16,
            layers: 2,
            heads: 2,
            feed_forward: 32,
        },
    ];
    let minilm = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/minilm");
    if minilm.join("model.safetensors").exists() {
        for (fine_tune, bilstm) in [(true, None), (false, Some(16))] {
            encoders.push(EncoderConfig::Bert {
                path: minilm.clone(),
                learning_rate: 1e-4,
                fine_tune,
                bilstm,
                config: None,
            });
        }
    } else {
        eprintln!("SKIPPED the BERT encoder: no models/minilm; run scripts/fetch_minilm.sh");
    }
    encoders
}

fn lookups() -> Vec<Gazetteer> {
    vec![Gazetteer {
        name: "city".into(),
        phrases: ["paris", "oslo", "lima"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        places: false,
    }]
}

#[test]
fn every_trainable_weight_gets_a_gradient() {
    let data = composite_data();
    let mut configs: Vec<ModelConfig> = encoders().into_iter().map(tiny_config).collect();
    configs.push(ModelConfig {
        word_intent: true,
        intent_split_symbol: Some("#".into()),
        ..tiny_config(EncoderConfig::default())
    });
    for config in configs {
        let encoder = &config.encoder;
        let mut trainer = Trainer::new(
            &TrainData {
                train: &data,
                dev: None,
                lookups: lookups(),
                fingerprint: None,
            },
            &config,
        )
        .unwrap();
        let norms = trainer.gradient_norms().unwrap();
        assert!(norms.len() > 8, "{encoder:?}: too few weights: {norms:?}");
        if config.intent_split_symbol.is_some() {
            assert!(norms.iter().any(|(name, _)| name.contains("intent_parts")));
        }
        for (name, norm) in norms {
            assert!(
                norm > 0.0 && norm.is_finite(),
                "{encoder:?}: `{name}` gets no gradient ({norm})"
            );
        }
    }
}

#[test]
fn tiny_model_trains_saves_loads_and_parses_the_same() {
    let data = tiny_data();
    for encoder in encoders() {
        let (model, report) = train(
            TrainData {
                train: &data,
                dev: Some(&data),
                lookups: lookups(),
                fingerprint: Some("abc".into()),
            },
            tiny_config(encoder.clone()),
            false,
        )
        .unwrap();
        let dev = report.dev.expect("dev scores");
        assert!(dev.intent_accuracy >= 90.0, "{encoder:?}: {dev:?}");
        assert!(dev.slot_f1 >= 80.0, "{encoder:?}: {dev:?}");

        let dir = tempfile::tempdir().unwrap();
        model.save(dir.path()).unwrap();
        let loaded = JointModel::load(dir.path()).unwrap();
        assert_eq!(loaded.fingerprint(), Some("abc"));
        let texts = [
            "weather in Lima",
            "book a flight to Oslo",
            "hello",
            "",
            "🙂🙂",
        ];
        let after = loaded.predict(&texts).unwrap();
        assert_same_predictions(&model.predict(&texts).unwrap(), &after);
        // An unseen city in a known frame is tagged as a city.
        let lima = &after[0];
        assert_eq!(lima.words.len(), 3);
        assert_eq!(loaded.tags().name(lima.tags[2]), "B-city", "{encoder:?}");
    }
}

/// The same tags and, up to float rounding, the same intent probabilities.
fn assert_same_predictions(before: &[Prediction], after: &[Prediction]) {
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(after) {
        assert_eq!(b.tags, a.tags);
        for (x, y) in b.intent_probs.iter().zip(&a.intent_probs) {
            assert!(
                (x - y).abs() < 1e-6,
                "{:?} {:?}",
                b.intent_probs,
                a.intent_probs
            );
        }
    }
}

/// Trains on `data` with the test lookup lists and no dev set.
fn train_on(data: &[Sample], config: ModelConfig) -> slotfill::Result<(JointModel, TrainReport)> {
    let train_data = TrainData {
        train: data,
        dev: None,
        lookups: lookups(),
        fingerprint: None,
    };
    train(train_data, config, false)
}

fn train_without_dev(config: ModelConfig) -> JointModel {
    train_on(&tiny_data(), config).unwrap().0
}

/// A frozen encoder's pretrained weights leave training as they came; only the layers on top
/// learn.
#[test]
fn frozen_bert_weights_stay_as_pretrained() {
    let Some(frozen) = encoders().into_iter().find(|e| {
        matches!(
            e,
            EncoderConfig::Bert {
                fine_tune: false,
                ..
            }
        )
    }) else {
        return;
    };
    let model = train_without_dev(ModelConfig {
        epochs: 2,
        ..tiny_config(frozen)
    });
    let dir = tempfile::tempdir().unwrap();
    model.save(dir.path()).unwrap();
    let cpu = candle_core::Device::Cpu;
    let trained =
        candle_core::safetensors::load(dir.path().join("model.safetensors"), &cpu).unwrap();
    let minilm = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/minilm");
    let pretrained =
        candle_core::safetensors::load(minilm.join("model.safetensors"), &cpu).unwrap();
    for name in [
        "encoder.layer.5.output.LayerNorm.weight",
        "encoder.layer.0.attention.self.query.bias",
    ] {
        let before = pretrained[name].to_vec1::<f32>().unwrap();
        let after = trained[&format!("bert.{name}")].to_vec1::<f32>().unwrap();
        assert_eq!(before, after, "{name} changed");
    }
}

#[test]
fn training_is_deterministic() {
    let run = || {
        let model = train_without_dev(ModelConfig {
            epochs: 3,
            ..tiny_config(encoders()[0].clone())
        });
        model.predict(&["weather in Rome"]).unwrap()[0]
            .intent_probs
            .clone()
    };
    assert_eq!(run(), run());
}

#[test]
fn a_missing_or_corrupt_bot_model_gives_the_command_that_trains_it() {
    let dir = tempfile::tempdir().unwrap();
    let intents = Path::new(env!("CARGO_MANIFEST_DIR")).join("intents");
    let train = |model: &Path| {
        format!(
            "retrain it with `slotfill train --intents {} --out {}`",
            intents.display(),
            model.display()
        )
    };
    let missing = dir.path().join("nope");
    let error = slotfill::Parser::load(&missing, Some(&intents))
        .err()
        .unwrap();
    assert!(error.to_string().contains("cannot read"), "{error}");
    assert!(error.to_string().contains(&train(&missing)), "{error}");
    std::fs::write(dir.path().join("config.json"), "{not json").unwrap();
    let error = slotfill::Parser::load(dir.path(), Some(&intents))
        .err()
        .unwrap();
    assert!(
        error.to_string().contains("not a slotfill model"),
        "{error}"
    );
    assert!(error.to_string().contains(&train(dir.path())), "{error}");
}

/// An ensemble is its members trained apart (seeds 7 and 8 here, with one encoder or with
/// two) with their intent probabilities averaged, and it saves and loads whole.
#[test]
fn an_ensemble_averages_members_trained_apart() {
    let (bilstm, transformer) = (encoders()[0].clone(), encoders()[1].clone());
    for member_encoders in [Vec::new(), vec![bilstm.clone(), transformer]] {
        let config = ModelConfig {
            epochs: 20,
            ..tiny_config(bilstm.clone())
        };
        let ensemble = train_without_dev(ModelConfig {
            members: 2,
            member_encoders: member_encoders.clone(),
            ..config.clone()
        });
        assert_eq!(ensemble.config().member_encoders, member_encoders);
        let members: Vec<JointModel> = [7, 8]
            .into_iter()
            .enumerate()
            .map(|(k, seed)| {
                train_without_dev(ModelConfig {
                    seed,
                    encoder: ensemble.config().encoder_of(k).clone(),
                    ..config.clone()
                })
            })
            .collect();
        let texts = ["weather in Lima", "book a flight to Oslo", "hi"];
        let apart: Vec<_> = members.iter().map(|m| m.predict(&texts).unwrap()).collect();
        let together = ensemble.predict(&texts).unwrap();
        for (i, prediction) in together.iter().enumerate() {
            let first = &apart[0][i].intent_probs;
            assert_ne!(first, &apart[1][i].intent_probs, "the members must differ");
            for (k, p) in prediction.intent_probs.iter().enumerate() {
                let mean = (first[k] + apart[1][i].intent_probs[k]) / 2.0;
                assert!((p - mean).abs() < 1e-5, "{}: {p} vs {mean}", texts[i]);
            }
        }

        let dir = tempfile::tempdir().unwrap();
        ensemble.save(dir.path()).unwrap();
        let loaded = JointModel::load(dir.path()).unwrap();
        assert_eq!(loaded.config().members, 2);
        assert_eq!(loaded.config().member_encoders, member_encoders);
        assert_same_predictions(&loaded.predict(&texts).unwrap(), &together);
    }
}

/// Label smoothing caps how sure the model learns to be: with a share `s` of each target
/// spread over `k` intents, a training utterance's intent is best at `1 - s + s / k` (here
/// 0.8: the tiny model gets to 0.76, against 0.9996 unsmoothed). A share outside [0, 1) is
/// refused.
#[test]
fn intent_label_smoothing_caps_the_confidence() {
    let confidence = |smoothing: f64| {
        let model = train_without_dev(ModelConfig {
            intent_label_smoothing: smoothing,
            ..tiny_config(encoders()[0].clone())
        });
        let prediction = &model.predict(&["weather in Paris"]).unwrap()[0];
        prediction.intent_probs.iter().copied().fold(0.0, f32::max)
    };
    let (plain, smoothed) = (confidence(0.0), confidence(0.3));
    let cap = 1.0 - 0.3 + 0.3 / 3.0;
    assert!(plain > 0.95, "unsmoothed confidence {plain}");
    assert!(
        smoothed > 0.6 && smoothed < cap + 0.01,
        "smoothed confidence {smoothed}, cap {cap}"
    );
    let config = ModelConfig {
        intent_label_smoothing: 1.5,
        ..tiny_config(encoders()[0].clone())
    };
    let error = train_on(&tiny_data(), config).err().unwrap().to_string();
    assert!(error.contains("intent_label_smoothing"), "{error}");
}

/// With `intent_split_symbol`, the intent layer scores the parts ("flight", "weather") and a
/// composite intent the sum of its parts: the saved layer is one column narrower than the
/// four intents, and the composite is still recognised in an unseen utterance.
#[test]
fn composite_intents_are_scored_from_their_parts() {
    let config = ModelConfig {
        intent_split_symbol: Some("#".into()),
        ..tiny_config(encoders()[0].clone())
    };
    let (model, _) = train_on(&composite_data(), config).unwrap();
    assert_eq!(model.intents().len(), 4);
    let dir = tempfile::tempdir().unwrap();
    model.save(dir.path()).unwrap();
    let weights = candle_core::safetensors::load(
        dir.path().join("model.safetensors"),
        &candle_core::Device::Cpu,
    )
    .unwrap();
    let (name, layer) = weights
        .iter()
        .find(|(name, _)| name.ends_with("heads.intent.bias"))
        .expect("an intent layer");
    assert_eq!(layer.dims(), [3], "{name}");
    let loaded = JointModel::load(dir.path()).unwrap();
    let prediction = &loaded.predict(&["weather in Berlin and a flight"]).unwrap()[0];
    let best = (0..4)
        .max_by(|&a, &b| prediction.intent_probs[a].total_cmp(&prediction.intent_probs[b]))
        .unwrap();
    assert_eq!(
        loaded.intents()[best],
        "flight#weather",
        "{:?}",
        prediction.intent_probs
    );

    let config = ModelConfig {
        intent_split_symbol: Some(String::new()),
        ..tiny_config(encoders()[0].clone())
    };
    let error = train_on(&composite_data(), config)
        .err()
        .unwrap()
        .to_string();
    assert!(error.contains("intent_split_symbol"), "{error}");
}

/// With `stem`, words that share a stem share an embedding, and a loaded model stems as the
/// trained one did.
#[test]
fn a_stemmed_vocabulary_survives_save_and_load() {
    let config = ModelConfig {
        stem: Some(slotfill::tokenize::StemLanguage::English),
        ..tiny_config(encoders()[0].clone())
    };
    let (model, _) = train_on(&tiny_data(), config).unwrap();
    let dir = tempfile::tempdir().unwrap();
    model.save(dir.path()).unwrap();
    let manifest = std::fs::read_to_string(dir.path().join("config.json")).unwrap();
    assert!(manifest.contains(r#""stem": "english""#), "{manifest}");
    let loaded = JointModel::load(dir.path()).unwrap();
    let texts = [
        "booking flights to Oslo",
        "flight to Oslo",
        "raining in Rome",
    ];
    assert_same_predictions(
        &model.predict(&texts).unwrap(),
        &loaded.predict(&texts).unwrap(),
    );
    let config: Result<ModelConfig, _> = serde_saphyr::from_str("stem: klingon");
    assert!(config.is_err());
}

/// The benchmark settings in `examples/corpora` are model configs that train (here, two
/// networks for one epoch on tiny data).
#[test]
fn the_corpus_configs_train() {
    for corpus in ["snips", "atis", "slurp"] {
        let path = format!(
            "{}/examples/corpora/{corpus}.yaml",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let config: ModelConfig =
            serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        // SNIPS's and ATIS's settings are ensembles; SLURP's train one network.
        assert!(
            config.members >= 4 || corpus == "slurp",
            "{path}: an ensemble"
        );
        let (model, _) = train_on(
            &tiny_data(),
            ModelConfig {
                members: 2,
                epochs: 1,
                ..config
            },
        )
        .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(model.predict(&["weather in Oslo"]).unwrap().len(), 1);
    }
}

#[test]
fn a_bert_encoder_cannot_join_a_mixed_ensemble() {
    let config = ModelConfig {
        members: 2,
        member_encoders: vec![encoders()[0].clone(), EncoderConfig::minilm()],
        ..tiny_config(encoders()[0].clone())
    };
    let error = train_on(&tiny_data(), config).err().unwrap().to_string();
    assert!(error.contains("member_encoders"), "{error}");
}

/// Training runs on threads of its own; the backward pass through the longest utterance the
/// encoder takes must fit their stack.
#[test]
fn the_longest_utterance_trains_on_a_training_thread() {
    let long = vec!["very"; slotfill::encode::MAX_WORDS].join(" ");
    let mut data = tiny_data();
    data.push(sample("weather", &format!("{long} Oslo"), None));
    let config = ModelConfig {
        epochs: 1,
        members: 2,
        ..tiny_config(encoders()[0].clone())
    };
    let (model, report) = train_on(&data, config).unwrap();
    assert_eq!(report.networks.len(), 2);
    assert_eq!(
        model.predict(&[long.as_str()]).unwrap()[0].words.len(),
        slotfill::encode::MAX_WORDS
    );
}

#[test]
fn a_bag_of_ngrams_intent_head_trains_saves_and_loads() {
    let data = tiny_data();
    let config = ModelConfig {
        ngram_intent: Some(true),
        ..tiny_config(EncoderConfig::default())
    };
    let (model, report) = train(
        TrainData {
            train: &data,
            dev: Some(&data),
            lookups: lookups(),
            fingerprint: None,
        },
        config,
        false,
    )
    .unwrap();
    let dev = report.dev.expect("dev scores");
    assert!(dev.intent_accuracy >= 90.0, "{dev:?}");
    assert!(dev.slot_f1 >= 80.0, "{dev:?}");
    let dir = tempfile::tempdir().unwrap();
    model.save(dir.path()).unwrap();
    let loaded = JointModel::load(dir.path()).unwrap();
    assert!(loaded.config().has_ngram_intent());
    let texts = ["weather in Lima", "book a flight to Oslo", "hello", ""];
    assert_same_predictions(
        &model.predict(&texts).unwrap(),
        &loaded.predict(&texts).unwrap(),
    );
}
