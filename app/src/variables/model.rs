//! `{{name}}` variables: the standard ones every workspace has, the workspace's own, and an
//! agent's own. Names follow `^[a-z][a-z0-9_]*$` (1–50); standard names cannot be reused.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{AddFieldError, FieldErrors};

/// Where a variable comes from, for grouping in the palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VariableCategory {
    Standard,
    Contact,
    Business,
    Custom,
    Agent,
}

impl VariableCategory {
    pub const EDITABLE: [Self; 3] = [Self::Contact, Self::Business, Self::Custom];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Contact => "contact",
            Self::Business => "business",
            Self::Custom => "custom",
            Self::Agent => "agent",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Standard,
            Self::Contact,
            Self::Business,
            Self::Custom,
            Self::Agent,
        ]
        .into_iter()
        .find(|c| c.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Standard => "Standard",
            Self::Contact => "Contact",
            Self::Business => "Business",
            Self::Custom => "Custom",
            Self::Agent => "Agent",
        }
    }
}

/// A variable definition, wherever it lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variable {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub default_value: String,
    #[serde(default)]
    pub is_required: bool,
    pub category: VariableCategory,
}

/// A workspace variable as the settings page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceVariable {
    pub id: Uuid,
    #[serde(flatten)]
    pub variable: Variable,
}

/// The variables every workspace has; they cannot be edited or shadowed.
pub const STANDARD: [(&str, &str); 5] = [
    ("first_name", "The contact's first name"),
    ("last_name", "The contact's last name"),
    ("email", "The contact's email address"),
    ("company", "The contact's company"),
    ("phone_number", "The number being called (always present)"),
];

pub fn standard_variables() -> Vec<Variable> {
    STANDARD
        .iter()
        .map(|(name, description)| Variable {
            name: (*name).into(),
            description: (*description).into(),
            default_value: String::new(),
            is_required: *name == "phone_number",
            category: VariableCategory::Standard,
        })
        .collect()
}

pub fn is_standard(name: &str) -> bool {
    STANDARD.iter().any(|(n, _)| *n == name)
}

/// `^[a-z][a-z0-9_]*$`, 1 to 50 characters.
pub fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.len() <= 50
}

/// Checks one definition; messages go under `{prefix}name`, `{prefix}description`, ….
/// `taken` are names already used where this one will live (case-insensitive).
pub fn validate_variable(
    variable: &Variable,
    taken: &[&str],
    prefix: &str,
    errors: &mut FieldErrors,
) {
    let mut add = |field: &str, message: String| {
        errors.add(format!("{prefix}{field}"), message);
    };
    let name = variable.name.trim();
    if !is_variable_name(name) {
        add(
            "name",
            "Use lowercase letters, digits and underscores (at most 50), starting with a letter, like appointment_date.".into(),
        );
    } else if is_standard(name) {
        add(
            "name",
            format!("{name} is a standard variable and is always available."),
        );
    } else if taken.iter().any(|t| t.eq_ignore_ascii_case(name)) {
        add(
            "name",
            format!("There is already a variable called {name}."),
        );
    }
    if variable.description.chars().count() > 200 {
        add(
            "description",
            "Keep the description under 200 characters.".into(),
        );
    }
    if variable.default_value.chars().count() > 500 {
        add(
            "default_value",
            "Keep the default value under 500 characters.".into(),
        );
    }
}

/// The `{{name}}` placeholders in `text`, in order of first use.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut found: Vec<String> = vec![];
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = after[..end].trim();
        if is_variable_name(name) && !found.iter().any(|f| f == name) {
            found.push(name.to_owned());
        }
        rest = &after[end + 2..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(name: &str) -> Variable {
        Variable {
            name: name.into(),
            description: String::new(),
            default_value: String::new(),
            is_required: false,
            category: VariableCategory::Custom,
        }
    }

    #[test]
    fn names_follow_the_rule() {
        assert!(is_variable_name("appointment_date"));
        assert!(is_variable_name("a1"));
        assert!(!is_variable_name("Appointment"));
        assert!(!is_variable_name("1st"));
        assert!(!is_variable_name("_x"));
        assert!(!is_variable_name("has space"));
        assert!(!is_variable_name(""));
        assert!(!is_variable_name(&"a".repeat(51)));
    }

    #[test]
    fn standard_and_taken_names_are_refused() {
        let mut errors = FieldErrors::new();
        validate_variable(&var("first_name"), &[], "", &mut errors);
        assert!(errors["name"][0].contains("standard variable"));
        let mut errors = FieldErrors::new();
        validate_variable(&var("plan"), &["Plan"], "v.", &mut errors);
        assert!(errors["v.name"][0].contains("already"));
        let mut errors = FieldErrors::new();
        validate_variable(&var("plan"), &["tier"], "", &mut errors);
        assert!(errors.is_empty());
    }

    #[test]
    fn placeholders_are_found_once_in_order() {
        assert_eq!(
            placeholders("Hi {{first_name}}, about {{ plan }} and {{first_name}} {{Bad}} {{x"),
            vec!["first_name".to_owned(), "plan".to_owned()]
        );
    }
}
