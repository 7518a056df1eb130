//! A pretrained encoder named by Hugging Face model id: read offline from the hub cache, and a
//! clear error when the hub cannot be reached.

use std::path::Path;
use std::process::{Command, Output};

/// A tiny corpus in the seq.in / seq.out / label layout.
fn corpus(dir: &Path) {
    let rows = [
        ("weather in paris", "O O B-city", "weather"),
        ("weather in oslo today", "O O B-city O", "weather"),
        ("book a flight to lima", "O O O O B-city", "flight"),
        ("fly to paris", "O O B-city", "flight"),
    ];
    std::fs::create_dir_all(dir).unwrap();
    for (file, column) in [("seq.in", 0), ("seq.out", 1), ("label", 2)] {
        let lines: Vec<&str> = rows
            .iter()
            .map(|row| [row.0, row.1, row.2][column])
            .collect();
        std::fs::write(dir.join(file), lines.join("\n") + "\n").unwrap();
    }
}

/// `slotfill train --encoder bert --pretrained ID` with the hub cache in `hf_home` and an
/// endpoint where nothing listens, so that nothing can come from the network.
fn train_from_id(work: &Path, hf_home: &Path, id: &str) -> Output {
    corpus(&work.join("train"));
    Command::new(env!("CARGO_BIN_EXE_slotfill"))
        .args([
            "train",
            "--encoder",
            "bert",
            "--pretrained",
            id,
            "--epochs",
            "1",
            "-q",
        ])
        .arg("--data")
        .arg(work.join("train"))
        .arg("--out")
        .arg(work.join("model"))
        .env("HF_HOME", hf_home)
        .env("HF_ENDPOINT", "http://127.0.0.1:9")
        .output()
        .unwrap()
}

#[test]
fn a_model_id_is_read_offline_from_the_hub_cache() {
    let minilm = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/minilm");
    if !minilm.join("model.safetensors").exists() {
        eprintln!("SKIPPED: no all-MiniLM-L6-v2 in models/minilm; run scripts/fetch_minilm.sh");
        return;
    }
    let work = tempfile::tempdir().unwrap();
    // The layout huggingface_hub (Python or Rust) leaves after a download.
    let repo = work
        .path()
        .join("hf/hub/models--sentence-transformers--all-MiniLM-L6-v2");
    let snapshot = repo.join("snapshots/8b3219a92973c328a8e22fadcfa821b5dc75636a");
    std::fs::create_dir_all(&snapshot).unwrap();
    std::fs::create_dir_all(repo.join("refs")).unwrap();
    std::fs::write(
        repo.join("refs/main"),
        "8b3219a92973c328a8e22fadcfa821b5dc75636a",
    )
    .unwrap();
    for file in ["config.json", "model.safetensors", "tokenizer.json"] {
        std::os::unix::fs::symlink(minilm.join(file), snapshot.join(file)).unwrap();
    }
    let out = train_from_id(
        work.path(),
        &work.path().join("hf"),
        "sentence-transformers/all-MiniLM-L6-v2",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(work.path().join("model/pieces.json").exists());
}

#[test]
fn an_unreachable_hub_is_a_clear_error() {
    let work = tempfile::tempdir().unwrap();
    let out = train_from_id(work.path(), &work.path().join("hf"), "acme/no-such-model");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("acme/no-such-model"), "{stderr}");
    assert!(stderr.contains("Hugging Face hub"), "{stderr}");
    assert!(stderr.contains("local folder"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
