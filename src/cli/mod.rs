//! The subcommands of the `slotfill` binary.

pub mod check;
