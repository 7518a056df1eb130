//! Spans: the BIO tag set, encoding labelled spans as tags, decoding the tagger's scores into a
//! valid tag sequence (constrained Viterbi) and reading spans back out of it.
//!
//! A span label is an entity type, optionally with a role: `city`, `location:origin`.

use crate::tokenize::Word;
use serde::{Deserialize, Serialize};

/// The tags `O`, `B-<label>`, `I-<label>` for a list of span labels.
///
/// Tag 0 is `O`; label `i` has `B` at `1 + 2i` and `I` at `2 + 2i`.
///
/// ```
/// use slotfill::spans::TagSet;
/// let tags = TagSet::new(["city".to_string()]);
/// let sequence = tags.encode(4, &[(1, 3, "city")]).unwrap();
/// assert_eq!(sequence, [0, 1, 2, 0]);
/// assert_eq!(tags.name(2), "I-city");
/// let spans = tags.spans(&sequence);
/// assert_eq!((spans[0].start, spans[0].end, tags.label(spans[0].label)), (1, 3, "city"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagSet {
    labels: Vec<String>,
}

/// A span over words `start..end` with the index of its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagSpan {
    /// First word.
    pub start: usize,
    /// One past the last word.
    pub end: usize,
    /// Index into the tag set's labels.
    pub label: usize,
}

impl TagSpan {
    /// The span without the punctuation at its edges ("tomorrow !" → "tomorrow"), or `None`
    /// when nothing else is left. A "." glued to a one-letter word stays: it ends an
    /// abbreviation ("7 p.m.", "d.c."). For values a resolver reads; a title may end in "!".
    ///
    /// ```
    /// use slotfill::spans::TagSpan;
    /// use slotfill::tokenize::{Tokenizer, WordSplit};
    /// let words = Tokenizer::new(WordSplit::Punctuation).words("at 7 p.m. tomorrow!").unwrap();
    /// let span = |start, end| TagSpan { start, end, label: 0 };
    /// // "tomorrow!" loses its "!", "7 p.m." keeps its last "."
    /// assert_eq!(span(6, 8).without_edge_punctuation(&words), Some(span(6, 7)));
    /// assert_eq!(span(1, 6).without_edge_punctuation(&words), Some(span(1, 6)));
    /// assert_eq!(span(7, 8).without_edge_punctuation(&words), None);
    /// ```
    pub fn without_edge_punctuation(self, words: &[Word]) -> Option<TagSpan> {
        let punctuation = |i: usize| words[i].text.chars().all(|c| !c.is_alphanumeric());
        let ends_abbreviation = |i: usize| {
            i > 0
                && words[i].text == "."
                && words[i - 1].end == words[i].start
                && words[i - 1].text.chars().count() == 1
                && words[i - 1].text.chars().all(char::is_alphabetic)
        };
        let mut span = self;
        while span.start < span.end && punctuation(span.start) {
            span.start += 1;
        }
        while span.end > span.start
            && punctuation(span.end - 1)
            && !(span.end - 1 > span.start && ends_abbreviation(span.end - 1))
        {
            span.end -= 1;
        }
        (span.start < span.end).then_some(span)
    }
}

/// `text` with the characters of `spans` (character ranges) blanked: the words around them.
pub(crate) fn outside(text: &str, spans: impl Iterator<Item = (usize, usize)> + Clone) -> String {
    text.chars()
        .enumerate()
        .map(
            |(at, c)| match spans.clone().any(|(start, end)| (start..end).contains(&at)) {
                true => ' ',
                false => c,
            },
        )
        .collect()
}

type CharClass = fn(char) -> bool;

const DIGIT: CharClass = |c| c.is_ascii_digit();

/// The words the tokenizer splits at punctuation: digits joined by a decimal point, letters
/// joined by hyphens.
const SPLIT_WORDS: [(CharClass, &[&str]); 2] =
    [(DIGIT, &[".", ","]), (char::is_alphabetic, &["-"])];

