//! How a batch command's memory is backed.

/// Commands that build large structures once and exit (`triggers simulate`, `triggers
/// validate`) touch most of their memory once, so transparent huge pages only add cost: each
/// first touch zeroes 2 MB, and on a virtual machine the first run after a pause paid up to a
/// second and a half more for it (validating a 30 MB config). They call this first and run
/// on small pages (Linux; elsewhere nothing changes). Commands that reread the same memory
/// (the `sessions` readers) measured a little faster on huge pages and do not call it.
pub(crate) fn prefer_small_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
