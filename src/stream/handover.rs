/*!
How the stream client's two threads talk. The connection (HTTP, SSE decoding, reconnecting)
runs on a thread of its own; reading each frame's JSON and the handler run on the caller's.
Between them go [`Message`]s: frames travel in [`FrameBatch`]es, one per drained network read
(or sooner, when a batch is full), so the threads wake each other a few times per thousand
events rather than once per frame, and the reader hears "drained" exactly when the
connection found nothing more waiting.

Memory stays bounded: the channel holds at most [`DEPTH`] batches and a batch is sent once it
holds [`BATCH_BYTES`] of data or [`BATCH_ENTRIES`] entries, so a reader that falls behind makes the connection stop reading
the socket (TCP pushes back on the server) rather than queue without end. Emptied batches go
back to the connection to be filled again, so a busy stream allocates nothing per batch.
*/

use std::ops::{ControlFlow, Range};
use std::time::Duration;

use tokio::sync::mpsc;

use super::client::{StreamEnd, StreamError, StreamWarning};

/// Batches in flight between the threads.
pub(crate) const DEPTH: usize = 4;
/// A batch is sent once its frames hold this much data, drained or not.
pub(crate) const BATCH_BYTES: usize = 128 * 1024;
/// ... or once it holds this many entries: frames of a few bytes, or warnings, which hold no
/// data, must not make a batch grow without end on a stream that never pauses.
pub(crate) const BATCH_ENTRIES: usize = 4096;

/// What the connection tells the reader, in the order it happened.
pub(crate) enum Message {
    /// A healthy response arrived (the count of connections so far).
    Connected { attempt: u64 },
    /// Frames and warnings, in stream order.
    Frames(FrameBatch),
    /// A connection ended; the next attempt follows after `wait`.
    Reconnect { failures: u32, wait: Duration, reason: String },
    /// The stream is over (an error, a 204).
    End(Result<StreamEnd, StreamError>),
}

/// Frames' data and ids, one text for all of them, with what went wrong between them.
#[derive(Default)]
pub(crate) struct FrameBatch {
    text: String,
    items: Vec<Item>,
    /// Nothing more was waiting on the connection when this batch was sent.
    drained: bool,
}

enum Item {
    Frame { data: Range<usize>, id: Option<Range<usize>> },
    Warning(StreamWarning),
}

/// One entry of a batch, borrowed from it.
pub(crate) enum Entry<'a> {
    /// A frame with data (heartbeats never travel).
    Frame { data: &'a str, id: Option<&'a str> },
    /// A frame the connection skipped, or something it could not do.
    Warning(&'a StreamWarning),
}

impl FrameBatch {
    /// The entries in stream order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = Entry<'_>> {
        self.items.iter().map(|item| match item {
            Item::Frame { data, id } => {
                Entry::Frame { data: &self.text[data.clone()], id: id.clone().map(|id| &self.text[id]) }
            }
            Item::Warning(warning) => Entry::Warning(warning),
        })
    }

    /// Whether the connection had nothing more waiting when it sent this batch: the moment
    /// the reader flushes.
    pub(crate) fn drained(&self) -> bool {
        self.drained
    }

    fn push_frame(&mut self, data: &str, id: Option<&str>) {
        let start = self.text.len();
        self.text.push_str(data);
        let data = start..self.text.len();
        let id = id.map(|id| {
            let start = self.text.len();
            self.text.push_str(id);
            start..self.text.len()
        });
        self.items.push(Item::Frame { data, id });
    }

    fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn clear(&mut self) {
        self.text.clear();
        self.items.clear();
        self.drained = false;
    }
}

/// The two ends of a hand-over: the connection's [`Relay`] and the reader's [`Receiver`].
pub(crate) fn channel() -> (Relay, Receiver) {
    let (sender, messages) = mpsc::channel(DEPTH);
    let (returned, spare) = std::sync::mpsc::channel();
    (Relay { sender, spare, batch: FrameBatch::default() }, Receiver { messages, returned })
}

/// The connection's end: gathers frames into the current batch and sends messages. Every
/// method that sends answers `Break` once the reader is gone, so the connection stops.
pub(crate) struct Relay {
    sender: mpsc::Sender<Message>,
    spare: std::sync::mpsc::Receiver<FrameBatch>,
    batch: FrameBatch,
}

impl Relay {
    /// A data frame, into the current batch.
    pub(crate) fn frame(&mut self, data: &str, id: Option<&str>) {
        self.batch.push_frame(data, id);
    }

    /// A warning, in its place among the frames.
    pub(crate) fn warning(&mut self, warning: StreamWarning) {
        self.batch.items.push(Item::Warning(warning));
    }

