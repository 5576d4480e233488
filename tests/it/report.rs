//! `--report report.html`: the report of a run, loaded in a real headless Chromium driven
//! over the DevTools protocol. Without a `chromium` (Debian's package) on PATH the browser
//! tests print that they were skipped.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::autoplay;

const DEMO_RECORDING: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/templates/demo-recording.jsonl");

/// A simulation of the demo recording with the `triggers init` config: the NDJSON records
/// and the report, from one run.
struct Run {
    dir: tempfile::TempDir,
    records: Vec<Value>,
}

impl Run {
    fn new() -> Run {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("products.json");
        autoplay().args(["triggers", "init"]).arg(&config).assert().success();
        let out = autoplay()
            .args(["triggers", "simulate", "--format", "json", "--events", DEMO_RECORDING, "--config"])
            .arg(&config)
            .arg("--report")
            .arg(dir.path().join("report.html"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("report written to"), "{stderr}");
        let records =
            String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        Run { dir, records }
    }

    fn report(&self) -> PathBuf {
        self.dir.path().join("report.html")
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("products.json")
    }

    /// Per session id: its record count and its fire count.
    fn per_session(&self) -> BTreeMap<String, (usize, usize)> {
        per_session(&self.records)
    }
}

/// Per session id of `records`: its record count and its fire count.
fn per_session(records: &[Value]) -> BTreeMap<String, (usize, usize)> {
    let mut out: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for r in records {
        let e = out.entry(r["session_id"].as_str().unwrap().to_string()).or_default();
        e.0 += 1;
        if r["kind"] == "fire" {
            e.1 += 1;
        }
    }
    out
}

/// The data a report page holds (the JSON in its `#data` element).
fn report_data(path: &Path) -> Value {
    let html = std::fs::read_to_string(path).unwrap();
    let start = html.find(r#"<script id="data" type="application/json">"#).expect("a data element");
    let rest = &html[start..];
    let (open, close) = (rest.find('>').unwrap() + 1, rest.find("</script>").unwrap());
    serde_json::from_str(&rest[open..close]).unwrap()
}

#[test]
fn the_records_printed_with_a_report_are_the_records_printed_without_one() {
    let run = Run::new();
    let out = autoplay()
        .args(["triggers", "simulate", "--format", "json", "--events", DEMO_RECORDING, "--config"])
        .arg(run.config())
        .output()
        .unwrap();
    let plain: Vec<Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(plain.iter().any(|r| r["kind"] == "fire"));
    assert_eq!(plain, run.records);
}

#[test]
fn the_report_is_one_file_with_everything_inline() {
    let run = Run::new();
    let html = std::fs::read_to_string(run.report()).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // No file, style or script is loaded from anywhere, and the page's policy forbids it.
    for needle in ["<script src", "<link", "@import", "url(http", "src=\"http", "href=\"http"] {
        assert!(!html.contains(needle), "the report refers to {needle}");
    }
    assert!(html.contains("default-src 'none'"));
    // The placeholders are filled.
    assert!(!html.contains("{{data}}") && !html.contains("/*{{script}}*/") && !html.contains("/*{{style}}*/"));
}

#[test]
fn a_report_that_cannot_be_written_fails_and_says_where() {
    let run = Run::new();
    let out = autoplay()
        .args(["triggers", "simulate", "--events", DEMO_RECORDING, "--config"])
        .arg(run.config())
        .arg("--report")
        .arg(run.dir.path().join("no/such/folder/report.html"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("could not write the report") && stderr.contains("no/such/folder"), "{stderr}");
}

#[test]
fn demo_writes_a_report_and_prints_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.html");
    let out = autoplay().args(["demo", "--duration", "8s", "--report"]).arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&format!("file://{}", path.display())), "{stdout}");
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.contains("\"command\":\"demo\""));
}

