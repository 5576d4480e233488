/*!
Event filters for a followed stream (`tail`): a comma list is OR within a flag, different
flags AND together. Filters read the cheap [`FrameView`], never the full payload.

Summaries carry no user or email. So that `--user u_1` still shows u_1's summaries, sessions
seen in an action batch that matched the identity filters are remembered (a bounded set) and
their summaries pass.
*/

use std::collections::HashSet;

use crate::event::frame::FrameView;

/// What to let through, as given: each list is OR (an event matches one of its values),
/// lists AND together, and an empty list does not filter. Values are trimmed and blanks
/// dropped when the [`Filter`] is built.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterSpec {
    /// Session ids.
    pub session: Vec<String>,
    /// User ids.
    pub user: Vec<String>,
    /// Emails, compared without case.
    pub email: Vec<String>,
    /// Event types (`actions`, `summary`, …).
    pub event_type: Vec<String>,
    /// Fragments of an action URL.
    pub url_contains: Vec<String>,
}

/// The event types a connector stream carries.
pub const KNOWN_TYPES: &[&str] = &["actions", "summary", "usertour_trigger"];

impl FilterSpec {
    /// What is suspicious about the values (for warnings; the filter still applies them):
    /// a type no stream carries, an email given to `--user`.
    pub fn doubts(&self) -> Vec<String> {
        let mut doubts = Vec::new();
        for kind in &self.event_type {
            if !KNOWN_TYPES.contains(&kind.as_str()) {
                let close = KNOWN_TYPES.iter().find(|k| k.starts_with(kind.as_str()) || kind.starts_with(**k));
                let hint = close.map(|k| format!(" (did you mean `{k}`?)")).unwrap_or_default();
                doubts.push(format!(
                    "--type {kind} matches no known event type{hint}; the types are {}",
                    KNOWN_TYPES.join(", ")
                ));
            }
        }
        for user in &self.user {
            if user.contains('@') {
                doubts.push(format!(
                    "--user {user} looks like an email; user ids are the identify ids (u_42): use --email {user}"
                ));
            }
        }
        doubts
    }
}

/// How many matching sessions are remembered for summary routing.
const REMEMBERED_SESSIONS: usize = 100_000;

/// A compiled filter.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    sessions: Vec<String>,
    users: Vec<String>,
    emails: Vec<String>,
    types: Vec<String>,
    url_fragments: Vec<String>,
    /// Sessions whose actions matched the user/email filters.
    matched_sessions: HashSet<String>,
}

impl Filter {
    /// Compiles `spec`.
    pub fn new(spec: &FilterSpec) -> Filter {
        let clean = |values: &[String]| -> Vec<String> {
            values.iter().map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect()
        };
        Filter {
            sessions: clean(&spec.session),
            users: clean(&spec.user),
            emails: clean(&spec.email).into_iter().map(|e| e.to_lowercase()).collect(),
            types: clean(&spec.event_type),
            url_fragments: clean(&spec.url_contains),
            matched_sessions: HashSet::new(),
        }
    }

