//! `autoplay triggers init`: write a commented starting `products.json`.
//!
//! The template is embedded in the binary. JSON has no comments, so its notes are `_comment`
//! keys: the SDK ignores unknown keys in those objects and `autoplay triggers validate` accepts
//! them without a warning. The template validates clean and fires on the demo recording (both
//! are tested).

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::ui;

/// The starting config (`templates/products.json`).
pub(crate) const PRODUCTS_TEMPLATE: &str = crate::templates::PRODUCTS_JSON;

pub(crate) fn run(path: &Path, force: bool) -> anyhow::Result<ExitStatus> {
    if path.as_os_str() == "-" {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(PRODUCTS_TEMPLATE.as_bytes())?;
        stdout.flush()?;
        return Ok(ExitStatus::Success);
    }
    write_template(path, force)?;
    let name = path.display();
    ui::info(format!("wrote {name}: 3 builtin triggers, chips linked to ping-pong, one tour"));
    ui::info("next steps:");
    ui::info("  1. set product_id, and the URLs in section_url_rules to your app's canonical URLs");
    ui::info(format!("  2. autoplay triggers validate {name}"));
    ui::info(format!("  3. autoplay triggers simulate --config {name} --events recording.jsonl"));
    ui::info(
        "     (record traffic with `autoplay tail --record recording.jsonl`, or make some with `autoplay generate`)",
    );
    Ok(ExitStatus::Success)
}

fn write_template(path: &Path, force: bool) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("could not create {}", parent.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        // create_new: no window between "does it exist" and "write it".
        options.create_new(true);
    }
    let mut file = match options.open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(UserError::usage(format!("{} already exists", path.display()))
                .with_hint(
                    "pass --force to overwrite it, or write elsewhere: autoplay triggers init other-products.json",
                )
                .into());
        }
        Err(err) => {
            return Err(anyhow::Error::from(err).context(format!("could not write {}", path.display())));
        }
    };
    file.write_all(PRODUCTS_TEMPLATE.as_bytes()).with_context(|| format!("could not write {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_validates_clean() {
        let report = crate::triggers::lint::lint_text(PRODUCTS_TEMPLATE);
        assert!(report.problems.is_empty(), "{:#?}", report.problems);
        let parsed = crate::triggers::config::parse_products_str(PRODUCTS_TEMPLATE).expect("JSON");
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(parsed.rows[0].registry.len(), 3);
        assert_eq!(parsed.rows[0].trigger_configs.len(), 1);
    }
}