/// `triggers watch --report` on the same recording read to its end on the event clock: the
/// report simulate writes, lane for lane and record for record (only the header differs).
#[test]
fn watch_writes_at_exit_the_report_simulate_writes_of_the_same_recording() {
    let run = Run::new();
    let path = run.dir.path().join("watch.html");
    let out = autoplay()
        .args(["triggers", "watch", "--format", "json", "--exit-when-idle", "300ms", "--events", DEMO_RECORDING])
        .arg("--config")
        .arg(run.config())
        .arg("--report")
        .arg(&path)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains(&format!("report written to {}", path.display())), "{stderr}");
    let (mut simulated, mut watched) = (report_data(&run.report()), report_data(&path));
    let (sim_header, watch_header) = (simulated["header"].take(), watched["header"].take());
    assert_eq!(simulated, watched);
    assert!(watched["sessions"].as_array().unwrap().len() > 2);
    assert_eq!(watch_header["command"], "triggers watch");
    assert_eq!(watch_header["recording"], DEMO_RECORDING);
    assert_eq!(sim_header["command"], "triggers simulate");
    assert!(watch_header["options"].as_array().unwrap().contains(&json!(["--clock", "event"])), "{watch_header}");
    assert!(watch_header.get("notes").is_none(), "{watch_header}");
}

/// A live run writes its report at the end, so a folder that is not there is refused before
/// the run starts.
#[test]
fn watch_refuses_a_report_in_a_missing_folder_before_it_starts() {
    let run = Run::new();
    let out = autoplay()
        .args(["triggers", "watch", "--format", "json", "--exit-when-idle", "100ms", "--events", DEMO_RECORDING])
        .arg("--config")
        .arg(run.config())
        .arg("--report")
        .arg(run.dir.path().join("no/such/folder/watch.html"))
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing ran");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("does not exist") && stderr.contains("no/such/folder"), "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// In the browser
// ---------------------------------------------------------------------------------------------

/// A live run on the wall clock, stopped with Ctrl-C: the report written at exit holds one
/// lane per session and one marker per fire of the records that run printed; its header
/// names the stream (never the key).
#[test]
fn in_chromium_a_watch_report_written_at_ctrl_c_shows_the_records_of_that_run() {
    let Some(mut browser) = Browser::start("report::watch_in_chromium") else { return };
    const KEY: &str = "report_test_key_0123456789";
    let serve = crate::support::ServeProcess::start(&[
        "--replay",
        DEMO_RECORDING,
        "--speed",
        "max",
        "--any-product",
        "--key",
        KEY,
    ]);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("products.json");
    autoplay().args(["triggers", "init"]).arg(&config).assert().success();
    let (out_path, err_path, path) =
        (dir.path().join("out.ndjson"), dir.path().join("err.txt"), dir.path().join("watch.html"));
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("autoplay"))
        .args(["triggers", "watch", "--format", "json", "--clock", "wall", "--url", &serve.stream_url("demo")])
        .arg("--config")
        .arg(&config)
        .arg("--report")
        .arg(&path)
        .env("AUTOPLAY_APP_UNKEY_TOKEN", KEY)
        .env("AUTOPLAY_CONFIG_DIR", dir.path().join("cfg"))
        .env("NO_COLOR", "1")
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    // The whole replay arrives at once; its instant fires are decided as it arrives.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !std::fs::read_to_string(&out_path).unwrap_or_default().contains("\"kind\": \"fire\"") {
        assert!(std::time::Instant::now() < deadline, "no fire: {}", std::fs::read_to_string(&err_path).unwrap());
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(500));
    // SAFETY: a plain signal to the child this test started.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let status = child.wait().unwrap();
    let stderr = std::fs::read_to_string(&err_path).unwrap();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("report written to"), "{stderr}");
    let records: Vec<Value> =
        std::fs::read_to_string(&out_path).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    // Ctrl-C ended every session.
    let per_session = per_session(&records);
    assert!(records.iter().filter(|r| r["kind"] == "session_end").count() == per_session.len());
    let data = report_data(&path);
    assert_eq!(data["header"]["recording"].as_str(), Some(serve.stream_url("demo").as_str()));
    assert!(!std::fs::read_to_string(&path).unwrap().contains(KEY));

    browser.open(&path);
    let lanes = browser.fires_per_lane();
    let expected: BTreeMap<String, usize> = per_session.iter().map(|(s, v)| (s.clone(), v.1)).collect();
    assert_eq!(lanes, expected);
    // The search box filters; a click opens the detail with every record of the session.
    let (session, (record_count, _)) = per_session.iter().find(|(_, v)| v.1 > 0).unwrap();
    browser.search(session);
    assert_eq!(browser.lane_ids(), vec![session.clone()]);
    browser.eval("document.querySelector('#rows .lane .who').click()");
    assert_eq!(browser.eval("document.getElementById('detail').hidden"), json!(false));
    assert_eq!(browser.eval("document.querySelectorAll('#detail-records tr.record').length"), json!(record_count));
    browser.assert_clean_for("watch.html");
}

