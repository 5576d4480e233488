/*!
Which of a simulation's records to print (`triggers simulate --session/--user/--trigger/--kind/--from/--to`).

A focus only selects records after the run: every session is still simulated from its first
event, so the decisions are the ones of the whole run.
*/

use super::engine::{Record, RecordKind, SessionSummary};

/// A time bound of `--from` / `--to`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum TimeBound {
    /// Seconds from the session's first event.
    Relative(f64),
    /// Unix seconds.
    Absolute(f64),
}

/// Numbers below this are seconds from the session's start; above, unix seconds (2001-09-09).
const UNIX_FROM: f64 = 1.0e9;

impl TimeBound {
    /// `90`, `+90` or `90.5` (from the session's start), `1700000000` (unix seconds) or an
    /// RFC 3339 time (`2023-11-14T22:13:20Z`).
    pub(crate) fn parse(text: &str) -> Result<TimeBound, String> {
        let t = text.trim();
        if let Ok(v) = t.strip_prefix('+').unwrap_or(t).parse::<f64>()
            && v.is_finite()
        {
            return Ok(if t.starts_with('+') || v.abs() < UNIX_FROM {
                TimeBound::Relative(v)
            } else {
                TimeBound::Absolute(v)
            });
        }
        chrono::DateTime::parse_from_rfc3339(t)
            .map(|d| TimeBound::Absolute(d.timestamp() as f64 + f64::from(d.timestamp_subsec_nanos()) / 1e9))
            .map_err(|_| {
                format!(
                    "{text:?} is not a time: give seconds from the session's start (90), unix seconds \
                     (1700000000) or RFC 3339 (2023-11-14T22:13:20Z)"
                )
            })
    }

    fn at(self, session_start: f64) -> f64 {
        match self {
            TimeBound::Relative(v) => session_start + v,
            TimeBound::Absolute(v) => v,
        }
    }
}

/// What to print. Empty lists select everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Focus {
    pub sessions: Vec<String>,
    /// Only sessions whose user (the first `user_id` of their lines) is one of these.
    pub users: Vec<String>,
    /// Only `fire` records of these triggers and `evaluation` records where one matched.
    pub triggers: Vec<String>,
    /// Record kinds (`fire`, `timeout`, …).
    pub kinds: Vec<String>,
    pub from: Option<TimeBound>,
    pub to: Option<TimeBound>,
}

/// The record kinds `--kind` accepts.
pub(crate) const KINDS: &[&str] = &[
    "fire",
    "timeout",
    "cooldown_cleared",
    "reactive",
    "tour_offer",
    "tour_started",
    "tour_declined",
    "invalid_transition",
    "session_end",
    "evaluation",
];

impl Focus {
    /// Whether the focus selects anything less than every record.
    pub(crate) fn is_active(&self) -> bool {
        *self != Focus::default()
    }

    /// A kind `--kind` does not know.
    pub(crate) fn unknown_kind(&self) -> Option<&str> {
        self.kinds.iter().map(String::as_str).find(|k| !KINDS.contains(k))
    }

    /// Whether the session is printed at all.
    pub(crate) fn keeps_session(&self, session: &SessionSummary) -> bool {
        (self.sessions.is_empty() || self.sessions.iter().any(|s| **s == *session.session_id))
            && (self.users.is_empty() || session.user_id.as_deref().is_some_and(|u| self.users.iter().any(|x| x == u)))
    }

    /// Whether a record of `session` is printed.
    pub(crate) fn keeps(&self, record: &Record, session: &SessionSummary) -> bool {
        if !self.keeps_session(session) {
            return false;
        }
        if !self.kinds.is_empty() && !self.kinds.iter().any(|k| k == record.kind.name()) {
            return false;
        }
        if !self.triggers.is_empty() {
            let concerns = match &record.kind {
                RecordKind::Fire(fire) => self.triggers.iter().any(|t| t == fire.trigger_id),
                RecordKind::Evaluation { hits, .. } => hits.iter().any(|h| self.triggers.iter().any(|t| t == h)),
                _ => false,
            };
            if !concerns {
                return false;
            }
        }
        let start = session.first_ts;
        self.from.is_none_or(|f| record.ts >= f.at(start)) && self.to.is_none_or(|t| record.ts <= t.at(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_as_relative_unix_or_rfc3339() {
        assert_eq!(TimeBound::parse("90"), Ok(TimeBound::Relative(90.0)));
        assert_eq!(TimeBound::parse("+1.5"), Ok(TimeBound::Relative(1.5)));
        assert_eq!(TimeBound::parse("1700000000"), Ok(TimeBound::Absolute(1.7e9)));
        assert_eq!(TimeBound::parse("2023-11-14T22:13:20Z"), Ok(TimeBound::Absolute(1.7e9)));
        assert!(TimeBound::parse("soon").unwrap_err().contains("RFC 3339"));
    }
}
