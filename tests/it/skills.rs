//! `autoplay install-skills` in temporary project folders, and the skill texts themselves.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::Digest;

use crate::support::autoplay;

const ALL_SKILLS: [&str; 10] = [
    "autoplay-core",
    "chatbot-ada",
    "chatbot-intercom",
    "chatbot-botpress",
    "chatbot-dify",
    "chatbot-crisp",
    "chatbot-landbot",
    "chatbot-tidio",
    "activity-fullstory",
    "activity-posthog",
];

/// The lockfile's checksum of a file: lowercase hex SHA-256.
fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(bytes))
}

fn skills_source() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("skills")
}

fn project() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// `autoplay install-skills --format json …` run in `dir`.
fn install(dir: &Path, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = autoplay();
    cmd.current_dir(dir).env("HOME", dir.join("no-home")).args(["install-skills", "--format", "json"]).args(args);
    cmd
}

/// Runs and parses the single JSON report.
fn report(output: &std::process::Output) -> Value {
    let text = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("not one JSON document ({e}): {text}"))
}

fn installed_skills(dir: &Path, agent_dir: &str) -> Vec<String> {
    let mut names: Vec<String> = match fs::read_dir(dir.join(agent_dir)) {
        Ok(entries) => entries.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    names.sort();
    names
}

/// Every file under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = fs::read_dir(dir) else { return };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                out.push(path.strip_prefix(base).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

// ---------------------------------------------------------------------------------------------
// The skill texts
// ---------------------------------------------------------------------------------------------

#[test]
fn every_skill_has_valid_front_matter_and_is_a_real_guide() {
    let mut folders: Vec<String> = fs::read_dir(skills_source())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert_eq!(folders, sorted(&ALL_SKILLS));
    // Listing loads every embedded skill and refuses front matter whose name is not its
    // folder or that lacks `disable-model-invocation: true`.
    let output = autoplay().args(["install-skills", "--list", "--format", "json"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let listed: Vec<Value> =
        String::from_utf8_lossy(&output.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    for folder in &folders {
        let text = fs::read_to_string(skills_source().join(folder).join("SKILL.md")).unwrap();
        let front =
            listed.iter().find(|s| s["name"] == folder.as_str()).unwrap_or_else(|| panic!("{folder}: not listed"));
        assert_eq!(front["name"], folder.as_str());
        let front_matter = text.strip_prefix("---\n").and_then(|rest| rest.split_once("\n---")).map(|(f, _)| f);
        assert!(
            front_matter.is_some_and(|f| f.lines().any(|l| l.trim_end() == "disable-model-invocation: true")),
            "{folder}"
        );
        let description = front["description"].as_str().unwrap();
        let chars = description.chars().count();
        assert!((80..1024).contains(&chars), "{folder}: description has {chars} characters");
        assert!(description.contains("Use when"), "{folder}: the description should say when to use it");
        let lines = text.lines().count();
        assert!(lines >= 80, "{folder}: SKILL.md has only {lines} lines; it should be a real guide");
        for topic in ["session_id", "autoplay tail", "product_id"] {
            assert!(text.contains(topic), "{folder}: SKILL.md never mentions `{topic}`");
        }
    }
}

#[test]
fn chatbot_and_activity_skills_cover_the_pitfalls_and_verification() {
    for folder in ALL_SKILLS.iter().filter(|f| !f.starts_with("autoplay-")) {
        let dir = skills_source().join(folder);
        let text: String = tree(&dir).iter().map(|f| fs::read_to_string(dir.join(f)).unwrap().to_lowercase()).collect();
        for topic in ["autoplay sessions", "autoplay triggers simulate", "bearer", "identity drift", "rotates"] {
            assert!(text.contains(topic), "{folder}: never mentions `{topic}`");
        }
    }
}

#[test]
fn skill_links_are_not_broken_and_stay_inside_the_skill() {
    let link = |text: &str| -> Vec<String> {
        // Markdown inline links: ](target)
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("](") {
            rest = &rest[start + 2..];
            if let Some(end) = rest.find(')') {
                out.push(rest[..end].trim().to_string());
                rest = &rest[end..];
            }
        }
        out
    };
    for folder in ALL_SKILLS {
        let dir = skills_source().join(folder);
        for file in tree(&dir) {
            if !file.ends_with(".md") {
                continue;
            }
            let text = fs::read_to_string(dir.join(&file)).unwrap();
            for target in link(&text) {
                if target.contains("://") || target.starts_with('#') || target.starts_with("mailto:") {
                    continue;
                }
                let path = target.split('#').next().unwrap();
                let resolved = dir.join(&file).parent().unwrap().join(path);
                assert!(resolved.exists(), "{folder}/{file}: broken link `{target}`");
                let canonical = resolved.canonicalize().unwrap();
                assert!(
                    canonical.starts_with(dir.canonicalize().unwrap()),
                    "{folder}/{file}: link `{target}` leaves the skill folder (installed skills must be self-contained)"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// install-skills
// ---------------------------------------------------------------------------------------------

#[test]
fn full_install_writes_every_skill_for_cursor_by_default() {
    let dir = project();
    let output = install(dir.path(), &[]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(installed_skills(dir.path(), ".cursor/skills"), sorted(&ALL_SKILLS));
    assert!(!dir.path().join(".claude").exists());
    let doc = report(&output);
    assert_eq!(doc["dry_run"], false);
    assert_eq!(doc["agents"], serde_json::json!(["cursor"]));
    assert_eq!(doc["skills"].as_array().unwrap().len(), 10);
    assert_eq!(doc["counts"]["create"].as_u64().unwrap() as usize, doc["files"].as_array().unwrap().len());
    // Every embedded file landed byte for byte.
    for skill in ALL_SKILLS {
        let source = skills_source().join(skill);
        for file in tree(&source) {
            let installed = fs::read(dir.path().join(".cursor/skills").join(skill).join(&file)).unwrap();
            assert_eq!(installed, fs::read(source.join(&file)).unwrap(), "{skill}/{file}");
        }
    }
}

#[test]
fn filtered_install_follows_the_selection_rules() {
    let dir = project();
    install(dir.path(), &["--chatbot", "intercom", "--user-activity", "posthog"]).assert().success();
    assert_eq!(
        installed_skills(dir.path(), ".cursor/skills"),
        sorted(&["autoplay-core", "chatbot-intercom", "activity-posthog"])
    );

    let dir = project();
    install(dir.path(), &["--user-activity", "fullstory"]).assert().success();
    assert_eq!(installed_skills(dir.path(), ".cursor/skills"), sorted(&["autoplay-core", "activity-fullstory"]));

    let dir = project();
    install(dir.path(), &["--chatbot", "chatbot-tidio"]).assert().success();
    assert_eq!(installed_skills(dir.path(), ".cursor/skills"), sorted(&["autoplay-core", "chatbot-tidio"]));
}

#[test]
fn pretty_output_says_what_happened_and_what_to_ask_the_agent() {
    let dir = project();
    let output = autoplay()
        .current_dir(dir.path())
        .args(["install-skills", "--format", "pretty", "--chatbot", "ada", "--user-activity", "posthog"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("created        .cursor/skills/chatbot-ada/SKILL.md"), "{text}");
    assert!(text.contains("Set up Autoplay with ada and posthog for user activity"), "{text}");
    let again = autoplay()
        .current_dir(dir.path())
        .args(["install-skills", "--format", "pretty", "--chatbot", "ada", "--user-activity", "posthog"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("Everything is up to date"));
}

#[test]
fn unknown_names_are_usage_errors_listing_the_valid_names() {
    let dir = project();
    let output = install(dir.path(), &["--chatbot", "zendesk"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr
            .contains("unknown chatbot 'zendesk'. Valid options: ada, intercom, botpress, dify, crisp, landbot, tidio"),
        "{stderr}"
    );
    let output = install(dir.path(), &["--user-activity", "Posthog"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("Valid options: fullstory, posthog"));
    let output = install(dir.path(), &["--chatbot", ""]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--chatbot needs a name"));
    assert!(tree(dir.path()).is_empty(), "nothing may be written: {:?}", tree(dir.path()));
}

#[test]
fn a_rerun_changes_nothing_and_succeeds() {
    let dir = project();
    install(dir.path(), &["--chatbot", "crisp"]).assert().success();
    let lock_before = fs::read(dir.path().join(".autoplay/skills.lock")).unwrap();
    let output = install(dir.path(), &["--chatbot", "crisp"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let doc = report(&output);
    assert_eq!(doc["counts"]["create"], 0);
    assert_eq!(doc["counts"]["update"], 0);
    assert!(doc["files"].as_array().unwrap().iter().all(|f| f["action"] == "unchanged"));
    assert_eq!(fs::read(dir.path().join(".autoplay/skills.lock")).unwrap(), lock_before);
}

#[test]
fn edited_files_are_protected_unless_forced() {
    let dir = project();
    install(dir.path(), &["--chatbot", "dify"]).assert().success();
    let edited = dir.path().join(".cursor/skills/chatbot-dify/SKILL.md");
    let mut text = fs::read_to_string(&edited).unwrap();
    text.push_str("\nOur team's own note.\n");
    fs::write(&edited, &text).unwrap();
    let deleted = dir.path().join(".cursor/skills/autoplay-core/SKILL.md");
    fs::remove_file(&deleted).unwrap();

    let output = install(dir.path(), &["--chatbot", "dify"]).output().unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(".cursor/skills/chatbot-dify/SKILL.md"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(fs::read_to_string(&edited).unwrap(), text, "the edit must survive");
    assert!(deleted.exists(), "the untouched missing file is still restored");
    let doc = report(&output);
    let action = |path: &str| {
        doc["files"].as_array().unwrap().iter().find(|f| f["path"] == path).map(|f| f["action"].clone()).unwrap()
    };
    assert_eq!(action(".cursor/skills/chatbot-dify/SKILL.md"), "keep-edited");
    assert_eq!(action(".cursor/skills/autoplay-core/SKILL.md"), "create");

    // Still protected on the next run: the lockfile never adopts the edit.
    install(dir.path(), &["--chatbot", "dify"]).assert().code(3);

    // --diff shows the difference and writes nothing.
    let output = autoplay()
        .current_dir(dir.path())
        .args(["install-skills", "--format", "pretty", "--chatbot", "dify", "--diff"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("-Our team's own note."), "{stdout}");
    assert_eq!(fs::read_to_string(&edited).unwrap(), text);

    // --force replaces it.
    let output = install(dir.path(), &["--chatbot", "dify", "--force"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(report(&output)["counts"]["overwrite"], 1);
    assert_eq!(fs::read(&edited).unwrap(), fs::read(skills_source().join("chatbot-dify/SKILL.md")).unwrap());
    install(dir.path(), &["--chatbot", "dify"]).assert().code(0);
}

#[test]
fn files_not_written_by_us_are_protected_too() {
    // A copy left by the Python installer, with no lockfile: ours to leave alone.
    let dir = project();
    let existing = dir.path().join(".cursor/skills/autoplay-core/SKILL.md");
    fs::create_dir_all(existing.parent().unwrap()).unwrap();
    fs::write(&existing, "old\n").unwrap();
    install(dir.path(), &["--chatbot", "ada"]).assert().code(3);
    assert_eq!(fs::read_to_string(&existing).unwrap(), "old\n");
    assert!(dir.path().join(".cursor/skills/chatbot-ada/SKILL.md").exists());
}

#[test]
fn untouched_copies_from_an_older_install_are_updated_silently() {
    let dir = project();
    install(dir.path(), &["--chatbot", "landbot"]).assert().success();
    // Pretend an older toolkit wrote a different version of this file, and recorded it.
    let file = dir.path().join(".cursor/skills/chatbot-landbot/SKILL.md");
    let older = "---\nname: chatbot-landbot\n---\nolder text\n";
    fs::write(&file, older).unwrap();
    let lock_path = dir.path().join(".autoplay/skills.lock");
    let mut lock: Value = serde_json::from_str(&fs::read_to_string(&lock_path).unwrap()).unwrap();
    for skill in lock["skills"].as_array_mut().unwrap() {
        if skill["skill"] == "chatbot-landbot" {
            for entry in skill["files"].as_array_mut().unwrap() {
                if entry["path"] == "SKILL.md" {
                    entry["sha256"] = Value::String(sha256_hex(older.as_bytes()));
                }
            }
        }
    }
    fs::write(&lock_path, serde_json::to_string_pretty(&lock).unwrap()).unwrap();

    let output = install(dir.path(), &["--chatbot", "landbot"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(report(&output)["counts"]["update"], 1);
    assert_eq!(fs::read(&file).unwrap(), fs::read(skills_source().join("chatbot-landbot/SKILL.md")).unwrap());
}

#[test]
fn dry_run_writes_nothing() {
    let dir = project();
    let output = install(dir.path(), &["--dry-run"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let doc = report(&output);
    assert_eq!(doc["dry_run"], true);
    assert!(doc["counts"]["create"].as_u64().unwrap() >= 10);
    assert!(tree(dir.path()).is_empty(), "{:?}", tree(dir.path()));
    // A dry run into a folder that does not exist creates nothing either.
    let missing = dir.path().join("new-project");
    install(dir.path(), &["--dry-run", "--dest", missing.to_str().unwrap()]).assert().success();
    assert!(!missing.exists());
}

#[test]
fn agent_selection() {
    let dir = project();
    install(dir.path(), &["--agent", "claude", "--chatbot", "botpress"]).assert().success();
    assert_eq!(installed_skills(dir.path(), ".claude/skills"), sorted(&["autoplay-core", "chatbot-botpress"]));
    assert!(!dir.path().join(".cursor").exists());

    // Default: the agents whose folder exists.
    let dir = project();
    fs::create_dir(dir.path().join(".claude")).unwrap();
    let output = install(dir.path(), &["--chatbot", "ada"]).output().unwrap();
    assert_eq!(report(&output)["agents"], serde_json::json!(["claude"]));
    assert!(!dir.path().join(".cursor").exists());

    let dir = project();
    install(dir.path(), &["--agent", "all", "--chatbot", "ada"]).assert().success();
    assert_eq!(installed_skills(dir.path(), ".cursor/skills"), sorted(&["autoplay-core", "chatbot-ada"]));
    assert_eq!(installed_skills(dir.path(), ".claude/skills"), sorted(&["autoplay-core", "chatbot-ada"]));

    // The SDK installer's `--dest .claude/skills` still means Claude in this project.
    let dir = project();
    install(dir.path(), &["--dest", ".claude/skills", "--chatbot", "intercom"]).assert().success();
    assert_eq!(installed_skills(dir.path(), ".claude/skills"), sorted(&["autoplay-core", "chatbot-intercom"]));
    install(dir.path(), &["--dest", ".claude/skills", "--agent", "cursor"]).assert().code(2);
}

#[test]
fn dest_names_the_project_folder() {
    let dir = project();
    let target = dir.path().join("app");
    install(dir.path(), &["--dest", target.to_str().unwrap(), "--chatbot", "tidio"]).assert().success();
    assert_eq!(installed_skills(&target, ".cursor/skills"), sorted(&["autoplay-core", "chatbot-tidio"]));
    assert!(target.join(".autoplay/skills.lock").exists());
}

#[test]
fn lockfile_records_skill_files_hashes_and_version() {
    let dir = project();
    install(dir.path(), &["--chatbot", "intercom", "--agent", "all"]).assert().success();
    let lock: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join(".autoplay/skills.lock")).unwrap()).unwrap();
    assert_eq!(lock["version"], 1);
    assert_eq!(lock["toolkit_version"], env!("CARGO_PKG_VERSION"));
    let entries = lock["skills"].as_array().unwrap();
    assert_eq!(entries.len(), 4, "2 skills × 2 agents");
    for entry in entries {
        assert_eq!(entry["toolkit_version"], env!("CARGO_PKG_VERSION"));
        let skill = entry["skill"].as_str().unwrap();
        let path = entry["path"].as_str().unwrap();
        assert!(path.ends_with(&format!("/skills/{skill}")), "{path}");
        let files = entry["files"].as_array().unwrap();
        assert_eq!(files.len(), tree(&skills_source().join(skill)).len());
        for file in files {
            let on_disk = fs::read(dir.path().join(path).join(file["path"].as_str().unwrap())).unwrap();
            assert_eq!(file["sha256"], sha256_hex(&on_disk));
        }
    }
    // Installing another skill later keeps the earlier entries.
    install(dir.path(), &["--chatbot", "ada", "--agent", "cursor"]).assert().success();
    let lock: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join(".autoplay/skills.lock")).unwrap()).unwrap();
    let names: Vec<String> = lock["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{}:{}", e["agent"].as_str().unwrap(), e["skill"].as_str().unwrap()))
        .collect();
    assert!(names.contains(&"claude:chatbot-intercom".to_string()), "{names:?}");
    assert!(names.contains(&"cursor:chatbot-ada".to_string()), "{names:?}");
}

#[test]
fn global_installs_into_the_home_folder() {
    let home = project();
    let cwd = project();
    let output = autoplay()
        .current_dir(cwd.path())
        .env("HOME", home.path())
        .env("USERPROFILE", home.path())
        .args(["install-skills", "--format", "json", "--global", "--chatbot", "crisp", "--agent", "claude"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(installed_skills(home.path(), ".claude/skills"), sorted(&["autoplay-core", "chatbot-crisp"]));
    assert!(home.path().join(".autoplay/skills.lock").exists());
    assert!(tree(cwd.path()).is_empty());
    autoplay().args(["install-skills", "--global", "--dest", "x"]).assert().code(2);
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_project_is_refused() {
    let dir = project();
    let outside = project();
    fs::create_dir(dir.path().join(".cursor")).unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join(".cursor/skills")).unwrap();
    let output = install(dir.path(), &["--chatbot", "ada"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("symlink"), "{stderr}");
    assert!(tree(outside.path()).is_empty(), "nothing may be written outside");
    assert!(!dir.path().join(".autoplay").exists());

    // A symlink that stays inside the project is fine.
    let dir = project();
    fs::create_dir_all(dir.path().join("shared/skills")).unwrap();
    fs::create_dir(dir.path().join(".cursor")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("shared/skills"), dir.path().join(".cursor/skills")).unwrap();
    install(dir.path(), &["--chatbot", "ada"]).assert().success();
    assert!(dir.path().join("shared/skills/chatbot-ada/SKILL.md").exists());

    // So is a lockfile folder that escapes.
    let dir = project();
    std::os::unix::fs::symlink(outside.path(), dir.path().join(".autoplay")).unwrap();
    install(dir.path(), &["--chatbot", "ada"]).assert().code(2);
    assert!(tree(outside.path()).is_empty());
}

#[test]
fn list_shows_the_catalogue() {
    let output = autoplay().args(["install-skills", "--list", "--format", "json"]).output().unwrap();
    assert!(output.status.success());
    let rows: Vec<Value> =
        String::from_utf8_lossy(&output.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ALL_SKILLS);
    assert_eq!(rows[0]["family"], "core");
    assert_eq!(rows[2]["family"], "chatbot");
    assert_eq!(rows[2]["option"], "intercom");
    assert_eq!(rows[9]["family"], "activity");
    assert!(rows.iter().all(|r| !r["description"].as_str().unwrap().is_empty()));

    let output = autoplay().args(["install-skills", "--list", "--format", "pretty"]).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("chatbot-intercom") && text.contains("--chatbot intercom"), "{text}");
}

#[test]
fn pretty_dry_run_output() {
    let dir = project();
    let output = autoplay()
        .current_dir(dir.path())
        .args(["install-skills", "--format", "pretty", "--dry-run", "--chatbot", "crisp", "--agent", "all"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let canonical = dir.path().canonicalize().unwrap();
    let text = String::from_utf8_lossy(&output.stdout)
        .replace(&canonical.display().to_string(), "[PROJECT]")
        .replace(&dir.path().display().to_string(), "[PROJECT]");
    insta::assert_snapshot!(text);
    assert!(tree(dir.path()).is_empty());
}

#[cfg(unix)]
#[test]
fn an_up_to_date_rerun_writes_nothing_and_files_get_normal_modes() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = project();
    install(dir.path(), &["--chatbot", "crisp"]).assert().success();
    let lock = dir.path().join(".autoplay/skills.lock");
    let files: Vec<std::path::PathBuf> =
        tree(dir.path()).iter().map(|p| dir.path().join(p)).filter(|p| p.is_file()).collect();
    assert!(files.len() > 1);
    for file in &files {
        let mode = fs::metadata(file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode & 0o044, 0o044, "{} is {mode:o}: skill files are not private", file.display());
    }
    // Nothing is replaced on an up-to-date run: every file keeps its inode, the lockfile too.
    let inodes: Vec<u64> = files.iter().map(|f| fs::metadata(f).unwrap().ino()).collect();
    install(dir.path(), &["--chatbot", "crisp"]).assert().success();
    assert_eq!(files.iter().map(|f| fs::metadata(f).unwrap().ino()).collect::<Vec<_>>(), inodes);
    assert!(files.contains(&lock));
}

// ---------------------------------------------------------------------------------------------
// The questions on a terminal, driven through a pseudo-terminal
// ---------------------------------------------------------------------------------------------

#[cfg(unix)]
mod prompts {
    use std::path::Path;
    use std::time::Duration;

    /// `autoplay install-skills ARGS` in `cwd` on a pseudo-terminal, prompts allowed unless
    /// `extra_env` says otherwise.
    fn spawn(cwd: &Path, args: &[&str], extra_env: &[(&str, &str)]) -> rexpect::session::PtySession {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("autoplay"));
        for name in ["CI", "AUTOPLAY_NO_INPUT", "AUTOPLAY_FORMAT"] {
            cmd.env_remove(name);
        }
        cmd.env("TERM", "xterm").env("NO_COLOR", "1").env("HOME", cwd).current_dir(cwd);
        cmd.env("AUTOPLAY_CONFIG_DIR", cwd.join("config"));
        for (name, value) in extra_env {
            cmd.env(name, value);
        }
        cmd.arg("install-skills").args(args);
        rexpect::session::spawn_command(cmd, Some(15_000)).expect("spawn on a pty")
    }

    /// Sends keys once a question is drawn (they are read in raw mode, so keys sent before the
    /// terminal switches over could be lost).
    fn keys(session: &mut rexpect::session::PtySession, question: &str, keys: &str) {
        session.exp_string(question).unwrap();
        std::thread::sleep(Duration::from_millis(400));
        session.send(keys).unwrap();
        session.flush().unwrap();
    }

    fn finish(mut session: rexpect::session::PtySession) -> (String, String) {
        let rest = session.exp_eof().expect("the command ends");
        let status = format!("{:?}", session.process().wait().expect("wait"));
        (rest, status)
    }

    #[test]
    fn questions_preselect_what_the_project_uses_and_print_the_same_command() {
        let project = tempfile::tempdir().unwrap();
        let path = project.path();
        std::fs::create_dir(path.join(".claude")).unwrap();
        std::fs::write(
            path.join("package.json"),
            r#"{"dependencies": {"@intercom/messenger-js-sdk": "0.0.14", "posthog-js": "1.200.0"}}"#,
        )
        .unwrap();
        let mut session = spawn(path, &[], &[]);
        // The detected ones are ticked: accept them as they are.
        keys(&mut session, "Chatbots", "\r");
        keys(&mut session, "Activity sources", "\r");
        keys(&mut session, "Agents", "\r");
        // The MCP server is not ticked (no MCP config yet): tick it.
        keys(&mut session, "Also add", " \r");
        session.exp_string("The same without questions:").unwrap();
        session
            .exp_string("autoplay install-skills --chatbot intercom --user-activity posthog --agent claude --mcp")
            .unwrap();
        let (_, status) = finish(session);
        assert!(status.ends_with(", 0)"), "{status}");
        let installed: Vec<String> = std::fs::read_dir(path.join(".claude/skills"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let mut installed = installed;
        installed.sort();
        assert_eq!(installed, ["activity-posthog", "autoplay-core", "chatbot-intercom"]);
        assert!(!path.join(".cursor").exists());
        let mcp: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path.join(".mcp.json")).unwrap()).unwrap();
        assert_eq!(mcp["mcpServers"]["autoplay"]["args"], serde_json::json!(["mcp"]));
    }

    #[test]
    fn answers_can_change_the_selection() {
        let project = tempfile::tempdir().unwrap();
        let path = project.path();
        let mut session = spawn(path, &[], &[]);
        // Nothing detected: tick the first and the fifth chatbot (ada, crisp), no source; cursor
        // is pre-selected (the default with no agent folder), add claude.
        keys(&mut session, "Chatbots", " \x1b[B\x1b[B\x1b[B\x1b[B \r");
        keys(&mut session, "Activity sources", "\r");
        keys(&mut session, "Agents", "\x1b[B \r");
        keys(&mut session, "Also add", "\r");
        session.exp_string("autoplay install-skills --chatbot ada,crisp --agent cursor,claude").unwrap();
        let (_, status) = finish(session);
        assert!(status.ends_with(", 0)"), "{status}");
        for agent in [".cursor", ".claude"] {
            assert!(path.join(agent).join("skills/chatbot-crisp/SKILL.md").is_file());
            assert!(path.join(agent).join("skills/chatbot-ada/SKILL.md").is_file());
            assert!(!path.join(agent).join("skills/chatbot-intercom").exists());
        }
        assert!(!path.join(".mcp.json").exists());
    }

    #[test]
    fn no_questions_with_a_selection_flag_or_autoplay_no_input() {
        let project = tempfile::tempdir().unwrap();
        let path = project.path();
        let session = spawn(path, &["--chatbot", "intercom,crisp"], &[]);
        let (printed, status) = finish(session);
        assert!(status.ends_with(", 0)"), "{status}");
        assert!(!printed.contains("Chatbots"), "{printed}");
        assert!(path.join(".cursor/skills/chatbot-crisp").is_dir());
        assert!(path.join(".cursor/skills/chatbot-intercom").is_dir());
        assert!(!path.join(".cursor/skills/chatbot-ada").exists());

        let other = tempfile::tempdir().unwrap();
        let session = spawn(other.path(), &[], &[("AUTOPLAY_NO_INPUT", "true")]);
        let (printed, status) = finish(session);
        assert!(status.ends_with(", 0)"), "{status}");
        assert!(!printed.contains("Chatbots"), "{printed}");
        assert_eq!(std::fs::read_dir(other.path().join(".cursor/skills")).unwrap().count(), 10);
    }
}