#[test]
fn in_chromium_lanes_and_fire_markers_equal_the_records_search_filters_and_a_click_opens_the_detail() {
    let Some(mut browser) = Browser::start("report::in_chromium") else { return };
    let run = Run::new();
    browser.open(&run.report());
    let per_session = run.per_session();
    let fires: usize = per_session.values().map(|v| v.1).sum();
    assert!(fires > 0);

    // One lane per session, one marker per fire, each on its session's lane.
    let lanes = browser.fires_per_lane();
    let expected: BTreeMap<String, usize> = per_session.iter().map(|(s, v)| (s.clone(), v.1)).collect();
    assert_eq!(lanes, expected);
    assert_eq!(browser.eval("document.querySelectorAll('#rows .fire').length"), json!(fires));

    // Hovering a fire shows its body.
    let tip = browser.eval(
        "(() => { const m = document.querySelector('.lane[data-session] .fire'); \
         m.dispatchEvent(new MouseEvent('mouseenter', {clientX: 10, clientY: 10})); \
         const t = document.getElementById('tip'); return [t.hidden, t.textContent]; })()",
    );
    assert_eq!(tip[0], json!(false));
    assert!(tip[1].as_str().unwrap().contains("fire "), "{tip}");
    assert!(
        run.records
            .iter()
            .filter(|r| r["kind"] == "fire")
            .any(|r| tip[1].as_str().unwrap().contains(r["body"].as_str().unwrap()))
    );

    // The search box filters by session id …
    let (session, (record_count, session_fires)) = per_session.iter().find(|(_, v)| v.1 > 0).unwrap();
    browser.search(session);
    assert_eq!(browser.lane_ids(), vec![session.clone()]);
    // … and by URL: the sessions whose actions visited it.
    let url_sessions = sessions_visiting(DEMO_RECORDING, "/integrations");
    assert!(!url_sessions.is_empty() && url_sessions.len() < per_session.len());
    browser.search("/integrations");
    let mut shown = browser.lane_ids();
    shown.sort();
    assert_eq!(shown, url_sessions);
    // "never fired" keeps the sessions without a fire.
    browser.search("");
    browser.eval("(() => { const n = document.getElementById('never'); n.checked = true; n.dispatchEvent(new Event('change')); })()");
    let mut never = browser.lane_ids();
    never.sort();
    let expected_never: Vec<String> = per_session.iter().filter(|(_, v)| v.1 == 0).map(|(s, _)| s.clone()).collect();
    assert_eq!(never, expected_never);
    browser.eval("(() => { const n = document.getElementById('never'); n.checked = false; n.dispatchEvent(new Event('change')); })()");

    // A click opens the session's detail: the timeline with a time axis, every record in a table.
    browser.search(session);
    assert_eq!(browser.eval("document.getElementById('detail').hidden"), json!(true));
    browser.eval("document.querySelector('#rows .lane .who').click()");
    assert_eq!(browser.eval("document.getElementById('detail').hidden"), json!(false));
    let title = browser.eval("document.getElementById('detail-title').textContent");
    assert!(title.as_str().unwrap().contains(session.as_str()), "{title}");
    assert_eq!(browser.eval("document.querySelectorAll('#detail-records tr.record').length"), json!(record_count));
    assert_eq!(browser.eval("document.querySelectorAll('#detail-lane .fire').length"), json!(session_fires));
    assert!(browser.eval("document.querySelectorAll('#detail-lane .ticks span').length").as_u64().unwrap() >= 2);

    browser.assert_clean();
}

