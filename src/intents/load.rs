//! Loading and checking a bot folder: every problem is collected, each with its file, its line
//! and the fix, so that one `slotfill check` run shows them all.

use super::annotation::{is_name_char, parse_example};
use super::schema::{self, BuiltinResolver, LookupValue, Settings, SlotKind};
use super::template::placeholders;
use super::OUT_OF_SCOPE;
use super::{
    Action, CheckedValidation, EntityType, Example, Intent, Intents, Slot, Source, SourceKind,
    Warning,
};
use crate::{Error, Result};
use serde_saphyr::{MessageFormatter, Spanned, UserMessageFormatter};
use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Collected problems as file, line and message; line 0 means "somewhere in the file".
///
/// With the files' texts it can point at a key of a block whose values carry no line of
/// their own (settings, an action, a slot's `validate`).
#[derive(Default)]
pub(super) struct Problems<'a> {
    found: Vec<(PathBuf, u32, String)>,
    warnings: Vec<Warning>,
    texts: HashMap<&'a Path, &'a str>,
}

impl<'a> Problems<'a> {
    /// Problems of `files`, whose texts give the lines of keys.
    pub(super) fn of(files: &'a [(PathBuf, String)]) -> Self {
        Problems {
            found: Vec::new(),
            warnings: Vec::new(),
            texts: files
                .iter()
                .map(|(p, t)| (p.as_path(), t.as_str()))
                .collect(),
        }
    }

    pub(super) fn add(&mut self, file: &Path, line: u64, message: String) {
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        self.found.push((file.to_path_buf(), line, message));
    }

    /// Something the bot works with, but that is likely a slip.
    fn warn(&mut self, file: &Path, line: u64, message: String) {
        self.warnings.push(Warning {
            file: file.to_path_buf(),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            message,
        });
    }

    /// The line of `key` in the block that starts on `block_line`, or `block_line` when the
    /// key is not found there (it was defaulted).
    fn line_of(&self, file: &Path, block_line: u64, key: &str) -> u64 {
        self.texts
            .get(file)
            .and_then(|text| key_line(text, block_line, key))
            .unwrap_or(block_line)
    }

    /// Adds a problem at the line of `key` in the block that starts on `block_line`.
    fn add_at_key(&mut self, file: &Path, block_line: u64, key: &str, message: String) {
        let line = self.line_of(file, block_line, key);
        self.add(file, line, message);
    }

    /// `Ok(value)` when nothing was found, else every problem sorted by file and line.
    ///
    /// The same message on several lines of a file (an undeclared entity that many examples
    /// use) is reported once, with the other lines, so that one slip is one problem.
    pub(super) fn finish<T>(mut self, value: T) -> Result<T> {
        if self.found.is_empty() {
            return Ok(value);
        }
        self.found.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        let mut merged: Vec<(PathBuf, u32, String, Vec<u32>)> = Vec::new();
        let mut first: HashMap<(PathBuf, String), usize> = HashMap::new();
        for (file, line, message) in self.found {
            match first.entry((file.clone(), message.clone())) {
                Entry::Occupied(e) => {
                    let (_, first_line, _, also) = &mut merged[*e.get()];
                    if *first_line != line && also.last() != Some(&line) {
                        also.push(line);
                    }
                }
                Entry::Vacant(e) => {
                    e.insert(merged.len());
                    merged.push((file, line, message, Vec::new()));
                }
            }
        }
        let errors = merged
            .into_iter()
            .map(|(file, line, mut message, also)| {
                if !also.is_empty() {
                    let mut lines: Vec<String> = also.iter().take(10).map(u32::to_string).collect();
                    if also.len() > 10 {
                        lines.push("…".into());
                    }
                    let s = if also.len() > 1 { "s" } else { "" };
                    message += &format!(" (also on line{s} {})", lines.join(", "));
                }
                Error::Intents {
                    file,
                    line,
                    message,
                }
            })
            .collect();
        Err(Error::Many(errors))
    }
}

fn line<T>(s: &Spanned<T>) -> u64 {
    s.referenced.line()
}

/// The 1-based line of `key:` in the YAML mapping whose first key is on line `block_line`
/// (that line, flow style `{key: …}` included, or a later one indented as far or further).
pub(super) fn key_line(text: &str, block_line: u64, key: &str) -> Option<u64> {
    let first = usize::try_from(block_line).ok()?.checked_sub(1)?;
    let mut lines = text.lines().enumerate().skip(first);
    let (_, head) = lines.next()?;
    // The column of the mapping's keys: `- ` starts a list item and its first key.
    let depth = head.len() - head.trim_start_matches([' ', '-']).len();
    let has_key = |line: &str| {
        line.match_indices(key).any(|(at, _)| {
            let before = line[..at].chars().next_back();
            let after = &line[at + key.len()..];
            before.is_none_or(|c| " \t{,-".contains(c)) && after.starts_with(':')
        })
    };
    if has_key(head) {
        return Some(block_line);
    }
    lines
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .take_while(|(_, l)| l.len() - l.trim_start().len() >= depth)
        .find(|(_, l)| has_key(l))
        .map(|(i, _)| i as u64 + 1)
}

/// Reads the `*.yaml` and `*.yml` files of `dir`, sorted by name.
pub(super) fn read_dir(dir: &Path) -> Result<Vec<(PathBuf, String)>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        let yaml = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        );
        if yaml && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    if paths.is_empty() {
        return Err(Error::Intents {
            file: dir.to_path_buf(),
            line: 0,
            message: "no *.yaml files here; create one with an `intents:` list".into(),
        });
    }
    paths
        .into_iter()
        .map(|p| {
            let text = read_text(&p)?;
            Ok((p, text))
        })
        .collect()
}

