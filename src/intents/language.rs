//! A bot's language: the one its `settings.language` names, shipped with slotfill or brought
//! by the bot folder (`lang/<code>/lexicon.yaml`, `lang/<code>/replies.yaml` and
//! `lang/<code>/acts.yaml`), whose entries replace the shipped ones of the same name; and the
//! dialogue acts of that language that the bot learns besides its own intents.

use super::load::{braced, key_line, parse_file, Problems};
use super::template::placeholders;
use super::{Intent, Intents};
use crate::lang::{normalized, shipped_codes, Language, LexiconFile, Replies, RepliesFile};
use crate::{Error, Result};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// `bot` in the language its settings name, from `files`, the bot folder `dir` holds (none for
/// YAML without a folder).
pub(super) fn with_language(
    mut bot: Intents,
    dir: Option<&Path>,
    files: &[(PathBuf, String)],
) -> Result<Intents> {
    let settings_file = files
        .iter()
        .find(|(_, text)| text.lines().any(|line| line.starts_with("settings:")))
        .or(files.first())
        .map_or_else(PathBuf::new, |(path, _)| path.clone());
    bot.language = language(&bot.settings.language, dir, &settings_file)?;
    let acts = acts(&bot, dir)?;
    bot.intents.extend(acts);
    Ok(bot)
}

/// The dialogue acts of `bot`'s language that the bot does not define itself: the shipped pack
/// with the entries of the folder's `lang/<code>/acts.yaml` in place of those of the same name,
/// less each act whose name or `act:` one of the bot's intents has and each example that one of
/// the bot's intents also has (the bot's intents are what it means).
fn acts(bot: &Intents, dir: Option<&Path>) -> Result<Vec<Intent>> {
    let code = &bot.language.code;
    let mut pack = match bot.language.acts.is_empty() {
        true => Vec::new(),
        false => {
            let shipped = PathBuf::from(format!("slotfill's lang/{code}/acts.yaml"));
            super::load::check_files(&[(shipped, bot.language.acts.to_string())])?.intents
        }
    };
    let own_file = dir
        .map(|dir| dir.join("lang").join(code).join("acts.yaml"))
        .filter(|file| file.is_file());
    if let Some(path) = own_file {
        let files = [(path.clone(), super::load::read_text(&path)?)];
        let own = super::load::check_files(&files)?.intents;
        let mut problems = Problems::of(&files);
        for act in own.iter().filter(|act| act.act.is_none()) {
            let names_it = |line: &str| {
                let key = line.trim_start_matches([' ', '-']).strip_prefix("name:");
                key.is_some_and(|name| name.trim().trim_matches(['"', '\'']) == act.name)
            };
            let line = files[0].1.lines().position(names_it).map_or(0, |at| at + 1);
            problems.add(
                &path,
                line as u64,
                format!(
                    "`{}` has no `act:`; an entry of acts.yaml says which act it is (affirm, \
                     deny, cancel, hold_on, keep_all or inform)",
                    act.name
                ),
            );
        }
        let own = problems.finish(own)?;
        pack.retain(|act| own.iter().all(|o| o.name != act.name));
        pack.extend(own);
    }
    pack.retain(|act| {
        bot.intents.iter().all(|intent| {
            intent.name != act.name && (intent.act.is_none() || intent.act != act.act)
        })
    });
    let taken: HashSet<String> = bot
        .intents
        .iter()
        .flat_map(|intent| &intent.examples)
        .map(|example| normalized(&example.text))
        .collect();
    for act in &mut pack {
        act.examples
            .retain(|example| !taken.contains(&normalized(&example.text)));
    }
    Ok(pack)
}

