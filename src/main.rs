//! The `slotfill` command line.

mod cli;

use mimalloc::MiMalloc;

// The default glibc allocator spends most of a small-model training step returning
// temporaries to the OS; mimalloc nearly halves training time (shared/notes/candle-on-cpu.md).
#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

/// mimalloc's `mi_option_purge_delay`: the same slot in its v2 and v3 headers, which
/// `libmimalloc-sys` leaves unnamed.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // mimalloc hands freed memory back to the OS after 10 ms, and the next training step
    // takes it again at once, so the kernel zeroes the same pages over and over (8 % of a
    // SNIPS epoch). Keeping it moves the peak little (parsing with the bundled bot: 48 -> 51 MB).
    // SAFETY: called before any other thread exists, as mi_option_set requires.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
    slotfill::one_thread_per_product();
    cli::main()
}
