//! all-MiniLM-L6-v2 through slotfill's own BERT layers matches the reference PyTorch
//! implementation. Needs the weights: `scripts/fetch_minilm.sh` (which `.ci/run` runs).

use slotfill::encode::bert::BertEncoder;
use std::path::Path;

#[derive(serde::Deserialize)]
struct Reference {
    sentences: Vec<Sentence>,
}

/// Computed with sentence-transformers / PyTorch: the last hidden state of BertModel, mean
/// over all pieces ([CLS] and [SEP] included), L2-normalised.
#[derive(serde::Deserialize)]
struct Sentence {
    text: String,
    tokens: Vec<String>,
    mean_pooled_normalized: Vec<f32>,
}

fn minilm() -> Option<BertEncoder> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/minilm");
    if !dir.join("model.safetensors").exists() {
        eprintln!("SKIPPED: no all-MiniLM-L6-v2 in models/minilm; run scripts/fetch_minilm.sh");
        return None;
    }
    Some(BertEncoder::load(&dir).unwrap())
}

#[test]
fn sentence_embeddings_match_the_reference_to_1e_4() {
    let Some(minilm) = minilm() else { return };
    let reference: Reference = serde_json::from_str(include_str!("../data/minilm_reference.json"))
        .expect("the reference file");
    assert_eq!(reference.sentences.len(), 3);
    for sentence in reference.sentences {
        let pieces = minilm.pieces(&sentence.text).unwrap();
        assert_eq!(pieces.ids.len(), sentence.tokens.len(), "{}", sentence.text);
        let ours = minilm.sentence_embedding(&sentence.text).unwrap();
        assert_eq!(ours.len(), 384);
        let worst = ours
            .iter()
            .zip(&sentence.mean_pooled_normalized)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        eprintln!("{}: largest difference {worst:e}", sentence.text);
        assert!(worst < 1e-4, "{}: off by {worst}", sentence.text);
    }
}

#[test]
fn word_pieces_map_back_to_words_and_character_spans() {
    let Some(minilm) = minilm() else { return };
    let text = "Flights to Zürich on Friday";
    let pieces = minilm.pieces(text).unwrap();
    let words: Vec<String> = pieces
        .words
        .iter()
        .map(|span| text.chars().skip(span.start).take(span.len()).collect())
        .collect();
    assert_eq!(words, ["Flights", "to", "Zürich", "on", "Friday"]);
    // Every piece but [CLS] and [SEP] belongs to exactly one word, in order.
    let covered: Vec<usize> = pieces.word_pieces.iter().flat_map(|r| r.clone()).collect();
    assert_eq!(covered, (1..pieces.ids.len() - 1).collect::<Vec<_>>());
}
