//! The one way the toolkit replaces a file that holds state (profiles, credentials, `.env`
//! files, `.gitignore`, installed skills and their lockfile).
//!
//! Readers see the old file or the new one, never half of one: the contents go to a temporary
//! file in the same folder (a rename across file systems would not be atomic), are synced to
//! disk, and the temporary file is renamed over the target (so a symlink at the target is
//! replaced, never written through). The folder is synced too, so the rename itself survives
//! a crash. [`write_atomic_all`] does the same for files that belong together (a profile's
//! `config.toml` and `credentials.toml`): every file is written and synced before any is
//! renamed, and if one rename fails the files already replaced get their old contents back,
//! so the set is replaced as one unit, both or neither.

use std::io::{self, Write};
use std::path::Path;

/// Who may read the written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// Mode 0600: the file holds secrets.
    OwnerOnly,
    /// The mode of the file being replaced; a new file gets [`Access::Normal`].
    Keep,
    /// The mode any new file gets: 0666 less the process umask (0644 under umask 022).
    Normal,
}

/// 0666 less the process umask.
#[cfg(unix)]
fn normal_mode() -> u32 {
    // umask can only be read by setting it; set it straight back.
    // SAFETY: umask has no memory-safety preconditions.
    let mask = unsafe { libc::umask(0o022) };
    // SAFETY: as above.
    unsafe { libc::umask(mask) };
    0o666 & !(mask as u32)
}

/// Writes `contents` to `path` atomically. The folder must exist.
pub(crate) fn write_atomic(path: &Path, contents: &[u8], access: Access) -> io::Result<()> {
    write_atomic_all(&[(path, contents, access)])
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Writes a temporary file beside `path` with `contents`, synced and with its final mode.
fn stage(path: &Path, contents: &[u8], access: Access) -> io::Result<tempfile::NamedTempFile> {
    let mut file = tempfile::Builder::new().prefix(".autoplay-").suffix(".tmp").tempfile_in(folder_of(path))?;
    file.write_all(contents)?;
    file.as_file().sync_all()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = match access {
            Access::OwnerOnly => 0o600,
            Access::Keep => {
                std::fs::metadata(path).map(|m| m.permissions().mode() & 0o777).unwrap_or_else(|_| normal_mode())
            }
            Access::Normal => normal_mode(),
        };
        file.as_file().set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = access;
    Ok(file)
}

/// Replaces every file of `files` atomically and as one unit: all are written and synced
/// first, then renamed in order; when a rename fails, the files already renamed are put back
/// as they were (removed when they did not exist) and the error is returned.
pub(crate) fn write_atomic_all(files: &[(&Path, &[u8], Access)]) -> io::Result<()> {
    let mut staged = Vec::with_capacity(files.len());
    for (path, contents, access) in files {
        // What to put back if a later rename fails (a single file needs no way back).
        let previous = if files.len() > 1 {
            match std::fs::read(path) {
                Ok(bytes) => Some(bytes),
                Err(err) if err.kind() == io::ErrorKind::NotFound => None,
                Err(err) => return Err(err),
            }
        } else {
            None
        };
        staged.push((*path, stage(path, contents, *access)?, previous, *access));
    }
    let mut done: Vec<(&Path, Option<Vec<u8>>, Access)> = Vec::with_capacity(staged.len());
    for (path, file, previous, access) in staged {
        if let Err(err) = file.persist(path) {
            for (path, previous, access) in done.into_iter().rev() {
                let _ = match previous {
                    Some(bytes) => {
                        stage(path, &bytes, access).and_then(|f| f.persist(path).map(drop).map_err(|e| e.error))
                    }
                    None => std::fs::remove_file(path),
                };
            }
            return Err(err.error);
        }
        done.push((path, previous, access));
    }
    let mut synced: Vec<&Path> = Vec::new();
    for (path, _, _) in &done {
        let dir = folder_of(path);
        if !synced.contains(&dir) {
            sync_dir(dir)?;
            synced.push(dir);
        }
    }
    Ok(())
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
        assert_eq!(mode(&shared), normal_mode());
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&shared, b"# changed\n", Access::Keep).unwrap();
        assert_eq!(mode(&shared), 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn normal_files_get_0666_less_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("SKILL.md");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&path, b"# new\n", Access::Normal).unwrap();
        assert_eq!(mode(&path), normal_mode());
        assert_eq!(normal_mode() & 0o444, 0o444, "readable by everyone under a usual umask");
    }

    #[test]
    fn a_set_is_written_both_or_neither() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.toml");
        let credentials = dir.path().join("credentials.toml");
        std::fs::write(&config, "old config").unwrap();
        // A folder where the second file should go makes its rename fail.
        std::fs::create_dir(&credentials).unwrap();
        std::fs::write(credentials.join("x"), "keeps the folder non-empty").unwrap();
        let result = write_atomic_all(&[
            (&config, b"new config", Access::Keep),
            (&credentials, b"new secrets", Access::OwnerOnly),
        ]);
        assert!(result.is_err());
        assert_eq!(std::fs::read_to_string(&config).unwrap(), "old config", "the first file is put back");
        let fresh = dir.path().join("fresh.toml");
        let result =
            write_atomic_all(&[(&fresh, b"new", Access::Keep), (&credentials, b"new secrets", Access::OwnerOnly)]);
        assert!(result.is_err());
        assert!(!fresh.exists(), "a file that did not exist is removed again");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "no temporary file is left behind");
        write_atomic_all(&[(&config, b"a", Access::Keep), (&fresh, b"b", Access::OwnerOnly)]).unwrap();
        assert_eq!(std::fs::read_to_string(&config).unwrap(), "a");
        assert_eq!(std::fs::read_to_string(&fresh).unwrap(), "b");
    }
}
