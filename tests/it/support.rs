//! Shared helpers for the integration tests.

#![allow(dead_code)]

use std::path::PathBuf;

/// The built binary, ready to run with assert_cmd.
pub(crate) fn autoplay() -> assert_cmd::Command {
    assert_cmd::Command::from_std(autoplay_process())
}

/// The built binary as a plain process (for tests that talk to it while it runs), with the
/// same environment as [`autoplay`].
pub(crate) fn autoplay_process() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("autoplay"));
    // Tests never read the developer's real profile or tokens.
    cmd.env_remove("AUTOPLAY_APP_UNKEY_TOKEN")
        .env_remove("AUTOPLAY_UNKEY_TOKEN")
        .env_remove("AUTOPLAY_STREAM_URL")
        .env_remove("AUTOPLAY_CONNECTOR_URL")
        .env_remove("AUTOPLAY_PRODUCT_ID")
        .env_remove("AUTOPLAY_PROFILE")
        .env_remove("AUTOPLAY_FORMAT")
        .env("AUTOPLAY_CONFIG_DIR", std::env::temp_dir().join("autoplay-tests-no-config"))
        .env("NO_COLOR", "1");
    cmd
}

/// A path under `tests/fixtures`.
pub(crate) fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path)
}

/// A path under `templates/` (the starting config and the demo recording).
pub(crate) fn template(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("templates").join(path)
}

/// A running `autoplay serve --port 0 …`, killed on drop. Its stderr goes to a file
/// ([`ServeProcess::stderr`]); its config folder is a fresh temporary one unless given.
pub(crate) struct ServeProcess {
    pub url: String,
    child: std::process::Child,
    dir: tempfile::TempDir,
}

impl ServeProcess {
    /// Starts the real binary's local connector and waits for its address.
    pub(crate) fn start(args: &[&str]) -> ServeProcess {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = dir.path().join("config");
        Self::start_in(&config, args, dir)
    }

    /// Like [`ServeProcess::start`], with `config` as its config folder.
    pub(crate) fn start_with_config(config: &std::path::Path, args: &[&str]) -> ServeProcess {
        Self::start_in(config, args, tempfile::tempdir().expect("temp dir"))
    }

    fn start_in(config: &std::path::Path, args: &[&str], dir: tempfile::TempDir) -> ServeProcess {
        use std::io::BufRead;
        let binary = assert_cmd::cargo::cargo_bin("autoplay");
        let stderr = std::fs::File::create(dir.path().join("stderr.txt")).expect("stderr file");
        let mut child = std::process::Command::new(binary)
            .args(["serve", "--port", "0"])
            .args(args)
            .env("NO_COLOR", "1")
            .env("AUTOPLAY_CONFIG_DIR", config)
            .stdout(std::process::Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("serve starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut first = String::new();
        std::io::BufReader::new(stdout).read_line(&mut first).expect("serve prints its address");
        assert!(first.starts_with("http://"), "unexpected first line from serve: {first:?}");
        ServeProcess { url: first.trim().to_string(), child, dir }
    }

    pub(crate) fn stream_url(&self, product: &str) -> String {
        format!("{}/stream/{product}", self.url)
    }

    /// What the server wrote on stderr so far.
    pub(crate) fn stderr(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("stderr.txt")).unwrap_or_default()
    }

    /// Waits (up to 20 s, polling) until stderr holds `needle`; returns whether it did.
    pub(crate) fn wait_for_stderr(&self, needle: &str) -> bool {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while std::time::Instant::now() < deadline {
            if self.stderr().contains(needle) {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        false
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A scripted HTTP server on 127.0.0.1: each connection gets the next canned response
/// (the last one repeats). Records the request heads it saw.
pub(crate) struct RawServer {
    pub url: String,
    pub requests: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl RawServer {
    pub(crate) fn start(responses: Vec<Vec<u8>>) -> RawServer {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = requests.clone();
        std::thread::spawn(move || {
            let mut index = 0usize;
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match stream.read(&mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => break,
                    }
                }
                seen.lock().unwrap().push(String::from_utf8_lossy(&head).to_string());
                let response = &responses[index.min(responses.len() - 1)];
                index += 1;
                let _ = stream.write_all(response);
                let _ = stream.flush();
            }
        });
        RawServer { url, requests }
    }
}

/// An HTTP/1.1 response with a body and `Connection: close`.
pub(crate) fn http_response(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(body);
    response
}

/// Writes `lines` as a recording in a temp dir and returns (dir guard, path).
pub(crate) fn recording(lines: &[String]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("recording.jsonl");
    std::fs::write(&path, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).expect("write recording");
    (dir, path)
}

/// `n` small actions events for product `product`, session `s{i % 3}`, user `u{i % 2}`.
pub(crate) fn sample_events(n: usize, product: &str) -> Vec<String> {
    (0..n)
        .map(|i| {
            serde_json::json!({
                "type": "actions", "product_id": product, "session_id": format!("s{}", i % 3),
                "user_id": format!("u{}", i % 2), "forwarded_at": 1000.0 + i as f64,
                "actions": [{"index": 0, "type": "pageview", "title": format!("Page {i}"), "description": format!("opened page {i}"),
                    "canonical_url": format!("https://app.test/page/{}", i % 4), "timestamp_start": 1000.0 + i as f64, "timestamp_end": 1000.0 + i as f64}],
                "count": 1
            })
            .to_string()
        })
        .collect()
}

/// A minimal HTTP/1.1 request over std (tests stay free of async plumbing).
/// Returns the status code and the body.
pub(crate) fn http_request(method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, String) {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").expect("http URL");
    let (host, path) = rest.split_once('/').map(|(h, p)| (h, format!("/{p}"))).unwrap_or((rest, "/".into()));
    let mut stream = std::net::TcpStream::connect(host).expect("connect");
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).expect("send");
    stream.write_all(body).expect("send body");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read");
    let text = String::from_utf8_lossy(&response).to_string();
    let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

/// Reads the first stdout line of `child` (started with piped stdout and stderr), then closes
/// the pipe and checks the program ends quietly with exit 0, as a CLI should when its reader
/// goes away (`| head`). Returns the line read.
pub(crate) fn read_one_line_then_close(mut child: std::process::Child) -> String {
    use std::io::{BufRead, Read};
    let mut reader = std::io::BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    drop(reader);
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child.stderr.take().expect("piped stderr").read_to_string(&mut stderr).unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
    first
}
