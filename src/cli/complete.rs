//! Shell completion answered by the binary itself: the script a shell loads
//! (`autoplay completions <shell>`) only registers `autoplay` as its own completer; on each
//! Tab the shell runs `COMPLETE=<shell> autoplay -- <words>` and prints what comes back. So
//! subcommands, flags and every value list complete from the running version, and values that
//! change at run time (the saved profiles) complete too.
//!
//! Values clap knows from the types (`--agent`, `--format`, `--color`, the shell names)
//! complete on their own; [`add_candidates`] adds the ones it cannot know.

use clap::Command;
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};
use clap_complete::env::EnvCompleter;

/// The variable the shell sets when it asks for completions.
pub(crate) const VAR: &str = "COMPLETE";

/// Answers a completion request and exits when the shell sent one; returns otherwise.
pub(crate) fn answer_if_asked() {
    clap_complete::CompleteEnv::with_factory(super::command).var(VAR).complete();
}

/// The registration script for `shell`: it makes the shell ask `autoplay` on Tab.
pub(crate) fn registration(shell: clap_complete::Shell, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let completer: &dyn EnvCompleter = match shell {
        clap_complete::Shell::Bash => &clap_complete::env::Bash,
        clap_complete::Shell::Zsh => &clap_complete::env::Zsh,
        clap_complete::Shell::Fish => &clap_complete::env::Fish,
        clap_complete::Shell::Elvish => &clap_complete::env::Elvish,
        _ => &clap_complete::env::Powershell,
    };
    completer.write_registration(VAR, "autoplay", "autoplay", "autoplay", out)
}

/// Adds value candidates to every flag of the tree whose values clap cannot know: the skill
/// names of `--chatbot` and `--user-activity`, the saved profiles of `--profile` (and of
/// `auth logout`'s profile argument).
pub(crate) fn add_candidates(mut command: Command) -> Command {
    let ids: Vec<String> = command.get_arguments().map(|a| a.get_id().to_string()).collect();
    for id in ids {
        command = command.mut_arg(&id, |arg| {
            if !arg.get_possible_values().is_empty() {
                return arg;
            }
            match id.as_str() {
                "chatbot" => arg.add(ArgValueCandidates::new(|| names(crate::skills::CHATBOTS))),
                "user_activity" => arg.add(ArgValueCandidates::new(|| names(crate::skills::ACTIVITY_SOURCES))),
                "profile" => arg.add(ArgValueCandidates::new(profiles)),
                _ => arg,
            }
        });
    }
    let names: Vec<String> = command.get_subcommands().map(|c| c.get_name().to_string()).collect();
    for name in names {
        command = command.mut_subcommand(&name, add_candidates);
    }
    command
}

fn names(list: &[&str]) -> Vec<CompletionCandidate> {
    list.iter().map(|name| CompletionCandidate::new(*name)).collect()
}

/// The saved profiles (none when the config folder cannot be read: completion stays quiet).
fn profiles() -> Vec<CompletionCandidate> {
    let names = crate::connector::profile::list().unwrap_or_default();
    names.into_iter().map(|name| CompletionCandidate::new(name).help(Some("saved profile".into()))).collect()
}