#[test]
fn in_chromium_the_list_sorts_filters_by_trigger_and_hovering_an_action_shows_it() {
    let Some(mut browser) = Browser::start("report::in_chromium_sorts") else { return };
    let run = Run::new();
    browser.open(&run.report());
    let per_session = run.per_session();
    let actions = actions_per_session(DEMO_RECORDING);

    // Sorted by actions (most first, ties in order of first appearance in the recording),
    // then reversed.
    let appearance: Vec<String> = {
        let mut seen = Vec::new();
        for line in std::fs::read_to_string(DEMO_RECORDING).unwrap().lines() {
            let v: Value = serde_json::from_str(line).unwrap();
            if let Some(s) = v["session_id"].as_str()
                && !seen.iter().any(|x| x == s)
            {
                seen.push(s.to_string());
            }
        }
        seen
    };
    let by = |key: &dyn Fn(&str) -> usize| {
        let mut ids = appearance.clone();
        ids.sort_by_key(|s| std::cmp::Reverse(key(s)));
        ids
    };
    browser.select("sort", "actions");
    let most_actions = by(&|s| actions[s].len());
    assert_eq!(browser.lane_ids(), most_actions);
    browser.eval("document.getElementById('order').click()");
    let shown = browser.lane_ids();
    let counts: Vec<usize> = shown.iter().map(|s| actions[s].len()).collect();
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "reversed: fewest first: {counts:?}");
    browser.eval("document.getElementById('order').click()");
    browser.select("sort", "fires");
    assert_eq!(browser.lane_ids(), by(&|s| per_session[s].1));
    browser.select("sort", "start");

    // The trigger filter keeps the sessions where that trigger fired.
    let fired: std::collections::BTreeSet<&str> =
        run.records.iter().filter(|r| r["kind"] == "fire").map(|r| r["trigger_id"].as_str().unwrap()).collect();
    let options = browser.eval("[...document.querySelectorAll('#trigger option')].map(o => o.value).filter(v => v)");
    assert_eq!(options, json!(fired));
    for trigger in &fired {
        browser.select("trigger", trigger);
        let mut shown = browser.lane_ids();
        shown.sort();
        let mut expected: Vec<String> = run
            .records
            .iter()
            .filter(|r| r["kind"] == "fire" && r["trigger_id"] == *trigger)
            .map(|r| r["session_id"].as_str().unwrap().to_string())
            .collect();
        expected.sort();
        expected.dedup();
        assert_eq!(shown, expected, "{trigger}");
    }
    browser.select("trigger", "");
    assert_eq!(browser.lane_ids().len(), per_session.len());

    // Hovering an action's dot shows its type and URL, as the recording has them.
    let (session, first) = actions.iter().find(|(_, a)| !a.is_empty()).map(|(s, a)| (s.clone(), a[0].clone())).unwrap();
    browser.search(&session);
    let tip = browser.eval(
        "(() => { const lane = document.querySelector('#rows .lane'); const s = JSON.parse(document.getElementById('data').textContent).sessions[+lane.dataset.session]; \
         const cv = lane.querySelector('.track canvas'); const r = cv.getBoundingClientRect(); \
         const x = r.left + s.a[0] / Math.max(s.d, 1) * r.width; \
         cv.dispatchEvent(new MouseEvent('mousemove', {clientX: x, clientY: r.top + r.height / 2})); \
         const t = document.getElementById('tip'); return [t.hidden, t.textContent]; })()",
    );
    assert_eq!(tip[0], json!(false), "{tip}");
    let text = tip[1].as_str().unwrap();
    assert!(text.starts_with(&format!("{} at +", first.0)) && text.contains(&first.1), "{text} / {first:?}");
    browser.eval("document.querySelector('#rows .lane .track canvas').dispatchEvent(new MouseEvent('mouseleave'))");
    assert_eq!(browser.eval("document.getElementById('tip').hidden"), json!(true));

    browser.assert_clean();
}

#[test]
fn tune_writes_a_report_with_one_row_per_combination_best_first_by_the_chosen_column() {
    let run = Run::new();
    let path = run.dir.path().join("tune.html");
    let out = autoplay()
        .args(["triggers", "tune", "--format", "json", "--events", DEMO_RECORDING, "--config"])
        .arg(run.config())
        .args(["--vary", "dwell_threshold_seconds=20,45,90", "--report"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: Vec<Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 3);
    let Some(mut browser) = Browser::start("report::tune_in_chromium") else { return };
    browser.open(&path);
    assert_eq!(browser.eval("document.getElementById('tune').hidden"), json!(false));
    // Best first by total fires: the rows' values of the swept key, as the NDJSON rows rank them.
    let mut ranked = rows.clone();
    ranked.sort_by_key(|r| std::cmp::Reverse(r["total_fires"].as_u64().unwrap()));
    let table = |b: &mut Browser| {
        b.eval("[...document.querySelectorAll('#tune-table tr')].slice(1).map(r => [r.cells[0].textContent, r.cells[1].textContent])")
    };
    let shown = table(&mut browser);
    let expected: Vec<(String, String)> = ranked
        .iter()
        .map(|r| (r["set"]["dwell_threshold_seconds"].to_string(), r["total_fires"].as_u64().unwrap().to_string()))
        .collect();
    let shown: Vec<(String, String)> = shown
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c[0].as_str().unwrap().to_string(), c[1].as_str().unwrap().replace(',', "")))
        .collect();
    assert_eq!(shown, expected);
    // Sorting by timeouts ranks the rows by their timeouts.
    browser.eval(
        "(() => { const s = document.getElementById('tune-sort'); s.value = [...s.options].find(o => o.textContent === 'timeouts').value; s.dispatchEvent(new Event('change')); })()",
    );
    let shown = table(&mut browser);
    let firsts: Vec<String> = shown.as_array().unwrap().iter().map(|c| c[0].as_str().unwrap().to_string()).collect();
    let mut by_timeouts = rows.clone();
    by_timeouts.sort_by_key(|r| std::cmp::Reverse(r["timeouts"].as_u64().unwrap()));
    let expected: Vec<String> = by_timeouts.iter().map(|r| r["set"]["dwell_threshold_seconds"].to_string()).collect();
    assert_eq!(firsts, expected);
    // The sessions below are those of the first combination's run.
    assert!(!browser.lane_ids().is_empty());
    browser.assert_clean_for("tune.html");
}

