//! gzip and zstd recordings are read like plain ones by `sessions`, `triggers simulate` and
//! `serve --replay`, told by their magic bytes whatever the file is called.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::support::{self, ServeProcess};

fn plain() -> String {
    support::sample_events(12, "acme").iter().map(|l| format!("{l}\n")).collect()
}

/// The same recording plain, gzip (two members, as `cat a.gz b.gz` makes), zstd, and zstd
/// under a `.jsonl` name.
fn recordings(dir: &Path) -> Vec<PathBuf> {
    let text = plain();
    let (first, second) = text.split_at(text.len() / 2);
    let plain_path = dir.join("rec.jsonl");
    std::fs::write(&plain_path, &text).unwrap();
    let mut gz = Vec::new();
    for part in [first, second] {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(part.as_bytes()).unwrap();
        gz.extend(encoder.finish().unwrap());
    }
    let gz_path = dir.join("rec.jsonl.gz");
    std::fs::write(&gz_path, gz).unwrap();
    let zst = zstd::encode_all(text.as_bytes(), 3).unwrap();
    let zst_path = dir.join("rec.jsonl.zst");
    std::fs::write(&zst_path, &zst).unwrap();
    let misnamed = dir.join("really-zstd.jsonl");
    std::fs::write(&misnamed, &zst).unwrap();
    vec![plain_path, gz_path, zst_path, misnamed]
}

#[test]
fn sessions_and_simulate_read_compressed_recordings_alike() {
    let dir = tempfile::tempdir().unwrap();
    let files = recordings(dir.path());
    let config = dir.path().join("products.json");
    support::autoplay().args(["triggers", "init", config.to_str().unwrap()]).assert().success();
    let run = |args: &[&str]| {
        let output = support::autoplay().args(args).output().unwrap();
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        output.stdout
    };
    let mut lists = Vec::new();
    let mut simulations = Vec::new();
    for file in &files {
        let file = file.to_str().unwrap();
        lists.push(run(&["sessions", "list", "--from", file, "--format", "json"]));
        simulations.push(run(&[
            "triggers",
            "simulate",
            "--config",
            config.to_str().unwrap(),
            "--events",
            file,
            "--format",
            "json",
        ]));
    }
    assert!(!lists[0].is_empty());
    assert!(lists.iter().all(|l| *l == lists[0]), "sessions list differs");
    assert!(simulations.iter().all(|s| *s == simulations[0]), "simulate differs");
    // Compressed stdin too.
    let zst = std::fs::read(&files[2]).unwrap();
    let output = support::autoplay()
        .args(["sessions", "list", "--from", "-", "--format", "json"])
        .write_stdin(zst)
        .output()
        .unwrap();
    assert_eq!(output.stdout, lists[0]);
    // A broken compressed file is an error naming the file, not a panic.
    let broken = dir.path().join("broken.gz");
    std::fs::write(&broken, [0x1f, 0x8b, 0x08, 0x00, 0x01]).unwrap();
    let output = support::autoplay().args(["sessions", "list", "--from", broken.to_str().unwrap()]).output().unwrap();
    assert!(!output.status.success());
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
}

#[test]
fn serve_replays_a_compressed_recording() {
    let dir = tempfile::tempdir().unwrap();
    let files = recordings(dir.path());
    for file in &files[1..3] {
        let serve =
            ServeProcess::start(&["--replay", file.to_str().unwrap(), "--speed", "max", "--key", "k_0123456789abcdef"]);
        let output = support::autoplay()
            .args([
                "tail",
                "--format",
                "json",
                "--url",
                &serve.stream_url("acme"),
                "--max-events",
                "12",
                "--duration",
                "10s",
            ])
            .env("AUTOPLAY_APP_UNKEY_TOKEN", "k_0123456789abcdef")
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 12);
    }
}