/// The text of a YAML file; one that is not UTF-8 is a problem at the line of its first
/// stray byte (a file saved as Latin-1 or Windows-1252 by an editor).
pub(super) fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        let byte = e.as_bytes()[valid.len()];
        let mut problems = Problems::default();
        problems.add(
            path,
            line,
            format!(
                "the file is not UTF-8 (byte 0x{byte:02X} here is no UTF-8 character); \
                 save the file as UTF-8"
            ),
        );
        problems.finish(()).unwrap_err()
    })
}

/// Parses one file (a bot's, or one of its language's); a syntax error or an unknown key is
/// recorded and gives `None`.
pub(super) fn parse_file<T: serde::de::DeserializeOwned + Default>(
    file: &Path,
    text: &str,
    problems: &mut Problems<'_>,
) -> Option<T> {
    // An empty or comment-only file is a valid (empty) part of a bot.
    let blank = text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---"
    });
    if blank {
        return Some(T::default());
    }
    match serde_saphyr::from_str::<T>(text) {
        Ok(f) => Some(f),
        Err(e) => {
            let e = e.without_snippet();
            let line = e.location().map_or(0, |l| l.line());
            let (line, message) = explain_yaml_error(e, text, line);
            problems.add(file, line, message);
            None
        }
    }
}

/// The advice for the most common YAML slip in examples, shared by several hints.
macro_rules! quote_example {
    () => {
        "quote an example that starts with `[` or holds `: ` or ` #`: `- \"[Paris](location) weather\"`"
    };
}

/// Fixes for the parser's messages, by a clue in the message; the first match wins.
const HINTS: &[(&str, &str)] = &[
    (
        "escape",
        "inside double quotes a backslash starts an escape: write `\\\\[` there, \
         or use single quotes ('a \\[b\\]')",
    ),
    ("tab", "indent with spaces, not tabs"),
    (
        "expected ','",
        concat!("close the list with `]`, or ", quote_example!()),
    ),
    (
        "did not find expected",
        "check the indentation: a key's children are indented further than the key, \
         with spaces, and list items start with `- `",
    ),
    (
        "unclosed bracket",
        concat!("close the list with `]`, or ", quote_example!()),
    ),
    (
        "expected sequence",
        "this key takes a list: `- item` lines or `[a, b]`",
    ),
    ("missing field", "add it"),
    ("invalid boolean", "write `true` or `false`"),
    (
        "expected string",
        concat!("write text here; ", quote_example!()),
    ),
    (
        "LookupValue",
        "a lookup value is a string (quote numbers: `- \"42\"`) \
         or `{value: New York, synonyms: [NYC]}`",
    ),
];

/// What a value that serde could not read as a number or a bool must be, by a clue in the
/// parser's message.
const EXPECTED_VALUES: &[(&str, &str)] = &[
    ("u64", "a whole number ≥ 0"),
    ("u32", "a whole number ≥ 0"),
    ("usize", "a whole number ≥ 0"),
    ("floating point", "a number"),
    ("boolean", "`true` or `false`"),
];

/// The line and the message for a YAML error found at `line` of `text`: what was expected
/// for which key, and the fix for the usual mistakes.
pub(super) fn explain_yaml_error(e: &serde_saphyr::Error, text: &str, line: u64) -> (u64, String) {
    let raw: String = UserMessageFormatter
        .format_message(e)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let source_line = usize::try_from(line)
        .ok()
        .and_then(|l| text.lines().nth(l.checked_sub(1)?))
        .unwrap_or_default();
    // `name:greet` is one string to YAML, whatever the parser then says.
    if let Some(key) = glued_key(source_line) {
        return (
            line,
            format!("put a space after `{key}:` (`{key}: …`); without one, YAML reads the line as one text"),
        );
    }
    // A `[` left open runs on over the next lines, and the parser stumbles on a later one.
    let syntax = [
        "indicator",
        "while parsing",
        "did not find expected",
        "unclosed",
    ];
    let open = unclosed_bracket(text, line).filter(|_| syntax.iter().any(|c| raw.contains(c)));
    if let Some(open) = open {
        return (
            open,
            "the `[` on this line is never closed, so YAML reads the lines after it as part of \
             the list; end the list with `]`"
                .to_string(),
        );
    }
    if let Some((_, expected)) = EXPECTED_VALUES
        .iter()
        .find(|(clue, _)| raw.starts_with("invalid") && raw.contains(clue))
    {
        let message = match key_and_value(source_line) {
            Some((key, value)) => format!("`{key}` must be {expected}, not `{value}`"),
            None => format!("{raw}; write {expected} here"),
        };
        return (line, message);
    }
    if raw.contains("null is not allowed") {
        let what = match key_and_value(source_line) {
            Some((key, _)) => format!("`{key}` has no value"),
            None => "an empty list item (`- ` with nothing after it)".to_string(),
        };
        return (line, format!("{what}; write the value, or remove the line"));
    }
    if let Some(rest) = raw
        .split_once("duplicate mapping key")
        .map(|(_, rest)| rest)
    {
        let key = rest.split('`').nth(1).unwrap_or("a key");
        return (
            line,
            format!("`{key}` is written twice in this block; keep one (merge their items)"),
        );
    }
    let Some((kind, got, allowed)) = unknown_name(&raw) else {
        let message = match HINTS.iter().find(|(clue, _)| raw.contains(clue)) {
            Some((_, hint)) => format!("{raw}; {hint}"),
            None => raw,
        };
        return (line, message);
    };
    let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
    let what = if kind == "unknown field" {
        "key"
    } else {
        "value"
    };
    let mut message = format!("unknown {what} `{got}`");
    if !allowed.is_empty() {
        message += &format!(
            "{}allowed here: {}",
            did_you_mean(&got, allowed.iter().copied()),
            allowed.join(", ")
        );
    }
    if kind == "unknown field" {
        message +=
            " (if the key is right, check its indentation: it may sit under the wrong parent)";
    }
    (line, message)
}

/// The key and value of a `key: value` (or `- key: value`) line.
fn key_and_value(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.trim().trim_start_matches("- ").split_once(':')?;
    let key_like = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_');
    key_like.then(|| (key, value.trim()))
}

