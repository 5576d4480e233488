//! Rebuilds the crate when a file is added to or removed from the embedded folders:
//! `include_dir!` only tracks the files that existed at the last build.

fn main() {
    println!("cargo:rerun-if-changed=skills");
    println!("cargo:rerun-if-changed=templates");
}
