//! `install-skills` and `completions`: files for a project and a shell.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Agent {
    Cursor,
    Claude,
    All,
}

const INSTALL_SKILLS_AFTER_HELP: &str = "\
Selection: autoplay-core always; with --chatbot only those chatbots, with --user-activity only
those sources; with neither, every skill. On a terminal with none of --chatbot, --user-activity,
--agent and --mcp, it asks (what the project uses is pre-selected) and prints the same command
without questions. Files go to .cursor/skills/<name>/ and/or .claude/skills/<name>/, and
.autoplay/skills.lock records what was written. A re-run updates files you did not touch and
keeps files you edited (exit 3) unless --force.

Examples:
  autoplay install-skills                                   every skill, for the agents found
  autoplay install-skills --chatbot intercom,crisp --user-activity posthog
  autoplay install-skills --agent claude --chatbot ada      into .claude/skills/
  autoplay install-skills --global --agent all              into ~/.cursor/skills and ~/.claude/skills
  autoplay install-skills --diff                            what an update would change
  autoplay install-skills --mcp                             and the MCP server
  autoplay install-skills --list --format json

Exit codes: 0 installed or already up to date · 2 unknown skill name or unsafe destination
  3 files you edited were kept (--force replaces them)";

#[derive(Debug, Clone, Args)]
#[command(after_help = INSTALL_SKILLS_AFTER_HELP)]
pub(crate) struct InstallSkillsArgs {
    /// Chatbot skills to install, comma-separated: ada, intercom, botpress, dify, crisp,
    /// landbot, tidio
    #[arg(long, value_name = "NAME,…", value_delimiter = ',')]
    pub(crate) chatbot: Vec<String>,
    /// User-activity source skills to install, comma-separated: fullstory, posthog
    #[arg(long, value_name = "NAME,…", value_delimiter = ',')]
    pub(crate) user_activity: Vec<String>,
    /// Agents to install for, comma-separated (default: those whose .cursor/ or .claude/
    /// folder exists, else cursor)
    #[arg(long, value_enum, value_delimiter = ',')]
    pub(crate) agent: Vec<Agent>,
    /// Project folder (default: the current folder); an agent's skills folder such as
    /// `.claude/skills` also works and picks that agent
    #[arg(long, value_name = "DIR")]
    pub(crate) dest: Option<PathBuf>,
    /// Install into the skill folders in your home folder instead of a project
    #[arg(long, conflicts_with = "dest")]
    pub(crate) global: bool,
    /// List the embedded skills (name, family, description) and exit
    #[arg(long)]
    pub(crate) list: bool,
    /// Show what would be written; write nothing
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Show a diff of every file that would change against what is on disk; write nothing
    #[arg(long)]
    pub(crate) diff: bool,
    /// Replace skill files you edited (they are kept otherwise)
    #[arg(long)]
    pub(crate) force: bool,
    /// Also add the `autoplay mcp` server to the project's MCP configuration
    /// (.mcp.json for Claude Code, .cursor/mcp.json for Cursor), keeping every other server
    #[arg(long, conflicts_with = "global")]
    pub(crate) mcp: bool,
}

const COMPLETIONS_AFTER_HELP: &str = "\
The script registers `autoplay` as its own completer: on Tab the shell asks the installed
binary (`COMPLETE=<shell> autoplay -- <words>`), so subcommands, flags, the values of
--format, --agent, --chatbot, --user-activity, --color and the shell names, and the saved
profiles of --profile all complete, always matching the version you run. Install the script
once, then open a new shell.

Examples:
  autoplay completions bash > ~/.local/share/bash-completion/completions/autoplay
      bash: loaded on demand by the bash-completion package (apt install bash-completion, dnf install bash-completion or brew install bash-completion@2, then source its bash_completion script from ~/.bashrc as the package says); without the package put `source <(autoplay completions bash)` in ~/.bashrc instead
  autoplay completions zsh > ~/.zfunc/_autoplay
      zsh: with `fpath=(~/.zfunc $fpath); autoload -Uz compinit; compinit` in ~/.zshrc (or put `source <(autoplay completions zsh)` after compinit there)
  autoplay completions fish > ~/.config/fish/completions/autoplay.fish
      fish: loaded on the next start
  autoplay completions powershell >> $PROFILE
      PowerShell: appended to your profile
  autoplay completions elvish > ~/.config/elvish/lib/autoplay.elv
      elvish: then `use autoplay` in ~/.config/elvish/rc.elv";

#[derive(Debug, Clone, Args)]
#[command(after_help = COMPLETIONS_AFTER_HELP)]
pub(crate) struct CompletionsArgs {
    /// Shell to print the completion script for
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}