/// The key of a line that glues its value to the colon: `- name:greet`.
fn glued_key(line: &str) -> Option<&str> {
    let (key, value) = key_and_value(line)?;
    let glued = line.split_once(':')?.1;
    let url = value.starts_with("//");
    (!value.is_empty() && !glued.starts_with([' ', '\t']) && !url).then_some(key)
}

/// The line, at or before `line`, of a flow list `[` that no `]` closes.
fn unclosed_bracket(text: &str, line: u64) -> Option<u64> {
    let last = usize::try_from(line).ok()?;
    text.lines()
        .take(last)
        .enumerate()
        .filter(|(_, l)| {
            let unquoted = l.split(['"', '\'']).step_by(2).collect::<String>();
            unquoted.matches('[').count() > unquoted.matches(']').count()
        })
        .map(|(i, _)| i as u64 + 1)
        .last()
        .filter(|&open| open < line)
}

/// Reads serde's "unknown field `x`, expected one of `a`, `b`" (or "unknown variant …") into
/// the kind, the name given and the names allowed.
pub(crate) fn unknown_name(message: &str) -> Option<(&'static str, String, Vec<String>)> {
    let (kind, rest) = ["unknown field", "unknown variant"]
        .into_iter()
        .find_map(|k| message.find(k).map(|i| (k, &message[i + k.len()..])))?;
    let (got, expected) = rest.split_once("expected")?;
    let unquote = |s: &str| s.trim().trim_matches('`').to_string();
    let got = unquote(got.trim().trim_end_matches(','));
    let expected = expected.trim_start().trim_start_matches("one of");
    let allowed = expected
        .split(',')
        .map(unquote)
        .filter(|s| !s.is_empty())
        .collect();
    Some((kind, got, allowed))
}

/// The candidate closest to `word` when it is close enough to be a likely typo.
fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::osa_distance(&word, &c.to_lowercase()), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// The separator before a fix: "; did you mean `x`? " when a candidate is a likely typo of
/// `word`, else "; ".
fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    suggest(word, candidates).map_or("; ".into(), |s| format!("; did you mean `{s}`? "))
}

fn check_name(what: &str, name: &str, file: &Path, line: u64, problems: &mut Problems<'_>) {
    if name.is_empty() || !name.chars().all(is_name_char) {
        problems.add(
            file,
            line,
            format!(
                "{what} name `{name}` is not a valid name; use letters, digits, `_`, `-` and `.`"
            ),
        );
    }
}

/// Where something was first defined, for "already defined at" messages.
type Seen<'a> = HashMap<String, (&'a Path, u64)>;

fn check_unique<'a>(
    seen: &mut Seen<'a>,
    what: &str,
    name: &str,
    file: &'a Path,
    line: u64,
    problems: &mut Problems<'_>,
) {
    if let Some((f, l)) = seen.get(name) {
        problems.add(
            file,
            line,
            format!(
                "{what} `{name}` is already defined at {}:{l}; rename one or merge them",
                f.display()
            ),
        );
    } else {
        seen.insert(name.to_string(), (file, line));
    }
}

/// Checks the placeholders of a template against the names it may use: `allowed` is what
/// they name (slots) and those names.
fn check_template(
    what: &str,
    template: &str,
    allowed: (&str, &[&str]),
    file: &Path,
    line: u64,
    problems: &mut Problems<'_>,
) {
    let (kind, names) = allowed;
    // A slot defined twice is reported as such; it is one name to use.
    let mut unique: Vec<&str> = Vec::new();
    for &name in names {
        if !unique.contains(&name) {
            unique.push(name);
        }
    }
    for name in placeholders(template) {
        if !unique.contains(&name) {
            let fix = if unique.is_empty() {
                format!("there are no {kind}s to use")
            } else {
                format!("use one of {}", braced(&unique))
            };
            problems.add(
                file,
                line,
                format!(
                    "{what} uses `{{{name}}}`, which names no {kind}{}{fix}",
                    did_you_mean(name, unique.iter().copied())
                ),
            );
        }
    }
}

