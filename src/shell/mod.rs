/*!
The shell around every command: exit codes, the error renderer, the terminal (colour,
notices, prompts), stdout formats, logging, secret masking and the environment variables.
*/

pub mod diagnostics;
pub mod env_vars;
pub mod exit;
pub mod logging;
pub mod output;
pub mod secret;
pub mod ui;
