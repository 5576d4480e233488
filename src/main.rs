//! The `autoplay` binary: everything lives in the library; this only sets how the process's
//! memory is backed and hands over the exit code.

// The simulator and the aggregators allocate many small strings; mimalloc handles that
// pattern markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    prefer_small_pages();
    autoplay::main()
}

/// The batch commands (simulate, validate, the sessions readers, the report) touch most of
/// their memory once, so transparent huge pages only add cost: each first touch zeroes 2 MB,
/// and on a virtual machine the first run after a pause paid up to a second and a half more
/// for it (validating a 30 MB config). Small pages for the whole process (Linux; elsewhere
/// nothing changes).
fn prefer_small_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