pub(super) fn braced(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("{{{n}}}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Loads and checks a whole bot from its files, in the given order.
pub(super) fn check_files(files: &[(PathBuf, String)]) -> Result<Intents> {
    let mut problems = Problems::of(files);
    let parsed: Vec<(&Path, schema::File)> = files
        .iter()
        .filter_map(|(path, text)| {
            parse_file::<schema::File>(path, text, &mut problems).map(|f| (path.as_path(), f))
        })
        .collect();

    let settings = check_settings(&parsed, &mut problems);
    let entities = check_entities(&parsed, &mut problems);
    let entity_names: Vec<&str> = entities.iter().map(|e| e.name.as_str()).collect();
    let resolvers: HashMap<&str, Option<BuiltinResolver>> = entities
        .iter()
        .map(|e| (e.name.as_str(), e.resolver))
        .collect();

    let mut seen = Seen::new();
    let mut intents = Vec::new();
    let mut defs = Vec::new();
    for (file, f) in &parsed {
        for def in &f.intents {
            let name = &def.name.value;
            check_name("intent", name, file, line(&def.name), &mut problems);
            check_unique(
                &mut seen,
                "intent",
                name,
                file,
                line(&def.name),
                &mut problems,
            );
            intents.push(check_intent(
                file,
                def,
                &entity_names,
                &resolvers,
                &mut problems,
            ));
            defs.push((*file, def));
        }
    }

    let vocabulary = Vocabulary::new(&entities, &intents);
    let mut texts = HashMap::new();
    let examples: Vec<Vec<Example>> = defs
        .iter()
        .zip(&intents)
        .map(|((file, def), intent)| {
            if def.examples.is_empty() {
                problems.add(
                    file,
                    line(&def.name),
                    format!(
                        "intent `{}` has no examples; add a few utterances under `examples:`",
                        intent.name
                    ),
                );
            }
            def.examples
                .iter()
                .filter_map(|ex| {
                    let checked = vocabulary.example(file, ex, intent, &mut problems)?;
                    let new = check_duplicate(
                        &mut texts,
                        &checked.text,
                        intent,
                        file,
                        line(ex),
                        &mut problems,
                    );
                    new.then_some(checked)
                })
                .collect()
        })
        .collect();
    for (intent, examples) in intents.iter_mut().zip(examples) {
        intent.examples = examples;
    }
    check_source_intents(&defs, &mut problems);

    let warnings = std::mem::take(&mut problems.warnings);
    problems.finish(Intents {
        language: crate::lang::Language::shipped(&settings.language).unwrap_or_default(),
        settings,
        entities,
        intents,
        warnings,
    })
}

/// Loads and checks a whole bot folder's files: [`check_files`], and the bot must have an
/// intent to train (a lone file, as tests load, may hold only entities).
pub(super) fn check_bot(files: &[(PathBuf, String)]) -> Result<Intents> {
    let bot = check_files(files)?;
    match files.first() {
        Some((file, _)) if bot.intents.iter().all(|i| i.name == OUT_OF_SCOPE) => {
            let mut problems = Problems::default();
            problems.add(
                file,
                0,
                "no intents; add an `intents:` list of what the bot does, each with a `name` \
                 and a few `examples`"
                    .into(),
            );
            problems.finish(bot)
        }
        _ => Ok(bot),
    }
}

/// The same utterance under two intents is a contradiction; twice under one it is a
/// copy-paste slip that changes nothing (Rasa's data repeats lines), so it is a warning and
/// kept once. Returns whether the example is new.
fn check_duplicate<'a>(
    texts: &mut HashMap<String, (String, &'a Path, u64)>,
    text: &str,
    intent: &Intent,
    file: &'a Path,
    line: u64,
    problems: &mut Problems<'_>,
) -> bool {
    let key = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    match texts.get(&key) {
        Some((other, f, l)) if *other == intent.name => {
            problems.warn(
                file,
                line,
                format!(
                    "example \"{text}\" of intent `{other}` is already at {}:{l}; it is kept once",
                    f.display()
                ),
            );
            false
        }
        Some((other, f, l)) => {
            problems.add(
                file,
                line,
                format!(
                    "example \"{text}\" is also an example of intent `{other}` at {}:{l}; \
                     keep it once, under the right intent",
                    f.display()
                ),
            );
            true
        }
        None => {
            texts.insert(key, (intent.name.clone(), file, line));
            true
        }
    }
}

fn check_settings(parsed: &[(&Path, schema::File)], problems: &mut Problems<'_>) -> Settings {
    let mut found: Option<(&Path, &Spanned<Settings>)> = None;
    for (file, f) in parsed {
        let Some(s) = &f.settings else { continue };
        if let Some((first, fs)) = found {
            problems.add(
                file,
                line(s),
                format!(
                    "settings are already set at {}:{}; keep a single `settings:` block \
                     for the whole folder",
                    first.display(),
                    line(fs)
                ),
            );
            continue;
        }
        found = Some((*file, s));
        let (v, l) = (&s.value, line(s));
        if !(0.0..=1.0).contains(&v.out_of_scope_threshold) {
            problems.add_at_key(
                file,
                l,
                "out_of_scope_threshold",
                format!(
                    "out_of_scope_threshold is {}; it is a probability, set it between 0 and 1",
                    v.out_of_scope_threshold
                ),
            );
        }
        if let Err(e) = super::time_zone(&v.time_zone) {
            problems.add_at_key(file, l, "time_zone", e.to_string());
        }
        if let Some(fallback) = &v.fallback {
            let fallback_line = problems.line_of(file, l, "fallback");
            check_template(
                "fallback",
                fallback,
                ("placeholder of the fallback", &["intents"]),
                file,
                fallback_line,
                problems,
            );
        }
        let code = &v.language;
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_lowercase()) {
            problems.add_at_key(
                file,
                l,
                "language",
                format!(
                    "language `{code}` is no ISO 639-1 code; write two lower-case letters, \
                     one of those slotfill ships ({}) or one the bot brings in lang/<code>/",
                    crate::lang::shipped_codes()
                ),
            );
        }
    }
    found.map(|(_, s)| s.value.clone()).unwrap_or_default()
}

fn check_entities(
    parsed: &[(&Path, schema::File)],
    problems: &mut Problems<'_>,
) -> Vec<EntityType> {
    let mut seen = Seen::new();
    let mut entities = Vec::new();
    for (file, f) in parsed {
        for def in &f.entities {
            let (name, l) = (&def.name.value, line(&def.name));
            check_name("entity", name, file, l, problems);
            check_unique(&mut seen, "entity", name, file, l, problems);
            let patterns = def
                .patterns
                .iter()
                .filter_map(|p| match regex::Regex::new(&p.value) {
                    Ok(r) => Some(r),
                    Err(e) => {
                        problems.add(file, line(p), regex_problem(&p.value, &e));
                        None
                    }
                })
                .collect();
            let values: Vec<(String, Vec<String>)> = def
                .values
                .iter()
                .map(|v| match v {
                    LookupValue::Plain(value) => (value.clone(), Vec::new()),
                    LookupValue::WithSynonyms { value, synonyms } => {
                        (value.clone(), synonyms.clone())
                    }
                })
                .collect();
            // A synonym that maps to two values cannot be resolved.
            let mut canonical: HashMap<String, &str> = HashMap::new();
            for (value, synonyms) in &values {
                for text in std::iter::once(value).chain(synonyms) {
                    if text.trim().is_empty() {
                        problems.add(
                            file,
                            l,
                            format!(
                                "entity `{name}` has an empty lookup value or synonym; remove it"
                            ),
                        );
                        continue;
                    }
                    match canonical.insert(text.to_lowercase(), value) {
                        Some(other) if other != value.as_str() => problems.add(
                            file,
                            l,
                            format!(
                                "entity `{name}`: `{text}` stands for both `{other}` and `{value}`; \
                                 keep it under one value"
                            ),
                        ),
                        _ => {}
                    }
                }
            }
            entities.push(EntityType {
                name: name.clone(),
                resolver: def.resolver.as_ref().map(|r| r.value),
                values,
                patterns,
            });
        }
    }
    entities
}

fn regex_problem(pattern: &str, e: &regex::Error) -> String {
    let detail: String = e
        .to_string()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    format!("invalid regex `{pattern}`: {detail}")
}

/// Checks an intent's slots, confirm and action; its examples come later, once every
/// intent's slot roles are known.
fn check_intent(
    file: &Path,
    def: &schema::IntentDef,
    entity_names: &[&str],
    resolvers: &HashMap<&str, Option<BuiltinResolver>>,
    problems: &mut Problems<'_>,
) -> Intent {
    let name = &def.name.value;
    let l = line(&def.name);
    if name == OUT_OF_SCOPE
        && (!def.slots.is_empty() || def.confirm.is_some() || def.action.is_some())
    {
        problems.add(
            file,
            l,
            format!(
                "`{OUT_OF_SCOPE}` holds examples of what the bot does not do, nothing else; \
                 remove its slots, confirm and action (the fallback reply is in `settings`)"
            ),
        );
    }

    let mut seen = Seen::new();
    for s in &def.slots {
        check_name("slot", &s.name.value, file, line(&s.name), problems);
        check_unique(
            &mut seen,
            "slot",
            &s.name.value,
            file,
            line(&s.name),
            problems,
        );
    }
    let slots: Vec<Slot> = def
        .slots
        .iter()
        .map(|s| check_slot(file, name, s, &def.slots, entity_names, resolvers, problems))
        .collect();

    // Two slots of one entity type must be told apart by role.
    let mut roles: HashMap<(&str, Option<&str>), &str> = HashMap::new();
    for (slot, slot_def) in slots.iter().zip(&def.slots) {
        let Some(entity) = &slot.entity else { continue };
        let key = (entity.as_str(), slot.role.as_deref());
        // Same name twice is already reported as a duplicate slot.
        if let Some(other) = roles.insert(key, &slot.name).filter(|o| **o != slot.name) {
            problems.add(
                file,
                line(&slot_def.name),
                format!(
                    "slots `{other}` and `{}` both take entity `{}` with role `{}`; \
                     give them different `role:`s (or leave `role` out: it defaults to the slot name)",
                    slot.name,
                    entity,
                    slot.role.as_deref().unwrap_or_default()
                ),
            );
        }
    }

    let slot_names: Vec<&str> = slots.iter().map(|s| s.name.as_str()).collect();
    if let Some(c) = &def.confirm {
        let slots = ("slot", &slot_names[..]);
        check_template("confirm", &c.value, slots, file, line(c), problems);
    }
    if let Some(ask) = &def.ask_to_continue {
        let slots = ("slot", &slot_names[..]);
        check_template(
            "ask_to_continue",
            &ask.value,
            slots,
            file,
            line(ask),
            problems,
        );
    }
    if let Some(act) = &def.act {
        if !def.slots.is_empty() || def.action.is_some() || def.confirm.is_some() {
            problems.add(
                file,
                line(act),
                format!(
                    "intent `{name}` is an `act`, which asks for nothing: remove its slots, \
                     confirm and action, or remove `act`"
                ),
            );
        }
    }
    let action = def.action.as_ref().map(|a| {
        if let Some(reply) = &a.reply {
            let reply_line = problems.line_of(file, l, "reply");
            let slots = ("slot", &slot_names[..]);
            check_template("action reply", reply, slots, file, reply_line, problems);
        }
        if a.webhook.is_some() && a.command.is_some() {
            problems.add_at_key(
                file,
                l,
                "command",
                "the action has both a `webhook` and a `command`; keep one".into(),
            );
        }
        if let Some(w) = &a.webhook {
            if !(w.url.starts_with("http://") || w.url.starts_with("https://")) {
                problems.add_at_key(
                    file,
                    l,
                    "url",
                    format!(
                        "webhook url `{}` must start with http:// or https://",
                        w.url
                    ),
                );
            }
        }
        if a.command.as_ref().is_some_and(|c| c.is_empty()) {
            problems.add_at_key(
                file,
                l,
                "command",
                "the action's `command` is empty; write the program and its arguments, \
                 e.g. `command: [python3, actions.py]`"
                    .into(),
            );
        }
        Action {
            name: a.name.clone().unwrap_or_else(|| name.clone()),
            reply: a.reply.clone(),
            webhook: a.webhook.clone(),
            command: a.command.clone(),
            ends_conversation: a.ends_conversation,
        }
    });

    Intent {
        name: name.clone(),
        examples: Vec::new(),
        slots,
        confirm: def.confirm.as_ref().map(|c| c.value.clone()),
        action,
        act: def.act.as_ref().map(|a| a.value),
        ask_to_continue: def.ask_to_continue.as_ref().map(|a| a.value.clone()),
    }
}

fn check_slot(
    file: &Path,
    intent: &str,
    s: &schema::SlotDef,
    siblings: &[schema::SlotDef],
    entity_names: &[&str],
    resolvers: &HashMap<&str, Option<BuiltinResolver>>,
    problems: &mut Problems<'_>,
) -> Slot {
    let (name, l) = (&s.name.value, line(&s.name));
    let from: Vec<Source> = s
        .from
        .iter()
        .filter_map(|source| check_source(file, name, source, entity_names, problems))
        .collect();
    // Without an `entity` of its own, the slot takes the entity and role of its first
    // entity source.
    let entity_source = from.iter().find_map(|source| match &source.kind {
        SourceKind::Entity { entity, role, .. } if s.entity.is_none() => Some((entity, role)),
        _ => None,
    });
    let entity = s.entity.as_ref().map(|e| &e.value);
    match (s.kind, &s.entity) {
        // Its sources fill it (or are reported themselves).
        (SlotKind::Value | SlotKind::List, None) if !s.from.is_empty() => {}
        (SlotKind::Value | SlotKind::List, None) => problems.add(
            file,
            l,
            format!(
                "slot `{name}` of intent `{intent}` has no `entity`; add the entity type that \
                 fills it, or set `kind: text` (the whole reply) or `kind: boolean` (yes/no)"
            ),
        ),
        (SlotKind::Boolean, Some(e)) => problems.add(
            file,
            line(e),
            format!(
                "boolean slot `{name}` is filled from yes/no and takes no `entity`; remove it, \
                 or fill it from an entity with `from: [{{entity: {}, values: {{…: true}}}}]`",
                e.value
            ),
        ),
        (_, Some(e)) if !entity_names.contains(&e.value.as_str()) => problems.add(
            file,
            line(e),
            format!(
                "slot `{name}` of intent `{intent}` uses unknown entity `{}`{}\
                 declare it under `entities:`",
                e.value,
                did_you_mean(&e.value, entity_names.iter().copied())
            ),
        ),
        _ => {}
    }
    // The documented default: the slot name is the role when another slot shares the entity.
    let shared = entity.is_some()
        && siblings
            .iter()
            .filter(|o| o.entity.as_ref().map(|e| &e.value) == entity)
            .count()
            > 1;
    let role = s
        .role
        .clone()
        .or_else(|| entity_source.and_then(|(_, role)| role.clone()))
        .or_else(|| shared.then(|| name.clone()));
    if let Some(r) = &s.role {
        check_name("role", r, file, l, problems);
    }
    // A default answers for the user, so a slot that has one is not asked for.
    let required = match (s.required, &s.default) {
        (Some(true), Some(_)) => {
            problems.add_at_key(
                file,
                l,
                "required",
                format!(
                    "slot `{name}` is `required: true` but has a `default`, which is used when \
                     the user gives no value; remove `required: true` (a slot with a default \
                     is optional), or remove the default to ask for it"
                ),
            );
            true
        }
        (required, default) => required.unwrap_or(default.is_none()),
    };
    if required && s.prompts.is_empty() {
        problems.add(
            file,
            l,
            format!(
                "required slot `{name}` has no prompts; add `prompts: [\"…?\"]` with the question \
                 that asks for it, or set `required: false`"
            ),
        );
    }
    let slot_names: Vec<&str> = siblings.iter().map(|o| o.name.value.as_str()).collect();
    let prompts_line = problems.line_of(file, l, "prompts");
    for p in &s.prompts {
        check_template(
            &format!("a prompt of slot `{name}`"),
            p,
            ("slot", &slot_names),
            file,
            prompts_line,
            problems,
        );
    }
    let resolver = entity
        .and_then(|e| resolvers.get(e.as_str()).copied())
        .flatten();
    let validate = s
        .validate
        .as_ref()
        .map(|v| check_validation(file, name, l, v, resolver, &slot_names, problems));
    let source_entity = entity_source
        .map(|(entity, _)| entity)
        .filter(|_| s.kind != SlotKind::Boolean);
    let entity = entity.or(source_entity);
    Slot {
        name: name.clone(),
        entity: entity.cloned(),
        kind: s.kind,
        role,
        required,
        prompts: s.prompts.clone(),
        default: s.default.clone(),
        validate,
        from,
    }
}

/// One source of a slot's value: exactly one of `entity`, `intent` (with a `value`),
/// `yes_no` and `text`, and the keys of another kind left out.
fn check_source(
    file: &Path,
    slot: &str,
    source: &Spanned<schema::SourceDef>,
    entity_names: &[&str],
    problems: &mut Problems<'_>,
) -> Option<Source> {
    let (def, l) = (&source.value, line(source));
    let kind = match (&def.entity, &def.intent, def.text, def.yes_no) {
        (Some(entity), None, false, false) => {
            if !entity_names.contains(&entity.as_str()) {
                problems.add(
                    file,
                    l,
                    format!(
                        "a source of slot `{slot}` uses unknown entity `{entity}`{}declare it \
                         under `entities:`",
                        did_you_mean(entity, entity_names.iter().copied())
                    ),
                );
            }
            if def.value.is_some() {
                problems.add(
                    file,
                    l,
                    format!(
                        "a source of slot `{slot}` has an `entity` and a `value`; map the \
                         entity's values with `values: {{…}}`, or give the value to an `intent`"
                    ),
                );
            }
            SourceKind::Entity {
                entity: entity.clone(),
                role: def.role.clone(),
                values: def
                    .values
                    .iter()
                    .map(|(k, v)| (k.to_lowercase(), v.clone()))
                    .collect(),
            }
        }
        (None, Some(intent), false, false) => {
            let Some(value) = def.value.clone() else {
                problems.add(
                    file,
                    l,
                    format!(
                        "the source `intent: {intent}` of slot `{slot}` has no `value`; add the \
                         value that a reply read as `{intent}` gives the slot"
                    ),
                );
                return None;
            };
            SourceKind::Intent {
                intent: intent.clone(),
                value,
            }
        }
        (None, None, true, false) => SourceKind::Text,
        (None, None, false, true) => SourceKind::YesNo,
        _ => {
            problems.add(
                file,
                l,
                format!(
                    "a source of slot `{slot}` needs exactly one of `entity`, `intent` (with a \
                     `value`), `yes_no: true` and `text: true`"
                ),
            );
            return None;
        }
    };
    if !matches!(kind, SourceKind::Entity { .. }) && (def.role.is_some() || !def.values.is_empty())
    {
        problems.add(
            file,
            l,
            format!(
                "`role` and `values` of a source of slot `{slot}` belong to an `entity` source"
            ),
        );
    }
    Some(Source {
        kind,
        if_intent: def.if_intent.clone(),
        unless_intent: def.unless_intent.clone(),
    })
}

/// The intents that slot sources name must be the bot's.
fn check_source_intents(defs: &[(&Path, &schema::IntentDef)], problems: &mut Problems<'_>) {
    let names: Vec<&str> = defs.iter().map(|(_, d)| d.name.value.as_str()).collect();
    for (file, def) in defs {
        for source in def.slots.iter().flat_map(|s| &s.from) {
            let named = source.value.intent.iter();
            let conditions = source
                .value
                .if_intent
                .iter()
                .chain(&source.value.unless_intent);
            for intent in named.chain(conditions) {
                if !names.contains(&intent.as_str()) && intent != OUT_OF_SCOPE {
                    problems.add(
                        file,
                        line(source),
                        format!(
                            "a source of a slot of intent `{}` names unknown intent `{intent}`{}\
                             use one of the bot's intents",
                            def.name.value,
                            did_you_mean(intent, names.iter().copied())
                        ),
                    );
                }
            }
        }
    }
}

fn check_validation(
    file: &Path,
    slot: &str,
    l: u64,
    v: &schema::Validation,
    resolver: Option<BuiltinResolver>,
    slot_names: &[&str],
    problems: &mut Problems<'_>,
) -> CheckedValidation {
    let pattern = v.pattern.as_ref().and_then(|p| {
        // Anchored so that `is_match` is the documented full match.
        match regex::Regex::new(&format!("^(?:{})$", p.value)) {
            Ok(r) => Some(r),
            Err(_) => {
                // Report the error of the pattern as written, not of the anchored one.
                let e = regex::Regex::new(&p.value).err();
                let message = e.map_or_else(
                    || format!("invalid regex `{}`", p.value),
                    |e| regex_problem(&p.value, &e),
                );
                problems.add(file, line(p), message);
                None
            }
        }
    });
    let mut rule_needs = |rule: &str, ok: bool, kinds: &str| {
        if !ok {
            problems.add_at_key(
                file,
                l,
                rule,
                format!(
                    "slot `{slot}`: `{rule}` only works with an entity whose resolver is {kinds}; \
                     remove it or change the slot's entity"
                ),
            );
        }
    };
    let number = resolver == Some(BuiltinResolver::Number);
    if v.min.is_some() {
        rule_needs("min", number, "`number`");
    }
    if v.max.is_some() {
        rule_needs("max", number, "`number`");
    }
    if v.integer {
        rule_needs("integer", number, "`number`");
    }
    let dated = matches!(
        resolver,
        Some(BuiltinResolver::Date | BuiltinResolver::Time)
    );
    if v.not_in_past {
        rule_needs("not_in_past", dated, "`date` or `time`");
    }
    if v.single_day {
        rule_needs("single_day", dated, "`date` or `time`");
    }
    if v.hours.is_some() {
        rule_needs("hours", dated, "`date` or `time`");
    }
    let hours = v.hours.as_ref().and_then(|written| {
        let hours = written.value.parse::<crate::resolve::Hours>();
        if hours.is_err() {
            problems.add(
                file,
                line(written),
                format!(
                    "slot `{slot}`: `hours` must be two times of day like \"11:00-23:00\", not \"{}\"",
                    written.value
                ),
            );
        }
        hours.ok()
    });
    if let (Some(min), Some(max)) = (v.min, v.max) {
        if min > max {
            problems.add_at_key(
                file,
                l,
                "min",
                format!("slot `{slot}`: min {min} is above max {max}; swap them"),
            );
        }
    }
    if v.max_attempts == 0 {
        problems.add_at_key(
            file,
            l,
            "max_attempts",
            format!("slot `{slot}`: max_attempts must be at least 1"),
        );
    }
    if let Some(other) = &v.differs_from {
        let others: Vec<&str> = slot_names.iter().copied().filter(|&s| s != slot).collect();
        let problem = if other.value == slot {
            Some(format!(
                "slot `{slot}`: `differs_from` names the slot itself; name another slot of the intent"
            ))
        } else if !others.contains(&other.value.as_str()) {
            let fix = if others.is_empty() {
                "this intent has no other slot; remove the rule".to_string()
            } else {
                format!("use one of {}", others.join(", "))
            };
            Some(format!(
                "slot `{slot}`: `differs_from` names `{}`, which is no slot of this intent{}{fix}",
                other.value,
                did_you_mean(&other.value, others.iter().copied())
            ))
        } else {
            None
        };
        if let Some(problem) = problem {
            problems.add(file, line(other), problem);
        }
    }
    if let Some(r) = &v.reprompt {
        let mut allowed = slot_names.to_vec();
        allowed.push("value");
        let reprompt_line = problems.line_of(file, l, "reprompt");
        check_template(
            &format!("the reprompt of slot `{slot}`"),
            r,
            ("slot", &allowed),
            file,
            reprompt_line,
            problems,
        );
    }
    CheckedValidation {
        values: v.values.clone(),
        pattern,
        min: v.min,
        max: v.max,
        integer: v.integer,
        not_in_past: v.not_in_past,
        single_day: v.single_day,
        hours,
        differs_from: v.differs_from.as_ref().map(|d| d.value.clone()),
        reprompt: v.reprompt.clone(),
        max_attempts: v.max_attempts,
    }
}

/// What an example may annotate: the declared entities and the roles that slots use.
pub(super) struct Vocabulary<'a> {
    entities: Vec<&'a str>,
    roles: HashMap<&'a str, BTreeSet<&'a str>>,
    /// What the dialogue resolves values with.
    resolvers: crate::resolve::Resolvers,
    /// Any fixed day: whether a value reads as a date does not depend on which day it is.
    reference: crate::resolve::Context,
}

