//! `install-skills --mcp`: the `autoplay` entry in the project's MCP configuration of each
//! agent (Claude Code `.mcp.json`, Cursor `.cursor/mcp.json`). The file is merged, never
//! replaced: every other key and every other server stays as it was; a file that is not a
//! JSON object (or whose `mcpServers` is not one) is refused. Pure: the caller reads and
//! writes the files.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::AgentKind;

/// The server name in `mcpServers`.
pub(crate) const SERVER_NAME: &str = "autoplay";

/// The project MCP configuration file of `agent`, relative to the project root.
pub(crate) fn config_path(agent: AgentKind) -> &'static str {
    match agent {
        AgentKind::Claude => ".mcp.json",
        AgentKind::Cursor => ".cursor/mcp.json",
    }
}

/// The entry this toolkit adds: agents start `autoplay mcp` from the project folder.
pub(crate) fn server_entry() -> Value {
    json!({"command": "autoplay", "args": ["mcp"]})
}

/// Why a configuration file was not touched.
#[derive(Debug, thiserror::Error)]
pub(crate) enum McpConfigError {
    #[error("{path}:{line}:{column}: not valid JSON ({message}); it was left as it is")]
    Unparsable { path: String, line: usize, column: usize, message: String },
    #[error("{path}: {what}; it was left as it is")]
    Shape { path: String, what: &'static str },
}

/// What the merge does to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum McpAction {
    Create,
    Update,
    Unchanged,
}

impl McpAction {
    /// The word shown for the action, done or planned.
    pub(crate) fn label(self, done: bool) -> &'static str {
        match (self, done) {
            (McpAction::Create, true) => "created",
            (McpAction::Create, false) => "create",
            (McpAction::Update, true) => "updated",
            (McpAction::Update, false) => "update",
            (McpAction::Unchanged, _) => "unchanged",
        }
    }
}

/// One file's merge.
#[derive(Debug, Clone)]
pub(crate) struct McpChange {
    pub(crate) agent: AgentKind,
    /// Relative to the project root, `/`-separated.
    pub(crate) path: &'static str,
    pub(crate) before: Option<String>,
    pub(crate) after: String,
    pub(crate) action: McpAction,
}

/// The lockfile's record of a configuration this toolkit wrote its entry into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct LockedMcpConfig {
    pub(crate) agent: AgentKind,
    pub(crate) path: String,
    pub(crate) server: String,
    /// The hash of the file as written.
    pub(crate) sha256: String,
}

/// Merges the `autoplay` server into `existing` (the file's text, when there is one).
pub(crate) fn merge(agent: AgentKind, existing: Option<&str>) -> Result<McpChange, McpConfigError> {
    let path = config_path(agent);
    let mut document = match existing {
        None => Map::new(),
        Some(text) if text.trim().is_empty() => Map::new(),
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => map,
            Ok(_) => {
                return Err(McpConfigError::Shape { path: path.into(), what: "the top level is not a JSON object" });
            }
            Err(err) => {
                return Err(McpConfigError::Unparsable {
                    path: path.into(),
                    line: err.line(),
                    column: err.column(),
                    message: err.to_string(),
                });
            }
        },
    };
    let servers = document.entry("mcpServers").or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(servers) = servers else {
        return Err(McpConfigError::Shape { path: path.into(), what: "`mcpServers` is not a JSON object" });
    };
    let unchanged = servers.get(SERVER_NAME) == Some(&server_entry());
    servers.insert(SERVER_NAME.to_string(), server_entry());
    let mut after = serde_json::to_string_pretty(&Value::Object(document)).unwrap_or_default();
    after.push('\n');
    let action = match existing {
        None => McpAction::Create,
        Some(_) if unchanged => McpAction::Unchanged,
        Some(_) => McpAction::Update,
    };
    let after = if action == McpAction::Unchanged { existing.unwrap_or_default().to_string() } else { after };
    Ok(McpChange { agent, path, before: existing.map(str::to_string), after, action })
}

impl McpChange {
    /// The lockfile record of the file as it will be.
    pub(crate) fn locked(&self) -> LockedMcpConfig {
        LockedMcpConfig {
            agent: self.agent,
            path: self.path.to_string(),
            server: SERVER_NAME.to_string(),
            sha256: super::sha256_hex(self.after.as_bytes()),
        }
    }

    /// A unified diff from the file on disk to the merged one.
    pub(crate) fn diff(&self) -> String {
        super::text_diff(self.path, self.before.as_deref(), Some(&self.after))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_server_and_other_keys_are_kept() {
        let existing = r#"{"mcpServers": {"github": {"command": "gh-mcp"}}, "other": 1}"#;
        let change = merge(AgentKind::Claude, Some(existing)).unwrap();
        assert_eq!(change.action, McpAction::Update);
        let merged: Value = serde_json::from_str(&change.after).unwrap();
        assert_eq!(merged["mcpServers"]["github"], json!({"command": "gh-mcp"}));
        assert_eq!(merged["mcpServers"]["autoplay"], server_entry());
        assert_eq!(merged["other"], 1);
        let again = merge(AgentKind::Claude, Some(&change.after)).unwrap();
        assert_eq!(again.action, McpAction::Unchanged);
        assert_eq!(again.after, change.after);
    }

    #[test]
    fn files_it_cannot_read_are_refused() {
        let err = merge(AgentKind::Cursor, Some("{\"mcpServers\": {,}")).unwrap_err();
        assert!(err.to_string().starts_with(".cursor/mcp.json:1:"), "{err}");
        assert!(merge(AgentKind::Cursor, Some("[]")).is_err());
        assert!(merge(AgentKind::Cursor, Some(r#"{"mcpServers": []}"#)).is_err());
        assert_eq!(merge(AgentKind::Cursor, None).unwrap().action, McpAction::Create);
    }
}
