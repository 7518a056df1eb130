//! Importers: another engine's project as a slotfill bot folder, with a report of what does
//! not carry over.
//!
//! | engine | module | command |
//! | --- | --- | --- |
//! | Rasa 3.x (and 2.x) | [`rasa`] | `slotfill import rasa RASA_DIR --out BOT_DIR` |

pub mod rasa;
