/*!
Quick replies and tour offers, as autoplay-sdk 0.7.3 resolves them (its `quick_reply_match` and
`proactive_intercom_config` modules): matching inbound text to chip labels with
full Unicode case folding (Python's `str.casefold`, via the `caseless` crate, not
`to_lowercase`), the Yes/No pair of a tour offer, and which flow a tapped chip offers.
*/

use serde_json::Value;

use super::config::{MessageRow, SdkRaise};
use crate::py;

/// `s.strip().casefold()`.
pub(crate) fn fold(s: &str) -> String {
    caseless::default_case_fold_str(py::strip(s))
}

/// The inbound text as the SDK sees it: `None` for a falsy value (never matches), the text for
/// a string, and the SDK's `AttributeError` for any other truthy value.
fn inbound_text(text: Option<&Value>) -> Result<Option<&str>, SdkRaise> {
    match text {
        Some(v) if py::is_truthy(v) => py::strip_value(v).map(|_| v.as_str()),
        _ => Ok(None),
    }
}

/// `match_quick_reply_label(msg, labels)`: the index of the first label equal to the text
/// after strip + casefold on both sides.
pub(crate) fn match_label<'a>(text: &str, labels: impl IntoIterator<Item = &'a str>) -> Option<usize> {
    let m = fold(text);
    if m.is_empty() {
        return None;
    }
    labels.into_iter().position(|l| fold(l) == m)
}

/// The answer to a tour offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OfferAnswer {
    Yes,
    No,
}

/// `messages_match_quick_reply_pair(text)` with the `Yes` / `No` labels.
pub(crate) fn match_yes_no(text: Option<&Value>) -> Result<Option<OfferAnswer>, SdkRaise> {
    let Some(text) = inbound_text(text)? else { return Ok(None) };
    Ok(if match_label(text, ["Yes"]).is_some() {
        Some(OfferAnswer::Yes)
    } else if match_label(text, ["No"]).is_some() {
        Some(OfferAnswer::No)
    } else {
        None
    })
}

/// `match_message_row_by_inbound_text(rows, text)`: the first chip row the text selects.
pub(crate) fn match_row<'a>(rows: &'a [MessageRow], text: Option<&Value>) -> Result<Option<&'a MessageRow>, SdkRaise> {
    let Some(text) = inbound_text(text)? else { return Ok(None) };
    Ok(match_label(text, rows.iter().map(|r| r.label.as_str())).map(|i| &rows[i]))
}

/// `effective_tour_flow_id_for_row(row, default_flow_id="")`: `None` for a chip without a tour,
/// else its flow id, which may be `""`.
pub(crate) fn effective_flow_id(row: &MessageRow) -> Option<String> {
    if !row.user_tour_exists {
        return None;
    }
    Some(row.user_tour_id.as_deref().map(py::strip).unwrap_or("").to_string())
}

/// `resolve_tour_offer_for_inbound(integration_config, text)`.
pub(crate) fn resolve_tour_offer(
    rows: &Result<Option<Vec<MessageRow>>, SdkRaise>,
    text: Option<&Value>,
) -> Result<Option<String>, SdkRaise> {
    let rows = match rows {
        Ok(Some(rows)) if !rows.is_empty() => rows,
        Ok(_) => return Ok(None),
        Err(e) => return Err(e.clone()),
    };
    Ok(match_row(rows, text)?.and_then(effective_flow_id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(label: &str, tour: bool, id: Option<&str>) -> MessageRow {
        MessageRow { id: "m".into(), label: label.into(), user_tour_exists: tour, user_tour_id: id.map(str::to_string) }
    }

    #[test]
    fn full_case_folding() {
        assert_eq!(match_label("STRASSE", ["Straße"]), Some(0));
        assert_eq!(match_label("  go ", ["x", "Go"]), Some(1));
        assert_eq!(match_label("   ", ["", " "]), None);
    }

    #[test]
    fn yes_no_pair() {
        assert_eq!(match_yes_no(Some(&json!(" YES "))), Ok(Some(OfferAnswer::Yes)));
        assert_eq!(match_yes_no(Some(&json!("no"))), Ok(Some(OfferAnswer::No)));
        assert_eq!(match_yes_no(Some(&json!("Yes!"))), Ok(None));
        assert_eq!(match_yes_no(None), Ok(None));
        assert!(match_yes_no(Some(&json!(5))).is_err());
    }

    #[test]
    fn tour_offer_resolution() {
        let rows = Ok(Some(vec![row("Go", true, Some(" f1 ")), row("Straße", true, None), row("Plain", false, None)]));
        assert_eq!(resolve_tour_offer(&rows, Some(&json!("go"))), Ok(Some("f1".into())));
        assert_eq!(resolve_tour_offer(&rows, Some(&json!("strasse"))), Ok(Some(String::new())));
        assert_eq!(resolve_tour_offer(&rows, Some(&json!("plain"))), Ok(None));
        assert_eq!(resolve_tour_offer(&Ok(None), Some(&json!(5))), Ok(None));
    }
}
