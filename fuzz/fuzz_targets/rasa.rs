//! `slotfill import rasa` on arbitrary UTF-8 as a project's domain and NLU data: errors are
//! fine, panics and hangs are bugs; what it writes must load or be refused, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let files = vec![
        ("domain.yml".into(), text.to_string()),
        ("data/nlu.yml".into(), text.to_string()),
    ];
    if let Ok(imported) = slotfill::import::rasa::import_files(files) {
        if let Ok(yaml) = imported.to_yaml() {
            let _ = slotfill::intents::Intents::from_str("bot.yaml", &yaml);
        }
    }
});
