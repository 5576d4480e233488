//! CPU cost of the client's hot path without the network: SSE parsing, the JSON view and the
//! filter over an in-memory stream of one-action events, fed in 16 KiB chunks.
//!
//! Run: `cargo run --release --example bench_parse -- [EVENTS]`

// Benchmarks print their figures; that is their whole output.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::Instant;

use autoplay::event::frame::FrameView;
use autoplay::stream::filter::{Filter, FilterSpec};
use autoplay::stream::sse::{SseItem, SseParser};

fn main() {
    let events: usize = std::env::args().nth(1).map_or(1_000_000, |n| n.replace('_', "").parse().expect("a number"));
    let mut stream = Vec::new();
    for i in 0..events {
        let t = 1_767_225_600.0 + i as f64 * 0.5;
        stream.extend_from_slice(
            format!(
                "id: {i}\ndata: {{\"type\":\"actions\",\"product_id\":\"bench\",\"session_id\":\"ps_{s:05}\",\"user_id\":\"u_{s:05}\",\"email\":\"user{s}@example.com\",\"actions\":[{{\"index\":0,\"type\":\"click\",\"title\":\"Click Export CSV\",\"description\":\"User clicked Export CSV on the Reports page\",\"timestamp_start\":{t},\"timestamp_end\":{t},\"raw_url\":\"https://app.acme.dev/reports?range=30d\",\"canonical_url\":\"https://app.acme.dev/reports\",\"session_id\":\"ps_{s:05}\",\"user_id\":\"u_{s:05}\",\"email\":\"user{s}@example.com\"}}],\"count\":1,\"forwarded_at\":{t}}}\n\n",
                s = i % 20_000
            )
            .as_bytes(),
        );
        if i % 1000 == 0 {
            stream.extend_from_slice(b"event: heartbeat\ndata:\n\n");
        }
    }
    let mut filter = Filter::new(&FilterSpec { event_type: vec!["actions".into()], ..FilterSpec::default() });
    let started = Instant::now();
    let mut parser = SseParser::new();
    let (mut frames, mut passed, mut bytes_out) = (0usize, 0usize, 0usize);
    for chunk in stream.chunks(16 * 1024) {
        let _ = parser.feed(chunk, |item| {
            if let SseItem::Frame(frame) = item
                && !frame.is_heartbeat()
            {
                frames += 1;
                let view = FrameView::parse(frame.data).expect("valid");
                if filter.matches(&view) {
                    passed += 1;
                    bytes_out += frame.data.len() + 1;
                }
            }
            std::ops::ControlFlow::Continue(())
        });
    }
    let elapsed = started.elapsed().as_secs_f64();
    assert_eq!((frames, passed), (events, events));
    println!(
        "{events} events ({:.0} MB of SSE) parsed, viewed and filtered in {elapsed:.2} s: {:.0} events/s, {:.0} MB/s ({:.0} MB out)",
        stream.len() as f64 / 1e6,
        events as f64 / elapsed,
        stream.len() as f64 / 1e6 / elapsed,
        bytes_out as f64 / 1e6
    );
}
