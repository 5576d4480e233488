//! `autoplay install-skills`: copy the embedded agent skills into a project (or the home
//! folder) for Cursor and/or Claude Code, keeping a lockfile so re-runs update what we wrote
//! and never clobber what the user edited.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::json;

use crate::settings::{GlobalSettings, InstallSkillsSettings};
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::output::{self, Format, LineWriter};
use crate::shell::ui;
use crate::skills::mcp_config::{self, McpAction, McpChange};
use crate::skills::{self, AgentKind, FileAction, Lockfile, Plan, Skill};

pub(crate) fn run(global: &GlobalSettings, mut args: InstallSkillsSettings) -> anyhow::Result<ExitStatus> {
    let format = output::resolve_format(global.format);
    output::ensure_supported(format, "install-skills")?;
    let catalogue = skills::catalogue().context("the embedded skills are damaged (this is a bug in autoplay)")?;

    if args.list {
        print_catalogue(&catalogue, format)?;
        return Ok(ExitStatus::Success);
    }

    let (root, dest_agent) = resolve_root(&args)?;
    let asks = ui::can_prompt()
        && args.chatbots.is_empty()
        && args.activities.is_empty()
        && args.agents.is_none()
        && dest_agent.is_none()
        && !args.mcp;
    if asks {
        ask(&mut args, &catalogue, &root)?;
    }
    let chatbots = non_empty(&args.chatbots, "--chatbot", &catalogue, skills::Family::Chatbot)?;
    let activities = non_empty(&args.activities, "--user-activity", &catalogue, skills::Family::Activity)?;
    let selected =
        skills::select(&catalogue, &chatbots, &activities).map_err(|err| UserError::usage(err.to_string()))?;

    let agents = resolve_agents(args.agents, dest_agent, &root)?;
    let writes = !(args.dry_run || args.diff);

    let lock = read_lockfile(&root);
    let root_exists = root.is_dir();
    let mut plan = skills::plan(&root, &selected, &agents, &lock, args.force, |relative| {
        if !root_exists {
            return Ok(skills::Observed::Missing);
        }
        skills::check_inside_root(&root, relative)?;
        skills::observe(&root.join(relative))
            .map_err(|source| skills::DestinationError::Io { path: root.join(relative), source })
    })
    .map_err(destination_error)?;
    if root_exists {
        skills::check_inside_root(&root, Path::new(skills::LOCKFILE_PATH)).map_err(destination_error)?;
    }

    let mcp = if args.mcp { plan_mcp(&root, &agents, root_exists, &mut plan)? } else { Vec::new() };

    if writes {
        write_mcp(&root, &mcp)?;
        skills::apply(&plan).with_context(|| format!("could not install the skills into {}", root.display()))?;
    }

    let named = |family: skills::Family, given: &[&str]| -> Option<String> {
        let names: Vec<&str> = selected
            .iter()
            .filter(|s| s.family == family && !given.is_empty())
            .filter_map(|s| s.option.as_deref())
            .collect();
        (!names.is_empty()).then(|| names.join(" and "))
    };
    let prompt = skills::kickoff_prompt(
        named(skills::Family::Chatbot, &chatbots).as_deref(),
        named(skills::Family::Activity, &activities).as_deref(),
    );
    match format {
        Format::Json => print_plan_json(&plan, &mcp, writes, args.diff)?,
        _ => print_plan_pretty(&plan, &mcp, writes, args.diff, &prompt)?,
    }

    let protected: Vec<String> = plan.protected().map(|f| skills::slash_path(&f.path)).collect();
    if !protected.is_empty() {
        let verb = if writes { "were kept" } else { "would be kept" };
        return Err(UserError::expectation(format!(
            "{} you edited {verb}: {}",
            crate::shell::output::count(protected.len(), "file", "files"),
            protected.join(", ")
        ))
        .with_hint(if args.diff {
            "re-run with --force to replace them"
        } else {
            "see the differences with `autoplay install-skills --diff`; re-run with --force to replace them"
        })
        .into());
    }
    Ok(ExitStatus::Success)
}

