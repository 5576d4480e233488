//! The `autoplay` binary: everything lives in the library; this only hands over the exit code.

// The simulator and the aggregators allocate many small strings; mimalloc handles that
// pattern markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    autoplay::main()
}
