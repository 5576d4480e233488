//! The one benchmark: `autoplay triggers simulate`, `autoplay tail`, the `sessions` commands
//! and cold start, each run several times beside the Python SDK's counterpart on the same
//! input, summarised in one table (median wall time, throughput, peak memory, ratio).
//!
//! ```sh
//! cargo run --release --example bench -- [simulate|tail|sessions|start|all] [--python VENV/bin/python]
//!     [--runs N] [--sdk-runs N] [--tail-events N] [--dir DIR] [--binary PATH]
//! ```
//!
//! - Inputs are made by `autoplay generate` (default seed) in DIR (default
//!   `$TMPDIR/autoplay-bench`) and kept there for the next run: a 1,000,000-action /
//!   20,000-session recording.
//! - `simulate` runs two configs over it: the README's benchmark config (three built-ins with
//!   section rules, a `proactive_intercom` row and a tour) and the three built-ins alone at
//!   their default settings. The SDK side is `scripts/bench_sdk_simulate.py`.
//! - `tail` starts a small SSE server in this process that writes prebuilt one-action frames
//!   as fast as the socket takes them (not `autoplay serve`, so server and client share no
//!   code) and reads `autoplay tail --format json` from a pipe. The SDK side is
//!   `scripts/bench_sdk_client.py` (the SDK's `ConnectorClient`) against the same server.
//! - `sessions` times `list`, `stats`, `context` and `user`; the SDK side
//!   (`scripts/bench_sdk_sessions.py`) feeds the SDK's `ContextStore` / `UserSessionIndex`
//!   and reads the same text (the SDK has no `list` or `stats`).
//! - cold start is `autoplay --version` against `python -c "import autoplay_sdk"`.
//!
//! Peak memory is the child's `ru_maxrss` from `wait4`. Wall time includes process start.
//! The release binary is brought up to date first (`cargo build --release --bin autoplay --example bench`),
//! unless `--binary PATH` names another build to measure (to compare two builds in one sitting).

// Benchmarks print their figures; that is their whole output.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const SESSIONS: u32 = 20_000;
const ACTIONS: u64 = 1_000_000;
const TOKEN: &str = "bench_key_0123456789";

/// The README's benchmark config: all three built-ins, section rules, a proactive_intercom
/// row and a tour. One row serves every product id.
const README_CONFIG: &str = r#"[{
  "product_id": "demo",
  "integration_config": {
    "interaction_timeout_s": 20, "cooldown_period_s": 60,
    "proactive_triggers": {
      "builtins": [
        {"id": "section_playbook_match", "name": "Section", "description": "Section help"},
        {"id": "user_page_dwell", "name": "Dwell", "description": "Lingering", "triggering_type": "instant_trigger"},
        {"id": "canonical_url_ping_pong", "name": "Ping-pong", "description": "Bouncing", "triggering_type": "instant_trigger"}
      ],
      "dwell_threshold_seconds": 45, "user_page_dwell_max_actions": 3,
      "section_url_rules": [
        {"prefix": "https://app.example.com/settings/billing", "section_id": "billing"},
        {"prefix": "https://app.example.com/reports", "section_id": "reports"}
      ],
      "section_playbook": {"billing": {"body": "Questions about your invoice?", "reply_option_labels": ["Download invoice"]}}
    },
    "proactive_intercom": [{
      "id": "t1", "name": "Projects", "proactive_criteria": {"id": "canonical_url_ping_pong", "name": "pp", "type": "x"},
      "messages": [{"id": "c1", "label": "Create a project", "user_tour_exists": true, "user_tour_id": "flow_new"},
                   {"id": "c2", "label": "Find my API key"}]
    }],
    "tour_registry": [{"id": "c1", "user_tour_id": "flow_new", "interaction_timeout_s": 30, "cooldown_period_s": 90}]
  }
}]"#;

/// The three built-ins, nothing else: every setting at its default.
const BUILTINS_CONFIG: &str = r#"[{
  "product_id": "demo",
  "integration_config": {
    "proactive_triggers": {
      "builtins": [
        {"id": "section_playbook_match", "name": "Section", "description": "Section help"},
        {"id": "user_page_dwell", "name": "Dwell", "description": "Lingering"},
        {"id": "canonical_url_ping_pong", "name": "Ping-pong", "description": "Bouncing"}
      ]
    }
  }
}]"#;