/// Per session id: its actions (type, canonical URL) in file order.
fn actions_per_session(recording: &str) -> BTreeMap<String, Vec<(String, String)>> {
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for line in std::fs::read_to_string(recording).unwrap().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let Some(session) = v["session_id"].as_str() else { continue };
        let e = out.entry(session.to_string()).or_default();
        for a in v["actions"].as_array().into_iter().flatten() {
            e.push((
                a["type"].as_str().unwrap_or("action").to_string(),
                a["canonical_url"].as_str().unwrap_or("").to_string(),
            ));
        }
    }
    out
}

/// The session ids (sorted) whose recording lines hold an action on a URL containing `part`.
fn sessions_visiting(recording: &str, part: &str) -> Vec<String> {
    let mut out = std::collections::BTreeSet::new();
    for line in std::fs::read_to_string(recording).unwrap().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let hit = v["actions"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x["canonical_url"].as_str().is_some_and(|u| u.contains(part))));
        if hit {
            out.insert(v["session_id"].as_str().unwrap().to_string());
        }
    }
    out.into_iter().collect()
}

/// A headless Chromium with one page, driven over the DevTools protocol; killed on drop.
struct Browser {
    child: Child,
    ws: tungstenite::WebSocket<TcpStream>,
    session: String,
    next_id: u64,
    /// Every event received (console calls, exceptions, log entries, requests).
    events: Vec<Value>,
    _profile: tempfile::TempDir,
}

/// Chromium's path: `$AUTOPLAY_CHROMIUM`, or `chromium` on PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("AUTOPLAY_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join("chromium")).find(|p| p.is_file())
}