/// `spans` widened over the words they cut, decimal numbers ("2.5", "-3") and hyphenated words
/// ("Saint-Denis", "Stratford-upon-Avon"), and of two spans that then overlap the later
/// trimmed to what follows the earlier, or dropped when nothing does. The tagger sees "2.5"
/// as "2", "." and "5", and "Saint-Denis" as "Saint", "-" and "Denis", and may tag a part
/// alone, or the parts apart, where the word is one value.
pub(crate) fn over_whole_words(spans: Vec<TagSpan>, words: &[Word]) -> Vec<TagSpan> {
    let all = |i: usize, class: CharClass| {
        let text = &words[i].text;
        !text.is_empty() && text.chars().all(class)
    };
    let glued = |i: usize| words[i].end == words[i + 1].start;
    // The words of the whole word each word is part of: "2", "." and "5" of "2.5" all map to it.
    let mut whole_of: Vec<(usize, usize)> = (0..words.len()).map(|i| (i, i + 1)).collect();
    let mut first = 0;
    while first < words.len() {
        let mut end = first + 1;
        if let Some((class, joiners)) = SPLIT_WORDS.iter().find(|(class, _)| all(first, *class)) {
            while end + 1 < words.len()
                && glued(end - 1)
                && joiners.contains(&words[end].text.as_str())
                && glued(end)
                && all(end + 1, *class)
            {
                end += 2;
            }
        }
        whole_of[first..end].fill((first, end));
        first = end;
    }
    // "-3": a minus glued to a number and to nothing before it is the number's sign.
    let signed = |start: usize| {
        let minus = start.checked_sub(1).filter(|&i| {
            words[i].text == "-" && glued(i) && all(start, DIGIT) && (i == 0 || !glued(i - 1))
        });
        minus.unwrap_or(start)
    };
    let mut kept: Vec<TagSpan> = Vec::new();
    for span in spans {
        let mut widened = TagSpan {
            start: signed(whole_of[span.start].0),
            end: whole_of[span.end - 1].1,
            label: span.label,
        };
        if let Some(last) = kept.last() {
            widened.start = widened.start.max(last.end);
        }
        if widened.start < widened.end {
            kept.push(widened);
        }
    }
    kept
}

const OUTSIDE: u32 = 0;

/// Joint decoding tries at most this many of the likeliest intents...
const JOINT_CANDIDATES: usize = 3;
/// ...and of those only the ones at least this fraction as likely as the likeliest.
const JOINT_MIN_RATIO: f32 = 1e-3;

impl TagSet {
    /// The tag set for these labels (sorted, duplicates removed).
    pub fn new(labels: impl IntoIterator<Item = String>) -> Self {
        let mut labels: Vec<String> = labels.into_iter().collect();
        labels.sort();
        labels.dedup();
        TagSet { labels }
    }

    /// Number of tags, `O` included.
    pub fn len(&self) -> usize {
        1 + 2 * self.labels.len()
    }

    /// True when there are no labels (only `O`).
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The span labels.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The name of label `index`.
    pub fn label(&self, index: usize) -> &str {
        &self.labels[index]
    }

    /// Index of a label.
    pub fn label_index(&self, label: &str) -> Option<usize> {
        self.labels.binary_search_by(|l| l.as_str().cmp(label)).ok()
    }

    /// Conventional name of tag `tag`: `O`, `B-x` or `I-x`.
    pub fn name(&self, tag: u32) -> String {
        match tag {
            OUTSIDE => "O".to_string(),
            t if t % 2 == 1 => format!("B-{}", self.labels[(t as usize - 1) / 2]),
            t => format!("I-{}", self.labels[(t as usize - 2) / 2]),
        }
    }

    /// Tags for `words` words with spans `(start, end, label)` over word indices.
    /// Fails on an unknown label or overlapping spans.
    pub fn encode(&self, words: usize, spans: &[(usize, usize, &str)]) -> Result<Vec<u32>, String> {
        let mut tags = vec![OUTSIDE; words];
        for &(start, end, label) in spans {
            let index =
                self.label_index(label)
                    .ok_or_else(|| format!("unknown span label `{label}`"))? as u32;
            if start >= end || end > words {
                return Err(format!("span {start}..{end} is outside 0..{words}"));
            }
            if tags[start..end].iter().any(|&t| t != OUTSIDE) {
                return Err(format!("span {start}..{end} overlaps another span"));
            }
            tags[start] = 1 + 2 * index;
            for tag in &mut tags[start + 1..end] {
                *tag = 2 + 2 * index;
            }
        }
        Ok(tags)
    }