struct Options {
    what: String,
    python: Option<PathBuf>,
    runs: usize,
    sdk_runs: usize,
    tail_events: u64,
    dir: PathBuf,
    /// Measure this binary instead of building the tree's (to compare two builds).
    binary: Option<PathBuf>,
}

fn parse_options() -> Options {
    let mut options = Options {
        what: "all".into(),
        python: None,
        runs: 5,
        sdk_runs: 2,
        tail_events: 3_000_000,
        dir: std::env::temp_dir().join("autoplay-bench"),
        binary: None,
    };
    let mut args = std::env::args().skip(1);
    let number = |value: Option<String>, flag: &str| -> u64 {
        value.and_then(|v| v.replace('_', "").parse().ok()).unwrap_or_else(|| fail(&format!("{flag} takes a number")))
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "simulate" | "tail" | "sessions" | "start" | "all" => options.what = arg,
            "--python" => options.python = Some(args.next().map(PathBuf::from).unwrap_or_else(|| fail("--python PY"))),
            "--runs" => options.runs = number(args.next(), "--runs").max(1) as usize,
            "--sdk-runs" => options.sdk_runs = number(args.next(), "--sdk-runs").max(1) as usize,
            "--tail-events" => options.tail_events = number(args.next(), "--tail-events").max(1),
            "--dir" => options.dir = args.next().map(PathBuf::from).unwrap_or_else(|| fail("--dir DIR")),
            "--binary" => {
                options.binary = Some(args.next().map(PathBuf::from).unwrap_or_else(|| fail("--binary PATH")))
            }
            "-h" | "--help" => {
                println!(
                    "usage: bench [simulate|tail|sessions|start|all] [--python PY] [--runs N] [--sdk-runs N] \
                     [--tail-events N] [--dir DIR] [--binary PATH]"
                );
                std::process::exit(0);
            }
            other => fail(&format!("unknown argument `{other}` (see --help)")),
        }
    }
    options
}

fn fail(message: &str) -> ! {
    eprintln!("bench: {message}");
    std::process::exit(2);
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the release binary and returns its path (next to this example's own folder).
fn release_binary() -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        // With the example in the same build, features resolve as for `cargo run --example`,
        // so this reuses that build instead of compiling the crate a second time.
        .args(["build", "--release", "--quiet", "--bin", "autoplay", "--example", "bench"])
        .current_dir(repo())
        .status()
        .unwrap_or_else(|e| fail(&format!("cargo build: {e}")));
    if !status.success() {
        fail("cargo build --release failed");
    }
    let exe = std::env::current_exe().unwrap_or_else(|e| fail(&e.to_string()));
    let binary = exe.parent().and_then(Path::parent).map(|dir| dir.join("autoplay"));
    binary.filter(|b| b.exists()).unwrap_or_else(|| fail("no release binary next to the example"))
}

// ---------------------------------------------------------------------------------------------
// Measuring one child
// ---------------------------------------------------------------------------------------------

/// One finished run: wall time, peak resident memory, what it printed (counted, not kept).
struct Sample {
    wall: f64,
    /// User plus system CPU time: on a shared machine, less noisy than the wall time.
    cpu: f64,
    peak_kib: u64,
    stdout_lines: u64,
}

/// Waits for `child` with `wait4`, which also returns its resource use.
fn wait_child(child: Child, started: Instant) -> (f64, f64, u64, bool) {
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid, and wait4 only writes into the two locals.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed().as_secs_f64();
    if waited != pid {
        fail(&format!("wait4: {}", std::io::Error::last_os_error()));
    }
    // The child is reaped; `Child` must not wait for it again.
    std::mem::forget(child);
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    (wall, seconds(usage.ru_utime) + seconds(usage.ru_stime), usage.ru_maxrss as u64, ok)
}

/// Runs `command` to completion with stdout counted through a pipe.
fn measure(mut command: Command) -> Sample {
    let started = Instant::now();
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| fail(&format!("{command:?}: {e}")));
    let stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let counter = std::thread::spawn(move || count_lines(stdout));
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let (wall, cpu, peak_kib, ok) = wait_child(child, started);
    let stdout_lines = counter.join().expect("counter");
    let errors = errors.join().expect("stderr reader");
    if !ok {
        fail(&format!("{command:?} failed:\n{errors}"));
    }
    Sample { wall, cpu, peak_kib, stdout_lines }
}