impl Browser {
    fn start(test: &str) -> Option<Browser> {
        let Some(exe) = chromium() else {
            eprintln!("{test}: skipped (chromium is not installed)");
            return None;
        };
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
                "--window-size=1400,2000",
                // Nothing may leave the machine even if the page tried.
                "--host-resolver-rules=MAP * ~NOTFOUND",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chromium starts");
        // Chromium says where its DevTools endpoint listens on stderr; the rest is drained.
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(url) = line.split("DevTools listening on ").nth(1) {
                    let _ = tx.send(url.trim().to_string());
                }
            }
        });
        let url = rx.recv_timeout(Duration::from_secs(60)).expect("chromium prints its DevTools address");
        let host = url.trim_start_matches("ws://").split('/').next().unwrap().to_string();
        let stream = TcpStream::connect(&host).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let (ws, _) = tungstenite::client(url.as_str(), stream).expect("DevTools websocket");
        let mut browser =
            Browser { child, ws, session: String::new(), next_id: 0, events: Vec::new(), _profile: profile };
        let target = browser.call("Target.createTarget", json!({"url": "about:blank"}));
        let attached = browser.call("Target.attachToTarget", json!({"targetId": target["targetId"], "flatten": true}));
        browser.session = attached["sessionId"].as_str().unwrap().to_string();
        for domain in ["Runtime.enable", "Log.enable", "Network.enable", "Page.enable"] {
            browser.call(domain, json!({}));
        }
        Some(browser)
    }

    /// Sends a command (to the page once attached) and returns its result.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if !self.session.is_empty() {
            msg["sessionId"] = json!(self.session);
        }
        self.ws.send(tungstenite::Message::text(msg.to_string())).unwrap();
        loop {
            let text = match self.ws.read().expect("a DevTools message") {
                tungstenite::Message::Text(t) => t.to_string(),
                _ => continue,
            };
            let v: Value = serde_json::from_str(&text).unwrap();
            if v["id"] == json!(id) {
                assert!(v.get("error").is_none(), "{method}: {v}");
                return v["result"].clone();
            }
            if v.get("method").is_some() {
                self.events.push(v);
            }
        }
    }

    /// The value of a JavaScript expression in the page.
    fn eval(&mut self, expression: &str) -> Value {
        let r = self
            .call("Runtime.evaluate", json!({"expression": expression, "returnByValue": true, "awaitPromise": true}));
        assert!(r.get("exceptionDetails").is_none(), "{expression}: {r}");
        r["result"]["value"].clone()
    }

    /// Opens the report and waits until its script has drawn the page.
    fn open(&mut self, path: &Path) {
        let url = format!("file://{}", path.display());
        self.call("Page.navigate", json!({"url": url}));
        self.wait_for("document.body && document.body.dataset.ready === '1'");
        // Lanes draw on the next animation frame.
        self.eval("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
    }

    /// Waits (a frame at a time, in the page) until `condition` holds.
    fn wait_for(&mut self, condition: &str) {
        for _ in 0..600 {
            if self.eval(&format!("!!({condition})")) == json!(true) {
                return;
            }
            self.eval("new Promise(r => setTimeout(r, 50))");
        }
        panic!("the page never got to {condition}");
    }

    /// Types `text` into the search box and waits for the list to follow.
    fn search(&mut self, text: &str) {
        let text = serde_json::to_string(text).unwrap();
        self.eval(&format!(
            "(() => {{ const s = document.getElementById('search'); s.value = {text}; s.dispatchEvent(new Event('input')); }})()"
        ));
        // The list refreshes once typing pauses, and then marks which query it shows.
        self.wait_for(&format!("document.body.dataset.query === {text}"));
    }

    /// Chooses `value` in the `<select>` `id` and waits for the list to follow.
    fn select(&mut self, id: &str, value: &str) {
        let (id, value) = (serde_json::to_string(id).unwrap(), serde_json::to_string(value).unwrap());
        self.eval(&format!(
            "(() => {{ const s = document.getElementById({id}); s.value = {value}; s.dispatchEvent(new Event('change')); }})()"
        ));
        assert_eq!(self.eval(&format!("document.getElementById({id}).value")).to_string(), value);
    }

    /// Per lane in the list: its session id and how many fire markers it holds.
    fn fires_per_lane(&mut self) -> BTreeMap<String, usize> {
        let lanes = self.eval(
            "[...document.querySelectorAll('#rows .lane')].map(l => [l.querySelector('.who b').textContent, l.querySelectorAll('.fire').length])",
        );
        lanes
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l[0].as_str().unwrap().to_string(), l[1].as_u64().unwrap() as usize))
            .collect()
    }

    fn lane_ids(&mut self) -> Vec<String> {
        let v = self.eval("[...document.querySelectorAll('#rows .lane .who b')].map(b => b.textContent)");
        v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
    }

    /// No console error, no exception, no request for anything but the report itself.
    fn assert_clean(&mut self) {
        self.assert_clean_for("report.html");
    }

    /// [`Browser::assert_clean`] for a report named `name`.
    fn assert_clean_for(&mut self, name: &str) {
        self.eval("1"); // collects the events sent so far
        for e in &self.events {
            let method = e["method"].as_str().unwrap_or("");
            let p = &e["params"];
            match method {
                "Runtime.exceptionThrown" => panic!("exception in the page: {p}"),
                "Runtime.consoleAPICalled" => assert!(p["type"] != "error" && p["type"] != "assert", "console: {p}"),
                "Log.entryAdded" => assert!(p["entry"]["level"] != "error", "log: {p}"),
                "Network.requestWillBeSent" => {
                    let url = p["request"]["url"].as_str().unwrap_or("");
                    assert!(url.starts_with("file://") && url.ends_with(name), "request to {url}");
                }
                _ => {}
            }
        }
        assert!(self.events.iter().any(|e| e["method"] == "Network.requestWillBeSent"), "requests are seen");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
