//! Word features besides the vocabulary id: hashed character n-grams, so that unseen words
//! (a new city, a typo) still look like something, and lookup-list (gazetteer) membership, as
//! Snips NLU and Rasa feed their taggers.

use crate::tokenize::Word;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// Hashed character n-grams (n = 2..=4, and the whole word) of `<word>`, in `1..buckets`;
/// bucket 0 is left free for padding.
pub(crate) fn char_ngrams(word: &str, buckets: u32) -> Vec<u32> {
    const MAX_CHARS: usize = 30;
    let chars: Vec<char> = std::iter::once('<')
        .chain(word.chars().take(MAX_CHARS))
        .chain(std::iter::once('>'))
        .collect();
    let mut ids = vec![bucket(&chars, buckets)];
    for n in 2..=4 {
        if chars.len() > n {
            ids.extend(chars.windows(n).map(|gram| bucket(gram, buckets)));
        }
    }
    ids
}

/// Hashed pairs of neighbouring words, in `1..buckets`: with each word's [`char_ngrams`]
/// (whose first is the whole word), the bag of n-grams that a TF-IDF intent classifier reads.
pub(crate) fn word_bigrams<'w>(words: impl Iterator<Item = &'w str>, buckets: u32) -> Vec<u32> {
    let words: Vec<Vec<char>> = words.map(|w| w.to_lowercase().chars().collect()).collect();
    words
        .windows(2)
        .map(|pair| {
            // A separator no word holds keeps "ab c" and "a bc" apart.
            let joined: Vec<char> = [&pair[0][..], &['\u{1f}'], &pair[1][..]].concat();
            bucket(&joined, buckets)
        })
        .collect()
}

fn bucket(chars: &[char], buckets: u32) -> u32 {
    // FNV-1a: stable across platforms and releases, unlike std's hasher.
    let mut hash: u32 = 0x811c_9dc5;
    for &c in chars {
        for byte in (c as u32).to_le_bytes() {
            hash ^= byte as u32;
            hash = hash.wrapping_mul(0x0100_0193);
        }
    }
    1 + hash % (buckets - 1)
}

/// What the bot asked just before a message: the context a reply is read in, so that "4"
/// asked for the party is the party and "Berlin" asked "where from?" the origin. The model
/// sees it as one feature of every word ([`Questions`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Asked {
    /// Nothing: the message opens a request.
    #[default]
    Nothing,
    /// The question for `slot` of the form of `intent`.
    Slot {
        /// The form's intent.
        intent: String,
        /// The slot asked for.
        slot: String,
    },
    /// Whether the form of this intent is right as it stands.
    Confirmation(String),
    /// What to change in the form of this intent.
    Change(String),
}

impl Asked {
    /// Its name among a model's [`Questions`]; `None` for [`Asked::Nothing`].
    fn key(&self) -> Option<String> {
        match self {
            Asked::Nothing => None,
            Asked::Slot { intent, slot } => Some(format!("{intent} slot {slot}")),
            Asked::Confirmation(intent) => Some(format!("{intent} confirmation")),
            Asked::Change(intent) => Some(format!("{intent} change")),
        }
    }
}

/// An [`Asked`] as written on the command line: `slot:INTENT.SLOT`, `confirmation:INTENT`,
/// `change:INTENT` or `nothing`.
///
/// ```
/// use slotfill::parse::Asked;
/// let asked: Asked = "slot:book_table.party_size".parse().unwrap();
/// assert_eq!(asked, Asked::Slot { intent: "book_table".into(), slot: "party_size".into() });
/// assert_eq!("confirmation:book_table".parse(), Ok(Asked::Confirmation("book_table".into())));
/// assert!("party_size".parse::<Asked>().is_err());
/// ```
impl std::str::FromStr for Asked {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let asked = match text.split_once(':') {
            _ if text == "nothing" => Some(Asked::Nothing),
            Some(("slot", form)) => form.split_once('.').map(|(intent, slot)| Asked::Slot {
                intent: intent.to_string(),
                slot: slot.to_string(),
            }),
            Some(("confirmation", intent)) => Some(Asked::Confirmation(intent.to_string())),
            Some(("change", intent)) => Some(Asked::Change(intent.to_string())),
            _ => None,
        };
        asked
            .filter(|asked| !matches!(asked, Asked::Slot { intent, slot } if intent.is_empty() || slot.is_empty()))
            .ok_or_else(|| {
                format!(
                    "`{text}` names no question: write `slot:INTENT.SLOT`, \
                     `confirmation:INTENT`, `change:INTENT` or `nothing`"
                )
            })
    }
}

