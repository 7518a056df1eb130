use clap::{Parser, Subcommand};
use mimalloc::MiMalloc;

mod cli;

// The default glibc allocator spends most of a small-model training step returning
// temporaries to the OS; mimalloc nearly halves training time (shared/notes/candle-on-cpu.md).
#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

// TEMPORARY wiring on the `intents` branch so that `slotfill check` can be tried; the lead's
// subcommand layout replaces it.
#[derive(Parser)]
#[command(name = "slotfill", about = "Chatbot slot filling")]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a bot folder and list every problem.
    Check(cli::check::CheckArgs),
}

fn main() -> anyhow::Result<()> {
    match Args::parse().command {
        Command::Check(args) => cli::check::run(args),
    }
}