impl<'a> Vocabulary<'a> {
    pub(super) fn new(entities: &'a [EntityType], intents: &'a [Intent]) -> Self {
        let mut roles: HashMap<&str, BTreeSet<&str>> = HashMap::new();
        for slot in intents.iter().flat_map(|i| &i.slots) {
            if let (Some(r), Some(entity)) = (&slot.role, &slot.entity) {
                roles.entry(entity.as_str()).or_default().insert(r.as_str());
            }
        }
        Vocabulary {
            entities: entities.iter().map(|e| e.name.as_str()).collect(),
            roles,
            resolvers: crate::resolve::Resolvers::new(entities),
            reference: crate::resolve::Context::at("2026-01-01T12:00", "UTC")
                .expect("a valid fixed time"),
        }
    }

    /// A problem when `value`, tagged as `entity`, has a built-in resolver that cannot read it:
    /// the bot would refuse the value its own example teaches.
    fn unreadable(&self, entity: &str, value: &str) -> Option<String> {
        let kind = self.resolvers.builtin_of(entity)?;
        let readable = self
            .resolvers
            .resolve(entity, value, &self.reference)
            .is_ok();
        (!readable).then(|| {
            format!(
                "example tags \"{value}\" as `{entity}`, which its `resolver: {}` cannot read, \
                 so the bot would refuse it from a user: write the value another way, or drop \
                 the resolver of `{entity}`",
                kind.name()
            )
        })
    }

