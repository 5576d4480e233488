//! The agent skills embedded in the binary, and everything needed to install them safely.
//!
//! - The skill tree under `skills/` is compiled in with `include_dir`; nothing is read from the
//!   toolkit's own files at run time, and every destination path is built from this tree.
//! - [`catalogue`] parses each skill's front matter (name, description) into a [`Skill`].
//! - [`select`] applies the selection rules of the SDK's `autoplay-install-skills`: the core
//!   skill always, then one chatbot or every chatbot, then the activity source.
//! - [`plan`] compares the embedded files with what is on disk and with the lockfile
//!   `.autoplay/skills.lock`, and decides per file: create, update an untouched older copy,
//!   leave alone, or protect a copy the user edited. [`apply`] carries the plan out.
//! - [`check_inside_root`] refuses destinations that reach out of the project through a
//!   symlink.
//!
//! Nothing here prints: the command module renders plans and outcomes.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};

pub(crate) mod mcp_config;

use include_dir::{Dir, include_dir};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The skill tree, as it was when the binary was built.
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/skills");

/// The skill installed on every run.
pub(crate) const CORE_SKILL: &str = "autoplay-core";

/// Chatbot option names, in install order (the SDK installer's map order).
pub(crate) const CHATBOTS: &[&str] = &["ada", "intercom", "botpress", "dify", "crisp", "landbot", "tidio"];

/// Activity-source option names, in install order.
pub(crate) const ACTIVITY_SOURCES: &[&str] = &["fullstory", "posthog"];

/// Where the lockfile lives, relative to the install root.
pub(crate) const LOCKFILE_PATH: &str = ".autoplay/skills.lock";

/// The longest description agents accept in skill front matter.
pub(crate) const MAX_DESCRIPTION_CHARS: usize = 1024;

/// The version written into the lockfile.
pub(crate) const TOOLKIT_VERSION: &str = env!("CARGO_PKG_VERSION");

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// A problem with the skill texts themselves (a build defect, caught by the tests).
#[derive(Debug, thiserror::Error)]
pub(crate) enum SkillError {
    #[error("skill `{skill}` has no SKILL.md")]
    MissingSkillFile { skill: String },
    #[error("skill `{skill}`: {source}")]
    FrontMatter { skill: String, source: FrontMatterError },
    #[error("skill folder `{skill}` does not start with autoplay-, activity- or chatbot-")]
    UnknownFamily { skill: String },
    #[error("skill `{skill}`: file `{path}` is not valid UTF-8 or has an unsafe path")]
    BadFile { skill: String, path: String },
}

/// Why a SKILL.md front matter block was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum FrontMatterError {
    #[error("SKILL.md must start with a `---` line")]
    Missing,
    #[error("the front matter has no closing `---` line")]
    Unterminated,
    #[error("front matter line {line}: expected `key: value`")]
    NotAKey { line: usize },
    #[error("front matter line {line}: `{key}` appears twice")]
    Duplicate { line: usize, key: String },
    #[error("front matter line {line}: unknown key `{key}` (allowed: name, description, disable-model-invocation)")]
    UnknownKey { line: usize, key: String },
    #[error("front matter line {line}: the plain value of `{key}` needs quoting or a `>-` block")]
    NeedsQuoting { line: usize, key: String },
    #[error("front matter: `{key}` is required")]
    MissingKey { key: &'static str },
    #[error("front matter: `name` is `{name}` but the folder is `{folder}`")]
    NameMismatch { name: String, folder: String },
    #[error("front matter: the description has {chars} characters; the limit is {MAX_DESCRIPTION_CHARS}")]
    DescriptionTooLong { chars: usize },
    #[error("front matter: `disable-model-invocation` must be `true`")]
    ModelInvocation,
}

/// An option name that matches no skill.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum SelectionError {
    #[error("unknown chatbot '{given}'. Valid options: {}", .valid.join(", "))]
    UnknownChatbot { given: String, valid: Vec<String> },
    #[error("unknown user activity source '{given}'. Valid options: {}", .valid.join(", "))]
    UnknownActivity { given: String, valid: Vec<String> },
}

/// A destination that cannot be written safely.
#[derive(Debug, thiserror::Error)]
pub(crate) enum DestinationError {
    #[error("`{path}` is a symlink to `{target}`, outside `{root}`; refusing to write through it")]
    SymlinkEscape { path: PathBuf, target: PathBuf, root: PathBuf },
    #[error("`{path}` is a symlink that cannot be resolved; refusing to write through it")]
    DanglingSymlink { path: PathBuf },
    #[error("`{path}` is in the way: expected a {expected}")]
    InTheWay { path: PathBuf, expected: &'static str },
    #[error("could not inspect `{path}`")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

// ---------------------------------------------------------------------------------------------
// Front matter
// ---------------------------------------------------------------------------------------------

/// The three keys a skill's front matter holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FrontMatter {
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) disable_model_invocation: bool,
}