fn count_lines(mut from: impl Read) -> u64 {
    let mut buffer = vec![0u8; 1 << 20];
    let mut lines = 0u64;
    loop {
        match from.read(&mut buffer) {
            Ok(0) | Err(_) => return lines,
            Ok(n) => lines += memchr::memchr_iter(b'\n', &buffer[..n]).count() as u64,
        }
    }
}

/// Several runs of the same command; checks each prints as many lines as the first.
fn repeat(runs: usize, make: impl Fn() -> Command) -> Vec<Sample> {
    let samples: Vec<Sample> = (0..runs).map(|_| measure(make())).collect();
    if samples.iter().any(|s| s.stdout_lines != samples[0].stdout_lines) {
        fail("runs of the same command printed different numbers of lines");
    }
    samples
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 }
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

/// One side of a row: the median of its runs.
struct Side {
    runs: usize,
    wall: f64,
    min: f64,
    max: f64,
    /// Median CPU time.
    cpu: f64,
    peak_mb: f64,
    /// Work units per second at the median wall time (`None`: not a rate).
    rate: Option<f64>,
}

impl Side {
    fn of(samples: &[Sample], units: Option<f64>) -> Side {
        let walls: Vec<f64> = samples.iter().map(|s| s.wall).collect();
        let wall = median(walls.clone());
        Side {
            runs: samples.len(),
            wall,
            min: walls.iter().copied().fold(f64::INFINITY, f64::min),
            max: walls.iter().copied().fold(0.0, f64::max),
            cpu: median(samples.iter().map(|s| s.cpu).collect()),
            peak_mb: samples.iter().map(|s| s.peak_kib).max().unwrap_or(0) as f64 / 1024.0,
            rate: units.map(|u| u / wall),
        }
    }
}

struct Row {
    name: String,
    unit: &'static str,
    ours: Side,
    sdk: Option<Side>,
}

fn print_table(rows: &[Row]) {
    println!();
    println!(
        "| case | autoplay: median wall (min–max, runs) | CPU | throughput | peak RSS | SDK: median wall (runs) | \
         CPU | throughput | peak RSS | SDK ÷ autoplay (wall; CPU) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for row in rows {
        let ours = &row.ours;
        let (sdk_wall, sdk_cpu, sdk_rate, sdk_peak, ratio) = match &row.sdk {
            Some(sdk) => (
                format!("{} ({})", seconds(sdk.wall), sdk.runs),
                seconds(sdk.cpu),
                rate(sdk.rate, row.unit),
                format!("{:.0} MB", sdk.peak_mb),
                format!("{:.1}×; {:.1}×", sdk.wall / ours.wall, sdk.cpu / ours.cpu),
            ),
            None => ("—".into(), "—".into(), "—".into(), "—".into(), "—".into()),
        };
        println!(
            "| {} | {} ({}–{}, {}) | {} | {} | {:.0} MB | {sdk_wall} | {sdk_cpu} | {sdk_rate} | {sdk_peak} | {ratio} |",
            row.name,
            seconds(ours.wall),
            seconds(ours.min),
            seconds(ours.max),
            ours.runs,
            seconds(ours.cpu),
            rate(ours.rate, row.unit),
            ours.peak_mb,
        );
    }
}

fn seconds(s: f64) -> String {
    if s < 0.1 { format!("{:.1} ms", s * 1000.0) } else { format!("{s:.2} s") }
}

fn rate(rate: Option<f64>, unit: &str) -> String {
    match rate {
        None => "—".into(),
        Some(r) if r >= 1e6 => format!("{:.2} M {unit}/s", r / 1e6),
        Some(r) if r >= 1e3 => format!("{:.0} k {unit}/s", r / 1e3),
        Some(r) => format!("{r:.0} {unit}/s"),
    }
}

