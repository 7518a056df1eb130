//! A Rasa project as a slotfill bot folder: what `slotfill import rasa` does.
//!
//! | Rasa | slotfill |
//! | --- | --- |
//! | `nlu:` intents and examples, `[Paris](city)` and `[Paris]{"entity": …}` | intents and examples, `[Paris](city:role)` |
//! | `synonym:`, `lookup:`, `regex:`, `[gastro pub](cuisine:gastropub)` | an entity's `values` (with `synonyms`) and `patterns` |
//! | Duckling's `number` and `time` dimensions | entities with the `number` and `date` resolvers; numbers marked in the examples |
//! | a form, the intent whose rule opens it, the responses after it | that intent's `slots`, its `action` reply |
//! | slot mappings (`from_entity`, `from_intent`, `from_text`, `intent`, `not_intent`) | the slot's `from` sources, with `if_intent` / `unless_intent` |
//! | `utter_ask_<slot>` | the slot's `prompts` |
//! | the response after an intent, in a rule or story | the intent's `action` reply |
//! | a story's "Do you want to continue?" after an intent that stops the form | that intent's `act: cancel`, the form's `ask_to_continue` |
//! | intents that only answer inside a form (`affirm`, `deny`, `inform`) | intents with an `act` |
//! | a custom action after an intent | an action webhook of that name, to point at a service |
//! | `utter_default`, `session_expiration_time`, `config.yml`'s `language` | `settings` |
//!
//! Whatever does not carry over (custom validation, branching on slots, checkpoints,
//! response buttons and images, roles of regexes) is a [`Note`] with its file and line.

mod flows;
mod markup;

use crate::intents::schema::{
    Act, ActionDef, EntityDef, File, IntentDef, LookupValue, Settings, SlotDef, SlotKind,
    SourceDef, Validation, Webhook,
};
use crate::intents::BuiltinResolver;
use crate::lang::Language;
use crate::{Error, Result};
use flows::{Flow, Reading};
use serde_json::Value;
use serde_saphyr::{Location, Spanned};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The URL the webhook placeholders of custom actions point at: Rasa's action server.
const ACTION_SERVER: &str = "http://localhost:5055/webhook";

/// A Rasa project converted: the bot's YAML and the report.
#[derive(Debug)]
pub struct Imported {
    /// The bot, as one slotfill YAML file.
    pub bot: File,
    /// What did not carry over as it was, and what to do instead.
    pub notes: Vec<Note>,
}

/// Something of the Rasa project that the bot does not carry over, or carries over otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The file, relative to the project folder.
    pub file: PathBuf,
    /// 1-based line (0 when unknown).
    pub line: u32,
    /// What it is and what to do instead.
    pub message: String,
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

impl Imported {
    /// Writes the bot folder `out` (created if missing): `bot.yaml`, which `slotfill check`
    /// accepts.
    pub fn write(&self, out: &Path, from: &Path) -> Result<PathBuf> {
        std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
        let header = format!(
            "# Imported from the Rasa project {} by `slotfill import rasa`.\n",
            from.display()
        );
        let path = out.join("bot.yaml");
        let yaml = self.to_yaml().map_err(|message| Error::Rasa {
            file: path.clone(),
            line: 0,
            message,
        })?;
        std::fs::write(&path, header + &yaml).map_err(|e| Error::io(&path, e))?;
        Ok(path)
    }

    /// The bot as the text of a slotfill YAML file.
    pub fn to_yaml(&self) -> std::result::Result<String, String> {
        serde_saphyr::to_string(&self.bot).map_err(|e| format!("cannot write the bot: {e}"))
    }
}

/// One YAML file of the project, read.
struct Source {
    /// Relative to the project folder.
    path: PathBuf,
    text: String,
    yaml: Value,
}

impl Source {
    /// The first line that holds `needle`, for notes (0 when none does).
    fn line_of(&self, needle: &str) -> u32 {
        self.text
            .lines()
            .position(|line| line.contains(needle))
            .map_or(0, |i| u32::try_from(i + 1).unwrap_or(u32::MAX))
    }
}

/// The project's files: the domain (one file or a folder), the training data, the config.
struct Project {
    domain: Vec<Source>,
    data: Vec<Source>,
    config: Option<Source>,
}

impl Project {
    /// The files of the project folder `dir` that the import reads.
    fn files(dir: &Path) -> Result<Vec<(PathBuf, String)>> {
        let found = |names: [&str; 2]| {
            names
                .iter()
                .map(|name| dir.join(name))
                .find(|path| path.is_file())
        };
        let mut paths = Vec::new();
        match found(["domain.yml", "domain.yaml"]) {
            Some(path) => paths.push(path),
            None if dir.join("domain").is_dir() => paths.extend(yaml_files(&dir.join("domain"))?),
            None => {
                return Err(Error::Rasa {
                    file: dir.to_path_buf(),
                    line: 0,
                    message: "no domain.yml (nor domain/ folder) here: give the folder of a \
                              Rasa project, the one `rasa init` made"
                        .into(),
                })
            }
        }
        if dir.join("data").is_dir() {
            paths.extend(yaml_files(&dir.join("data"))?);
        }
        paths.extend(found(["config.yml", "config.yaml"]));
        paths
            .into_iter()
            .map(|path| {
                let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
                Ok((path.strip_prefix(dir).unwrap_or(&path).to_path_buf(), text))
            })
            .collect()
    }