/// Parses the YAML front matter of a SKILL.md: the small subset skills use (`key: value`,
/// quoted scalars and `>`/`|` block scalars), strictly enough that anything it accepts is also
/// valid YAML with the same meaning.
pub(crate) fn parse_front_matter(text: &str) -> Result<FrontMatter, FrontMatterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines();
    if lines.next().map(str::trim_end) != Some("---") {
        return Err(FrontMatterError::Missing);
    }
    let mut block: Vec<&str> = Vec::new();
    let mut closed = false;
    for line in lines {
        if line.trim_end() == "---" {
            closed = true;
            break;
        }
        block.push(line);
    }
    if !closed {
        return Err(FrontMatterError::Unterminated);
    }

    let mut values: BTreeMap<String, String> = BTreeMap::new();
    let mut index = 0;
    while index < block.len() {
        let line_no = index + 2; // 1-based, after the opening `---`
        let line = block[index];
        index += 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            return Err(FrontMatterError::NotAKey { line: line_no });
        }
        let Some((key, rest)) = line.split_once(':') else {
            return Err(FrontMatterError::NotAKey { line: line_no });
        };
        let key = key.trim();
        if key.is_empty() || key.contains(char::is_whitespace) {
            return Err(FrontMatterError::NotAKey { line: line_no });
        }
        if !matches!(key, "name" | "description" | "disable-model-invocation") {
            return Err(FrontMatterError::UnknownKey { line: line_no, key: key.to_string() });
        }
        if values.contains_key(key) {
            return Err(FrontMatterError::Duplicate { line: line_no, key: key.to_string() });
        }
        let rest = rest.trim();
        let value = if let Some(style) = BlockStyle::from_indicator(rest) {
            let mut body: Vec<&str> = Vec::new();
            while index < block.len() && (block[index].starts_with([' ', '\t']) || block[index].trim().is_empty()) {
                body.push(block[index]);
                index += 1;
            }
            style.render(&body)
        } else {
            scalar(rest).ok_or_else(|| FrontMatterError::NeedsQuoting { line: line_no, key: key.to_string() })?
        };
        values.insert(key.to_string(), value);
    }

    let name =
        values.remove("name").filter(|v| !v.trim().is_empty()).ok_or(FrontMatterError::MissingKey { key: "name" })?;
    let description = values
        .remove("description")
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .ok_or(FrontMatterError::MissingKey { key: "description" })?;
    let flag = values
        .remove("disable-model-invocation")
        .ok_or(FrontMatterError::MissingKey { key: "disable-model-invocation" })?;
    let disable_model_invocation = match flag.as_str() {
        "true" => true,
        "false" => false,
        _ => return Err(FrontMatterError::ModelInvocation),
    };
    Ok(FrontMatter { name: name.trim().to_string(), description, disable_model_invocation })
}

#[derive(Debug, Clone, Copy)]
enum BlockStyle {
    Folded,
    Literal,
}

impl BlockStyle {
    fn from_indicator(text: &str) -> Option<BlockStyle> {
        match text {
            ">" | ">-" | ">+" => Some(BlockStyle::Folded),
            "|" | "|-" | "|+" => Some(BlockStyle::Literal),
            _ => None,
        }
    }

    /// Joins a block scalar's lines: folded blocks join lines with spaces (a blank line is a
    /// line break), literal blocks keep the breaks. Trailing breaks are dropped.
    fn render(self, lines: &[&str]) -> String {
        let indent =
            lines.iter().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
        let stripped: Vec<&str> = lines
            .iter()
            .map(|l| if l.trim().is_empty() { "" } else { l.get(indent..).unwrap_or("").trim_end() })
            .collect();
        let mut out = String::new();
        match self {
            BlockStyle::Literal => out = stripped.join("\n"),
            BlockStyle::Folded => {
                let mut previous_blank = true;
                for line in stripped {
                    if line.is_empty() {
                        out.push('\n');
                        previous_blank = true;
                    } else {
                        if !previous_blank {
                            out.push(' ');
                        }
                        out.push_str(line);
                        previous_blank = false;
                    }
                }
            }
        }
        out.trim_end().to_string()
    }
}

/// A one-line scalar: quoted, or plain when YAML would read it as the same plain string.
fn scalar(text: &str) -> Option<String> {
    if let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next()? {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    other @ ('"' | '\\' | '/') => out.push(other),
                    _ => return None,
                },
                '"' => return None,
                c => out.push(c),
            }
        }
        return Some(out);
    }
    if let Some(inner) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        if inner.replace("''", "").contains('\'') {
            return None;
        }
        return Some(inner.replace("''", "'"));
    }
    let starts_special =
        text.starts_with(['[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', '#', ',', '?', '-']);
    if text.is_empty() || starts_special || text.contains(": ") || text.contains(" #") || text.ends_with(':') {
        return None;
    }
    Some(text.to_string())
}

// ---------------------------------------------------------------------------------------------
// Catalogue
// ---------------------------------------------------------------------------------------------

/// What kind of skill a folder holds, from its name prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Family {
    Core,
    Activity,
    Chatbot,
}

impl Family {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Family::Core => "core",
            Family::Activity => "activity",
            Family::Chatbot => "chatbot",
        }
    }

    /// The family and the option name (`intercom` for `chatbot-intercom`) of a folder name.
    fn of(folder: &str) -> Option<(Family, Option<&str>)> {
        if let Some(option) = folder.strip_prefix("chatbot-") {
            Some((Family::Chatbot, Some(option)))
        } else if let Some(option) = folder.strip_prefix("activity-") {
            Some((Family::Activity, Some(option)))
        } else if folder.starts_with("autoplay-") {
            Some((Family::Core, None))
        } else {
            None
        }
    }
}

/// One file of a skill, as embedded.
#[derive(Debug, Clone)]
pub(crate) struct SkillFile {
    /// Path inside the skill folder, `/`-separated, validated to hold only normal components.
    pub(crate) path: String,
    pub(crate) contents: &'static [u8],
}

/// One embedded skill.
#[derive(Debug, Clone)]
pub(crate) struct Skill {
    /// The folder name, equal to the front matter `name`.
    pub(crate) name: String,
    pub(crate) family: Family,
    /// The name `--chatbot`/`--user-activity` take (`intercom`), none for the core skill.
    pub(crate) option: Option<String>,
    pub(crate) description: String,
    /// Every file of the skill, sorted by path.
    pub(crate) files: Vec<SkillFile>,
}

