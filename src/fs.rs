//! The one way the toolkit replaces a file that holds state (profiles, credentials, `.env`
//! files, `.gitignore`, installed skills and their lockfile).
//!
//! Readers see the old file or the new one, never half of one: the contents go to a temporary
//! file in the same folder (a rename across file systems would not be atomic), are synced to
//! disk, and the temporary file is renamed over the target (so a symlink at the target is
//! replaced, never written through). The folder is synced too, so the rename itself survives
//! a crash.

use std::io::{self, Write};
use std::path::Path;

/// Who may read the written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// Mode 0600: the file holds secrets.
    OwnerOnly,
    /// The mode of the file being replaced, 0644 for a new file.
    Keep,
}

/// Writes `contents` to `path` atomically. The folder must exist.
pub(crate) fn write_atomic(path: &Path, contents: &[u8], access: Access) -> io::Result<()> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut file = tempfile::Builder::new().prefix(".autoplay-").suffix(".tmp").tempfile_in(dir)?;
    file.write_all(contents)?;
    file.as_file().sync_all()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = match access {
            Access::OwnerOnly => 0o600,
            Access::Keep => std::fs::metadata(path).map(|m| m.permissions().mode() & 0o777).unwrap_or(0o644),
        };
        file.as_file().set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = access;
    file.persist(path).map_err(|err| err.error)?;
    sync_dir(dir)
}

/// Makes a rename in `dir` durable. Only Unix can open a folder to sync it.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// The largest config file read (`products.json`, `--expect` files), in bytes.
pub(crate) const MAX_CONFIG_BYTES: u64 = 32 << 20;
/// The largest token or secret file read, in bytes.
pub(crate) const MAX_SECRET_BYTES: u64 = 64 << 10;
/// The largest profile file read (`config.toml`, `credentials.toml`), in bytes.
pub(crate) const MAX_PROFILE_BYTES: u64 = 1 << 20;

/// Reads a text file the toolkit expects to be small: refused (naming the path) when it is a
/// folder, a FIFO or another special file, longer than `limit` bytes, or not UTF-8. The
/// limit holds whatever the file claims to be (`/dev/zero` included): at most `limit + 1`
/// bytes are read.
pub(crate) fn read_text_limited(path: &Path, limit: u64) -> io::Result<String> {
    use std::io::Read;
    let refuse = |what: &str| io::Error::new(io::ErrorKind::InvalidInput, format!("{} is {what}", path.display()));
    // `stat` first: opening a FIFO would wait for a writer.
    let kind = std::fs::metadata(path)?.file_type();
    if kind.is_dir() {
        return Err(refuse("a directory, not a file"));
    }
    if !kind.is_file() && !is_char_device(&kind) {
        return Err(refuse("not a regular file (a FIFO or socket?)"));
    }
    // Sized once: growing by doubling would hold two copies at the limit. Pages not read
    // into are never touched, so a small file costs little.
    let mut bytes = Vec::with_capacity(usize::try_from(limit + 1).unwrap_or(usize::MAX));
    std::fs::File::open(path)?.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(refuse(&format!("larger than {}, the limit for this file", human_bytes(limit))));
    }
    String::from_utf8(bytes).map_err(|_| refuse("not UTF-8 text"))
}

/// `/dev/null` and `/dev/zero` are character devices: read them (with the limit) like files.
#[cfg(unix)]
fn is_char_device(kind: &std::fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    kind.is_char_device()
}

#[cfg(not(unix))]
fn is_char_device(_: &std::fs::FileType) -> bool {
    false
}

/// Reads standard input, at most `limit` bytes (more is an error saying so).
pub(crate) fn read_stdin_limited(limit: u64) -> io::Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    io::stdin().take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("standard input is larger than {}, the limit here", human_bytes(limit)),
        ));
    }
    String::from_utf8(bytes).map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "standard input is not UTF-8 text"))
}

/// `64 KiB`, `16 MiB`.
pub(crate) fn human_bytes(bytes: u64) -> String {
    if bytes >= 1 << 20 { format!("{} MiB", bytes >> 20) } else { format!("{} KiB", bytes >> 10) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    #[test]
    fn atomic_private_writes_are_0600() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.toml");
        write_atomic(&path, b"a = 1\n", Access::OwnerOnly).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a = 1\n");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn keep_keeps_the_mode_of_the_replaced_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let shared = dir.path().join("SKILL.md");
        write_atomic(&shared, b"# new\n", Access::Keep).unwrap();
        assert_eq!(mode(&shared), 0o644);
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&shared, b"# changed\n", Access::Keep).unwrap();
        assert_eq!(mode(&shared), 0o640);
    }
}
