//! `Intents::from_str` on arbitrary UTF-8: errors are fine, panics and hangs are bugs.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(bot) = slotfill::intents::Intents::from_str("fuzz.yaml", text) {
        bot.fingerprint();
    }
});