/// Every embedded skill: the core skill, then chatbots and activity sources in install order,
/// then anything else by name.
pub(crate) fn catalogue() -> Result<Vec<Skill>, SkillError> {
    let mut skills = Vec::new();
    for dir in EMBEDDED.dirs() {
        skills.push(load_skill(dir)?);
    }
    skills.sort_by_key(|skill| (order_key(skill), skill.name.clone()));
    Ok(skills)
}

fn order_key(skill: &Skill) -> (u8, usize) {
    let position =
        |list: &[&str]| skill.option.as_deref().and_then(|o| list.iter().position(|n| *n == o)).unwrap_or(usize::MAX);
    match skill.family {
        Family::Core => (0, if skill.name == CORE_SKILL { 0 } else { 1 }),
        Family::Chatbot => (1, position(CHATBOTS)),
        Family::Activity => (2, position(ACTIVITY_SOURCES)),
    }
}

fn load_skill(dir: &'static Dir<'static>) -> Result<Skill, SkillError> {
    let folder = dir.path().to_str().unwrap_or_default().to_string();
    let (family, option) = Family::of(&folder).ok_or_else(|| SkillError::UnknownFamily { skill: folder.clone() })?;
    let mut files = Vec::new();
    collect_files(dir, dir.path(), &folder, &mut files)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let skill_md = files
        .iter()
        .find(|f| f.path == "SKILL.md")
        .ok_or_else(|| SkillError::MissingSkillFile { skill: folder.clone() })?;
    let text = std::str::from_utf8(skill_md.contents)
        .map_err(|_| SkillError::BadFile { skill: folder.clone(), path: "SKILL.md".into() })?;
    let front = validate_front_matter(text, &folder)
        .map_err(|source| SkillError::FrontMatter { skill: folder.clone(), source })?;
    Ok(Skill {
        name: folder.clone(),
        family,
        option: option.map(str::to_string),
        description: front.description,
        files,
    })
}

/// Parses and checks a SKILL.md front matter against its folder name.
pub(crate) fn validate_front_matter(text: &str, folder: &str) -> Result<FrontMatter, FrontMatterError> {
    let front = parse_front_matter(text)?;
    if front.name != folder {
        return Err(FrontMatterError::NameMismatch { name: front.name, folder: folder.to_string() });
    }
    let chars = front.description.chars().count();
    if chars >= MAX_DESCRIPTION_CHARS {
        return Err(FrontMatterError::DescriptionTooLong { chars });
    }
    if !front.disable_model_invocation {
        return Err(FrontMatterError::ModelInvocation);
    }
    Ok(front)
}

fn collect_files(
    dir: &'static Dir<'static>,
    skill_root: &Path,
    skill: &str,
    out: &mut Vec<SkillFile>,
) -> Result<(), SkillError> {
    for file in dir.files() {
        // Editor and OS droppings (`.DS_Store`, swap files) are not part of a skill.
        if file.path().file_name().and_then(|n| n.to_str()).is_none_or(|n| n.starts_with('.')) {
            continue;
        }
        let bad = || SkillError::BadFile { skill: skill.to_string(), path: file.path().display().to_string() };
        let relative = file.path().strip_prefix(skill_root).map_err(|_| bad())?;
        if !relative.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(bad());
        }
        // Built from the components, so the separator is `/` whatever the build host used.
        let parts: Option<Vec<&str>> = relative.components().map(|c| c.as_os_str().to_str()).collect();
        let path = parts.ok_or_else(bad)?.join("/");
        out.push(SkillFile { path, contents: file.contents() });
    }
    for sub in dir.dirs() {
        collect_files(sub, skill_root, skill, out)?;
    }
    Ok(())
}

/// The valid option names of a family, in install order.
pub(crate) fn option_names(skills: &[Skill], family: Family) -> Vec<String> {
    skills.iter().filter(|s| s.family == family).filter_map(|s| s.option.clone()).collect()
}

// ---------------------------------------------------------------------------------------------
// Selection
// ---------------------------------------------------------------------------------------------

/// The skills to install, by the SDK installer's rules: the core skill always; then the named
/// chatbot, or every chatbot when neither filter is given; then the named activity source, or
/// every activity source when neither filter is given. Names match the option (`intercom`) or
/// the folder (`chatbot-intercom`), exactly.
pub(crate) fn select<'a>(
    skills: &'a [Skill],
    chatbots: &[&str],
    activities: &[&str],
) -> Result<Vec<&'a Skill>, SelectionError> {
    let find = |family: Family, given: &str| {
        skills.iter().find(|s| s.family == family && (s.option.as_deref() == Some(given) || s.name == given))
    };
    let mut chosen: Vec<&Skill> = Vec::new();
    for given in chatbots {
        chosen.push(find(Family::Chatbot, given).ok_or_else(|| SelectionError::UnknownChatbot {
            given: given.to_string(),
            valid: option_names(skills, Family::Chatbot),
        })?);
    }
    for given in activities {
        chosen.push(find(Family::Activity, given).ok_or_else(|| SelectionError::UnknownActivity {
            given: given.to_string(),
            valid: option_names(skills, Family::Activity),
        })?);
    }
    let mut selected: Vec<&Skill> = skills.iter().filter(|s| s.name == CORE_SKILL).collect();
    if chosen.is_empty() {
        selected.extend(skills.iter().filter(|s| s.family != Family::Core));
    } else {
        // Catalogue order, each skill once, however the names were given.
        selected.extend(skills.iter().filter(|s| chosen.iter().any(|c| c.name == s.name)));
    }
    Ok(selected)
}

