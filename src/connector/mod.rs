/*!
Talking to the real connector's account side: the registration API, saved profiles and the
credentials a command resolves.
*/

pub(crate) mod credentials;
pub(crate) mod profile;
pub(crate) mod registration;

/// The most of a connector's answer that is read (registration replies, `send`'s replies):
/// 1 MiB, far above any real one, so an endpoint that never stops sending cannot fill memory.
pub(crate) const MAX_RESPONSE_BYTES: usize = 1 << 20;

/// A response's body, at most [`MAX_RESPONSE_BYTES`] of it, as text (invalid UTF-8
/// replaced). A longer body is cut there and the rest is not read, with a note at its end
/// (so it no longer parses as JSON and is reported as an unexpected answer).
pub(crate) async fn read_body_limited(mut response: reqwest::Response) -> Result<String, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = MAX_RESPONSE_BYTES - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            let mut text = String::from_utf8_lossy(&body).into_owned();
            text.push_str(" … (cut: the answer is longer than 1 MiB)");
            return Ok(text);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}
