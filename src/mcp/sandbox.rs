//! The folders the MCP tools may read: the one the server started in, and each `--allow DIR`.
//! A path a tool is given is resolved against the first, made canonical (symlinks followed)
//! and refused unless it lies inside one of them.

use std::path::{Path, PathBuf};

use crate::shell::exit::UserError;

/// The readable folders, canonical.
#[derive(Debug, Clone)]
pub(crate) struct Sandbox {
    root: PathBuf,
    allowed: Vec<PathBuf>,
}

impl Sandbox {
    /// `root` (relative paths start there) and the extra folders; each must exist.
    pub(crate) fn new(root: &Path, allow: &[PathBuf]) -> anyhow::Result<Sandbox> {
        let canonical = |dir: &Path| -> anyhow::Result<PathBuf> {
            let path = dir.canonicalize().map_err(|e| {
                UserError::usage(format!("--allow {}: {e}", dir.display())).with_hint("give a folder that exists")
            })?;
            if !path.is_dir() {
                return Err(UserError::usage(format!("--allow {}: not a folder", dir.display())).into());
            }
            Ok(path)
        };
        let root = canonical(root)?;
        let allowed = allow.iter().map(|dir| canonical(dir)).collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Sandbox { root, allowed })
    }

    /// The folder the server started in.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    fn folders(&self) -> impl Iterator<Item = &PathBuf> {
        std::iter::once(&self.root).chain(&self.allowed)
    }

    /// The file `given` names, when it exists inside a readable folder.
    pub(crate) fn file(&self, given: &str) -> anyhow::Result<PathBuf> {
        if given.trim().is_empty() || given == "-" {
            return Err(UserError::usage(format!("`{given}` is not a file path"))
                .with_hint("tools read files, never standard input (it carries the MCP messages)")
                .into());
        }
        let joined = self.root.join(given);
        let path = match joined.canonicalize() {
            Ok(path) => path,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Err(UserError::usage(format!("{given}: no such file"))
                    .with_hint(format!("paths are relative to {}", self.root.display()))
                    .into());
            }
            Err(err) => return Err(UserError::usage(format!("{given}: {err}")).into()),
        };
        if !self.folders().any(|dir| path.starts_with(dir)) {
            let folders: Vec<String> = self.folders().map(|d| d.display().to_string()).collect();
            return Err(UserError::usage(format!(
                "{given} is outside the folders this server may read ({})",
                folders.join(", ")
            ))
            .with_hint("start `autoplay mcp` in the project folder, or add the folder with --allow DIR")
            .into());
        }
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_folders_are_refused() {
        let root = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("a.jsonl"), "").unwrap();
        std::fs::write(other.path().join("b.jsonl"), "").unwrap();
        let sandbox = Sandbox::new(root.path(), &[]).unwrap();
        assert!(sandbox.file("a.jsonl").is_ok());
        let outside = other.path().join("b.jsonl");
        let err = sandbox.file(outside.to_str().unwrap()).unwrap_err();
        assert!(err.to_string().contains("outside the folders"), "{err}");
        assert!(sandbox.file("-").is_err());
        let allowed = Sandbox::new(root.path(), &[other.path().to_path_buf()]).unwrap();
        assert!(allowed.file(outside.to_str().unwrap()).is_ok());
    }
}