/// The options of `family` (`intercom`, `posthog`, …) a project's dependency manifests
/// mention (`package.json`, `requirements.txt`, `pyproject.toml`, …, and the top-level HTML
/// pages), for the interactive install to pre-select. A name counts when it is a whole word
/// of a manifest (`@intercom/messenger-js-sdk`, `posthog-js`), compared without case.
pub(crate) fn detect_options(root: &Path, skills: &[Skill], family: Family) -> Vec<String> {
    let mut words: std::collections::HashSet<String> = std::collections::HashSet::new();
    let manifests = ["package.json", "requirements.txt", "pyproject.toml", "Gemfile", "go.mod", "composer.json"];
    let mut files: Vec<PathBuf> = manifests.iter().map(|m| root.join(m)).collect();
    if let Ok(entries) = std::fs::read_dir(root) {
        files.extend(
            entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "html" || x == "htm")),
        );
    }
    for file in files {
        // Manifests are small; anything big is not one.
        let Ok(meta) = std::fs::metadata(&file) else { continue };
        if !meta.is_file() || meta.len() > DETECT_MAX_BYTES {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        words.extend(text.split(|c: char| !c.is_ascii_alphanumeric()).map(str::to_ascii_lowercase));
    }
    option_names(skills, family).into_iter().filter(|name| words.contains(name.as_str())).collect()
}

/// The largest file [`detect_options`] reads.
const DETECT_MAX_BYTES: u64 = 1 << 20;

/// What to tell the agent after installing, e.g. `Set up Autoplay with intercom and posthog
/// for user activity`.
pub(crate) fn kickoff_prompt(chatbot: Option<&str>, activity: Option<&str>) -> String {
    let mut text = String::from("Set up Autoplay");
    if let Some(chatbot) = chatbot {
        text.push_str(" with ");
        text.push_str(chatbot);
    }
    if let Some(activity) = activity {
        text.push_str(if chatbot.is_some() { " and " } else { " with " });
        text.push_str(activity);
        text.push_str(" for user activity");
    }
    text
}

// ---------------------------------------------------------------------------------------------
// Agents and destinations
// ---------------------------------------------------------------------------------------------

/// An agent whose skill folder we write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum AgentKind {
    Cursor,
    Claude,
}

impl AgentKind {
    pub(crate) const ALL: [AgentKind; 2] = [AgentKind::Cursor, AgentKind::Claude];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            AgentKind::Cursor => "cursor",
            AgentKind::Claude => "claude",
        }
    }

    /// The agent's own folder (`.cursor`), relative to the project or home folder.
    pub(crate) fn folder(self) -> &'static str {
        match self {
            AgentKind::Cursor => ".cursor",
            AgentKind::Claude => ".claude",
        }
    }

    /// The skills folder (`.cursor/skills`), relative to the project or home folder.
    pub(crate) fn skills_dir(self) -> PathBuf {
        Path::new(self.folder()).join("skills")
    }

    pub(crate) fn display_name(self) -> &'static str {
        match self {
            AgentKind::Cursor => "Cursor",
            AgentKind::Claude => "Claude Code",
        }
    }
}

/// The agents to install for when none is named: those whose folder exists under `root`,
/// else Cursor.
pub(crate) fn detect_agents(root: &Path) -> Vec<AgentKind> {
    let found: Vec<AgentKind> = AgentKind::ALL.into_iter().filter(|a| root.join(a.folder()).is_dir()).collect();
    if found.is_empty() { vec![AgentKind::Cursor] } else { found }
}

/// When `dir` is an agent's skills folder (`…/.claude/skills`), the project folder above it and
/// the agent. Lets `--dest .claude/skills` keep working as it did with the SDK installer.
pub(crate) fn split_agent_skills_dir(dir: &Path) -> Option<(PathBuf, AgentKind)> {
    let mut components: Vec<Component> = dir.components().collect();
    while components.last() == Some(&Component::CurDir) {
        components.pop();
    }
    let last = components.pop()?;
    let folder = components.pop()?;
    if last.as_os_str() != "skills" {
        return None;
    }
    let agent = AgentKind::ALL.into_iter().find(|a| folder.as_os_str() == a.folder())?;
    let project: PathBuf = components.iter().collect();
    Some((if project.as_os_str().is_empty() { PathBuf::from(".") } else { project }, agent))
}

/// Refuses `relative` (under `root`) when any existing part of it is a symlink that resolves
/// outside `root`, or cannot be resolved. `root` itself may be a symlink.
pub(crate) fn check_inside_root(root: &Path, relative: &Path) -> Result<(), DestinationError> {
    let io_error = |path: &Path, source| DestinationError::Io { path: path.to_path_buf(), source };
    let canonical_root = std::fs::canonicalize(root).map_err(|e| io_error(root, e))?;
    let mut current = root.to_path_buf();
    for component in relative.components() {
        current.push(component);
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::canonicalize(&current)
                    .map_err(|_| DestinationError::DanglingSymlink { path: current.clone() })?;
                if !target.starts_with(&canonical_root) {
                    return Err(DestinationError::SymlinkEscape {
                        path: current.clone(),
                        target,
                        root: canonical_root,
                    });
                }
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(io_error(&current, e)),
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Lockfile
// ---------------------------------------------------------------------------------------------

/// `.autoplay/skills.lock`: what was installed where, with the hash of every file as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Lockfile {
    /// Format version of this file.
    pub(crate) version: u32,
    /// The toolkit version of the last install.
    pub(crate) toolkit_version: String,
    pub(crate) skills: Vec<LockedSkill>,
    /// The MCP configurations `--mcp` wrote the `autoplay` server into.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) mcp: Vec<mcp_config::LockedMcpConfig>,
}

/// One skill installed for one agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct LockedSkill {
    pub(crate) skill: String,
    pub(crate) agent: AgentKind,
    /// The skill folder, relative to the install root, `/`-separated.
    pub(crate) path: String,
    /// The toolkit version that wrote these files.
    pub(crate) toolkit_version: String,
    pub(crate) files: Vec<LockedFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct LockedFile {
    /// Path inside the skill folder, `/`-separated.
    pub(crate) path: String,
    pub(crate) sha256: String,
}

impl Default for Lockfile {
    fn default() -> Self {
        Lockfile { version: 1, toolkit_version: TOOLKIT_VERSION.to_string(), skills: Vec::new(), mcp: Vec::new() }
    }
}

impl Lockfile {
    /// Parses a lockfile's text.
    pub(crate) fn parse(text: &str) -> Result<Lockfile, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Pretty JSON with a trailing newline.
    pub(crate) fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_else(|_| String::from("{}"));
        text.push('\n');
        text
    }

    /// Recorded hashes by path relative to the install root.
    fn hashes(&self) -> HashMap<String, String> {
        let mut map = HashMap::new();
        for skill in &self.skills {
            for file in &skill.files {
                map.insert(format!("{}/{}", skill.path, file.path), file.sha256.clone());
            }
        }
        map
    }
}