    /// True when tag `next` may follow `previous` (`None`: at the start).
    pub fn allowed(&self, previous: Option<u32>, next: u32) -> bool {
        if next == OUTSIDE || next % 2 == 1 {
            return true;
        }
        // B-x and I-x of label i are 1 + 2i and 2 + 2i: both give i from (tag - 1) / 2.
        matches!(previous, Some(p) if p != OUTSIDE && (p - 1) / 2 == (next - 1) / 2)
    }

    /// Transition scores that forbid invalid BIO: `0` where tag `to` may follow tag `from`,
    /// `-inf` where not; `len() * len()` values, row `from`. Row `len()` is the start.
    pub fn transition_mask(&self) -> Vec<f32> {
        let n = self.len();
        let mut mask = vec![0.0; (n + 1) * n];
        for from in 0..=n {
            let previous = (from < n).then_some(from as u32);
            for to in 0..n {
                if !self.allowed(previous, to as u32) {
                    mask[from * n + to] = f32::NEG_INFINITY;
                }
            }
        }
        mask
    }

    /// The highest-scoring tag sequence and its score: `scores` holds `len()` scores per word,
    /// word after word; `transitions` is laid out as [`TagSet::transition_mask`] (which it
    /// should include, so that the result is valid BIO).
    pub fn viterbi(&self, scores: &[f32], transitions: &[f32]) -> (Vec<u32>, f32) {
        let n = self.len();
        let words = scores.len() / n;
        if words == 0 {
            return (Vec::new(), 0.0);
        }
        let start = &transitions[n * n..];
        let mut best: Vec<f32> = (0..n).map(|t| start[t] + scores[t]).collect();
        let mut back = vec![0u32; words * n];
        let mut next = vec![0f32; n];
        for word in 1..words {
            for to in 0..n {
                let (from, score) = (0..n)
                    .map(|from| (from, best[from] + transitions[from * n + to]))
                    .fold(
                        (0, f32::NEG_INFINITY),
                        |acc, x| if x.1 > acc.1 { x } else { acc },
                    );
                next[to] = score + scores[word * n + to];
                back[word * n + to] = from as u32;
            }
            std::mem::swap(&mut best, &mut next);
        }
        let (last, score) = (0..n).fold((0, f32::NEG_INFINITY), |acc, t| {
            if best[t] > acc.1 {
                (t, best[t])
            } else {
                acc
            }
        });
        let mut tag = last as u32;
        let mut path = vec![0u32; words];
        for word in (0..words).rev() {
            path[word] = tag;
            tag = back[word * n + tag as usize];
        }
        (path, score)
    }

