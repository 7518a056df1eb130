//! The `slotfill` command line.

mod cli;

use mimalloc::MiMalloc;

// The default glibc allocator spends most of a small-model training step returning
// temporaries to the OS; mimalloc nearly halves training time (shared/notes/candle-on-cpu.md).
#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

fn main() -> std::process::ExitCode {
    slotfill::one_thread_per_product();
    cli::main()
}
