//! Secrets inside an agent's tools (a Cal.com API key; header values such as
//! `Authorization` on API requests) are sealed with the vault in the stored config, shown to
//! the browser as `••••` and their last four characters, and opened only to sync.
//!
//! Each is sealed for its place: the agent, the tool's kind and URL, and the slot. A form
//! that sends a masked value back means "keep what is stored", which holds only for the
//! tool of the same name and kind **at the same URL**: repointing an API request at another
//! address needs the secret typed again, so nobody can send an admin's `Authorization`
//! header to a server of their own. A value that arrives already sealed is refused: sealed
//! values are made here, never taken from a client.

use uuid::Uuid;

use super::model::AgentConfig;
use crate::error::AppError;
use crate::secrets::{Place, Vault, last4};
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

/// Where the secret in `slot` of `tool` of agent `agent_id` is sealed.
fn place(agent_id: Uuid, kind: &str, url: &str, slot: &str) -> Place {
    Place::new(
        "agents.config.tool",
        format!("{agent_id}/{kind}/{}/{slot}", url.trim()),
    )
}

/// What identifies a tool's place: its kind and URL.
fn identity(tool: &Tool) -> (String, String) {
    (
        serde_json::to_value(tool.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        tool.url.trim().to_owned(),
    )
}

/// The stored plaintext of `slot` of the tool matching `tool` (same name, kind and URL) in
/// the agent's stored config.
fn stored_slot(
    vault: &Vault,
    old: Option<(Uuid, &AgentConfig)>,
    tool: &Tool,
    slot: &str,
) -> Result<Option<String>, AppError> {
    let Some((old_id, old)) = old else {
        return Ok(None);
    };
    let Some(old_tool) = old
        .tools
        .iter()
        .find(|t| t.name == tool.name && t.kind == tool.kind && t.url.trim() == tool.url.trim())
    else {
        return Ok(None);
    };
    let (kind, url) = identity(old_tool);
    let mut old_tool = old_tool.clone();
    let Some(sealed) = slots(&mut old_tool)
        .into_iter()
        .find(|(label, _)| label == slot)
        .and_then(|(_, value)| value.strip_prefix(SEALED).map(str::to_owned))
    else {
        return Ok(None);
    };
    vault
        .open(&place(old_id, &kind, &url, slot), &sealed)
        .map(Some)
        .map_err(AppError::internal)
}

fn field(i: usize, label: &str) -> String {
    format!(
        "tools.{i}.{}",
        if label == "cal_api_key" {
            "cal_api_key"
        } else {
            "headers"
        }
    )
}

/// Seals the secrets of agent `agent_id`'s `config` for storing. Masked values keep what
/// `old` (an agent's id and stored config: this agent's when editing, the original's when
/// duplicating) holds for the same tool at the same URL. On an error `config` is left as
/// it was.
pub fn seal(
    vault: &Vault,
    agent_id: Uuid,
    config: &mut AgentConfig,
    old: Option<(Uuid, &AgentConfig)>,
) -> Result<(), AppError> {
    let mut sealed = config.clone();
    for i in 0..sealed.tools.len() {
        let snapshot = sealed.tools[i].clone();
        let (kind, url) = identity(&snapshot);
        for (label, value) in slots(&mut sealed.tools[i]) {
            if value.is_empty() {
                continue;
            }
            if value.starts_with(SEALED) {
                return Err(AppError::invalid(
                    &field(i, &label),
                    "That value cannot be saved as it is. Paste the secret itself.",
                ));
            }
            let plaintext = if value.starts_with(MASK) {
                match stored_slot(vault, old, &snapshot, &label)? {
                    Some(stored) => stored,
                    None => {
                        return Err(AppError::invalid(
                            &field(i, &label),
                            "Paste the secret again: this tool had none saved at this address.",
                        ));
                    }
                }
            } else {
                value.clone()
            };
            let text = vault
                .seal(&place(agent_id, &kind, &url, &label), &plaintext)
                .map_err(AppError::internal)?;
            *value = format!("{SEALED}{text}");
        }
    }
    *config = sealed;
    Ok(())
}

/// The config as the browser may see it: secrets masked to their last four characters.
pub fn masked(vault: &Vault, agent_id: Uuid, mut config: AgentConfig) -> AgentConfig {
    for tool in &mut config.tools {
        let (kind, url) = identity(tool);
        for (label, value) in slots(tool) {
            if let Some(sealed) = value.strip_prefix(SEALED) {
                let tail = vault
                    .open(&place(agent_id, &kind, &url, &label), sealed)
                    .map(|plain| last4(&plain))
                    .unwrap_or_default();
                *value = format!("{MASK}{tail}");
            }
        }
    }
    config
}

/// The config with its secrets opened, to send to the provider.
pub fn opened(
    vault: &Vault,
    agent_id: Uuid,
    mut config: AgentConfig,
) -> Result<AgentConfig, AppError> {
    for tool in &mut config.tools {
        let (kind, url) = identity(tool);
        for (label, value) in slots(tool) {
            if let Some(sealed) = value.strip_prefix(SEALED) {
                *value = vault
                    .open(&place(agent_id, &kind, &url, &label), sealed)
                    .map_err(AppError::internal)?;
            }
        }
    }
    Ok(config)
}

/// Re-seals every secret of a stored config under the vault's current key (`server
/// rotate-key`); returns whether anything changed.
pub fn reseal(vault: &Vault, agent_id: Uuid, config: &mut AgentConfig) -> Result<bool, AppError> {
    let mut changed = false;
    for tool in &mut config.tools {
        let (kind, url) = identity(tool);
        for (label, value) in slots(tool) {
            if let Some(sealed) = value.strip_prefix(SEALED)
                && !vault.is_current(sealed)
            {
                let fresh = vault
                    .reseal(&place(agent_id, &kind, &url, &label), sealed)
                    .map_err(AppError::internal)?;
                *value = format!("{SEALED}{fresh}");
                changed = true;
            }
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SecretKey;
    use crate::tools::kind::ToolKind;
    use crate::tools::model::ToolHeader;

    fn config() -> AgentConfig {
        let mut cal = Tool::new(ToolKind::CalBookAppointment);
        cal.cal_api_key = "cal_live_0123456789".into();
        let mut api = Tool::new(ToolKind::ApiRequest);
        api.url = "https://crm.example.com/hook".into();
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
        let agent = Uuid::now_v7();
        let mut stored = config();
        seal(&vault, agent, &mut stored, None).unwrap();
        let text = serde_json::to_string(&stored).unwrap();
        assert!(!text.contains("cal_live_0123456789") && !text.contains("abc123xyz"));
        assert!(text.contains("genius365"), "ordinary headers stay readable");

        let shown = masked(&vault, agent, stored.clone());
        assert_eq!(shown.tools[0].cal_api_key, "••••6789");
        assert_eq!(shown.tools[1].headers[0].value, "••••3xyz");

        // The form sends the masked values back: the stored secrets are kept.
        let mut resent = shown.clone();
        seal(&vault, agent, &mut resent, Some((agent, &stored))).unwrap();
        let open = opened(&vault, agent, resent).unwrap();
        assert_eq!(open.tools[0].cal_api_key, "cal_live_0123456789");
        assert_eq!(open.tools[1].headers[0].value, "Bearer abc123xyz");

        // A masked value with nothing stored behind it is refused.
        let mut orphan = shown;
        orphan.tools[0].name = "renamed".into();
        assert!(seal(&vault, agent, &mut orphan, Some((agent, &stored))).is_err());
    }

    #[test]
    fn a_tool_pointed_at_another_address_keeps_no_secret() {
        let vault = Vault::new(&SecretKey::generate());
        let agent = Uuid::now_v7();
        let mut stored = config();
        seal(&vault, agent, &mut stored, None).unwrap();

        let mut repointed = masked(&vault, agent, stored.clone());
        repointed.tools[1].url = "https://attacker.example/collect".into();
        let refused = seal(&vault, agent, &mut repointed, Some((agent, &stored))).unwrap_err();
        assert!(refused.field("tools.1.headers").is_some(), "{refused:?}");

        // Typed again, the new address gets the new secret.
        repointed.tools[1].headers[0].value = "Bearer fresh".into();
        let mut typed = repointed;
        seal(&vault, agent, &mut typed, Some((agent, &stored))).unwrap();
        assert_eq!(
            opened(&vault, agent, typed).unwrap().tools[1].headers[0].value,
            "Bearer fresh"
        );
    }

    #[test]
    fn sealed_values_from_a_client_or_another_agent_do_not_open() {
        let vault = Vault::new(&SecretKey::generate());
        let (victim, thief) = (Uuid::now_v7(), Uuid::now_v7());
        let mut stored = config();
        seal(&vault, victim, &mut stored, None).unwrap();

        // A client sending the stored sealed text is refused outright.
        let mut smuggled = config();
        smuggled.tools[1].headers[0].value = stored.tools[1].headers[0].value.clone();
        assert!(seal(&vault, thief, &mut smuggled, None).is_err());

        // Moved into another agent's stored config, it does not open there.
        let mut moved = config();
        seal(&vault, thief, &mut moved, None).unwrap();
        moved.tools[1].headers[0].value = stored.tools[1].headers[0].value.clone();
        assert!(opened(&vault, thief, moved).is_err());
    }

    #[test]
    fn a_duplicate_gets_the_secrets_sealed_for_itself() {
        let vault = Vault::new(&SecretKey::generate());
        let (original, copy) = (Uuid::now_v7(), Uuid::now_v7());
        let mut stored = config();
        seal(&vault, original, &mut stored, None).unwrap();
        let mut draft = masked(&vault, original, stored.clone());
        seal(&vault, copy, &mut draft, Some((original, &stored))).unwrap();
        assert_eq!(
            opened(&vault, copy, draft).unwrap().tools[0].cal_api_key,
            "cal_live_0123456789"
        );
    }
}