/// Rejects `--chatbot ""` (the SDK installer silently read it as "every chatbot").
fn non_empty<'a>(
    values: &'a [String],
    flag: &str,
    catalogue: &[Skill],
    family: skills::Family,
) -> anyhow::Result<Vec<&'a str>> {
    if values.iter().any(|v| v.trim().is_empty()) {
        return Err(UserError::usage(format!(
            "{flag} needs a name. Valid options: {}",
            skills::option_names(catalogue, family).join(", ")
        ))
        .with_hint(format!("leave {flag} out to install every skill of that kind"))
        .into());
    }
    Ok(values.iter().map(String::as_str).collect())
}

/// On a terminal with no selection flags: asks for the chatbots, activity sources, agents and
/// the MCP server (what the project uses pre-selected), sets the answers as the flags would,
/// and prints the command that does the same without questions.
fn ask(args: &mut InstallSkillsSettings, catalogue: &[Skill], root: &Path) -> anyhow::Result<()> {
    let theme = dialoguer::theme::ColorfulTheme::default();
    let pick = |prompt: &str, options: &[String], detected: &[String]| -> anyhow::Result<Vec<String>> {
        let defaults: Vec<bool> = options.iter().map(|o| detected.contains(o)).collect();
        let chosen = dialoguer::MultiSelect::with_theme(&theme)
            .with_prompt(prompt)
            .items(options)
            .defaults(&defaults)
            .interact()
            .map_err(ui::prompt_error)?;
        Ok(chosen.into_iter().map(|i| options[i].clone()).collect())
    };
    let hint = "space toggles, enter accepts; none in both: every skill";
    for (family, target, what) in [
        (skills::Family::Chatbot, &mut args.chatbots, "Chatbots"),
        (skills::Family::Activity, &mut args.activities, "Activity sources"),
    ] {
        let options = skills::option_names(catalogue, family);
        let detected = skills::detect_options(root, catalogue, family);
        *target = pick(&format!("{what} ({hint})"), &options, &detected)?;
    }
    let agents: Vec<String> = AgentKind::ALL.iter().map(|a| a.as_str().to_string()).collect();
    let found: Vec<String> = skills::detect_agents(root).iter().map(|a| a.as_str().to_string()).collect();
    let chosen = pick("Agents (space toggles, enter accepts; none: those found)", &agents, &found)?;
    args.agents = (!chosen.is_empty())
        .then(|| AgentKind::ALL.into_iter().filter(|a| chosen.iter().any(|c| c == a.as_str())).collect());
    if !args.global {
        let configured = [".mcp.json", ".cursor/mcp.json"].iter().any(|p| root.join(p).is_file());
        let mcp = ["MCP server `autoplay mcp` in .mcp.json / .cursor/mcp.json".to_string()];
        args.mcp =
            !pick("Also add (space toggles, enter accepts)", &mcp, if configured { &mcp } else { &[] })?.is_empty();
    }
    ui::info("The same without questions:");
    ui::info(format!("  {}", equivalent_command(args)));
    Ok(())
}

/// The flags that make a run do what the answers did.
fn equivalent_command(args: &InstallSkillsSettings) -> String {
    let mut parts = vec!["autoplay install-skills".to_string()];
    if !args.chatbots.is_empty() {
        parts.push(format!("--chatbot {}", args.chatbots.join(",")));
    }
    if !args.activities.is_empty() {
        parts.push(format!("--user-activity {}", args.activities.join(",")));
    }
    if let Some(agents) = &args.agents {
        let names: Vec<&str> = agents.iter().map(|a| a.as_str()).collect();
        parts.push(format!("--agent {}", names.join(",")));
    }
    if args.mcp {
        parts.push("--mcp".to_string());
    }
    if args.global {
        parts.push("--global".to_string());
    }
    if let Some(dest) = &args.dest {
        parts.push(format!("--dest {}", dest.display()));
    }
    for (set, flag) in [(args.dry_run, "--dry-run"), (args.diff, "--diff"), (args.force, "--force")] {
        if set {
            parts.push(flag.to_string());
        }
    }
    parts.join(" ")
}