fn progress(what: &str) {
    eprintln!("bench: {what}");
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/// The 1M-action recording from `autoplay generate`, made once per DIR.
fn recording(binary: &Path, dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap_or_else(|e| fail(&format!("{}: {e}", dir.display())));
    let path = dir.join(format!("rec-{SESSIONS}-{ACTIONS}.jsonl"));
    if !path.exists() {
        progress(&format!("writing {} with autoplay generate", path.display()));
        let partial = path.with_extension("partial");
        let status = Command::new(binary)
            .args(["generate", "--sessions", &SESSIONS.to_string(), "--actions", &ACTIONS.to_string()])
            .args(["--format", "json", "-o"])
            .arg(&partial)
            .status()
            .unwrap_or_else(|e| fail(&e.to_string()));
        if !status.success() {
            fail("autoplay generate failed");
        }
        std::fs::rename(&partial, &path).unwrap_or_else(|e| fail(&e.to_string()));
    }
    path
}

/// The session, product and user of the recording's last actions line: present, and recent at
/// the recording's latest time (what `context` and `user` default `--at` to).
/// Reads only the file's last MB: the benchmark's own memory must stay small, since a child
/// starts with its parent's resident pages counted in its peak.
fn last_actions_line(recording: &Path) -> (String, String, String) {
    use std::io::{Seek, SeekFrom};
    let mut file = std::fs::File::open(recording).unwrap_or_else(|e| fail(&e.to_string()));
    let length = file.metadata().map_or(0, |m| m.len());
    file.seek(SeekFrom::Start(length.saturating_sub(1 << 20))).unwrap_or_else(|e| fail(&e.to_string()));
    let mut tail = Vec::new();
    file.read_to_end(&mut tail).unwrap_or_else(|e| fail(&e.to_string()));
    let text = String::from_utf8_lossy(&tail);
    for line in text.lines().rev() {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        if value["type"] == "actions" {
            let field = |name: &str| value[name].as_str().unwrap_or_default().to_string();
            return (field("session_id"), field("product_id"), field("user_id"));
        }
    }
    fail("the recording has no actions line")
}

fn python_command(python: &Path, script: &str) -> Command {
    let mut command = Command::new(python);
    command.arg(repo().join("scripts").join(script));
    command
}

// ---------------------------------------------------------------------------------------------
// simulate
// ---------------------------------------------------------------------------------------------

fn bench_simulate(options: &Options, binary: &Path, rows: &mut Vec<Row>) {
    let recording = recording(binary, &options.dir);
    for (name, config) in [("README config", README_CONFIG), ("three builtins, defaults", BUILTINS_CONFIG)] {
        let config_path =
            options.dir.join(format!("bench-{}.json", if config == README_CONFIG { "readme" } else { "builtins" }));
        std::fs::write(&config_path, config).unwrap_or_else(|e| fail(&e.to_string()));
        progress(&format!("simulate, {name}: autoplay × {}", options.runs));
        let ours = repeat(options.runs, || {
            let mut command = Command::new(binary);
            command.args(["triggers", "simulate", "--format", "json", "--config"]).arg(&config_path);
            command.arg("--events").arg(&recording);
            command
        });
        let records = ours[0].stdout_lines;
        let sdk = options.python.as_deref().map(|python| {
            progress(&format!("simulate, {name}: SDK × {}", options.sdk_runs));
            repeat(options.sdk_runs, || {
                let mut command = python_command(python, "bench_sdk_simulate.py");
                command.arg(&config_path).arg(&recording);
                command
            })
        });
        rows.push(Row {
            name: format!("`triggers simulate`, {name}, 1M actions ({records} records)"),
            unit: "actions",
            ours: Side::of(&ours, Some(ACTIONS as f64)),
            sdk: sdk.map(|s| Side::of(&s, Some(ACTIONS as f64))),
        });
    }
}

// ---------------------------------------------------------------------------------------------
// sessions
// ---------------------------------------------------------------------------------------------

/// A `sessions` case: its name, our arguments and the SDK script's, when there is one.
type SessionsCase<'a> = (&'a str, Vec<&'a str>, Option<Vec<&'a str>>);