/// How the skills a lockfile records compare with what is on disk and what this toolkit embeds
/// (for `autoplay doctor`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LockStatus {
    /// `skill (agent)` of each recorded skill.
    pub(crate) installed: Vec<String>,
    /// Files on disk that equal this toolkit's version.
    pub(crate) current: usize,
    /// Files untouched since installed, but older than this toolkit's version.
    pub(crate) outdated: usize,
    /// Files changed by hand since installed.
    pub(crate) edited: usize,
    /// Recorded files that are gone.
    pub(crate) missing: usize,
}

/// Compares the lockfile's files under `root` with the disk and the embedded skills.
pub(crate) fn lock_status(root: &Path, lock: &Lockfile) -> Result<LockStatus, SkillError> {
    let catalogue = catalogue()?;
    let mut status = LockStatus::default();
    for locked in &lock.skills {
        status.installed.push(format!("{} ({})", locked.skill, locked.agent.as_str()));
        let embedded = catalogue.iter().find(|s| s.name == locked.skill);
        for file in &locked.files {
            let path = root.join(&locked.path).join(&file.path);
            let Ok(bytes) = std::fs::read(&path) else {
                status.missing += 1;
                continue;
            };
            let disk = sha256_hex(&bytes);
            let current = embedded
                .and_then(|skill| skill.files.iter().find(|f| f.path == file.path))
                .map(|f| sha256_hex(f.contents));
            if current.as_deref() == Some(disk.as_str()) {
                status.current += 1;
            } else if disk == file.sha256 {
                status.outdated += 1;
            } else {
                status.edited += 1;
            }
        }
    }
    Ok(status)
}

/// Lowercase hex SHA-256.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

// ---------------------------------------------------------------------------------------------
// Plan
// ---------------------------------------------------------------------------------------------

/// What happens to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum FileAction {
    /// Not on disk yet.
    Create,
    /// On disk as an earlier install wrote it, and the embedded copy is newer.
    Update,
    /// Already identical.
    Unchanged,
    /// Edited by the user (or not written by us), replaced because of `--force`.
    Overwrite,
    /// Edited by the user (or not written by us): left alone.
    KeepEdited,
    /// Installed earlier but no longer part of the skill, untouched since: deleted.
    Remove,
    /// No longer part of the skill but edited by the user: left alone.
    KeepObsolete,
}

impl FileAction {
    /// Whether the file is written or deleted.
    pub(crate) fn writes(self) -> bool {
        matches!(self, FileAction::Create | FileAction::Update | FileAction::Overwrite | FileAction::Remove)
    }

    /// The word for a finished run (`created`) or a dry run (`create`).
    pub(crate) fn label(self, done: bool) -> &'static str {
        match (self, done) {
            (FileAction::Create, true) => "created",
            (FileAction::Create, false) => "create",
            (FileAction::Update, true) => "updated",
            (FileAction::Update, false) => "update",
            (FileAction::Unchanged, _) => "unchanged",
            (FileAction::Overwrite, true) => "overwritten",
            (FileAction::Overwrite, false) => "overwrite",
            (FileAction::KeepEdited, _) => "kept (edited)",
            (FileAction::Remove, true) => "removed",
            (FileAction::Remove, false) => "remove",
            (FileAction::KeepObsolete, _) => "kept (obsolete, edited)",
        }
    }
}

/// One file of the plan.
#[derive(Debug, Clone)]
pub(crate) struct PlannedFile {
    pub(crate) skill: String,
    pub(crate) agent: AgentKind,
    /// Path relative to the install root.
    pub(crate) path: PathBuf,
    /// The embedded contents (none for obsolete files).
    pub(crate) contents: Option<&'static [u8]>,
    /// What is on disk now, when anything is.
    pub(crate) on_disk: Option<Vec<u8>>,
    pub(crate) action: FileAction,
}

/// Everything an install would do.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub(crate) root: PathBuf,
    pub(crate) agents: Vec<AgentKind>,
    pub(crate) skills: Vec<String>,
    pub(crate) files: Vec<PlannedFile>,
    /// The lockfile after the install.
    pub(crate) lockfile: Lockfile,
}

impl Plan {
    pub(crate) fn count(&self, action: FileAction) -> usize {
        self.files.iter().filter(|f| f.action == action).count()
    }

    /// Whether nothing would be written (the lockfile aside).
    pub(crate) fn is_up_to_date(&self) -> bool {
        !self.files.iter().any(|f| f.action.writes())
    }

    /// Files kept because the user edited them.
    pub(crate) fn protected(&self) -> impl Iterator<Item = &PlannedFile> {
        self.files.iter().filter(|f| f.action == FileAction::KeepEdited)
    }
}

/// What the planner needs to know about one path on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Observed {
    Missing,
    File(Vec<u8>),
    /// A directory or anything else that is not a regular file.
    NotAFile,
}