    /// The project of these files, by their paths in the project folder: `domain.yml` or
    /// `domain/…`, `data/…`, `config.yml`; other paths are not read.
    fn of(files: Vec<(PathBuf, String)>) -> Result<Project> {
        let mut project = Project {
            domain: Vec::new(),
            data: Vec::new(),
            config: None,
        };
        for (path, text) in files {
            let yaml = if text.trim().is_empty() {
                Value::Null
            } else {
                // A key repeated (formbot's `actions:`) is the later one, as Rasa reads it.
                let options = serde_saphyr::options! {
                    duplicate_keys: serde_saphyr::DuplicateKeyPolicy::LastWins,
                };
                serde_saphyr::from_str_with_options::<Value>(&text, options).map_err(|e| {
                    Error::Rasa {
                        file: path.clone(),
                        line: 0,
                        message: format!("not YAML that Rasa reads: {e}"),
                    }
                })?
            };
            let top = path.components().next().map(|c| c.as_os_str().to_owned());
            let top = top.as_deref().and_then(|t| t.to_str()).unwrap_or_default();
            let source = Source {
                path: path.clone(),
                text,
                yaml,
            };
            match top {
                "domain.yml" | "domain.yaml" | "domain" => project.domain.push(source),
                "data" => project.data.push(source),
                "config.yml" | "config.yaml" => project.config = Some(source),
                _ => {}
            }
        }
        Ok(project)
    }

    /// The value of `key` in every domain file that has it, with its file.
    fn domain(&self, key: &str) -> impl Iterator<Item = (&Source, &Value)> {
        let key = key.to_string();
        self.domain
            .iter()
            .filter_map(move |s| s.yaml.get(&key).map(|v| (s, v)))
    }

    /// The value of `key` in every data file that has it, with its file.
    fn data(&self, key: &str) -> impl Iterator<Item = (&Source, &Value)> {
        let key = key.to_string();
        self.data
            .iter()
            .filter_map(move |s| s.yaml.get(&key).map(|v| (s, v)))
    }
}

/// The `*.yml` and `*.yaml` files under `dir`, in sub-folders too, sorted.
fn yaml_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).map_err(|e| Error::io(&folder, e))? {
            let path = entry.map_err(|e| Error::io(&folder, e))?.path();
            if path.is_dir() {
                folders.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yml" | "yaml")
            ) {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// The names a Rasa list holds, whether as plain strings or as one-key maps
/// (`- greet` and `- request_restaurant: {use_entities: []}`), with each map's value.
fn names(list: &Value) -> Vec<(String, Option<&Value>)> {
    match list {
        Value::Array(items) => items
            .iter()
            .filter_map(|item| match item {
                Value::String(name) => Some((name.clone(), None)),
                Value::Object(map) => map.iter().next().map(|(k, v)| (k.clone(), Some(v))),
                _ => None,
            })
            .collect(),
        Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), Some(v))).collect(),
        _ => Vec::new(),
    }
}