    /// The probability of each tag at each word (laid out as `scores`) under the chain of
    /// `scores` and `transitions` (laid out as for [`TagSet::viterbi`]): forward-backward, so
    /// that a word's confidence counts the tags around it as the CRF does.
    ///
    /// ```
    /// use slotfill::spans::TagSet;
    /// let tags = TagSet::new(["city".to_string()]); // O, B-city, I-city
    /// let scores = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
    /// let marginals = tags.marginals(&scores, &tags.transition_mask());
    /// // I-city cannot start an utterance.
    /// assert!(marginals[2] < 1e-6);
    /// for word in marginals.chunks(3) {
    ///     assert!((word.iter().sum::<f32>() - 1.0).abs() < 1e-5);
    /// }
    /// ```
    pub fn marginals(&self, scores: &[f32], transitions: &[f32]) -> Vec<f32> {
        let n = self.len();
        let words = scores.len() / n;
        if words == 0 {
            return Vec::new();
        }
        // In probabilities, each word's forward values scaled to sum to 1: no logarithms in
        // the inner loops, which parse latency notices.
        let weights: Vec<f32> = transitions.iter().map(|t| t.exp()).collect();
        let emissions: Vec<f32> = scores
            .chunks(n)
            .flat_map(|word| {
                let max = word.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                word.iter().map(move |s| (s - max).exp())
            })
            .collect();
        let mut forward = vec![0f32; words * n];
        let mut scale = vec![0f32; words];
        for word in 0..words {
            let (done, rest) = forward.split_at_mut(word * n);
            let current = &mut rest[..n];
            match word {
                0 => current.copy_from_slice(&weights[n * n..]),
                _ => {
                    for (from, &previous) in done[(word - 1) * n..].iter().enumerate() {
                        let row = &weights[from * n..(from + 1) * n];
                        for (into, weight) in current.iter_mut().zip(row) {
                            *into += previous * weight;
                        }
                    }
                }
            }
            for (into, emission) in current.iter_mut().zip(&emissions[word * n..]) {
                *into *= emission;
            }
            scale[word] = current.iter().sum::<f32>().max(f32::MIN_POSITIVE);
            current.iter_mut().for_each(|f| *f /= scale[word]);
        }
        let mut backward = vec![1f32; words * n];
        for word in (0..words - 1).rev() {
            for from in 0..n {
                backward[word * n + from] = (0..n)
                    .map(|to| {
                        weights[from * n + to]
                            * emissions[(word + 1) * n + to]
                            * backward[(word + 1) * n + to]
                    })
                    .sum::<f32>()
                    / scale[word + 1];
            }
        }
        forward.iter().zip(&backward).map(|(f, b)| f * b).collect()
    }

    /// `scores` (laid out as for [`TagSet::viterbi`]) with `penalty` taken off the `B` tag of
    /// every label outside `labels`, so that each span of another label costs that much.
    ///
    /// ```
    /// use slotfill::spans::TagSet;
    /// let tags = TagSet::new(["city".to_string(), "date".to_string()]);
    /// let scores = tags.restrict(&[0.0, 1.0, 1.0, 1.0, 1.0], &[1], 5.0);
    /// assert_eq!(scores, [0.0, -4.0, 1.0, 1.0, 1.0]);
    /// ```
    pub fn restrict(&self, scores: &[f32], labels: &[usize], penalty: f32) -> Vec<f32> {
        let n = self.len();
        let mut cost = vec![penalty; n];
        cost[OUTSIDE as usize] = 0.0;
        for tag in (2..n).step_by(2) {
            cost[tag] = 0.0;
        }
        for &label in labels {
            cost[1 + 2 * label] = 0.0;
        }
        scores
            .iter()
            .enumerate()
            .map(|(i, &s)| s - cost[i % n])
            .collect()
    }