/// Reads what is at `path` for the planner.
pub(crate) fn observe(path: &Path) -> io::Result<Observed> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(Observed::File(std::fs::read(path)?)),
        Ok(_) => Ok(Observed::NotAFile),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Observed::Missing),
        Err(e) => Err(e),
    }
}

/// Decides what to do with every file of `skills` for every agent. `observe` reports what is
/// on disk at a root-relative path; `lock` is the previous lockfile. Pure apart from `observe`.
pub(crate) fn plan(
    root: &Path,
    skills: &[&Skill],
    agents: &[AgentKind],
    lock: &Lockfile,
    force: bool,
    mut observe: impl FnMut(&Path) -> Result<Observed, DestinationError>,
) -> Result<Plan, DestinationError> {
    let recorded = lock.hashes();
    let mut files = Vec::new();
    let mut locked: Vec<LockedSkill> = Vec::new();
    for &agent in agents {
        for skill in skills {
            let skill_dir = agent.skills_dir().join(&skill.name);
            let skill_dir_text = slash_path(&skill_dir);
            let mut locked_files = Vec::new();
            for file in &skill.files {
                let path = skill_dir.join(&file.path);
                let key = format!("{skill_dir_text}/{}", file.path);
                let embedded_hash = sha256_hex(file.contents);
                let (action, on_disk) = match observe(&path)? {
                    Observed::Missing => (FileAction::Create, None),
                    Observed::NotAFile => {
                        return Err(DestinationError::InTheWay { path: root.join(&path), expected: "file" });
                    }
                    Observed::File(bytes) => {
                        let disk_hash = sha256_hex(&bytes);
                        let action = if disk_hash == embedded_hash {
                            FileAction::Unchanged
                        } else if recorded.get(&key) == Some(&disk_hash) {
                            FileAction::Update
                        } else if force {
                            FileAction::Overwrite
                        } else {
                            FileAction::KeepEdited
                        };
                        (action, Some(bytes))
                    }
                };
                // The lock records the hash of what the toolkit wrote. For a file the user
                // edited and we kept, that is the hash recorded before (or the embedded one):
                // never the edit's own hash, so the next run still sees the edit.
                let locked_hash = match action {
                    FileAction::KeepEdited => recorded.get(&key).cloned().unwrap_or(embedded_hash),
                    _ => embedded_hash,
                };
                locked_files.push(LockedFile { path: file.path.clone(), sha256: locked_hash });
                files.push(PlannedFile {
                    skill: skill.name.clone(),
                    agent,
                    path,
                    contents: Some(file.contents),
                    on_disk,
                    action,
                });
            }
            // Files an earlier install wrote that the embedded skill no longer has.
            let previous =
                lock.skills.iter().find(|s| s.skill == skill.name && s.agent == agent && s.path == skill_dir_text);
            for old in previous.map(|s| s.files.as_slice()).unwrap_or_default() {
                if skill.files.iter().any(|f| f.path == old.path) || !is_safe_relative(&old.path) {
                    continue;
                }
                let path = skill_dir.join(&old.path);
                match observe(&path)? {
                    Observed::File(bytes) => {
                        let action = if sha256_hex(&bytes) == old.sha256 {
                            FileAction::Remove
                        } else {
                            FileAction::KeepObsolete
                        };
                        files.push(PlannedFile {
                            skill: skill.name.clone(),
                            agent,
                            path,
                            contents: None,
                            on_disk: Some(bytes),
                            action,
                        });
                    }
                    Observed::Missing | Observed::NotAFile => {}
                }
            }
            locked.push(LockedSkill {
                skill: skill.name.clone(),
                agent,
                path: skill_dir_text,
                toolkit_version: TOOLKIT_VERSION.to_string(),
                files: locked_files,
            });
        }
    }

    // Keep the entries of skills and agents this run did not touch.
    let mut lockfile = Lockfile {
        version: 1,
        toolkit_version: TOOLKIT_VERSION.to_string(),
        skills: Vec::new(),
        mcp: lock.mcp.clone(),
    };
    for old in &lock.skills {
        if !locked.iter().any(|new| new.skill == old.skill && new.agent == old.agent) {
            lockfile.skills.push(old.clone());
        }
    }
    lockfile.skills.extend(locked);
    lockfile.skills.sort_by(|a, b| (a.agent, &a.skill).cmp(&(b.agent, &b.skill)));

    Ok(Plan {
        root: root.to_path_buf(),
        agents: agents.to_vec(),
        skills: skills.iter().map(|s| s.name.clone()).collect(),
        files,
        lockfile,
    })
}

fn is_safe_relative(path: &str) -> bool {
    !path.is_empty() && Path::new(path).components().all(|c| matches!(c, Component::Normal(_)))
}

/// A relative path with `/` separators, for the lockfile and messages.
pub(crate) fn slash_path(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

// ---------------------------------------------------------------------------------------------
// Apply
// ---------------------------------------------------------------------------------------------

/// Carries out a plan: writes created, updated and overwritten files (each atomically), deletes
/// removed ones, then writes the lockfile. Stops at the first error.
pub(crate) fn apply(plan: &Plan) -> io::Result<()> {
    for file in &plan.files {
        let target = plan.root.join(&file.path);
        match (file.action, file.contents) {
            (FileAction::Create | FileAction::Update | FileAction::Overwrite, Some(contents)) => {
                write_file(&target, contents)?;
            }
            (FileAction::Remove, _) => {
                std::fs::remove_file(&target)?;
                remove_empty_parents(&target, &plan.root);
            }
            _ => {}
        }
    }
    write_file(&plan.root.join(LOCKFILE_PATH), plan.lockfile.to_json().as_bytes())
}

/// Writes one planned file, creating its folders; a file that already holds exactly these
/// bytes is left alone (an up-to-date install writes nothing, so it works on a read-only
/// tree). Skill files are not secret: they get the normal mode (0644 under umask 022).
fn write_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    if std::fs::read(path).is_ok_and(|existing| existing == contents) {
        return Ok(());
    }
    let parent = path.parent().ok_or_else(|| io::Error::other("path has no parent folder"))?;
    std::fs::create_dir_all(parent)?;
    crate::fs::write_atomic(path, contents, crate::fs::Access::Normal)
}

