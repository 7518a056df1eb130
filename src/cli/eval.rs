use super::PathArgument;
use anyhow::{bail, Result};
use clap::Args;
use slotfill::dataset;
use slotfill::eval::{evaluate, ErrorCounts, Scores};
use slotfill::intents::Intents;
use slotfill::model::JointModel;
use std::io::Write;
use std::path::PathBuf;

#[derive(Args)]
pub struct EvalArgs {
    /// The model folder.
    #[arg(long, default_value = "models/bundled")]
    model: PathBuf,
    /// Held-out data: a corpus folder in the seq.in / seq.out / label layout, or a YAML file
    /// of intents with examples (checked against --intents).
    #[arg(long)]
    data: PathBuf,
    /// The intents folder whose entities a YAML test file uses.
    #[arg(long, default_value = "intents")]
    intents: PathBuf,
    /// Print the scores as JSON.
    #[arg(long)]
    json: bool,
}

/// What `--data` must name.
const TEST_DATA: &str = "give a YAML test file, or a folder with seq.in, seq.out and label files";

pub fn run(args: EvalArgs) -> Result<()> {
    let model = JointModel::load(&args.model)?;
    let (samples, out_of_scope_threshold) = if args.data.is_dir() {
        let samples = dataset::from_seq_dir(&args.data).expecting(TEST_DATA)?;
        (samples, model.config().out_of_scope_threshold)
    } else {
        let intents = Intents::load(&args.intents).expecting(super::BOT_FOLDER)?;
        if !model.trained_on(&intents) {
            bail!(
                "model {0} was not trained from the intents in {1}; pass `--intents DIR` with \
                 the folder that {0} was trained from",
                args.model.display(),
                args.intents.display()
            );
        }
        let samples = Intents::load_examples(&args.data, &intents)
            .expecting(TEST_DATA)?
            .iter()
            .map(|(intent, example)| dataset::from_example(intent, example))
            .collect();
        (samples, intents.settings.out_of_scope_threshold)
    };
    if samples.is_empty() {
        bail!("no utterances in {}: nothing to score", args.data.display());
    }
    let scores = evaluate(&model, &samples, out_of_scope_threshold, !args.json)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&scores)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "{} utterances: intent accuracy {:.2}, slot F1 {:.2} (P {:.2} R {:.2}), sentence accuracy {:.2}",
        scores.count,
        scores.intent_accuracy,
        scores.slot_f1,
        scores.slot_precision,
        scores.slot_recall,
        scores.sentence_accuracy
    )?;
    writeln!(out, "\nintent                          count  accuracy")?;
    for (name, s) in &scores.per_intent {
        writeln!(out, "{name:<30} {:>6}  {:>8.2}", s.count, s.accuracy)?;
    }
    writeln!(
        out,
        "\nslot                            tp    fp    fn      P      R     F1"
    )?;
    for (name, s) in &scores.per_slot {
        writeln!(
            out,
            "{name:<30} {:>4}  {:>4}  {:>4}  {:>5.1}  {:>5.1}  {:>5.1}",
            s.true_positives, s.false_positives, s.false_negatives, s.precision, s.recall, s.f1
        )?;
    }
    what_to_fix(&mut out, &scores)?;
    Ok(())
}

/// How many confusions and entity labels the text report lists (`--json` has them all).
const LISTED: usize = 10;

/// The intents confused most often and the entity errors by kind and label.
fn what_to_fix(out: &mut impl Write, scores: &Scores) -> Result<()> {
    if !scores.confusions.is_empty() {
        writeln!(
            out,
            "\nmost confused intents (gold → read as)          count"
        )?;
        for c in scores.confusions.iter().take(LISTED) {
            let pair = format!("{} → {}", c.gold, c.predicted);
            writeln!(out, "{pair:<46} {:>6}", c.count)?;
        }
    }
    let errors = &scores.entity_errors;
    if errors.all.total() == 0 {
        return Ok(());
    }
    writeln!(
        out,
        "\nentity errors                 missed  spurious  type  boundary  type+boundary"
    )?;
    let mut labels: Vec<(&String, &ErrorCounts)> = errors.by_label.iter().collect();
    labels.sort_by_key(|(_, e)| std::cmp::Reverse(e.total()));
    let all = String::from("(all)");
    for (name, e) in std::iter::once((&all, &errors.all)).chain(labels.into_iter().take(LISTED)) {
        writeln!(
            out,
            "{name:<30} {:>6}  {:>8}  {:>4}  {:>8}  {:>13}",
            e.missed, e.spurious, e.wrong_type, e.wrong_boundary, e.wrong_type_and_boundary
        )?;
    }
    Ok(())
}