/// The install root (project or home folder) and, when `--dest` named an agent's skills
/// folder, that agent.
fn resolve_root(args: &InstallSkillsSettings) -> anyhow::Result<(PathBuf, Option<AgentKind>)> {
    if args.global {
        let home = std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .ok_or_else(|| UserError::usage("--global needs the home folder, but HOME is not set"))?;
        return Ok((PathBuf::from(home), None));
    }
    let cwd = std::env::current_dir().context("could not read the current folder")?;
    match &args.dest {
        Some(dest) => match skills::split_agent_skills_dir(dest) {
            Some((project, agent)) => Ok((absolute(&cwd, &project), Some(agent))),
            None => Ok((absolute(&cwd, dest), None)),
        },
        None => Ok((cwd, None)),
    }
}

/// `path` made absolute against `cwd`, with `.` components dropped, for clear messages.
fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() { path.to_path_buf() } else { cwd.join(path) };
    joined.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect()
}

/// The agents to install for: those `--agent` named, else the one `--dest` points at, else
/// those whose folder exists in `root`.
fn resolve_agents(
    named: Option<Vec<AgentKind>>,
    from_dest: Option<AgentKind>,
    root: &Path,
) -> anyhow::Result<Vec<AgentKind>> {
    match (named, from_dest) {
        (Some(named), Some(dest)) if named != [dest] => Err(UserError::usage(format!(
            "--dest points at the {} skills folder but --agent asks for {}",
            dest.display_name(),
            named.iter().map(|a| a.as_str()).collect::<Vec<_>>().join(" and ")
        ))
        .with_hint("pass the project folder as --dest and choose the agents with --agent")
        .into()),
        (Some(named), _) => Ok(named),
        (None, Some(dest)) => Ok(vec![dest]),
        (None, None) => Ok(skills::detect_agents(root)),
    }
}

/// The previous lockfile; a missing one is empty, an unreadable one is ignored with a warning
/// (every existing file then counts as edited, so nothing is lost).
fn read_lockfile(root: &Path) -> Lockfile {
    let path = root.join(skills::LOCKFILE_PATH);
    match std::fs::read_to_string(&path) {
        Ok(text) => Lockfile::parse(&text).unwrap_or_else(|err| {
            ui::warn(format!("ignoring {} ({err}); existing skill files count as edited", path.display()));
            Lockfile::default()
        }),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Lockfile::default(),
        Err(err) => {
            ui::warn(format!("could not read {} ({err}); existing skill files count as edited", path.display()));
            Lockfile::default()
        }
    }
}

/// The `autoplay` entry merged into each agent's project MCP configuration, recorded in the
/// lockfile. A file that cannot be read or parsed stops the install before anything is written.
fn plan_mcp(root: &Path, agents: &[AgentKind], root_exists: bool, plan: &mut Plan) -> anyhow::Result<Vec<McpChange>> {
    let mut changes = Vec::new();
    for &agent in agents {
        let relative = mcp_config::config_path(agent);
        let existing = if root_exists {
            skills::check_inside_root(root, Path::new(relative)).map_err(destination_error)?;
            match std::fs::read(root.join(relative)) {
                Ok(bytes) => Some(
                    String::from_utf8(bytes)
                        .map_err(|_| UserError::usage(format!("{relative} is not UTF-8 text; it was left as it is")))?,
                ),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
                Err(err) => return Err(anyhow::Error::from(err).context(format!("could not read {relative}"))),
            }
        } else {
            None
        };
        let change = mcp_config::merge(agent, existing.as_deref()).map_err(|err| {
            UserError::usage(err.to_string())
                .with_hint(format!("fix {relative} by hand (or move it away) and run again; nothing was written"))
        })?;
        let locked = change.locked();
        plan.lockfile.mcp.retain(|old| !(old.agent == locked.agent && old.path == locked.path));
        plan.lockfile.mcp.push(locked);
        changes.push(change);
    }
    plan.lockfile.mcp.sort_by(|a, b| (a.agent, &a.path).cmp(&(b.agent, &b.path)));
    Ok(changes)
}

fn write_mcp(root: &Path, changes: &[McpChange]) -> anyhow::Result<()> {
    for change in changes.iter().filter(|c| c.action != McpAction::Unchanged) {
        let target = root.join(change.path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("could not create {}", parent.display()))?;
        }
        crate::fs::write_atomic(&target, change.after.as_bytes(), crate::fs::Access::Keep)
            .with_context(|| format!("could not write {}", target.display()))?;
    }
    Ok(())
}