    /// Whether the current batch should go now, drained or not.
    pub(crate) fn is_full(&self) -> bool {
        self.batch.text.len() >= BATCH_BYTES || self.batch.items.len() >= BATCH_ENTRIES
    }

    /// Sends the current batch; `drained` says nothing more is waiting on the connection (it
    /// is sent even when empty: the reader flushes then).
    pub(crate) async fn send_batch(&mut self, drained: bool) -> ControlFlow<()> {
        let mut fresh = self.spare.try_recv().unwrap_or_default();
        fresh.clear();
        let mut batch = std::mem::replace(&mut self.batch, fresh);
        batch.drained = drained;
        self.deliver(Message::Frames(batch)).await
    }

    /// Sends a message after the frames gathered before it.
    pub(crate) async fn say(&mut self, message: Message) -> ControlFlow<()> {
        if !self.batch.is_empty() {
            self.send_batch(false).await?;
        }
        self.deliver(message).await
    }

    /// Resolves when the reader is gone (it stopped, or its future was dropped).
    pub(crate) fn reader_gone(&self) -> impl Future<Output = ()> + use<> {
        let sender = self.sender.clone();
        async move { sender.closed().await }
    }

    async fn deliver(&mut self, message: Message) -> ControlFlow<()> {
        match self.sender.send(message).await {
            Ok(()) => ControlFlow::Continue(()),
            Err(_) => ControlFlow::Break(()),
        }
    }
}

/// The reader's end.
pub(crate) struct Receiver {
    messages: mpsc::Receiver<Message>,
    returned: std::sync::mpsc::Sender<FrameBatch>,
}

impl Receiver {
    /// The next message; `None` once the connection's thread is gone without an `End`.
    pub(crate) async fn next(&mut self) -> Option<Message> {
        self.messages.recv().await
    }

    /// Gives an emptied batch back to the connection.
    pub(crate) fn give_back(&self, mut batch: FrameBatch) {
        batch.clear();
        let _ = self.returned.send(batch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(batch: &FrameBatch) -> Vec<(String, Option<String>)> {
        batch
            .entries()
            .filter_map(|entry| match entry {
                Entry::Frame { data, id } => Some((data.to_string(), id.map(str::to_string))),
                Entry::Warning(_) => None,
            })
            .collect()
    }

    #[tokio::test]
    async fn batches_keep_frames_and_warnings_in_order_and_come_back_empty() {
        let (mut relay, mut receiver) = channel();
        relay.frame("{\"a\":1}", Some("7"));
        relay.warning(StreamWarning::InvalidUtf8);
        relay.frame("{\"b\":2}", None);
        assert!(relay.send_batch(true).await.is_continue());
        let Some(Message::Frames(batch)) = receiver.next().await else { panic!("a batch") };
        assert!(batch.drained());
        let kinds: Vec<bool> = batch.entries().map(|e| matches!(e, Entry::Frame { .. })).collect();
        assert_eq!(kinds, [true, false, true]);
        assert_eq!(frames(&batch), [("{\"a\":1}".into(), Some("7".into())), ("{\"b\":2}".into(), None)]);
        receiver.give_back(batch);

        // The next batch is the returned one, emptied; a message goes after the frames before it.
        relay.frame("{\"c\":3}", None);
        assert!(relay.say(Message::Connected { attempt: 2 }).await.is_continue());
        let Some(Message::Frames(batch)) = receiver.next().await else { panic!("the frames first") };
        assert!(!batch.drained());
        assert_eq!(frames(&batch), [("{\"c\":3}".into(), None)]);
        assert!(matches!(receiver.next().await, Some(Message::Connected { attempt: 2 })));
    }

    #[tokio::test]
    async fn a_batch_is_full_at_its_byte_or_entry_limit_and_sending_stops_once_the_reader_is_gone() {
        let (mut relay, receiver) = channel();
        let frame = "x".repeat(1000);
        while !relay.is_full() {
            relay.frame(&frame, None);
        }
        assert!(relay.batch.text.len() >= BATCH_BYTES && relay.batch.text.len() < BATCH_BYTES + 1000);
        assert!(relay.send_batch(false).await.is_continue(), "the reader is there");

        // Entries without data (warnings) fill a batch too.
        while !relay.is_full() {
            relay.warning(StreamWarning::InvalidUtf8);
        }
        assert_eq!(relay.batch.items.len(), BATCH_ENTRIES);
        let gone = relay.reader_gone();
        drop(receiver);
        gone.await;
        assert!(relay.send_batch(false).await.is_break());
    }
}