/// The questions a model reads replies to, one feature each: set at every word of a reply to
/// that question, none of them for a message read without one (and for a question the model
/// was not trained with, such as one a bot gained after training).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Questions(Vec<String>);

impl Questions {
    /// The questions `asked` among them, sorted and without repeats.
    pub(crate) fn new<'a>(asked: impl IntoIterator<Item = &'a Asked>) -> Self {
        let mut keys: Vec<String> = asked.into_iter().filter_map(Asked::key).collect();
        keys.sort();
        keys.dedup();
        Questions(keys)
    }

    /// Whether the model reads no question.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Feature values per word.
    pub fn dims(&self) -> usize {
        self.0.len()
    }

    /// The features of a reply to `asked`: one-hot, or all zero.
    pub(crate) fn features(&self, asked: &Asked) -> Vec<f32> {
        let mut features = vec![0.0; self.dims()];
        if let Some(index) = asked.key().and_then(|key| self.0.binary_search(&key).ok()) {
            features[index] = 1.0;
        }
        features
    }
}

/// A named list of phrases (normalized words joined by single spaces).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Gazetteer {
    /// The entity type the list belongs to.
    pub name: String,
    /// The phrases.
    pub phrases: BTreeSet<String>,
    /// Also every name of the built-in place gazetteer (cities and countries).
    #[serde(default)]
    pub places: bool,
}

/// Longest place name, in words, looked up in the place gazetteer.
const MAX_PLACE_WORDS: usize = 4;

impl Gazetteer {
    fn max_words(&self) -> usize {
        let listed = self
            .phrases
            .iter()
            .map(|p| p.split(' ').count())
            .max()
            .unwrap_or(0);
        if self.places {
            listed.max(MAX_PLACE_WORDS)
        } else {
            listed
        }
    }
}

/// Lookup-list features: for each list, whether a word begins or continues a listed phrase
/// (longest match first, left to right).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(from = "StoredGazetteers", into = "StoredGazetteers")]
pub struct Gazetteers {
    lists: Vec<Gazetteer>,
    /// Every listed phrase and every word-prefix of one, with the lists that hold it (none for
    /// a bare prefix): matching grows a phrase word by word only while something listed
    /// still starts with it, instead of trying every length against every list.
    index: HashMap<String, Vec<usize>>,
    /// The lists that also hold every place name, each with its longest phrase in words (the
    /// longest place name it takes).
    place_lists: Vec<(usize, usize)>,
    /// Longest phrase, in words, looked up in the place gazetteer (0 without place lists).
    place_words: usize,
}

/// What a model's config stores of its lookup lists.
#[derive(Serialize, Deserialize)]
struct StoredGazetteers {
    lists: Vec<Gazetteer>,
}

impl From<StoredGazetteers> for Gazetteers {
    fn from(stored: StoredGazetteers) -> Self {
        Gazetteers::with_layout(stored.lists)
    }
}

impl From<Gazetteers> for StoredGazetteers {
    fn from(gazetteers: Gazetteers) -> Self {
        StoredGazetteers {
            lists: gazetteers.lists,
        }
    }
}

impl Gazetteers {
    /// Features from these lists (empty lists are dropped).
    pub fn new(lists: Vec<Gazetteer>) -> Self {
        Gazetteers::with_layout(
            lists
                .into_iter()
                .filter(|l| l.places || !l.phrases.is_empty())
                .collect(),
        )
    }

