//! Exit codes, one table for every command, and the error type that carries one.

use std::fmt;

/// The process exit status. The numbers are part of the public interface (see README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: the command did what was asked.
    Success,
    /// 1: something failed (network, retries exhausted, I/O).
    Failure,
    /// 2: usage, config or input error (also: product already registered).
    Usage,
    /// 3: an expectation was not met or a wait timed out.
    Expectation,
    /// 4: authentication or authorization (401, 403, no credentials).
    Auth,
    /// 5: not found (404, unknown product or session).
    NotFound,
    /// 130: interrupted by Ctrl-C.
    Interrupted,
}

impl ExitStatus {
    /// The number the process exits with.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Usage => 2,
            ExitStatus::Expectation => 3,
            ExitStatus::Auth => 4,
            ExitStatus::NotFound => 5,
            ExitStatus::Interrupted => 130,
        }
    }
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        std::process::ExitCode::from(status.code())
    }
}

/// An error meant for the person at the terminal: a message, the exit status it maps to and
/// an optional hint on what to do next. Commands return it (inside `anyhow::Error`) whenever
/// the exit code is not the generic 1; the renderer finds it anywhere in the error chain.
#[derive(Debug)]
pub(crate) struct UserError {
    pub(crate) status: ExitStatus,
    pub(crate) message: String,
    pub(crate) hint: Option<String>,
}

impl UserError {
    pub(crate) fn new(status: ExitStatus, message: impl Into<String>) -> Self {
        UserError { status, message: message.into(), hint: None }
    }

    /// Exit 2: bad usage, config or input.
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self::new(ExitStatus::Usage, message)
    }

    /// Exit 1: a plain failure that still deserves a hint.
    pub(crate) fn failure(message: impl Into<String>) -> Self {
        Self::new(ExitStatus::Failure, message)
    }

    /// Exit 3: an expectation was not met.
    pub(crate) fn expectation(message: impl Into<String>) -> Self {
        Self::new(ExitStatus::Expectation, message)
    }

    /// Exit 4: authentication or authorization.
    pub(crate) fn auth(message: impl Into<String>) -> Self {
        Self::new(ExitStatus::Auth, message)
    }

    /// Exit 5: not found.
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(ExitStatus::NotFound, message)
    }

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

/// Shorthand for `Err(UserError::usage(..).into())`.
#[macro_export]
macro_rules! usage_error {
    ($($arg:tt)*) => {
        ::anyhow::Error::from($crate::shell::exit::UserError::usage(format!($($arg)*)))
    };
}