fn remove_empty_parents(path: &Path, root: &Path) {
    let mut current = path.parent();
    while let Some(dir) = current {
        if dir == root || !dir.starts_with(root) || std::fs::remove_dir(dir).is_err() {
            break;
        }
        current = dir.parent();
    }
}

// ---------------------------------------------------------------------------------------------
// Diff
// ---------------------------------------------------------------------------------------------

/// A unified diff from what is on disk to what would be written (`/dev/null` for a missing
/// side). Non-UTF-8 content is reported in one line.
pub(crate) fn unified_diff(file: &PlannedFile) -> String {
    let old = file.on_disk.as_deref();
    let new = file.contents;
    let path = slash_path(&file.path);
    match (old.map(std::str::from_utf8).transpose(), new.map(std::str::from_utf8).transpose()) {
        (Ok(old), Ok(new)) => text_diff(&path, old, new),
        _ => {
            let old_name = if old.is_some() { format!("a/{path}") } else { "/dev/null".to_string() };
            let new_name = if new.is_some() { format!("b/{path}") } else { "/dev/null".to_string() };
            format!("Binary files {old_name} and {new_name} differ\n")
        }
    }
}

/// A unified diff of two texts of the file `path` (`/dev/null` for a missing side).
pub(crate) fn text_diff(path: &str, old: Option<&str>, new: Option<&str>) -> String {
    let old_name = if old.is_some() { format!("a/{path}") } else { "/dev/null".to_string() };
    let new_name = if new.is_some() { format!("b/{path}") } else { "/dev/null".to_string() };
    similar::TextDiff::from_lines(old.unwrap_or_default(), new.unwrap_or_default())
        .unified_diff()
        .context_radius(3)
        .header(&old_name, &new_name)
        .to_string()
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "---\nname: chatbot-x\ndescription: >-\n  Wires X.\n  Use when asked.\n\n  Second.\ndisable-model-invocation: true\n---\n# Body\n";

    #[test]
    fn parses_folded_description() {
        let front = parse_front_matter(GOOD).unwrap();
        assert_eq!(front.name, "chatbot-x");
        assert_eq!(front.description, "Wires X. Use when asked.\nSecond.");
        assert!(front.disable_model_invocation);
    }

    #[test]
    fn rejects_bad_front_matter() {
        assert_eq!(parse_front_matter("# no"), Err(FrontMatterError::Missing));
        assert_eq!(parse_front_matter("---\nname: a\n"), Err(FrontMatterError::Unterminated));
        assert!(matches!(parse_front_matter("---\nname: a\nname: b\n---\n"), Err(FrontMatterError::Duplicate { .. })));
        assert!(matches!(parse_front_matter("---\nfoo: a\n---\n"), Err(FrontMatterError::UnknownKey { .. })));
        assert!(matches!(
            parse_front_matter("---\nname: a\ndescription: Use when: x\ndisable-model-invocation: true\n---\n"),
            Err(FrontMatterError::NeedsQuoting { .. })
        ));
        assert_eq!(
            parse_front_matter("---\nname: a\ndisable-model-invocation: true\n---\n"),
            Err(FrontMatterError::MissingKey { key: "description" })
        );
        assert_eq!(
            validate_front_matter(GOOD, "chatbot-y"),
            Err(FrontMatterError::NameMismatch { name: "chatbot-x".into(), folder: "chatbot-y".into() })
        );
    }

    #[test]
    fn quoted_scalars() {
        assert_eq!(scalar("\"a: b\""), Some("a: b".into()));
        assert_eq!(scalar("'it''s'"), Some("it's".into()));
        assert_eq!(scalar("plain text"), Some("plain text".into()));
        assert_eq!(scalar("- list"), None);
    }

    #[test]
    fn catalogue_has_the_ten_skills_in_order() {
        let skills = catalogue().unwrap();
        let names: Vec<&str> = skills.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "autoplay-core",
                "chatbot-ada",
                "chatbot-intercom",
                "chatbot-botpress",
                "chatbot-dify",
                "chatbot-crisp",
                "chatbot-landbot",
                "chatbot-tidio",
                "activity-fullstory",
                "activity-posthog"
            ]
        );
        assert_eq!(option_names(&skills, Family::Chatbot), CHATBOTS);
        assert_eq!(option_names(&skills, Family::Activity), ACTIVITY_SOURCES);
    }

    #[test]
    fn selection_rules() {
        let skills = catalogue().unwrap();
        let names = |c: &[&str], a: &[&str]| -> Vec<String> {
            select(&skills, c, a).unwrap().iter().map(|s| s.name.clone()).collect()
        };
        assert_eq!(names(&[], &[]).len(), 10);
        assert_eq!(names(&["ada"], &[]), ["autoplay-core", "chatbot-ada"]);
        assert_eq!(names(&[], &["posthog"]), ["autoplay-core", "activity-posthog"]);
        assert_eq!(names(&["chatbot-tidio"], &["fullstory"]), ["autoplay-core", "chatbot-tidio", "activity-fullstory"]);
        assert_eq!(names(&["crisp", "intercom", "crisp"], &[]), ["autoplay-core", "chatbot-intercom", "chatbot-crisp"]);
        let err = select(&skills, &["Intercom"], &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown chatbot 'Intercom'. Valid options: ada, intercom, botpress, dify, crisp, landbot, tidio"
        );
        let err = select(&skills, &[], &["amplitude"]).unwrap_err();
        assert_eq!(err.to_string(), "unknown user activity source 'amplitude'. Valid options: fullstory, posthog");
    }

    #[test]
    fn options_are_detected_from_whole_words_of_the_manifests() {
        let skills = catalogue().unwrap();
        let dir = tempfile::tempdir().unwrap();
        assert!(detect_options(dir.path(), &skills, Family::Chatbot).is_empty());
        std::fs::write(
            dir.path().join("package.json"),
            r#"{"dependencies": {"@intercom/messenger-js-sdk": "1", "posthog-js": "1", "adapter": "2"}}"#,
        )
        .unwrap();
        std::fs::write(dir.path().join("index.html"), "<script src=\"https://client.crisp.chat/l.js\"></script>")
            .unwrap();
        assert_eq!(detect_options(dir.path(), &skills, Family::Chatbot), ["intercom", "crisp"]);
        assert_eq!(detect_options(dir.path(), &skills, Family::Activity), ["posthog"]);
    }

    #[test]
    fn kickoff_prompts() {
        assert_eq!(kickoff_prompt(None, None), "Set up Autoplay");
        assert_eq!(
            kickoff_prompt(Some("ada"), Some("posthog")),
            "Set up Autoplay with ada and posthog for user activity"
        );
        assert_eq!(kickoff_prompt(None, Some("posthog")), "Set up Autoplay with posthog for user activity");
    }

    #[test]
    fn agent_skills_dir_is_recognised() {
        assert_eq!(split_agent_skills_dir(Path::new(".claude/skills")), Some((PathBuf::from("."), AgentKind::Claude)));
        assert_eq!(
            split_agent_skills_dir(Path::new("/p/app/.cursor/skills/")),
            Some((PathBuf::from("/p/app"), AgentKind::Cursor))
        );
        assert_eq!(split_agent_skills_dir(Path::new("/p/app")), None);
        assert_eq!(split_agent_skills_dir(Path::new("skills")), None);
    }

    fn planned(disk: &HashMap<PathBuf, Vec<u8>>, lock: &Lockfile, force: bool) -> Plan {
        let skills = catalogue().unwrap();
        let chosen = select(&skills, &["ada"], &[]).unwrap();
        plan(Path::new("/p"), &chosen, &[AgentKind::Cursor], lock, force, |path| {
            Ok(disk.get(path).map_or(Observed::Missing, |b| Observed::File(b.clone())))
        })
        .unwrap()
    }

    #[test]
    fn plan_classifies_files() {
        let mut disk = HashMap::new();
        let fresh = planned(&disk, &Lockfile::default(), false);
        assert!(fresh.files.iter().all(|f| f.action == FileAction::Create));
        let core = PathBuf::from(".cursor/skills/autoplay-core/SKILL.md");
        let ada = PathBuf::from(".cursor/skills/chatbot-ada/SKILL.md");

        // Installed as-is: unchanged.
        for file in &fresh.files {
            disk.insert(file.path.clone(), file.contents.unwrap().to_vec());
        }
        let again = planned(&disk, &fresh.lockfile, false);
        assert!(again.is_up_to_date());

        // An older copy we wrote: update. A copy the user edited: keep, or overwrite with force.
        let mut lock = fresh.lockfile.clone();
        let old = b"old version".to_vec();
        for skill in &mut lock.skills {
            if skill.skill == "autoplay-core" {
                skill.files.iter_mut().find(|f| f.path == "SKILL.md").unwrap().sha256 = sha256_hex(&old);
            }
        }
        disk.insert(core.clone(), old);
        disk.insert(ada.clone(), b"my edit".to_vec());
        let next = planned(&disk, &lock, false);
        let action = |p: &Plan, path: &PathBuf| p.files.iter().find(|f| &f.path == path).unwrap().action;
        assert_eq!(action(&next, &core), FileAction::Update);
        assert_eq!(action(&next, &ada), FileAction::KeepEdited);
        assert_eq!(next.protected().count(), 1);
        let forced = planned(&disk, &lock, true);
        assert_eq!(action(&forced, &ada), FileAction::Overwrite);
        // The kept edit stays detectable on the next run.
        let later = planned(&disk, &next.lockfile, false);
        assert_eq!(action(&later, &ada), FileAction::KeepEdited);
    }

    #[test]
    fn plan_removes_obsolete_untouched_files() {
        let mut disk = HashMap::new();
        let mut lock = planned(&disk, &Lockfile::default(), false).lockfile;
        let stale = b"stale".to_vec();
        let core = lock.skills.iter_mut().find(|s| s.skill == "autoplay-core").unwrap();
        core.files.push(LockedFile { path: "old.md".into(), sha256: sha256_hex(&stale) });
        disk.insert(PathBuf::from(".cursor/skills/autoplay-core/old.md"), stale);
        let next = planned(&disk, &lock, false);
        let old = next.files.iter().find(|f| f.path == Path::new(".cursor/skills/autoplay-core/old.md")).unwrap();
        assert_eq!(old.action, FileAction::Remove);
        assert!(!next.lockfile.skills.iter().flat_map(|s| &s.files).any(|f| f.path == "old.md"));
    }

    #[test]
    fn diff_shows_changes() {
        let file = PlannedFile {
            skill: "s".into(),
            agent: AgentKind::Cursor,
            path: PathBuf::from(".cursor/skills/s/SKILL.md"),
            contents: Some(b"a\nb\n"),
            on_disk: Some(b"a\nc\n".to_vec()),
            action: FileAction::KeepEdited,
        };
        let diff = unified_diff(&file);
        assert!(diff.contains("--- a/.cursor/skills/s/SKILL.md"), "{diff}");
        assert!(diff.contains("-c\n+b\n"), "{diff}");
    }
}