fn bench_sessions(options: &Options, binary: &Path, rows: &mut Vec<Row>) {
    let recording = recording(binary, &options.dir);
    let (session, product, user) = last_actions_line(&recording);
    let from = recording.to_string_lossy().to_string();
    // (name, our arguments, the SDK script's arguments when it has a counterpart)
    let cases: [SessionsCase<'_>; 4] = [
        ("`sessions list --format json`", vec!["sessions", "list", "--format", "json", "--from", &from], None),
        ("`sessions stats --format json`", vec!["sessions", "stats", "--format", "json", "--from", &from], None),
        (
            "`sessions context SESSION --product P`",
            vec!["sessions", "context", &session, "--product", &product, "--from", &from],
            Some(vec!["context", &from, &session, &product]),
        ),
        ("`sessions user USER`", vec!["sessions", "user", &user, "--from", &from], Some(vec!["user", &from, &user])),
    ];
    for (name, args, sdk_args) in cases {
        progress(&format!("{name}: autoplay × {}", options.runs));
        let ours = repeat(options.runs, || {
            let mut command = Command::new(binary);
            command.args(&args);
            command
        });
        let sdk = match (&options.python, sdk_args) {
            (Some(python), Some(sdk_args)) => {
                progress(&format!("{name}: SDK × {}", options.sdk_runs));
                Some(repeat(options.sdk_runs, || {
                    let mut command = python_command(python, "bench_sdk_sessions.py");
                    command.args(&sdk_args);
                    command
                }))
            }
            _ => None,
        };
        rows.push(Row {
            name: format!("{name}, 1M actions"),
            unit: "actions",
            ours: Side::of(&ours, Some(ACTIONS as f64)),
            sdk: sdk.map(|s| Side::of(&s, Some(ACTIONS as f64))),
        });
    }
}

// ---------------------------------------------------------------------------------------------
// cold start
// ---------------------------------------------------------------------------------------------

fn bench_cold_start(options: &Options, binary: &Path, rows: &mut Vec<Row>) {
    let runs = options.runs.max(20);
    progress(&format!("autoplay --version × {runs}"));
    let ours = repeat(runs, || {
        let mut command = Command::new(binary);
        command.arg("--version");
        command
    });
    let sdk = options.python.as_deref().map(|python| {
        repeat(runs.min(10), || {
            let mut command = Command::new(python);
            command.args(["-c", "import autoplay_sdk"]);
            command
        })
    });
    rows.push(Row {
        name: "cold start: `autoplay --version` (SDK: `python -c \"import autoplay_sdk\"`)".into(),
        unit: "",
        ours: Side::of(&ours, None),
        sdk: sdk.map(|s| Side::of(&s, None)),
    });
}

// ---------------------------------------------------------------------------------------------
// tail
// ---------------------------------------------------------------------------------------------

/// The frames the server repeats: one-action `actions` events, 20,000 sessions, with ids.
fn prebuilt_frames(count: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(count * 700);
    for i in 0..count {
        let t = 1_767_225_600.0 + i as f64 * 0.5;
        let s = i % 20_000;
        let _ = write!(
            out,
            "id: {i}\ndata: {{\"type\":\"actions\",\"product_id\":\"bench\",\"session_id\":\"ps_{s:05}\",\"user_id\":\"u_{s:05}\",\
             \"email\":\"user{s}@example.com\",\"actions\":[{{\"index\":0,\"type\":\"click\",\"title\":\"Click Export CSV\",\
             \"description\":\"User clicked Export CSV on the Reports page\",\"timestamp_start\":{t},\"timestamp_end\":{t},\
             \"raw_url\":\"https://app.acme.dev/reports?range=30d\",\"canonical_url\":\"https://app.acme.dev/reports\",\
             \"session_id\":\"ps_{s:05}\",\"user_id\":\"u_{s:05}\",\"email\":\"user{s}@example.com\"}}],\"count\":1,\
             \"forwarded_at\":{f}}}\n\n",
            f = t + 0.4
        );
    }
    out
}

/// An SSE endpoint on 127.0.0.1 that answers every request with the same frames, over and
/// over, until the client hangs up. One thread per connection; no parsing beyond the headers.
struct FrameServer {
    url: String,
    stop: Arc<AtomicBool>,
}

impl FrameServer {
    fn start(frames: Vec<u8>) -> FrameServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| fail(&e.to_string()));
        let url = format!("http://{}/stream/bench", listener.local_addr().expect("address"));
        let stop = Arc::new(AtomicBool::new(false));
        let frames = Arc::new(frames);
        let stopping = stop.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::Relaxed) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                let frames = frames.clone();
                std::thread::spawn(move || serve_frames(stream, &frames));
            }
        });
        FrameServer { url, stop }
    }
}

impl Drop for FrameServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.url.trim_start_matches("http://").split('/').next().unwrap_or_default());
    }
}

fn serve_frames(stream: TcpStream, frames: &[u8]) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut line = String::new();
    loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) if line == "\r\n" || line == "\n" => break,
            Ok(_) => {}
        }
    }
    let mut stream = stream;
    let head =
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n";
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    while stream.write_all(frames).is_ok() {}
}