    /// Decodes the tags and the intent together. Each of the likeliest intents decodes the
    /// tags with `penalty` (in log-probability) taken off every span whose label is not in its
    /// `intent_labels` entry; `intent_probs` is rescaled by how close each intent's sequence
    /// comes to the unrestricted best, and the tags of the intent that is then likeliest are
    /// returned. A penalty of 0 is plain [`TagSet::viterbi`].
    ///
    /// ```
    /// use slotfill::spans::TagSet;
    /// let tags = TagSet::new(["city".to_string(), "date".to_string()]);
    /// // One word that reads more like a date than a city.
    /// let scores = [-3.0, -1.6, -9.0, -0.3, -9.0];
    /// // Intent 0 (weather: cities) is a little likelier than intent 1 (alarm: dates).
    /// let mut intent_probs = [0.55, 0.45];
    /// let intent_labels = [vec![0], vec![1]];
    /// let path = tags.decode_with_intent(
    ///     &scores, &tags.transition_mask(), &mut intent_probs, &intent_labels, 4.0);
    /// assert_eq!(tags.name(path[0]), "B-date");
    /// assert!(intent_probs[1] > intent_probs[0]);
    /// ```
    pub fn decode_with_intent(
        &self,
        scores: &[f32],
        transitions: &[f32],
        intent_probs: &mut [f32],
        intent_labels: &[Vec<usize>],
        penalty: f32,
    ) -> Vec<u32> {
        let (best, best_score) = self.viterbi(scores, transitions);
        if penalty <= 0.0 || intent_labels.len() != intent_probs.len() || intent_probs.is_empty() {
            return best;
        }
        let mut ranked: Vec<usize> = (0..intent_probs.len()).collect();
        ranked.sort_by(|&a, &b| intent_probs[b].total_cmp(&intent_probs[a]));
        let top = intent_probs[ranked[0]];
        // Each candidate's fit is the probability of its best restricted sequence relative to
        // the unrestricted best; intents too unlikely to be tried keep the worst fit.
        let decoded: Vec<(usize, Vec<u32>, f32)> = ranked
            .into_iter()
            .take(JOINT_CANDIDATES)
            .filter(|&i| intent_probs[i] >= top * JOINT_MIN_RATIO)
            .map(|i| {
                let restricted = self.restrict(scores, &intent_labels[i], penalty);
                let (path, score) = self.viterbi(&restricted, transitions);
                (i, path, (score - best_score).exp())
            })
            .collect();
        let worst = decoded.iter().map(|d| d.2).fold(1.0, f32::min);
        let mut fit = vec![worst; intent_probs.len()];
        for (i, _, f) in &decoded {
            fit[*i] = *f;
        }
        let total: f32 = intent_probs.iter().zip(&fit).map(|(p, f)| p * f).sum();
        if total.is_nan() || total <= 0.0 {
            return best;
        }
        for (p, f) in intent_probs.iter_mut().zip(&fit) {
            *p *= f / total;
        }
        decoded
            .into_iter()
            .max_by(|a, b| intent_probs[a.0].total_cmp(&intent_probs[b.0]))
            .map_or(best, |d| d.1)
    }

    /// The spans of a tag sequence. A stray `I-x` (not after `B-x`/`I-x`) starts a span, as
    /// conlleval does.
    pub fn spans(&self, tags: &[u32]) -> Vec<TagSpan> {
        let mut spans: Vec<TagSpan> = Vec::new();
        let mut open: Option<TagSpan> = None;
        for (i, &tag) in tags.iter().enumerate() {
            let continues = tag != OUTSIDE
                && tag % 2 == 0
                && matches!(open, Some(s) if s.label == (tag as usize - 2) / 2);
            if continues {
                if let Some(span) = open.as_mut() {
                    span.end = i + 1;
                }
                continue;
            }
            spans.extend(open.take());
            if tag != OUTSIDE {
                open = Some(TagSpan {
                    start: i,
                    end: i + 1,
                    label: (tag as usize - 1) / 2,
                });
            }
        }
        spans.extend(open);
        spans
    }

