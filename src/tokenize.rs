//! Tokenize: split text into words, keeping each word's character offsets in the original
//! text, and map words to vocabulary ids.
//!
//! Built on the `tokenizers` crate (a BERT normalizer that lower-cases and strips accents, a
//! pre-tokenizer, a word-level vocabulary) so the whole setup is saved as a standard
//! `tokenizer.json` beside the model.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::path::Path;
use tokenizers::models::wordlevel::WordLevel;
use tokenizers::normalizers::bert::BertNormalizer;
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::pre_tokenizers::whitespace::WhitespaceSplit;
use tokenizers::{
    Model, Normalizer, OffsetReferential, OffsetType, PreTokenizedString, PreTokenizer,
    PreTokenizerWrapper,
};

/// A language whose Snowball stemmer can key the vocabulary (see
/// [`Tokenizer::with_stemmer`]).
pub use rust_stemmers::Algorithm as StemLanguage;

/// The token that stands for every word outside the vocabulary.
pub const UNK: &str = "[UNK]";

/// How text is cut into words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WordSplit {
    /// On whitespace and around punctuation: "5pm, please!" → `5pm` `,` `please` `!`.
    Punctuation,
    /// On whitespace only, for corpora that are already tokenized (SNIPS, ATIS).
    Whitespace,
}

/// A word with its position in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Normalized form: lower-cased, accents stripped.
    pub text: String,
    /// Start in characters of the original text.
    pub start: usize,
    /// End (exclusive) in characters of the original text.
    pub end: usize,
}

/// Splits text into words and maps them to ids.
///
/// ```
/// use slotfill::tokenize::{Tokenizer, WordSplit};
/// let tokenizer = Tokenizer::new(WordSplit::Punctuation).with_vocabulary(["paris"]).unwrap();
/// let words = tokenizer.words("À Paris, vite!").unwrap();
/// let texts: Vec<_> = words.iter().map(|w| w.text.as_str()).collect();
/// assert_eq!(texts, ["a", "paris", ",", "vite", "!"]);
/// assert_eq!((words[1].start, words[1].end), (2, 7));
/// assert_ne!(tokenizer.id("paris"), tokenizer.id("vite"));
/// assert_eq!(tokenizer.id("vite"), tokenizer.unk_id());
/// ```
#[derive(Clone)]
pub struct Tokenizer {
    inner: tokenizers::Tokenizer,
    unk_id: u32,
    stemmer: Option<StemLanguage>,
}

fn tokenizer_error(e: impl std::fmt::Display) -> Error {
    Error::Text(format!("tokenizer: {e}"))
}

impl Tokenizer {
    /// A tokenizer whose vocabulary holds only [`UNK`].
    pub fn new(split: WordSplit) -> Self {
        let normalizer =
            BertNormalizer::new(true, split == WordSplit::Punctuation, Some(true), true);
        let pre_tokenizer: PreTokenizerWrapper = match split {
            WordSplit::Punctuation => BertPreTokenizer.into(),
            WordSplit::Whitespace => WhitespaceSplit.into(),
        };
        let mut inner = tokenizers::Tokenizer::new(vocabulary_model(std::iter::empty()));
        inner.with_pre_tokenizer(Some(pre_tokenizer));
        inner
            .with_normalizer(Some(normalizer))
            .expect("a BERT normalizer is always accepted");
        Tokenizer {
            inner,
            unk_id: 0,
            stemmer: None,
        }
    }

    /// The same tokenizer keying its vocabulary by each word's stem in `language`, so that
    /// an inflection never seen in training ("showtime" where training said "showtimes")
    /// still maps to a known entry. Words keep their surface form; only ids change.
    ///
    /// ```
    /// use slotfill::tokenize::{StemLanguage, Tokenizer, WordSplit};
    /// let tokenizer = Tokenizer::new(WordSplit::Whitespace).with_stemmer(Some(StemLanguage::English));
    /// assert_eq!(tokenizer.vocabulary_form("showtimes"), "showtim");
    /// let tokenizer = tokenizer.with_vocabulary(["showtim"]).unwrap();
    /// assert_eq!(tokenizer.id("showtime"), tokenizer.id("showtimes"));
    /// assert_ne!(tokenizer.id("showtime"), tokenizer.unk_id());
    /// ```
    pub fn with_stemmer(mut self, language: Option<StemLanguage>) -> Self {
        self.stemmer = language;
        self
    }