/// `autoplay tail --format json` for `events` events, read from a pipe; also samples the
/// resident memory once a second to show whether it stays flat.
fn tail_once(binary: &Path, url: &str, events: u64) -> (Sample, Vec<u64>) {
    let started = Instant::now();
    let mut child = Command::new(binary)
        .args(["tail", "--format", "json", "--url", url, "--max-events", &events.to_string()])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", TOKEN)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| fail(&e.to_string()));
    let pid = child.id();
    let stdout = child.stdout.take().expect("piped stdout");
    let done = Arc::new(AtomicBool::new(false));
    let sampling = done.clone();
    let sampler = std::thread::spawn(move || {
        let mut rss = Vec::new();
        while !sampling.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_secs(1));
            if let Some(kib) = rss_kib(pid) {
                rss.push(kib);
            }
        }
        rss
    });
    let counter = std::thread::spawn(move || count_lines(stdout));
    let (wall, cpu, peak_kib, ok) = wait_child(child, started);
    done.store(true, Ordering::Relaxed);
    let lines = counter.join().expect("counter");
    let rss = sampler.join().expect("sampler");
    if !ok || lines != events {
        fail(&format!("tail printed {lines} of {events} events"));
    }
    (Sample { wall, cpu, peak_kib, stdout_lines: lines }, rss)
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| line.strip_prefix("VmRSS:")?.trim().strip_suffix("kB")?.trim().parse().ok())
}

fn bench_tail(options: &Options, binary: &Path, rows: &mut Vec<Row>) {
    let server = FrameServer::start(prebuilt_frames(20_000));
    let events = options.tail_events;
    progress(&format!("tail, {events} events from {}: autoplay × {}", server.url, options.runs));
    let mut samples = Vec::new();
    for _ in 0..options.runs {
        let (sample, rss) = tail_once(binary, &server.url, events);
        let rss: Vec<String> = rss.iter().map(|kib| format!("{:.0}", *kib as f64 / 1024.0)).collect();
        progress(&format!("  {:.2} s; RSS each second (MB): {}", sample.wall, rss.join(" ")));
        samples.push(sample);
    }
    let sdk = options.python.as_deref().map(|python| {
        let sdk_events = (events / 20).max(20_000);
        progress(&format!("tail: SDK ConnectorClient, {sdk_events} events × {}", options.sdk_runs));
        let samples = repeat(options.sdk_runs, || {
            let mut command = python_command(python, "bench_sdk_client.py");
            command.args([&server.url, TOKEN, &sdk_events.to_string()]);
            command
        });
        Side::of(&samples, Some(sdk_events as f64))
    });
    // The ratio compares rates (the SDK side reads fewer events): express the SDK's side as
    // the wall time it would need for the same number of events.
    let sdk = sdk.map(|mut side| {
        let rate = side.rate.unwrap_or(1.0);
        let scale = events as f64 / rate / side.wall;
        side.wall *= scale;
        side.min *= scale;
        side.max *= scale;
        side.cpu *= scale;
        side
    });
    rows.push(Row {
        name: format!("`tail --format json` to a pipe, {events} one-action events (SDK: `ConnectorClient`, scaled)"),
        unit: "events",
        ours: Side::of(&samples, Some(events as f64)),
        sdk,
    });
}

fn main() {
    let options = parse_options();
    if let Some(python) = &options.python {
        let check = Command::new(python)
            .args(["-c", "import importlib.metadata as m; print(m.version('autoplay-sdk'))"])
            .output()
            .unwrap_or_else(|e| fail(&format!("{}: {e}", python.display())));
        let version = String::from_utf8_lossy(&check.stdout).trim().to_string();
        if version != "0.7.3" {
            fail(&format!("{} has autoplay-sdk {version:?}, not 0.7.3", python.display()));
        }
    }
    let binary = options.binary.clone().unwrap_or_else(release_binary);
    let mut rows = Vec::new();
    let all = options.what == "all";
    if all || options.what == "simulate" {
        bench_simulate(&options, &binary, &mut rows);
    }
    if all || options.what == "tail" {
        bench_tail(&options, &binary, &mut rows);
    }
    if all || options.what == "sessions" {
        bench_sessions(&options, &binary, &mut rows);
    }
    if all || options.what == "start" {
        bench_cold_start(&options, &binary, &mut rows);
    }
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "\n{}, {cpus} CPUs, load average {}",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );
    print_table(&rows);
}