    /// Parses a conventional tag name (`O`, `B-x`, `I-x`).
    pub fn tag(&self, name: &str) -> Option<u32> {
        if name == "O" {
            return Some(OUTSIDE);
        }
        let (prefix, label) = name.split_once('-')?;
        let index = self.label_index(label)? as u32;
        match prefix {
            "B" => Some(1 + 2 * index),
            "I" => Some(2 + 2 * index),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    fn tagset() -> TagSet {
        TagSet::new(["a".to_string(), "b".to_string()])
    }

    /// Forward-backward agrees with summing over every tag sequence.
    #[test]
    fn marginals_sum_over_every_sequence() {
        let tags = tagset();
        let n = tags.len();
        let words = 3;
        let scores: Vec<f32> = (0..words * n).map(|i| ((i * 7) % 5) as f32 * 0.3).collect();
        let mut transitions = tags.transition_mask();
        for (i, t) in transitions.iter_mut().enumerate() {
            *t += ((i * 3) % 4) as f32 * 0.2;
        }
        let mut expected = vec![0f64; words * n];
        let mut total = 0f64;
        for code in 0..n.pow(words as u32) {
            let path: Vec<usize> = (0..words).map(|w| code / n.pow(w as u32) % n).collect();
            let mut score = transitions[n * n + path[0]] + scores[path[0]];
            for w in 1..words {
                score += transitions[path[w - 1] * n + path[w]] + scores[w * n + path[w]];
            }
            let weight = (score as f64).exp();
            total += weight;
            for (w, &tag) in path.iter().enumerate() {
                expected[w * n + tag] += weight;
            }
        }
        let marginals = tags.marginals(&scores, &transitions);
        for (got, want) in marginals.iter().zip(&expected) {
            assert!(
                (*got as f64 - want / total).abs() < 1e-5,
                "{got} vs {}",
                want / total
            );
        }
    }

    #[test]
    fn spans_cover_whole_decimal_numbers() {
        use crate::tokenize::{Tokenizer, WordSplit};
        let words = Tokenizer::new(WordSplit::Punctuation)
            .words("for 2.5 people, at 7. 30")
            .unwrap();
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(
            texts,
            ["for", "2", ".", "5", "people", ",", "at", "7", ".", "30"]
        );
        let span = |start, end, label| TagSpan { start, end, label };
        // "2" and "5" tagged apart become one "2.5"; "7." and "30" are two words apart.
        assert_eq!(
            over_whole_words(vec![span(1, 2, 0), span(3, 4, 1), span(7, 9, 2)], &words),
            [span(1, 4, 0), span(7, 9, 2)]
        );
        assert_eq!(
            over_whole_words(vec![span(9, 10, 0)], &words),
            [span(9, 10, 0)]
        );
    }

    #[test]
    fn spans_cover_whole_hyphenated_words() {
        use crate::tokenize::{Tokenizer, WordSplit};
        let words = Tokenizer::new(WordSplit::Punctuation)
            .words("Saint-Denis tomorrow, Stratford-upon-Avon - 5-7")
            .unwrap();
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "saint",
                "-",
                "denis",
                "tomorrow",
                ",",
                "stratford",
                "-",
                "upon",
                "-",
                "avon",
                "-",
                "5",
                "-",
                "7"
            ]
        );
        let span = |start, end, label| TagSpan { start, end, label };
        // "Saint" takes "Denis" from the date, which keeps "tomorrow"; "upon-Avon" is no date.
        assert_eq!(
            over_whole_words(
                vec![span(0, 1, 0), span(2, 4, 1), span(5, 6, 0), span(7, 10, 1)],
                &words
            ),
            [span(0, 3, 0), span(3, 4, 1), span(5, 10, 0)]
        );
        // A hyphen between spaces or digits joins nothing; before a number alone it is its sign.
        let signed = Tokenizer::new(WordSplit::Punctuation)
            .words("-3 or 5-7")
            .unwrap();
        assert_eq!(
            over_whole_words(vec![span(1, 2, 0), span(4, 5, 0)], &signed),
            [span(0, 2, 0), span(4, 5, 0)]
        );
        assert_eq!(
            over_whole_words(
                vec![span(9, 10, 0), span(11, 12, 1), span(13, 14, 1)],
                &words
            ),
            [span(5, 10, 0), span(11, 12, 1), span(13, 14, 1)]
        );
    }

    #[test]
    fn encode_and_decode_round_trip() {
        let tags = tagset();
        let seq = tags
            .encode(6, &[(0, 2, "b"), (3, 4, "a"), (4, 6, "a")])
            .unwrap();
        assert_eq!(seq, [3, 4, 0, 1, 1, 2]);
        let spans = tags.spans(&seq);
        let got: Vec<_> = spans
            .iter()
            .map(|s| (s.start, s.end, tags.label(s.label)))
            .collect();
        assert_eq!(got, [(0, 2, "b"), (3, 4, "a"), (4, 6, "a")]);
        let names: Vec<_> = seq.iter().map(|&t| tags.name(t)).collect();
        let back: Vec<_> = names.iter().map(|n| tags.tag(n).unwrap()).collect();
        assert_eq!(back, seq);
    }

    #[test]
    fn encode_rejects_bad_spans() {
        let tags = tagset();
        assert!(tags.encode(3, &[(0, 2, "c")]).is_err());
        assert!(tags.encode(3, &[(0, 2, "a"), (1, 3, "b")]).is_err());
        assert!(tags.encode(3, &[(2, 4, "a")]).is_err());
    }

