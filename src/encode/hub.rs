//! Where a pretrained encoder's files are: a local folder, or a Hugging Face model id such as
//! `sentence-transformers/all-MiniLM-L6-v2`, fetched once into the hub cache (`HF_HOME`, as
//! the Python `huggingface_hub` shares it) and read from there offline afterwards.

use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// The files a BERT folder needs.
pub(crate) const FILES: [&str; 3] = ["config.json", "model.safetensors", "tokenizer.json"];

/// The folder holding `path`'s model files: `path` itself when it is a folder (or does not
/// look like a model id), else the hub cache's snapshot of that id, downloaded if missing.
pub(crate) fn locate(path: &Path) -> Result<PathBuf> {
    match model_id(path) {
        Some(id) if !path.is_dir() => fetch(id),
        _ => Ok(path.to_path_buf()),
    }
}

/// `owner/name` (one slash, no leading `.` or `/`) names a model on the hub, unless `owner` is
/// a local folder (`models/minilm` before its fetch script has run).
fn model_id(path: &Path) -> Option<&str> {
    let text = path.to_str()?;
    let (owner, name) = text.split_once('/')?;
    if Path::new(owner).is_dir() {
        return None;
    }
    let plain = |part: &str| {
        !part.is_empty()
            && !part.starts_with('.')
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    };
    (plain(owner) && plain(name)).then_some(text)
}

#[cfg(feature = "hub")]
fn fetch(id: &str) -> Result<PathBuf> {
    let cache = hf_hub::Cache::from_env();
    let cached = FILES
        .iter()
        .map(|file| cache.model(id.to_string()).get(file))
        .collect::<Option<Vec<PathBuf>>>();
    let files = match cached {
        Some(files) => files,
        None => download(id)?,
    };
    // All files of one revision sit in one snapshot folder; FILES is not empty.
    snapshot_dir(&files[0])
}

/// Each of [`FILES`] of model `id`, downloaded into the hub cache.
#[cfg(feature = "hub")]
fn download(id: &str) -> Result<Vec<PathBuf>> {
    let unreachable = |why: String| Error::Model {
        dir: PathBuf::from(id),
        message: format!(
            "not a folder, and fetching it from the Hugging Face hub failed: {why}. Without \
             network access, pass a local folder holding {} (scripts/fetch_minilm.sh gets \
             all-MiniLM-L6-v2 into models/minilm), or point HF_HOME at a hub cache that holds \
             the model",
            FILES.join(", ")
        ),
    };
    let api = hf_hub::api::sync::ApiBuilder::from_env()
        .with_progress(true)
        .build()
        .map_err(|e| unreachable(e.to_string()))?;
    let repo = api.model(id.to_string());
    FILES
        .iter()
        .map(|file| {
            repo.get(file)
                .map_err(|e| unreachable(format!("{file}: {e}")))
        })
        .collect()
}

#[cfg(feature = "hub")]
fn snapshot_dir(file: &Path) -> Result<PathBuf> {
    file.parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| Error::Pretrained {
            path: file.to_path_buf(),
            message: "no folder".into(),
        })
}

#[cfg(not(feature = "hub"))]
fn fetch(id: &str) -> Result<PathBuf> {
    Err(Error::Model {
        dir: PathBuf::from(id),
        message: "not a folder; this slotfill was built without the `hub` feature, so it \
                  cannot fetch Hugging Face model ids: pass a local folder"
            .into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_ids_are_owner_slash_name() {
        assert_eq!(
            model_id(Path::new("sentence-transformers/all-MiniLM-L6-v2")),
            Some("sentence-transformers/all-MiniLM-L6-v2")
        );
        for not_an_id in [
            "models/x",
            "./models",
            "/abs/path",
            "a/b/c",
            "minilm",
            "../x",
            "x/",
        ] {
            assert_eq!(model_id(Path::new(not_an_id)), None, "{not_an_id}");
        }
    }
}