    /// Parses and checks one example of `intent`.
    fn example(
        &self,
        file: &Path,
        ex: &Spanned<String>,
        intent: &Intent,
        problems: &mut Problems<'_>,
    ) -> Option<Example> {
        let l = line(ex);
        let markup = ex.value.trim();
        let example = match parse_example(markup) {
            Ok(e) => e,
            Err(e) => {
                problems.add(file, l, format!("in example \"{markup}\" at {e}"));
                return None;
            }
        };
        let before = problems.found.len();
        for a in &example.annotations {
            if !self.entities.contains(&a.entity.as_str()) {
                problems.add(
                    file,
                    l,
                    format!(
                        "example uses unknown entity `{}`{}declare it under `entities:`",
                        a.entity,
                        did_you_mean(&a.entity, self.entities.iter().copied())
                    ),
                );
                continue;
            }
            if let Some(problem) = self.unreadable(&a.entity, &example.value(a)) {
                problems.add(file, l, problem);
            }
            let Some(role) = &a.role else { continue };
            let known = self.roles.get(a.entity.as_str());
            if !known.is_some_and(|k| k.contains(role.as_str())) {
                let known: Vec<&str> = known.into_iter().flatten().copied().collect();
                let entity = &a.entity;
                problems.add(
                    file,
                    l,
                    format!(
                        "example gives entity `{entity}` role `{role}`, which no slot uses{}{}",
                        did_you_mean(role, known.iter().copied()),
                        if known.is_empty() {
                            format!(
                                "no slot of `{entity}` has a role: remove it, or give a slot \
                                 `role: {role}`"
                            )
                        } else {
                            format!("the roles of `{entity}` slots are: {}", known.join(", "))
                        },
                    ),
                );
                continue;
            }
            // When every slot of this entity needs a role, another role would fill nothing here.
            let own: Vec<&str> = intent
                .slots
                .iter()
                .filter(|s| s.takes(&a.entity))
                .map(|s| s.role.as_deref())
                .collect::<Option<_>>()
                .unwrap_or_default();
            if !own.is_empty() && !own.contains(&role.as_str()) {
                problems.add(
                    file,
                    l,
                    format!(
                        "intent `{}` has no slot for entity `{}` with role `{role}`; use one of: {}",
                        intent.name,
                        a.entity,
                        own.join(", ")
                    ),
                );
            }
        }
        (problems.found.len() == before).then_some(example)
    }
}

