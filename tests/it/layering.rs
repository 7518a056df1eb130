//! The layers of `src/`: every `crate::` path in a module names a module of its own row of the
//! README's "How it works" table or of a row above it, so that no import cycle can form.
//! Test modules (`#[cfg(test)] mod tests`) may use anything; `error` (the crate's error type)
//! may be used by all, the binary (`main.rs`, `cli/`) and `lib.rs` sit above everything.

use std::collections::BTreeMap;
use std::path::Path;

/// The modules of each row of the README's stage table, in order: `src/tokenize.rs` is
/// `tokenize`, `src/model/` is `model`.
fn stage_rows(readme: &str) -> Vec<Vec<String>> {
    let table = readme
        .split("## How it works")
        .nth(1)
        .expect("README has a \"How it works\" section");
    table
        .lines()
        .skip_while(|line| !line.starts_with("| stage"))
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(|row| {
            let modules = row.split('|').nth(2).unwrap_or_default();
            modules
                .split('`')
                .filter_map(|path| path.strip_prefix("src/"))
                .map(|path| {
                    let top = path.split('/').next().unwrap_or(path);
                    top.trim_end_matches(".rs").to_string()
                })
                .collect()
        })
        .collect()
}

/// Each module of `src/` (by its top-level name) and the modules its non-test code names.
fn imports(src: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut found: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut files = vec![src.to_path_buf()];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let relative = path.strip_prefix(src).unwrap();
        let top = relative.components().next().unwrap().as_os_str();
        let module = top.to_string_lossy().trim_end_matches(".rs").to_string();
        if ["lib", "main", "cli", "error"].contains(&module.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
        let named = found.entry(module.clone()).or_default();
        for line in code.lines() {
            let line = line.split("//").next().unwrap();
            // `crate::parse::Parser` and `use crate::{intents::Intent, parse::Parse}`.
            for (i, _) in line.match_indices("crate::") {
                let rest = &line[i + "crate::".len()..];
                let rest = rest.strip_prefix('{').unwrap_or(rest);
                for path in rest.split(',') {
                    let name: String = path
                        .trim()
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                        .collect();
                    let is_module = path.trim()[name.len()..].starts_with("::");
                    if is_module && name != module && name != "error" {
                        named
                            .entry(name)
                            .or_insert_with(|| relative.display().to_string());
                    }
                }
            }
        }
    }
    found
}

#[test]
fn each_stage_imports_only_the_stages_above_it_in_the_readme() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rows = stage_rows(&std::fs::read_to_string(root.join("README.md")).unwrap());
    let row_of = |module: &str| rows.iter().position(|row| row.iter().any(|m| m == module));
    let mut problems = Vec::new();
    let modules = imports(&root.join("src"));
    for (module, named) in &modules {
        let Some(row) = row_of(module) else {
            problems.push(format!(
                "src/{module}: not in the README's stage table; add it to its row"
            ));
            continue;
        };
        for (other, file) in named {
            match row_of(other) {
                Some(other_row) if other_row <= row => {}
                Some(_) => problems.push(format!(
                    "src/{file} ({module}) uses `crate::{other}`, a stage below it in the README"
                )),
                None => problems.push(format!(
                    "src/{file} uses `crate::{other}`, which the README's stage table lacks"
                )),
            }
        }
    }
    assert!(modules.len() > 10, "found only {modules:?}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