    /// Whether no filter is set (everything passes).
    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty()
            && self.users.is_empty()
            && self.emails.is_empty()
            && self.types.is_empty()
            && self.url_fragments.is_empty()
    }

    /// Whether [`Filter::matches`] looks at the frames' actions (their URLs).
    pub fn reads_actions(&self) -> bool {
        !self.url_fragments.is_empty()
    }

    /// Whether the frame passes every filter.
    pub fn matches(&mut self, view: &FrameView<'_>) -> bool {
        if self.is_empty() {
            return true;
        }
        let event_type = view.event_type().unwrap_or("");
        if !self.types.is_empty() && !self.types.iter().any(|t| t == event_type) {
            return false;
        }
        let session = view.session_id.as_deref();
        if !self.sessions.is_empty() && !session.is_some_and(|s| self.sessions.iter().any(|want| want == s)) {
            return false;
        }
        if !self.url_fragments.is_empty()
            && !view.urls().iter().any(|url| self.url_fragments.iter().any(|fragment| url.contains(fragment.as_str())))
        {
            return false;
        }
        if self.users.is_empty() && self.emails.is_empty() {
            return true;
        }
        let identity_matches = self.identity_matches(view);
        match (identity_matches, session) {
            (true, Some(session)) => {
                if self.matched_sessions.len() >= REMEMBERED_SESSIONS {
                    self.matched_sessions.clear();
                }
                self.matched_sessions.insert(session.to_string());
                true
            }
            (true, None) => true,
            // A summary has no identity of its own: it follows its session.
            (false, Some(session)) => {
                view.user_id.is_none() && view.email.is_none() && self.matched_sessions.contains(session)
            }
            (false, None) => false,
        }
    }

    fn identity_matches(&self, view: &FrameView<'_>) -> bool {
        let user_ok =
            self.users.is_empty() || view.user_id.as_deref().is_some_and(|u| self.users.iter().any(|want| want == u));
        let email_ok = self.emails.is_empty()
            || view.email.as_deref().is_some_and(|e| self.emails.iter().any(|want| *want == e.to_lowercase()));
        user_ok && email_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubtful_values_are_named() {
        let spec = FilterSpec {
            event_type: vec!["action".into(), "summary".into()],
            user: vec!["u_1".into(), "ann@acme.com".into()],
            ..FilterSpec::default()
        };
        let doubts = spec.doubts();
        assert_eq!(doubts.len(), 2, "{doubts:?}");
        assert!(
            doubts[0].contains("did you mean `actions`") && doubts[0].contains("actions, summary, usertour_trigger")
        );
        assert!(doubts[1].contains("--email ann@acme.com"));
    }

    fn args(f: impl FnOnce(&mut FilterSpec)) -> Filter {
        let mut args = FilterSpec::default();
        f(&mut args);
        Filter::new(&args)
    }

    fn view(data: &str) -> FrameView<'_> {
        FrameView::parse(data).unwrap()
    }

    const A1: &str = r#"{"type":"actions","session_id":"s1","user_id":"u1","email":"Ana@X.com","actions":[{"canonical_url":"https://x/billing"}]}"#;
    const A2: &str =
        r#"{"type":"actions","session_id":"s2","user_id":"u2","actions":[{"canonical_url":"https://x/projects"}]}"#;
    const S1: &str = r#"{"type":"summary","session_id":"s1","summary":"x"}"#;
    const S2: &str = r#"{"type":"summary","session_id":"s2","summary":"y"}"#;

    #[test]
    fn or_within_a_flag_and_across_flags() {
        let mut filter = args(|a| a.user = vec!["u1".into(), "u2".into()]);
        assert!(filter.matches(&view(A1)) && filter.matches(&view(A2)));
        let mut filter = args(|a| {
            a.user = vec!["u1".into(), "u2".into()];
            a.url_contains = vec!["billing".into()];
        });
        assert!(filter.matches(&view(A1)));
        assert!(!filter.matches(&view(A2)));
    }

    /// Only a URL filter reads the actions; any other filter answers the same for a frame read
    /// to its top level only (what the stream client then reads).
    #[test]
    fn only_a_url_filter_reads_the_actions() {
        use crate::event::line::{self, LineScratch, Reach};
        assert!(args(|a| a.url_contains = vec!["billing".into()]).reads_actions());
        let specs: [fn(&mut FilterSpec); 4] = [
            |a| a.user = vec!["u1".into()],
            |a| a.email = vec!["ana@x.com".into()],
            |a| a.session = vec!["s2".into()],
            |a| a.event_type = vec!["summary".into()],
        ];
        for spec in specs {
            let (mut whole, mut top) = (args(spec), args(spec));
            assert!(!whole.reads_actions());
            for data in [A1, A2, S1, S2] {
                let mut scratch = LineScratch::new();
                let read = line::read_reaching(data, &mut scratch, Reach::TopLevel).unwrap();
                let top_view = FrameView::of_line(&read).unwrap();
                assert!(top_view.urls().is_empty(), "the top level has no actions");
                assert_eq!(whole.matches(&view(data)), top.matches(&top_view), "{data}");
            }
        }
    }

    #[test]
    fn type_session_and_email_filters() {
        let mut filter = args(|a| a.event_type = vec!["summary".into()]);
        assert!(!filter.matches(&view(A1)) && filter.matches(&view(S1)));
        let mut filter = args(|a| a.session = vec!["s2".into()]);
        assert!(!filter.matches(&view(A1)) && filter.matches(&view(S2)));
        let mut filter = args(|a| a.email = vec!["ana@x.com".into()]);
        assert!(filter.matches(&view(A1)) && !filter.matches(&view(A2)));
    }

    #[test]
    fn summaries_follow_their_session_under_identity_filters() {
        let mut filter = args(|a| a.user = vec!["u1".into()]);
        assert!(!filter.matches(&view(S1)), "unknown session yet");
        assert!(filter.matches(&view(A1)));
        assert!(filter.matches(&view(S1)));
        assert!(!filter.matches(&view(S2)));
    }
}