/// Loads a file of held-out examples, checked against the intents and entities of `known`.
pub(super) fn examples_against(
    path: &Path,
    text: &str,
    known: &Intents,
) -> Result<Vec<(String, Example)>> {
    let mut problems = Problems::default();
    let Some(f) = parse_file::<schema::File>(path, text, &mut problems) else {
        return problems.finish(Vec::new());
    };
    if let Some(s) = &f.settings {
        problems.add(path, line(s), "an examples file holds only `intents:` with `examples:`; move `settings` to the bot folder".into());
    }
    if let Some(e) = f.entities.first() {
        problems.add(path, line(&e.name), "an examples file holds only `intents:` with `examples:`; declare entities in the bot folder".into());
    }
    let vocabulary = Vocabulary::new(&known.entities, &known.intents);
    let intent_names: Vec<&str> = known.intents.iter().map(|i| i.name.as_str()).collect();
    // `out_of_scope` needs no definition: it is what the model answers when nothing fits.
    let out_of_scope = Intent {
        name: OUT_OF_SCOPE.to_string(),
        examples: Vec::new(),
        slots: Vec::new(),
        confirm: None,
        action: None,
        act: None,
        ask_to_continue: None,
    };
    let mut out = Vec::new();
    for def in &f.intents {
        let (name, l) = (&def.name.value, line(&def.name));
        if !def.slots.is_empty() || def.confirm.is_some() || def.action.is_some() {
            problems.add(path, l, format!("intent `{name}`: an examples file holds only `examples:`; define slots, confirm and action in the bot folder"));
        }
        let found = known.intent(name);
        let Some(intent) = found.or((name == OUT_OF_SCOPE).then_some(&out_of_scope)) else {
            problems.add(
                path,
                l,
                format!(
                    "unknown intent `{name}`{}the bot defines: {}",
                    did_you_mean(name, intent_names.iter().copied()),
                    intent_names.join(", ")
                ),
            );
            continue;
        };
        for ex in &def.examples {
            if let Some(example) = vocabulary.example(path, ex, intent, &mut problems) {
                out.push((name.clone(), example));
            }
        }
    }
    problems.finish(out)
}

#[cfg(test)]
mod tests {
    use super::suggest;

    #[test]
    fn suggestions_catch_typos_only() {
        assert_eq!(suggest("loaction", ["date", "location"]), Some("location"));
        assert_eq!(suggest("locaton", ["date", "location"]), Some("location"));
        assert_eq!(suggest("Examples", ["name", "examples"]), Some("examples"));
        assert_eq!(suggest("colour", ["date", "location"]), None);
    }
}
