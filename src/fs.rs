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

/// [`write_atomic`] for contents made piece by piece: `write` fills a buffered writer on the
/// temporary file, so a large file is never held in memory whole. Nothing replaces `path`
/// when `write` fails.
pub(crate) fn write_atomic_with(
    path: &Path,
    access: Access,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let file = stage_with(path, access, write)?;
    file.persist(path).map_err(|e| e.error)?;
    sync_dir(folder_of(path))
}

/// Writes a temporary file beside `path` with `contents`, synced and with its final mode.
fn stage(path: &Path, contents: &[u8], access: Access) -> io::Result<tempfile::NamedTempFile> {
    stage_with(path, access, |out| out.write_all(contents))
}

/// Bytes gathered before each write to a staged file.
const STAGE_BUFFER: usize = 256 << 10;

/// [`stage`] with the contents written by `write`.
fn stage_with(
    path: &Path,
    access: Access,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<tempfile::NamedTempFile> {
    let mut file = tempfile::Builder::new().prefix(".autoplay-").suffix(".tmp").tempfile_in(folder_of(path))?;
    {
        let mut out = io::BufWriter::with_capacity(STAGE_BUFFER, file.as_file_mut());
        write(&mut out)?;
        out.flush()?;
    }
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
