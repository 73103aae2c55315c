//! Secrets inside an agent's tools (a Cal.com API key; header values such as
//! `Authorization` on API requests) are sealed with the vault in the stored config, shown to
//! the browser as `••••` and their last four characters, and opened only to sync.
//!
//! A form that sends a masked value back means "keep what is stored": the sealed value of
//! the tool with the same name and kind is kept.

use super::model::AgentConfig;
use crate::error::AppError;
use crate::secrets::{Vault, last4};
use crate::tools::model::Tool;

const SEALED: &str = "sealed:";
pub const MASK: &str = "••••";

/// Header names whose values are treated as secrets.
pub fn is_secret_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["auth", "key", "token", "secret", "password", "cookie"]
        .iter()
        .any(|word| name.contains(word))
}

/// Every secret slot of a tool, by a label that pairs it with the same slot of the stored
/// tool.
fn slots(tool: &mut Tool) -> Vec<(String, &mut String)> {
    let mut out: Vec<(String, &mut String)> = vec![];
    out.push(("cal_api_key".into(), &mut tool.cal_api_key));
    for header in &mut tool.headers {
        if is_secret_header(&header.name) {
            out.push((
                format!("header:{}", header.name.to_ascii_lowercase()),
                &mut header.value,
            ));
        }
    }
    out
}

fn stored_slot(old: Option<&AgentConfig>, tool: &Tool, slot: &str) -> Option<String> {
    let old_tool = old?
        .tools
        .iter()
        .find(|t| t.name == tool.name && t.kind == tool.kind)?;
    let mut old_tool = old_tool.clone();
    slots(&mut old_tool)
        .into_iter()
        .find(|(label, _)| label == slot)
        .map(|(_, value)| value.clone())
        .filter(|v| v.starts_with(SEALED))
}

/// Seals the secrets of `config` for storing; masked values keep what `old` stored.
pub fn seal(
    vault: &Vault,
    config: &mut AgentConfig,
    old: Option<&AgentConfig>,
) -> Result<(), AppError> {
    for i in 0..config.tools.len() {
        let snapshot = config.tools[i].clone();
        for (label, value) in slots(&mut config.tools[i]) {
            if value.is_empty() || value.starts_with(SEALED) {
                continue;
            }
            if value.starts_with(MASK) {
                match stored_slot(old, &snapshot, &label) {
                    Some(stored) => *value = stored,
                    None => {
                        return Err(AppError::invalid(
                            &format!(
                                "tools.{i}.{}",
                                if label == "cal_api_key" {
                                    "cal_api_key"
                                } else {
                                    "headers"
                                }
                            ),
                            "Paste the secret again: this tool had none saved.",
                        ));
                    }
                }
                continue;
            }
            let sealed = vault.seal(value).map_err(AppError::internal)?;
            *value = format!("{SEALED}{sealed}");
        }
    }
    Ok(())
}

/// The config as the browser may see it: secrets masked to their last four characters.
pub fn masked(vault: &Vault, mut config: AgentConfig) -> AgentConfig {
    for tool in &mut config.tools {
        for (_, value) in slots(tool) {
            if let Some(sealed) = value.strip_prefix(SEALED) {
                let tail = vault
                    .open(sealed)
                    .map(|plain| last4(&plain))
                    .unwrap_or_default();
                *value = format!("{MASK}{tail}");
            }
        }
    }
    config
}

/// The config with its secrets opened, to send to the provider.
pub fn opened(vault: &Vault, mut config: AgentConfig) -> Result<AgentConfig, AppError> {
    for tool in &mut config.tools {
        for (_, value) in slots(tool) {
            if let Some(sealed) = value.strip_prefix(SEALED) {
                *value = vault.open(sealed).map_err(AppError::internal)?;
            }
        }
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SecretKey;
    use crate::tools::model::{ToolHeader, ToolKind};

    fn config() -> AgentConfig {
        let mut cal = Tool::new(ToolKind::CalBookAppointment);
        cal.cal_api_key = "cal_live_0123456789".into();
        let mut api = Tool::new(ToolKind::ApiRequest);
        api.headers = vec![
            ToolHeader {
                name: "Authorization".into(),
                value: "Bearer abc123xyz".into(),
            },
            ToolHeader {
                name: "X-Source".into(),
                value: "genius365".into(),
            },
        ];
        AgentConfig {
            tools: vec![cal, api],
            ..AgentConfig::default()
        }
    }

    #[test]
    fn secrets_are_sealed_masked_kept_and_opened() {
        let vault = Vault::new(&SecretKey::generate());
        let mut stored = config();
        seal(&vault, &mut stored, None).unwrap();
        let text = serde_json::to_string(&stored).unwrap();
        assert!(!text.contains("cal_live_0123456789") && !text.contains("abc123xyz"));
        assert!(text.contains("genius365"), "ordinary headers stay readable");

        let shown = masked(&vault, stored.clone());
        assert_eq!(shown.tools[0].cal_api_key, "••••6789");
        assert_eq!(shown.tools[1].headers[0].value, "••••3xyz");

        // The form sends the masked values back: the stored secrets are kept.
        let mut resent = shown.clone();
        seal(&vault, &mut resent, Some(&stored)).unwrap();
        let open = opened(&vault, resent).unwrap();
        assert_eq!(open.tools[0].cal_api_key, "cal_live_0123456789");
        assert_eq!(open.tools[1].headers[0].value, "Bearer abc123xyz");

        // A masked value with nothing stored behind it is refused.
        let mut orphan = shown;
        orphan.tools[0].name = "renamed".into();
        assert!(seal(&vault, &mut orphan, Some(&stored)).is_err());
    }
}