fn destination_error(err: skills::DestinationError) -> anyhow::Error {
    let hint = match &err {
        skills::DestinationError::SymlinkEscape { .. } | skills::DestinationError::DanglingSymlink { .. } => {
            "remove the symlink, or install into the folder it points to with --dest"
        }
        skills::DestinationError::InTheWay { .. } => "move it out of the way and run again",
        skills::DestinationError::Io { .. } => "check the folder's permissions",
    };
    let status = match err {
        skills::DestinationError::Io { .. } => ExitStatus::Failure,
        _ => ExitStatus::Usage,
    };
    UserError::new(status, err.to_string()).with_hint(hint).into()
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

fn print_catalogue(catalogue: &[Skill], format: Format) -> anyhow::Result<()> {
    let mut out = LineWriter::block_buffered();
    if format == Format::Json {
        for skill in catalogue {
            let line = json!({
                "name": skill.name,
                "family": skill.family,
                "option": skill.option,
                "description": skill.description,
                "files": skill.files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(),
            });
            out.line(&line.to_string())?;
        }
        return Ok(out.flush()?);
    }
    let bold = console::Style::new().bold();
    let dim = console::Style::new().dim();
    let width = catalogue.iter().map(|s| s.name.len()).max().unwrap_or(0);
    for skill in catalogue {
        let option = match (skill.family, skill.option.as_deref()) {
            (skills::Family::Chatbot, Some(o)) => format!("--chatbot {o}"),
            (skills::Family::Activity, Some(o)) => format!("--user-activity {o}"),
            _ => "always installed".to_string(),
        };
        out.line(&format!(
            "{}  {}  {}",
            ui::paint_stdout(&format!("{:<width$}", skill.name), &bold),
            ui::paint_stdout(&format!("{:<8}", skill.family.as_str()), &dim),
            ui::paint_stdout(&option, &dim)
        ))?;
        out.line(&format!("    {}", first_sentence(&skill.description)))?;
    }
    Ok(out.flush()?)
}

/// The description up to the first sentence end, for one-line listings.
fn first_sentence(text: &str) -> &str {
    let flat = text.trim();
    match flat.find(". ") {
        Some(end) => &flat[..=end],
        None => flat,
    }
}

fn print_plan_json(plan: &Plan, mcp: &[McpChange], done: bool, with_diff: bool) -> anyhow::Result<()> {
    let files: Vec<serde_json::Value> = plan
        .files
        .iter()
        .map(|file| {
            let mut entry = json!({
                "skill": file.skill,
                "agent": file.agent,
                "path": skills::slash_path(&file.path),
                "action": file.action,
            });
            if with_diff && file.action != FileAction::Unchanged && file.on_disk.is_some() {
                entry["diff"] = json!(skills::unified_diff(file));
            }
            entry
        })
        .collect();
    let mcp: Vec<serde_json::Value> = mcp
        .iter()
        .map(|change| {
            let mut entry = json!({
                "agent": change.agent,
                "path": change.path,
                "server": mcp_config::SERVER_NAME,
                "action": change.action,
            });
            if with_diff && change.action != McpAction::Unchanged {
                entry["diff"] = json!(change.diff());
            }
            entry
        })
        .collect();
    let count = |a| plan.count(a);
    let document = json!({
        "root": plan.root.display().to_string(),
        "dry_run": !done,
        "agents": plan.agents,
        "skills": plan.skills,
        "lockfile": skills::LOCKFILE_PATH,
        "toolkit_version": skills::TOOLKIT_VERSION,
        "counts": {
            "create": count(FileAction::Create),
            "update": count(FileAction::Update),
            "unchanged": count(FileAction::Unchanged),
            "overwrite": count(FileAction::Overwrite),
            "keep_edited": count(FileAction::KeepEdited),
            "remove": count(FileAction::Remove),
            "keep_obsolete": count(FileAction::KeepObsolete),
        },
        "files": files,
        "mcp": mcp,
    });
    let mut out = LineWriter::new();
    out.line(&document.to_string())?;
    Ok(out.flush()?)
}

fn print_plan_pretty(plan: &Plan, mcp: &[McpChange], done: bool, with_diff: bool, prompt: &str) -> anyhow::Result<()> {
    let mut out = LineWriter::block_buffered();
    let agents = plan.agents.iter().map(|a| a.display_name()).collect::<Vec<_>>().join(" and ");
    let lead = if done { "Installing" } else { "Dry run: would install" };
    out.line(&format!(
        "{lead} {} for {agents} into {}",
        crate::shell::output::count(plan.skills.len(), "skill", "skills"),
        plan.root.display()
    ))?;

    let verbose = ui::verbose() > 0;
    for file in &plan.files {
        if file.action == FileAction::Unchanged && !verbose {
            continue;
        }
        let style = match file.action {
            FileAction::Create | FileAction::Update | FileAction::Overwrite => console::Style::new().green(),
            FileAction::Remove => console::Style::new().yellow(),
            FileAction::KeepEdited | FileAction::KeepObsolete => console::Style::new().red(),
            FileAction::Unchanged => console::Style::new().dim(),
        };
        let note = match file.action {
            FileAction::KeepEdited => "   you edited it; --force replaces it",
            FileAction::KeepObsolete => "   no longer part of the skill; you edited it, so it stays",
            _ => "",
        };
        out.line(&format!(
            "  {}  {}{note}",
            ui::paint_stdout(&format!("{:<13}", file.action.label(done)), &style),
            skills::slash_path(&file.path)
        ))?;
        if with_diff && file.action != FileAction::Unchanged && file.on_disk.is_some() {
            print_diff(&mut out, &skills::unified_diff(file))?;
        }
    }
    for change in mcp {
        let style = if change.action == McpAction::Unchanged {
            console::Style::new().dim()
        } else {
            console::Style::new().green()
        };
        out.line(&format!(
            "  {}  {}   MCP server `{}` (`autoplay mcp`)",
            ui::paint_stdout(&format!("{:<13}", change.action.label(done)), &style),
            change.path,
            mcp_config::SERVER_NAME
        ))?;
        if with_diff && change.action != McpAction::Unchanged {
            print_diff(&mut out, &change.diff())?;
        }
    }

    let written = plan.count(FileAction::Create) + plan.count(FileAction::Update) + plan.count(FileAction::Overwrite);
    let mcp_changes = mcp.iter().filter(|c| c.action != McpAction::Unchanged).count();
    if plan.is_up_to_date() && plan.protected().count() == 0 && mcp_changes == 0 {
        let unchanged = plan.count(FileAction::Unchanged) as u64;
        out.line(&format!(
            "Everything is up to date ({} unchanged).",
            crate::shell::output::count(unchanged, "file", "files")
        ))?;
    } else {
        let (created, updated, removed) =
            if done { ("created", "updated", "removed") } else { ("to create", "to update", "to remove") };
        let mut parts = vec![
            format!("{} {created}", plan.count(FileAction::Create)),
            format!("{} {updated}", plan.count(FileAction::Update) + plan.count(FileAction::Overwrite)),
            format!("{} unchanged", plan.count(FileAction::Unchanged)),
        ];
        let kept = plan.count(FileAction::KeepEdited) + plan.count(FileAction::KeepObsolete);
        if kept > 0 {
            parts.push(format!("{kept} kept"));
        }
        if plan.count(FileAction::Remove) > 0 {
            parts.push(format!("{} {removed}", plan.count(FileAction::Remove)));
        }
        let tail =
            if done { format!(" · lockfile {}", skills::LOCKFILE_PATH) } else { " · nothing written".to_string() };
        out.line(&format!("{}{tail}", parts.join(", ")))?;
    }
    if done && mcp_changes > 0 {
        out.line("The agents start `autoplay mcp` in this folder; restart them to load it.")?;
    }
    if done && written > 0 {
        out.line("")?;
        out.line(&format!("Next: open {agents} in this project and say \"{prompt}\"."))?;
    }
    Ok(out.flush()?)
}

/// A unified diff, indented, `+` green and `-` red.
fn print_diff(out: &mut LineWriter, diff: &str) -> anyhow::Result<()> {
    for line in diff.lines() {
        let style = if line.starts_with('+') && !line.starts_with("+++") {
            console::Style::new().green()
        } else if line.starts_with('-') && !line.starts_with("---") {
            console::Style::new().red()
        } else {
            console::Style::new().dim()
        };
        out.line(&format!("    {}", ui::paint_stdout(line, &style)))?;
    }
    Ok(())
}