    /// Every list in `lists`, empty or not, gives features, in this order.
    fn with_layout(lists: Vec<Gazetteer>) -> Self {
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        for (list_index, list) in lists.iter().enumerate() {
            for phrase in &list.phrases {
                for (end, _) in phrase.match_indices(' ') {
                    index.entry(phrase[..end].to_string()).or_default();
                }
                index.entry(phrase.clone()).or_default().push(list_index);
            }
        }
        let place_lists: Vec<(usize, usize)> = lists
            .iter()
            .enumerate()
            .filter(|(_, list)| list.places)
            .map(|(list_index, list)| (list_index, list.max_words()))
            .collect();
        let place_words = place_lists
            .iter()
            .map(|&(_, words)| words)
            .max()
            .unwrap_or(0);
        Gazetteers {
            lists,
            index,
            place_lists,
            place_words,
        }
    }

    /// The same lists, in the same feature layout, holding only the phrases that
    /// `keep(list name, phrase)` accepts.
    pub(crate) fn filtered(&self, keep: impl Fn(&str, &str) -> bool) -> Gazetteers {
        let lists = self
            .lists
            .iter()
            .map(|list| Gazetteer {
                name: list.name.clone(),
                phrases: list
                    .phrases
                    .iter()
                    .filter(|phrase| keep(&list.name, phrase))
                    .cloned()
                    .collect(),
                places: list.places,
            })
            .collect();
        Gazetteers::with_layout(lists)
    }

    /// Feature values per word.
    pub fn dims(&self) -> usize {
        2 * self.lists.len()
    }

