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
