/*!
The shell around every command: exit codes, the error renderer, the terminal (colour,
notices, prompts), stdout formats, logging, secret masking, how memory is backed and the
environment variables.
*/

pub(crate) mod diagnostics;
pub(crate) mod duration;
pub(crate) mod env_vars;
pub(crate) mod exit;
pub(crate) mod logging;
pub(crate) mod output;
pub(crate) mod pages;
pub(crate) mod secret;
pub(crate) mod ui;