    /// `words.len() * dims()` values, word after word.
    pub fn features(&self, words: &[Word]) -> Vec<f32> {
        let dims = self.dims();
        let count = words.len();
        // `matched[list * count + start]`: words in the longest phrase of `list` at `start`.
        let mut matched = vec![0; self.lists.len() * count];
        let mut phrase = String::new();
        for start in 0..count {
            phrase.clear();
            for (len, word) in (1..).zip(&words[start..]) {
                if len > 1 {
                    phrase.push(' ');
                }
                phrase.push_str(&word.text);
                let listed = self.index.get(&phrase);
                for &list in listed.into_iter().flatten() {
                    matched[list * count + start] = len;
                }
                if len <= self.place_words && crate::resolve::place::gazetteer().contains(&phrase) {
                    for &(list, longest) in &self.place_lists {
                        if len <= longest {
                            matched[list * count + start] = len;
                        }
                    }
                }
                if listed.is_none() && len >= self.place_words {
                    break;
                }
            }
        }
        let mut out = vec![0.0; count * dims];
        for (list, lengths) in matched.chunks(count.max(1)).enumerate() {
            let mut start = 0;
            while start < count {
                match lengths[start] {
                    0 => start += 1,
                    len => {
                        out[start * dims + 2 * list] = 1.0;
                        for word in start + 1..start + len {
                            out[word * dims + 2 * list + 1] = 1.0;
                        }
                        start += len;
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Word> {
        text.split(' ')
            .map(|w| Word {
                text: w.to_string(),
                start: 0,
                end: 0,
            })
            .collect()
    }

    #[test]
    fn a_question_is_one_feature_and_an_unknown_one_none() {
        let party = Asked::Slot {
            intent: "book".into(),
            slot: "party".into(),
        };
        let confirm = Asked::Confirmation("book".into());
        let questions = Questions::new([&confirm, &party, &Asked::Nothing, &party]);
        assert_eq!(questions.dims(), 2);
        assert_eq!(questions.features(&party), [0.0, 1.0]);
        assert_eq!(questions.features(&confirm), [1.0, 0.0]);
        assert_eq!(questions.features(&Asked::Nothing), [0.0, 0.0]);
        assert_eq!(
            questions.features(&Asked::Change("book".into())),
            [0.0, 0.0]
        );
        assert_eq!(Questions::default().features(&party), Vec::<f32>::new());
    }

    #[test]
    fn ngrams_are_stable_and_in_range() {
        let ids = char_ngrams("paris", 1000);
        assert_eq!(ids, char_ngrams("paris", 1000));
        assert!(ids.iter().all(|&id| (1..1000).contains(&id)));
        // whole word + 6 bigrams + 5 trigrams + 4 four-grams of "<paris>"
        assert_eq!(ids.len(), 1 + 6 + 5 + 4);
        assert_ne!(char_ngrams("pariss", 1000), ids);
    }

    #[test]
    fn longest_phrase_wins() {
        let gazetteers = Gazetteers::new(vec![Gazetteer {
            name: "city".into(),
            phrases: ["new york", "york", "paris"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            places: false,
        }]);
        let f = gazetteers.features(&words("fly new york to paris"));
        assert_eq!(f, [0., 0., 1., 0., 0., 1., 0., 0., 1., 0.]);
    }

    /// Longest match by trying every length against every list, as features were computed
    /// before the index.
    fn features_by_trying_every_length(gazetteers: &Gazetteers, words: &[Word]) -> Vec<f32> {
        let dims = gazetteers.dims();
        let mut out = vec![0.0; words.len() * dims];
        for (list_index, list) in gazetteers.lists.iter().enumerate() {
            let longest = list.max_words();
            let mut start = 0;
            while start < words.len() {
                let matched = (1..=longest.min(words.len() - start)).rev().find(|&len| {
                    let phrase: Vec<&str> = words[start..start + len]
                        .iter()
                        .map(|w| w.text.as_str())
                        .collect();
                    let phrase = phrase.join(" ");
                    list.phrases.contains(&phrase)
                        || (list.places && crate::resolve::place::gazetteer().contains(&phrase))
                });
                let len = matched.unwrap_or(1);
                if matched.is_some() {
                    out[start * dims + 2 * list_index] = 1.0;
                    for word in start + 1..start + len {
                        out[word * dims + 2 * list_index + 1] = 1.0;
                    }
                }
                start += len;
            }
        }
        out
    }

    #[test]
    fn the_index_finds_what_trying_every_length_finds() {
        use rand::{seq::IndexedRandom, Rng, SeedableRng};
        let vocabulary = [
            "new",
            "york",
            "city",
            "paris",
            "san",
            "francisco",
            "the",
            "big",
            "apple",
            "to",
            "rock",
            "jazz",
            "wave",
            "of",
            "are",
            "so",
        ];
        let list = |name: &str, phrases: &[&str], places: bool| Gazetteer {
            name: name.into(),
            phrases: phrases.iter().map(|s| s.to_string()).collect(),
            places,
        };
        let gazetteers = Gazetteers::new(vec![
            list(
                "city",
                &["new york", "new york city", "paris", "the big apple"],
                false,
            ),
            list(
                "genre",
                &["rock", "new wave", "jazz", "new wave of rock"],
                false,
            ),
            list(
                "location",
                &["big apple", "the city of new york is so big"],
                true,
            ),
            list("word", &["york", "the", "so"], false),
        ]);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        for _ in 0..2000 {
            let len = rng.random_range(0..12);
            let text: Vec<&str> = (0..len)
                .map(|_| *vocabulary.choose(&mut rng).unwrap())
                .collect();
            let utterance = words(&text.join(" "));
            assert_eq!(
                gazetteers.features(&utterance),
                features_by_trying_every_length(&gazetteers, &utterance),
                "{text:?}"
            );
        }
    }
}

#[cfg(test)]
mod place_tests {
    use super::*;

    #[test]
    fn place_gazetteer_marks_cities_never_listed() {
        let gazetteers = Gazetteers::new(vec![Gazetteer {
            name: "location".into(),
            places: true,
            ..Gazetteer::default()
        }]);
        let words: Vec<Word> = "weather in sao paulo"
            .split(' ')
            .map(|w| Word {
                text: w.to_string(),
                start: 0,
                end: 0,
            })
            .collect();
        assert_eq!(
            gazetteers.features(&words),
            [0., 0., 0., 0., 1., 0., 0., 1.]
        );
    }
}