    /// The form under which a normalized word is kept in the vocabulary: its stem with a
    /// stemmer, else the word itself.
    pub fn vocabulary_form<'a>(&self, word: &'a str) -> Cow<'a, str> {
        match self.stemmer {
            Some(language) => rust_stemmers::Stemmer::create(language).stem(word),
            None => Cow::Borrowed(word),
        }
    }

    /// The same tokenizer with `words` (already normalized, in their
    /// [`Tokenizer::vocabulary_form`]) as its vocabulary, given ids from 1 in order.
    pub fn with_vocabulary<'a>(mut self, words: impl IntoIterator<Item = &'a str>) -> Result<Self> {
        self.inner.with_model(vocabulary_model(words.into_iter()));
        Ok(self)
    }

    /// Cuts `text` into normalized words with character offsets.
    pub fn words(&self, text: &str) -> Result<Vec<Word>> {
        let mut pre = PreTokenizedString::from(text);
        if let Some(normalizer) = self.inner.get_normalizer() {
            pre.normalize(|s| normalizer.normalize(s))
                .map_err(tokenizer_error)?;
        }
        if let Some(pre_tokenizer) = self.inner.get_pre_tokenizer() {
            pre_tokenizer
                .pre_tokenize(&mut pre)
                .map_err(tokenizer_error)?;
        }
        Ok(pre
            .get_splits(OffsetReferential::Original, OffsetType::Char)
            .into_iter()
            .filter(|(word, _, _)| !word.is_empty())
            .map(|(word, (start, end), _)| Word {
                text: word.to_string(),
                start,
                end,
            })
            .collect())
    }

    /// The vocabulary id of a normalized word ([`Tokenizer::unk_id`] when unknown).
    pub fn id(&self, word: &str) -> u32 {
        self.inner
            .get_model()
            .token_to_id(&self.vocabulary_form(word))
            .unwrap_or(self.unk_id)
    }

    /// The id of [`UNK`].
    pub fn unk_id(&self) -> u32 {
        self.unk_id
    }

    /// Number of ids, [`UNK`] included.
    pub fn vocab_size(&self) -> usize {
        self.inner.get_model().get_vocab_size()
    }

    /// Writes `tokenizer.json`.
    pub fn save(&self, path: &Path) -> Result<()> {
        self.inner.save(path, false).map_err(tokenizer_error)
    }

    /// Reads a `tokenizer.json` written by [`Tokenizer::save`]. The stemmer is not part of
    /// the file: set it again with [`Tokenizer::with_stemmer`].
    pub fn load(path: &Path) -> Result<Self> {
        let inner = tokenizers::Tokenizer::from_file(path).map_err(tokenizer_error)?;
        let unk_id = inner
            .get_model()
            .token_to_id(UNK)
            .ok_or_else(|| tokenizer_error(format!("{} has no {UNK} token", path.display())))?;
        Ok(Tokenizer {
            inner,
            unk_id,
            stemmer: None,
        })
    }
}

/// Serde for an optional [`StemLanguage`] by its lower-case name (`stem: english`), as the
/// rest of the model config is written.
pub(crate) mod stem_language {
    use super::StemLanguage;
    use serde::de::value::StrDeserializer;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        language: &Option<StemLanguage>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match language {
            Some(language) => serializer.serialize_str(&format!("{language:?}").to_lowercase()),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<StemLanguage>, D::Error> {
        let Some(name) = Option::<String>::deserialize(deserializer)? else {
            return Ok(None);
        };
        let mut chars = name.chars();
        let capitalized: String = chars
            .next()
            .into_iter()
            .flat_map(char::to_uppercase)
            .chain(chars.flat_map(char::to_lowercase))
            .collect();
        StemLanguage::deserialize(StrDeserializer::<D::Error>::new(&capitalized)).map(Some)
    }
}

fn vocabulary_model<'a>(words: impl Iterator<Item = &'a str>) -> WordLevel {
    let mut vocab = ahash::AHashMap::new();
    vocab.insert(UNK.to_string(), 0);
    for word in words {
        let next = vocab.len() as u32;
        vocab.entry(word.to_string()).or_insert(next);
    }
    WordLevel::builder()
        .vocab(vocab)
        .unk_token(UNK.to_string())
        .build()
        .expect("a vocabulary that contains its unknown token is valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_characters_of_the_original_text() {
        let tokenizer = Tokenizer::new(WordSplit::Punctuation);
        let text = "Zürich → São Paulo at 5pm";
        let words = tokenizer.words(text).unwrap();
        let chars: Vec<char> = text.chars().collect();
        for word in &words {
            let original: String = chars[word.start..word.end].iter().collect();
            assert_eq!(crate::tokenize::tests::fold(&original), word.text);
        }
        let texts: Vec<_> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["zurich", "→", "sao", "paulo", "at", "5pm"]);
    }

    fn fold(s: &str) -> String {
        let tokenizer = Tokenizer::new(WordSplit::Whitespace);
        tokenizer
            .words(s)
            .unwrap()
            .into_iter()
            .map(|w| w.text)
            .collect()
    }

    #[test]
    fn whitespace_split_keeps_corpus_tokens() {
        let tokenizer = Tokenizer::new(WordSplit::Whitespace);
        let words = tokenizer.words("  play  o'neil's   song ").unwrap();
        let texts: Vec<_> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["play", "o'neil's", "song"]);
    }

    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Stemmers see whatever words users type: every script, emoji, apostrophes, digits.
    #[test]
    fn stemming_takes_any_word() {
        let alphabet: Vec<char> = "aeiouyysnglt'’-0é ßçøÅа́яの🙂\u{301}".chars().collect();
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let tokenizer =
            Tokenizer::new(WordSplit::Punctuation).with_stemmer(Some(StemLanguage::English));
        for _ in 0..20_000 {
            let length = rng.random_range(0..16);
            let text: String = (0..length)
                .map(|_| alphabet[rng.random_range(0..alphabet.len())])
                .collect();
            for word in tokenizer.words(&text).unwrap() {
                tokenizer.id(&word.text);
            }
            tokenizer.vocabulary_form(&text);
        }
    }

    #[test]
    fn save_and_load_keep_the_vocabulary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokenizer.json");
        let tokenizer = Tokenizer::new(WordSplit::Punctuation)
            .with_vocabulary(["book", "table"])
            .unwrap();
        tokenizer.save(&path).unwrap();
        let loaded = Tokenizer::load(&path).unwrap();
        assert_eq!(loaded.id("table"), tokenizer.id("table"));
        assert_eq!(loaded.vocab_size(), 3);
        assert_eq!(loaded.words("Book!").unwrap().len(), 2);
    }
}