/// The lines of a Rasa `examples: |` block (`- hi`), or of a list of examples.
fn example_lines(block: &Value) -> Vec<String> {
    match block {
        Value::String(text) => text
            .lines()
            .filter_map(|line| line.trim_start().strip_prefix('-'))
            .map(|line| line.trim().to_string())
            .filter(|line| !line.is_empty())
            .collect(),
        Value::Array(items) => items
            .iter()
            .filter_map(|item| match item {
                Value::String(text) => Some(text.trim().to_string()),
                Value::Object(map) => map.get("text")?.as_str().map(|t| t.trim().to_string()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A Rasa name as a slotfill name: `faq/ask_name` (a retrieval intent) is `faq.ask_name`.
fn name(rasa: &str) -> String {
    rasa.chars()
        .map(|c| match crate::intents::annotation::is_name_char(c) {
            true => c,
            false => '.',
        })
        .collect()
}

fn spanned<T>(value: T) -> Spanned<T> {
    Spanned::new(value, Location::UNKNOWN, Location::UNKNOWN)
}

/// What the conversion gathers as it reads, and the notes it writes.
struct Importer<'p> {
    project: &'p Project,
    notes: Vec<Note>,
    language: Language,
}

impl<'p> Importer<'p> {
    fn note(&mut self, source: &Source, needle: &str, message: String) {
        self.notes.push(Note {
            file: source.path.clone(),
            line: source.line_of(needle),
            message,
        });
    }

    /// The texts of response `name` (each variant's), noting what they lose.
    fn response(&mut self, name: &str) -> Vec<String> {
        let project = self.project;
        let found: Vec<(&Source, &Value)> = project
            .domain("responses")
            .filter_map(|(s, responses)| responses.get(name).map(|r| (s, r)))
            .collect();
        let mut texts = Vec::new();
        for (source, variants) in found {
            for variant in variants.as_array().into_iter().flatten() {
                let image = variant.get("image").and_then(Value::as_str);
                if let Some(text) = variant.get("text").and_then(Value::as_str) {
                    // An image is shown as its link.
                    let text = match image {
                        Some(url) => format!("{} {url}", text.trim()),
                        None => text.trim().to_string(),
                    };
                    texts.push(text);
                }
                let lost: Vec<&str> = ["buttons", "custom", "attachment", "condition"]
                    .into_iter()
                    .filter(|key| variant.get(*key).is_some())
                    .collect();
                if !lost.is_empty() {
                    self.note(
                        source,
                        &format!("{name}:"),
                        format!(
                            "response `{name}` has {}: slotfill replies with its text only; \
                             put a link or the choices in the text",
                            lost.join(", ")
                        ),
                    );
                }
            }
        }
        texts
    }

    /// The reply made of responses `actions` (one line each), and the custom action among
    /// them, if any.
    fn reply(&mut self, actions: &[String]) -> (Option<String>, Option<String>) {
        let mut lines = Vec::new();
        let mut custom = None;
        for action in actions {
            if action.starts_with("utter_") {
                if let Some(text) = self.response(action).into_iter().next() {
                    lines.push(text);
                }
            } else if action != "action_listen" {
                custom.get_or_insert(action.clone());
            }
        }
        ((!lines.is_empty()).then(|| lines.join("\n")), custom)
    }
}

/// Reads the Rasa project in `dir` (its `domain.yml` or `domain/`, `data/` and `config.yml`)
/// and converts it.
///
/// ```no_run
/// let imported = slotfill::import::rasa::import(std::path::Path::new("formbot")).unwrap();
/// imported.write(std::path::Path::new("formbot-slotfill"), std::path::Path::new("formbot")).unwrap();
/// for note in &imported.notes {
///     eprintln!("{note}");
/// }
/// ```
pub fn import(dir: &Path) -> Result<Imported> {
    import_files(Project::files(dir)?)
}

/// Converts the project made of `files`: each a path in the project folder (`domain.yml`,
/// `data/nlu.yml`, `config.yml`, …) and its text.
pub fn import_files(files: Vec<(PathBuf, String)>) -> Result<Imported> {
    let project = Project::of(files)?;
    let (language, mut notes) = language(&project);
    let mut importer = Importer {
        project: &project,
        notes: Vec::new(),
        language: Language::shipped(&language).unwrap_or_default(),
    };
    importer.notes.append(&mut notes);
    let bot = importer.convert(&language);
    let mut notes = importer.notes;
    notes.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    notes.dedup();
    Ok(Imported { bot, notes })
}

/// The project's language, when slotfill ships it; English otherwise, with a note.
fn language(project: &Project) -> (String, Vec<Note>) {
    let Some(config) = &project.config else {
        return ("en".into(), Vec::new());
    };
    let code = config
        .yaml
        .get("language")
        .and_then(Value::as_str)
        .unwrap_or("en")
        .to_lowercase();
    if Language::shipped(&code).is_some() {
        return (code, Vec::new());
    }
    let note = Note {
        file: config.path.clone(),
        line: config.line_of("language"),
        message: format!(
            "language `{code}` is not one slotfill ships ({}): the bot is written in \
             `language: en`; give it `lang/{code}/lexicon.yaml` and `replies.yaml` and set \
             `language: {code}`",
            crate::lang::shipped_codes()
        ),
    };
    ("en".into(), vec![note])
}

/// The Duckling dimensions the pipeline extracts (`number`, `time`, …).
fn duckling_dimensions(project: &Project) -> BTreeSet<String> {
    let pipeline = project
        .config
        .as_ref()
        .and_then(|c| c.yaml.get("pipeline"))
        .and_then(Value::as_array);
    pipeline
        .into_iter()
        .flatten()
        .filter(|component| {
            component
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.contains("Duckling"))
        })
        .flat_map(|component| {
            component
                .get("dimensions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
        })
        .collect()
}

/// Rasa's slot mappings of one slot, as written: in the slot (3.x) or in the form (2.x).
struct Mapping<'v> {
    value: &'v Value,
}

impl Mapping<'_> {
    fn kind(&self) -> &str {
        self.value.get("type").and_then(Value::as_str).unwrap_or("")
    }

    fn text(&self, key: &str) -> Option<String> {
        self.value
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
    }

    /// A key that holds one intent or a list of them.
    fn intents(&self, key: &str) -> Vec<String> {
        match self.value.get(key) {
            Some(Value::String(intent)) => vec![name(intent)],
            Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(name).collect(),
            _ => Vec::new(),
        }
    }
}

impl<'p> Importer<'p> {
    fn convert(&mut self, language: &str) -> File {
        let project = self.project;
        let forms = self.forms();
        let form_names: BTreeSet<String> = forms.keys().cloned().collect();
        let mut flows: Vec<Flow> = project
            .data("rules")
            .flat_map(|(_, rules)| Flow::read("rule", rules))
            .collect();
        flows.extend(
            project
                .data("stories")
                .flat_map(|(_, stories)| Flow::read("story", stories)),
        );
        let reading = Reading::of(&flows, &form_names);
        self.note_flows(&flows, &reading);

        let dimensions = duckling_dimensions(project);
        let (mut examples, synonyms) = self.examples(&dimensions);
        let entities = self.entities(&examples, synonyms, &dimensions);

        // The intents the domain lists, then any the data adds.
        let mut intent_names: Vec<String> = project
            .domain("intents")
            .flat_map(|(_, list)| names(list))
            .map(|(n, _)| name(&n))
            .collect();
        for intent in examples.keys() {
            if !intent_names.contains(intent) {
                intent_names.push(intent.clone());
            }
        }
        self.note_intent_options();
        self.note_unread(&flows);

        let asked: BTreeSet<&String> = forms.values().flatten().map(|(slot, _)| slot).collect();
        for (source, slots) in project.domain("slots") {
            for (slot, _) in names(slots) {
                // `requested_slot` is Rasa's own, the slot a form asks.
                if slot != "requested_slot" && !asked.contains(&slot) {
                    self.note(
                        source,
                        &format!("{slot}:"),
                        format!(
                            "slot `{slot}` is asked by no form: slotfill's slots are an \
                             intent's; not carried over"
                        ),
                    );
                }
            }
        }
        let mappings = self.mappings(&forms);
        let acts = self.acts(&intent_names, &examples, &reading, &mappings);
        let mut intents = Vec::new();
        for intent in &intent_names {
            if intent == "nlu_fallback" {
                continue;
            }
            // A retrieval intent's group (`faq`) is its sub-intents (`faq.ask_name`).
            let group = format!("{intent}.");
            if !examples.contains_key(intent) && examples.keys().any(|k| k.starts_with(&group)) {
                continue;
            }
            let Some(lines) = examples.remove(intent).filter(|l| !l.is_empty()) else {
                self.note_domain(
                    intent,
                    format!("intent `{intent}` has no examples in data/: left out; add examples to keep it"),
                );
                continue;
            };
            let mut def = IntentDef {
                name: spanned(intent.clone()),
                examples: lines.into_iter().map(spanned).collect(),
                slots: Vec::new(),
                confirm: None,
                action: None,
                act: None,
                ask_to_continue: None,
            };
            if intent == crate::intents::OUT_OF_SCOPE {
                intents.push(def);
                continue;
            }
            if let Some(form) = reading.opens.get(intent) {
                self.form_intent(&mut def, form, &forms, &mappings, &reading);
            } else if let Some(act) = acts.get(intent) {
                def.act = Some(spanned(*act));
            } else {
                def.action = self.intent_action(intent, &reading);
            }
            intents.push(def);
        }
        let settings = self.settings(language);
        File {
            settings: Some(spanned(settings)),
            entities,
            intents,
        }
    }

    /// A note on the domain file that holds `needle` (the first, where none does).
    fn note_domain(&mut self, needle: &str, message: String) {
        let project = self.project;
        self.note_among(&project.domain, "domain.yml", needle, message);
    }

    /// A note on the data file that holds `needle` (the first, where none does).
    fn note_data(&mut self, needle: &str, message: String) {
        let project = self.project;
        self.note_among(&project.data, "data", needle, message);
    }

    /// A note on the first of `sources` that holds `needle`, else on the first of them, else
    /// on `missing`.
    fn note_among(&mut self, sources: &[Source], missing: &str, needle: &str, message: String) {
        let source = sources
            .iter()
            .find(|s| s.line_of(needle) > 0)
            .or(sources.first());
        match source {
            Some(source) => self.note(source, needle, message),
            None => self.notes.push(Note {
                file: PathBuf::from(missing),
                line: 0,
                message,
            }),
        }
    }

    /// Each form's required slots, with the mappings a 2.x domain writes in the form.
    fn forms(&mut self) -> BTreeMap<String, Vec<(String, Option<&'p Value>)>> {
        let mut forms = BTreeMap::new();
        let project = self.project;
        for (source, list) in project.domain("forms") {
            for (form, spec) in names(list) {
                let spec = spec.unwrap_or(&Value::Null);
                let required = spec.get("required_slots").unwrap_or(spec);
                let mut slots: Vec<(String, Option<&Value>)> = names(required)
                    .into_iter()
                    .filter(|(slot, _)| slot != "ignored_intents")
                    .collect();
                // A 2.x form maps its slots, and the order it writes them in is the order it
                // asks them in, which a parsed map does not keep.
                if required.is_object() {
                    let form_at = source.text.find(&format!("{form}:")).unwrap_or(0);
                    let at = |slot: &str| {
                        source.text[form_at..]
                            .find(&format!(" {slot}:"))
                            .unwrap_or(usize::MAX)
                    };
                    slots.sort_by_key(|(slot, _)| at(slot));
                }
                if spec.get("ignored_intents").is_some() {
                    self.note(
                        source,
                        "ignored_intents",
                        format!(
                            "`ignored_intents` of form `{form}`: give the slots' sources \
                             `unless_intent` instead"
                        ),
                    );
                }
                forms.insert(form, slots);
            }
        }
        forms
    }

    /// The mappings of each slot: the slot's own (3.x), else those its form gives (2.x).
    fn mappings(
        &self,
        forms: &BTreeMap<String, Vec<(String, Option<&'p Value>)>>,
    ) -> BTreeMap<String, Vec<Mapping<'p>>> {
        let project = self.project;
        let mut mappings: BTreeMap<String, Vec<Mapping<'p>>> = BTreeMap::new();
        for (_, slots) in project.domain("slots") {
            for (slot, spec) in names(slots) {
                let listed = spec
                    .and_then(|s| s.get("mappings"))
                    .and_then(Value::as_array);
                if let Some(list) = listed {
                    mappings.insert(slot, list.iter().map(|value| Mapping { value }).collect());
                }
            }
        }
        for slots in forms.values() {
            for (slot, spec) in slots {
                let Some(list) = spec.and_then(|s| s.as_array()) else {
                    continue;
                };
                mappings
                    .entry(slot.clone())
                    .or_insert_with(|| list.iter().map(|value| Mapping { value }).collect());
            }
        }
        mappings
    }

    /// The slot definition of `slot` in the domain.
    fn slot_spec(&self, slot: &str) -> Option<&'p Value> {
        let project = self.project;
        project
            .domain("slots")
            .find_map(|(_, slots)| slots.get(slot))
    }

    /// What each intent without a response of its own does: says yes or no, cancels a form,
    /// or gives values.
    fn acts(
        &self,
        intents: &[String],
        examples: &BTreeMap<String, Vec<String>>,
        reading: &Reading,
        mappings: &BTreeMap<String, Vec<Mapping<'_>>>,
    ) -> BTreeMap<String, Act> {
        let mut acts = BTreeMap::new();
        // Mapped to true or false by a slot mapping: yes or no.
        for mapping in mappings.values().flatten() {
            if mapping.kind() != "from_intent" {
                continue;
            }
            let act = match mapping.value.get("value") {
                Some(Value::Bool(true)) => Act::Affirm,
                Some(Value::Bool(false)) => Act::Deny,
                _ => continue,
            };
            for intent in mapping.intents("intent") {
                acts.entry(intent).or_insert(act);
            }
        }
        for (intent, _) in reading.cancels.values() {
            acts.insert(name(intent), Act::Cancel);
        }
        for intent in &reading.goes_on {
            acts.entry(name(intent)).or_insert(Act::Affirm);
        }
        for intent in &reading.ends {
            acts.entry(name(intent)).or_insert(Act::Deny);
        }
        let words = &self.language.lexicon;
        for intent in intents {
            let has_own = reading.after_intent.contains_key(intent)
                || reading.opens.contains_key(intent)
                || reading.inside_form.contains_key(intent);
            if has_own || acts.contains_key(intent) {
                continue;
            }
            let lines = examples.get(intent).map(Vec::as_slice).unwrap_or_default();
            let plain: Vec<String> = lines
                .iter()
                .filter_map(|l| crate::intents::annotation::parse_example(l).ok())
                .map(|e| e.text)
                .collect();
            let majority = |reads: &dyn Fn(&str) -> bool| {
                !plain.is_empty() && 2 * plain.iter().filter(|t| reads(t)).count() > plain.len()
            };
            let act = if majority(&|t| words.is_yes(t)) {
                Act::Affirm
            } else if majority(&|t| words.is_no(t)) {
                Act::Deny
            } else if reading.answers.contains(intent) || lines.iter().any(|l| l.contains("](")) {
                Act::Inform
            } else {
                continue;
            };
            acts.insert(intent.clone(), act);
        }
        acts
    }

    /// The form `form` as the slots and action of the intent `def` that opens it.
    fn form_intent(
        &mut self,
        def: &mut IntentDef,
        form: &str,
        forms: &BTreeMap<String, Vec<(String, Option<&Value>)>>,
        mappings: &BTreeMap<String, Vec<Mapping<'_>>>,
        reading: &Reading,
    ) {
        let slot_names: Vec<String> = forms
            .get(form)
            .map(|slots| slots.iter().map(|(s, _)| s.clone()).collect())
            .unwrap_or_default();
        for slot in &slot_names {
            let converted = self.slot(form, slot, mappings.get(slot).map(Vec::as_slice));
            def.slots.push(converted);
        }
        let done = reading.after_form.get(form).and_then(|all| all.first());
        if let Some((actions, _)) = done {
            let (reply, custom) = self.reply(actions);
            let reply = reply.map(|r| self.known_placeholders(&r, &slot_names, &def.name.value));
            def.action = Some(self.action(reply, custom));
        }
        if let Some(all) = reading.after_form.get(form) {
            for (actions, origin) in all.iter().skip(1) {
                if Some(actions) != done.map(|(a, _)| a) {
                    let kept = done.map(|(a, _)| a.join(", ")).unwrap_or_default();
                    self.note_data(
                        &origin.needle(),
                        format!(
                            "{origin} ends form `{form}` with {}; slotfill ends it one way, with \
                             the first ({kept})",
                            actions.join(", ")
                        ),
                    );
                }
            }
        }
        if let Some((_, Some(question))) = reading.cancels.get(form) {
            let texts = self.response(question);
            def.ask_to_continue = texts
                .into_iter()
                .next()
                .map(|q| spanned(self.known_placeholders(&q, &slot_names, &def.name.value)));
        }
    }

    /// `template` with the placeholders that name no slot of intent `owner` written as
    /// words: only the intent's own slots are filled in its replies.
    fn known_placeholders(&mut self, template: &str, slots: &[String], owner: &str) -> String {
        let mut out = template.to_string();
        for placeholder in crate::intents::template::placeholders(template) {
            if !slots.iter().any(|s| s == placeholder) {
                out = out.replace(&format!("{{{placeholder}}}"), placeholder);
                self.note_domain(
                    &format!("{{{placeholder}}}"),
                    format!(
                        "a reply of intent `{owner}` uses slot `{placeholder}`, which the intent \
                         does not fill: written as the word"
                    ),
                );
            }
        }
        out
    }

    /// The slotfill slot for Rasa slot `slot` of `form`, from its type and mappings.
    fn slot(&mut self, form: &str, slot: &str, mappings: Option<&[Mapping<'_>]>) -> SlotDef {
        let spec = self.slot_spec(slot);
        let rasa_type = spec
            .and_then(|s| s.get("type"))
            .and_then(Value::as_str)
            .unwrap_or("text");
        let mut from = Vec::new();
        for mapping in mappings.unwrap_or_default() {
            let conditions = |source: SourceDef| -> SourceDef {
                SourceDef {
                    if_intent: mapping.intents("intent"),
                    unless_intent: mapping.intents("not_intent"),
                    ..source
                }
            };
            match mapping.kind() {
                "from_entity" => {
                    let Some(entity) = mapping.text("entity") else {
                        continue;
                    };
                    if mapping.value.get("value").is_some() || mapping.value.get("group").is_some()
                    {
                        self.note_domain(
                            slot,
                            format!(
                                "slot `{slot}`: a `from_entity` mapping's `value` or `group` is not \
                                 carried over; map the entity's values with the source's `values`"
                            ),
                        );
                    }
                    from.push(spanned(conditions(SourceDef {
                        entity: Some(entity),
                        role: mapping.text("role"),
                        ..SourceDef::default()
                    })));
                }
                "from_intent" => {
                    let value = mapping.value.get("value").cloned().unwrap_or(Value::Null);
                    let intents = mapping.intents("intent");
                    for intent in intents {
                        from.push(spanned(SourceDef {
                            intent: Some(intent),
                            value: Some(value.clone()),
                            unless_intent: mapping.intents("not_intent"),
                            ..SourceDef::default()
                        }));
                    }
                }
                "from_text" => from.push(spanned(conditions(SourceDef {
                    text: true,
                    ..SourceDef::default()
                }))),
                other => self.note_domain(
                    slot,
                    format!(
                        "slot `{slot}` has a `{other}` mapping, which slotfill has no source \
                         for: fill it in the action (a webhook) or with a `default`"
                    ),
                ),
            }
        }
        let first_entity = from.iter().find_map(|s| s.value.entity.clone());
        let has_text = from.iter().any(|s| s.value.text);
        let kind = match rasa_type {
            "bool" => SlotKind::Boolean,
            "list" => SlotKind::List,
            _ if has_text => SlotKind::Text,
            _ if first_entity.is_some() => SlotKind::Value,
            _ => SlotKind::Text,
        };
        let validate = spec
            .and_then(|s| s.get("values"))
            .and_then(Value::as_array)
            .filter(|_| rasa_type == "categorical")
            .map(|values| Validation {
                values: values
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
                max_attempts: 3,
                ..Validation::default()
            });
        let mut prompts = self.response(&format!("utter_ask_{form}_{slot}"));
        if prompts.is_empty() {
            prompts = self.response(&format!("utter_ask_{slot}"));
        }
        if prompts.is_empty() {
            self.note_domain(
                slot,
                format!(
                    "slot `{slot}` of form `{form}` has no `utter_ask_{slot}` response: it is \
                     asked \"{}\"; write its question in the slot's `prompts`",
                    self.generic_prompt(slot)
                ),
            );
            prompts.push(self.generic_prompt(slot));
        }
        // One plain entity source is what the slot's `entity` and `role` say.
        let plain = match from.as_slice() {
            [only] if kind != SlotKind::Boolean => {
                let source = &only.value;
                let bare = SourceDef {
                    entity: source.entity.clone(),
                    role: source.role.clone(),
                    ..SourceDef::default()
                };
                (source.entity.is_some() && *source == bare).then_some(bare)
            }
            _ => None,
        };
        let (entity, role, from) = match plain {
            Some(source) => (source.entity, source.role, Vec::new()),
            None => (None, None, from),
        };
        SlotDef {
            name: spanned(slot.to_string()),
            entity: entity.map(spanned),
            kind,
            role,
            required: None,
            prompts,
            default: None,
            validate,
            from,
        }
    }

    fn generic_prompt(&self, slot: &str) -> String {
        crate::dialogue::asked_by_name(&self.language.replies, slot)
    }

    /// The action of an intent with no form: the responses after it in rules and stories,
    /// the first where they differ.
    fn intent_action(&mut self, intent: &str, reading: &Reading) -> Option<ActionDef> {
        let (actions, others) = match reading.after_intent.get(intent) {
            Some(all) => (all[0].0.clone(), &all[1..]),
            None => match reading.inside_form.get(intent) {
                Some(actions) => (actions.clone(), &[][..]),
                // A retrieval intent (`faq/ask_name`, here `faq.ask_name`) answers with its
                // own response, `utter_faq/ask_name`, where the rule says `utter_faq`.
                None => {
                    let (group, _) = intent.split_once('.')?;
                    reading.after_intent.get(group)?;
                    (
                        vec![format!("utter_{}", intent.replacen('.', "/", 1))],
                        &[][..],
                    )
                }
            },
        };
        for (other, origin) in others {
            if *other != actions {
                self.note_data(
                    &origin.needle(),
                    format!(
                        "{origin} answers `{intent}` with {} where another flow answers it with \
                         {}: slotfill answers an intent one way, the first; a different answer \
                         is a form's question or another intent",
                        other.join(", "),
                        actions.join(", ")
                    ),
                );
            }
        }
        let (reply, custom) = self.reply(&actions);
        let reply = reply.map(|r| self.known_placeholders(&r, &[], intent));
        Some(self.action(reply, custom))
    }

    fn action(&mut self, reply: Option<String>, custom: Option<String>) -> ActionDef {
        let ends = custom.as_deref() == Some("action_restart");
        let custom = custom.filter(|c| c != "action_restart");
        if let Some(name) = &custom {
            self.note_domain(
                name,
                format!(
                    "custom action `{name}` becomes a webhook placeholder ({ACTION_SERVER}): \
                     slotfill POSTs the intent and slots as JSON and replies with the answer's \
                     text, which is not Rasa's action-server protocol; point the url at a \
                     service that does what `{name}` did"
                ),
            );
        }
        ActionDef {
            name: custom.clone(),
            reply,
            webhook: custom.map(|_| Webhook {
                url: ACTION_SERVER.into(),
                timeout_ms: 3000,
            }),
            command: None,
            ends_conversation: ends,
        }
    }

    /// Notes for the flows' steps that slotfill has no counterpart of.
    fn note_flows(&mut self, flows: &[Flow], reading: &Reading) {
        for (origin, keys) in &reading.unsupported {
            self.note_data(
                &origin.needle(),
                format!(
                    "{origin} uses {}: slotfill has no branching on slot values, \
                     checkpoints or conditions; its answers per intent are kept",
                    keys.iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        let custom: Vec<String> = self
            .project
            .domain("actions")
            .flat_map(|(_, list)| names(list))
            .map(|(n, _)| n)
            .collect();
        for action in custom {
            let used = flows.iter().any(|f| {
                f.steps
                    .iter()
                    .any(|s| matches!(s, flows::Step::Action(a) if *a == action))
            });
            if let Some(form) = action.strip_prefix("validate_") {
                self.note_domain(
                    &action,
                    format!(
                        "`{action}` validates form `{form}` in Python: write `validate:` rules \
                         on its slots (values, pattern, min, max) or map an entity's values in a \
                         source's `values`"
                    ),
                );
            } else if !used {
                self.note_domain(
                    &action,
                    format!(
                        "custom action `{action}` follows no intent in the rules or stories: \
                         not carried over"
                    ),
                );
            }
        }
    }

    /// Notes for what the project says that slotfill has no use for: the pipeline and
    /// policies, slot options for Rasa's featurization, session options, responses that no
    /// rule or story says.
    fn note_unread(&mut self, flows: &[Flow]) {
        let project = self.project;
        if let Some(config) = &project.config {
            let set: Vec<&str> = ["pipeline", "policies"]
                .into_iter()
                .filter(|key| config.yaml.get(*key).is_some_and(|v| !v.is_null()))
                .collect();
            if let Some(first) = set.first() {
                self.note(
                    config,
                    &format!("{first}:"),
                    format!(
                        "{} not read: slotfill trains one model of its own, a shared encoder \
                         with an intent head and an entity tagger, and its dialogue needs no \
                         policies; `language` and Duckling's `dimensions` are read",
                        set.join(" and ")
                    ),
                );
            }
        }
        let mut options: BTreeSet<String> = BTreeSet::new();
        for (source, slots) in project.domain("slots") {
            for (_, spec) in names(slots) {
                let keys = spec
                    .and_then(Value::as_object)
                    .into_iter()
                    .flat_map(|m| m.keys());
                for key in keys {
                    let read = ["type", "mappings", "values"].contains(&key.as_str());
                    if !read && options.insert(key.clone()) {
                        self.note(
                            source,
                            &format!("{key}:"),
                            format!(
                                "slot option `{key}` not read: slotfill's dialogue fills and \
                                 asks slots without featurizing them"
                            ),
                        );
                    }
                }
            }
        }
        for (source, session) in project.domain("session_config") {
            let keys = session.as_object().into_iter().flat_map(|m| m.keys());
            for key in keys.filter(|k| *k != "session_expiration_time") {
                self.note(
                    source,
                    &format!("{key}:"),
                    format!(
                        "`{key}` not read: an expired conversation starts afresh \
                         (`settings.conversation_expiry_seconds`)"
                    ),
                );
            }
        }
        let said: BTreeSet<&str> = flows
            .iter()
            .flat_map(|f| &f.steps)
            .filter_map(|s| match s {
                flows::Step::Action(a) => Some(a.as_str()),
                _ => None,
            })
            .collect();
        let responses: Vec<(&Source, String)> = project
            .domain("responses")
            .flat_map(|(s, r)| names(r).into_iter().map(move |(n, _)| (s, n)))
            .collect();
        for (source, response) in responses {
            let used = said.contains(response.as_str())
                || response.starts_with("utter_ask_")
                || response == "utter_default"
                || said.iter().any(|a| response.starts_with(&format!("{a}/")));
            if !used {
                self.note(
                    source,
                    &format!("{response}:"),
                    format!(
                        "response `{response}` is said by no rule or story (a custom action may \
                         say it): not carried over"
                    ),
                );
            }
        }
    }

    /// Notes for intent options slotfill reads otherwise.
    fn note_intent_options(&mut self) {
        let project = self.project;
        for (source, list) in project.domain("intents") {
            for (intent, spec) in names(list) {
                let options = ["use_entities", "ignore_entities"];
                if let Some(option) = options
                    .iter()
                    .find(|o| spec.and_then(|s| s.get(**o)).is_some())
                {
                    self.note(
                        source,
                        option,
                        format!(
                            "`{option}` of intent `{intent}`: a slot's sources say which intents \
                             fill it (`if_intent`, `unless_intent`)"
                        ),
                    );
                }
            }
        }
    }

    /// Each intent's examples in slotfill markup, numbers marked where Duckling finds them,
    /// and the synonyms the markup gives (entity, value, synonym).
    fn examples(
        &mut self,
        dimensions: &BTreeSet<String>,
    ) -> (BTreeMap<String, Vec<String>>, Vec<Synonym>) {
        let project = self.project;
        let mut examples: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut synonyms = Vec::new();
        let numbers = dimensions.contains("number");
        for (source, nlu) in project.data("nlu") {
            for item in nlu.as_array().into_iter().flatten() {
                let Some(intent) = item.get("intent").and_then(Value::as_str) else {
                    continue;
                };
                let block = item.get("examples");
                let lines = block.map(example_lines).unwrap_or_default();
                let unbulleted = block.and_then(Value::as_str).is_some_and(|text| {
                    text.lines()
                        .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('-'))
                });
                if unbulleted {
                    self.note(
                        source,
                        &format!("intent: {intent}"),
                        format!(
                            "examples of intent `{intent}` without a leading `- ` are left out, \
                             as Rasa leaves them out; write each as `- example`"
                        ),
                    );
                }
                let converted = examples.entry(name(intent)).or_default();
                for line in lines {
                    match markup::convert(&line) {
                        Ok(c) => {
                            for a in &c.annotations {
                                if let Some(value) = &a.value {
                                    synonyms.push(Synonym {
                                        entity: a.entity.clone(),
                                        value: value.clone(),
                                        text: a.text.clone(),
                                    });
                                }
                                if a.group.is_some() {
                                    self.note(
                                        source,
                                        &line,
                                        format!(
                                            "entity groups are not carried over (\"{line}\"); \
                                             roles are"
                                        ),
                                    );
                                }
                            }
                            let markup = match numbers {
                                true => markup::with_numbers(&c.markup, "number"),
                                false => c.markup,
                            };
                            converted.push(markup);
                        }
                        Err(problem) => self.note(
                            source,
                            &line,
                            format!("example \"{line}\" left out: {problem}"),
                        ),
                    }
                }
            }
        }
        (examples, synonyms)
    }

    /// The entities: the domain's, those the examples use, Duckling's, with their synonyms,
    /// lookup tables and regexes.
    fn entities(
        &mut self,
        examples: &BTreeMap<String, Vec<String>>,
        synonyms: Vec<Synonym>,
        dimensions: &BTreeSet<String>,
    ) -> Vec<EntityDef> {
        let project = self.project;
        let mut order: Vec<String> = project
            .domain("entities")
            .flat_map(|(_, list)| names(list))
            .map(|(n, _)| n)
            .collect();
        for line in examples.values().flatten() {
            if let Ok(example) = crate::intents::annotation::parse_example(line) {
                for a in example.annotations {
                    if !order.contains(&a.entity) {
                        order.push(a.entity);
                    }
                }
            }
        }
        let mut values: BTreeMap<String, Vec<(String, BTreeSet<String>)>> = BTreeMap::new();
        let mut add = |entity: &str, value: &str, synonym: Option<&str>| {
            let list = values.entry(entity.to_string()).or_default();
            let at = match list.iter().position(|(v, _)| v == value) {
                Some(at) => at,
                None => {
                    list.push((value.to_string(), BTreeSet::new()));
                    list.len() - 1
                }
            };
            if let Some(s) = synonym.filter(|s| *s != value) {
                list[at].1.insert(s.to_string());
            }
        };
        for synonym in &synonyms {
            add(&synonym.entity, &synonym.value, Some(&synonym.text));
        }
        // The values the examples annotate are the entity's lookup list, as Snips NLU builds
        // its entities' from the data: an input feature of the tagger, and what answers the
        // entity's question whatever the tagger reads. Duckling's entities resolve instead.
        for line in examples.values().flatten() {
            let Ok(example) = crate::intents::annotation::parse_example(line) else {
                continue;
            };
            for a in &example.annotations {
                let resolved = ["number", "time"].contains(&a.entity.as_str())
                    && dimensions.contains(&a.entity);
                let text = example.value(a).to_lowercase();
                let synonym = synonyms
                    .iter()
                    .any(|s| s.entity == a.entity && s.text.to_lowercase() == text);
                if !resolved && !synonym {
                    add(&a.entity, &text, None);
                }
            }
        }
        let mut patterns: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (source, nlu) in project.data("nlu") {
            for item in nlu.as_array().into_iter().flatten() {
                let lines = item.get("examples").map(example_lines).unwrap_or_default();
                if let Some(value) = item.get("synonym").and_then(Value::as_str) {
                    // Rasa's synonyms belong to no entity: the one whose annotations use the
                    // value or a synonym takes them.
                    let entity = synonyms
                        .iter()
                        .find(|s| s.value == value || lines.contains(&s.text))
                        .map(|s| s.entity.clone());
                    match entity {
                        Some(entity) => lines.iter().for_each(|l| add(&entity, value, Some(l))),
                        None => self.note(
                            source,
                            value,
                            format!(
                                "synonym `{value}` is used by no annotation: add it to the \
                                 `values` of the entity it belongs to"
                            ),
                        ),
                    }
                } else if let Some(table) = item.get("lookup").and_then(Value::as_str) {
                    if order.iter().any(|e| e == table) {
                        lines.iter().for_each(|l| add(table, l, None));
                    } else {
                        self.note(
                            source,
                            table,
                            format!(
                                "lookup table `{table}` names no entity: slotfill reads lookup \
                                 lists as an entity's `values`; rename it after its entity"
                            ),
                        );
                    }
                } else if let Some(regex) = item.get("regex").and_then(Value::as_str) {
                    if order.iter().any(|e| e == regex) {
                        patterns.entry(regex.to_string()).or_default().extend(lines);
                    } else {
                        self.note(
                            source,
                            regex,
                            format!(
                                "regex `{regex}` names no entity: slotfill has no regex \
                                 features for intents; write its cases as examples"
                            ),
                        );
                    }
                }
            }
        }
        order
            .into_iter()
            .map(|entity| {
                let resolver = match entity.as_str() {
                    "number" if dimensions.contains("number") => Some(BuiltinResolver::Number),
                    "time" if dimensions.contains("time") => Some(BuiltinResolver::Date),
                    _ => None,
                };
                let listed = values.remove(&entity).unwrap_or_default();
                EntityDef {
                    name: spanned(entity.clone()),
                    resolver: resolver.map(spanned),
                    values: listed
                        .into_iter()
                        .map(|(value, synonyms)| match synonyms.is_empty() {
                            true => LookupValue::Plain(value),
                            false => LookupValue::WithSynonyms {
                                value,
                                synonyms: synonyms.into_iter().collect(),
                            },
                        })
                        .collect(),
                    patterns: patterns
                        .remove(&entity)
                        .unwrap_or_default()
                        .into_iter()
                        .map(spanned)
                        .collect(),
                }
            })
            .collect()
    }

    fn settings(&mut self, language: &str) -> Settings {
        let mut settings = Settings {
            language: language.to_string(),
            ..Settings::default()
        };
        let project = self.project;
        let expiry = project
            .domain("session_config")
            .find_map(|(_, c)| c.get("session_expiration_time"))
            .and_then(Value::as_f64);
        if let Some(minutes) = expiry.filter(|m| *m > 0.0) {
            settings.conversation_expiry_seconds = (minutes * 60.0).round() as u64;
        }
        if let Some(fallback) = self.response("utter_default").into_iter().next() {
            settings.fallback = Some(fallback);
        }
        settings
    }
}

/// A synonym that an annotation gives: `[gastro pub](cuisine:gastropub)`.
struct Synonym {
    entity: String,
    value: String,
    /// The text that stands for the value.
    text: String,
}