/// The language `code` for the bot whose folder is `dir` (`None` for YAML without a folder),
/// each problem with its file, line and fix. `settings_file` is where `language:` is set.
pub(super) fn language(code: &str, dir: Option<&Path>, settings_file: &Path) -> Result<Language> {
    let shipped = Language::shipped(code);
    let folder = dir.map(|dir| dir.join("lang").join(code));
    let file = |name: &str| {
        folder
            .as_ref()
            .map(|f| f.join(name))
            .filter(|f| f.is_file())
    };
    let (lexicon_file, replies_file) = (file("lexicon.yaml"), file("replies.yaml"));
    if shipped.is_none() && lexicon_file.is_none() && replies_file.is_none() {
        let at = folder.unwrap_or_else(|| PathBuf::from("lang").join(code));
        return Err(Error::Many(vec![Error::Intents {
            file: settings_file.to_path_buf(),
            line: 0,
            message: format!(
                "slotfill ships no language `{code}` (it ships {}); set `language:` to one of \
                 those, or give the bot its own: {}, {} and {} (copy slotfill's lang/en/ files \
                 and translate them)",
                shipped_codes(),
                at.join("replies.yaml").display(),
                at.join("acts.yaml").display(),
                at.join("lexicon.yaml").display()
            ),
        }]));
    }
    let texts: Vec<(PathBuf, String)> = [&lexicon_file, &replies_file]
        .into_iter()
        .flatten()
        .map(|path| Ok((path.clone(), super::load::read_text(path)?)))
        .collect::<Result<_>>()?;
    let mut problems = Problems::of(&texts);
    let text_of = |path: &Option<PathBuf>| {
        let path = path.as_ref()?;
        texts.iter().find(|(p, _)| p == path)
    };
    // A file the bot does not give changes nothing.
    let lexicon = text_of(&lexicon_file).map_or(Some(LexiconFile::default()), |(path, text)| {
        parse_file(path, text, &mut problems)
    });
    let replies = text_of(&replies_file).map_or(Some(RepliesFile::default()), |(path, text)| {
        parse_file(path, text, &mut problems)
    });
    let (Some(lexicon), Some(replies)) = (lexicon, replies) else {
        return problems.finish(Language::default());
    };
    let base = shipped.unwrap_or_else(|| Language::unshipped(code));
    let language = match base.with(lexicon, replies) {
        Ok(language) => language,
        Err(missing) => {
            let file = replies_file
                .clone()
                .or(folder.map(|f| f.join("replies.yaml")))
                .unwrap_or_else(|| settings_file.to_path_buf());
            problems.add(
                &file,
                0,
                format!(
                    "language `{code}` has no replies {}; add them (slotfill's lang/en/replies.yaml \
                     shows each in English)",
                    missing
                        .iter()
                        .map(|name| format!("`{name}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            return problems.finish(Language::default());
        }
    };
    if let Some((path, text)) = text_of(&replies_file) {
        check_placeholders(&language.replies, path, text, &mut problems);
    }
    problems.finish(language)
}

/// Each reply of the bot's file uses only the placeholders that the English reply of the
/// same name has: the engine fills no other.
fn check_placeholders(replies: &Replies, path: &Path, text: &str, problems: &mut Problems<'_>) {
    let english = Language::default().replies;
    for name in Replies::NAMES {
        let (Some(reply), Some(known)) = (replies.get(name), english.get(name)) else {
            continue;
        };
        let known = placeholders(known);
        let unknown: Vec<&str> = placeholders(reply)
            .into_iter()
            .filter(|p| !known.contains(p))
            .collect();
        if let Some(first) = unknown.first() {
            let line = key_line(text, 1, name).unwrap_or(0);
            let fills = match known.is_empty() {
                true => "none".to_string(),
                false => braced(&known),
            };
            problems.add(
                path,
                line,
                format!(
                    "reply `{name}` has the placeholder {{{first}}}, which slotfill does not \
                     fill there; it fills {fills}"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_pack_gives_a_bot_its_five_acts_unless_the_bot_has_them() {
        for shipped in crate::lang::SHIPPED {
            let yaml = format!(
                "settings:\n  language: {}\nintents:\n  - name: order\n    examples: [pizza]\n",
                shipped.code
            );
            let bot = Intents::from_str("bot.yaml", &yaml).unwrap();
            let acts: Vec<_> = bot.intents.iter().filter_map(|i| i.act).collect();
            assert_eq!(acts.len(), 5, "{}: {acts:?}", shipped.code);
        }
        let own = "intents:\n  - name: order\n    examples: [pizza]\n  - name: yes_please\n    \
                   act: affirm\n    examples: [\"yes\", yarp]\n  - name: deny\n    examples: [nope]\n";
        let bot = Intents::from_str("bot.yaml", own).unwrap();
        let names: Vec<&str> = bot.intents.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "order",
                "yes_please",
                "deny",
                "cancel",
                "hold_on",
                "keep_all"
            ]
        );
    }
}