    #[test]
    fn stray_inside_tag_starts_a_span() {
        let tags = tagset();
        let spans = tags.spans(&[0, 2, 2, 4]);
        let got: Vec<_> = spans.iter().map(|s| (s.start, s.end, s.label)).collect();
        assert_eq!(got, [(1, 3, 0), (3, 4, 1)]);
    }

    #[test]
    fn viterbi_never_emits_invalid_bio() {
        let tags = tagset();
        let n = tags.len();
        // Word 0 prefers I-a (invalid at the start), word 1 prefers I-b after it.
        let mut scores = vec![-5.0f32; 2 * n];
        scores[2] = -0.1;
        scores[1] = -0.5;
        scores[n + 4] = -0.1;
        scores[n + 2] = -0.3;
        let (path, score) = tags.viterbi(&scores, &tags.transition_mask());
        assert_eq!(path, [1, 2]);
        assert_eq!(score, -0.5 + -0.3);
        for (i, &tag) in path.iter().enumerate() {
            let previous = if i == 0 { None } else { Some(path[i - 1]) };
            assert!(tags.allowed(previous, tag));
        }
    }

    #[test]
    fn viterbi_matches_brute_force() {
        let tags = tagset();
        let n = tags.len();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut random = move || -rng.random_range(0.0f32..10.0);
        for round in 0..50 {
            let words = 3;
            let scores: Vec<f32> = (0..words * n).map(|_| random()).collect();
            let mut transitions = tags.transition_mask();
            if round % 2 == 1 {
                for t in transitions.iter_mut() {
                    *t += random();
                }
            }
            let mut best = (f32::NEG_INFINITY, vec![]);
            for code in 0..n.pow(words as u32) {
                let path: Vec<usize> = (0..words).map(|w| code / n.pow(w as u32) % n).collect();
                let score: f32 = (0..words)
                    .map(|w| {
                        let from = if w == 0 { n } else { path[w - 1] };
                        scores[w * n + path[w]] + transitions[from * n + path[w]]
                    })
                    .sum();
                if score > best.0 {
                    best = (score, path.iter().map(|&t| t as u32).collect());
                }
            }
            let (path, score) = tags.viterbi(&scores, &transitions);
            assert_eq!(path, best.1);
            assert!((score - best.0).abs() < 1e-4);
        }
    }

    /// Joint decoding of one word that reads a little more like a city than a date, under
    /// tags `city` and `date`: the word's tag and the rescaled intent probabilities.
    fn decode_city_or_date(
        mut intent_probs: Vec<f32>,
        intent_labels: &[Vec<usize>],
        penalty: f32,
    ) -> (String, Vec<f32>) {
        let tags = TagSet::new(["city".to_string(), "date".to_string()]);
        let scores = [-3.0, -0.5, -9.0, -1.0, -9.0];
        let path = tags.decode_with_intent(
            &scores,
            &tags.transition_mask(),
            &mut intent_probs,
            intent_labels,
            penalty,
        );
        (tags.name(path[0]), intent_probs)
    }

    #[test]
    fn a_confident_intent_pulls_the_tags_to_its_labels() {
        let (tag, probs) = decode_city_or_date(vec![0.1, 0.9], &[vec![0], vec![1]], 4.0);
        assert_eq!(tag, "B-date");
        assert!(probs[1] > 0.8 && (probs.iter().sum::<f32>() - 1.0).abs() < 1e-5);
    }

    #[test]
    fn without_a_penalty_tags_and_intents_are_decoded_apart() {
        let (tag, probs) = decode_city_or_date(vec![0.1, 0.9], &[vec![0], vec![1]], 0.0);
        assert_eq!(tag, "B-city");
        assert_eq!(probs, [0.1, 0.9]);
    }

    #[test]
    fn intents_whose_labels_all_fit_keep_their_odds() {
        let labels = [vec![0, 1], vec![0], vec![1]];
        let (tag, probs) = decode_city_or_date(vec![0.3, 0.6, 0.1], &labels, 4.0);
        assert_eq!(tag, "B-city");
        assert!((probs[1] / probs[0] - 2.0).abs() < 1e-4);
        assert!(probs[2] < 0.1);
    }
}
