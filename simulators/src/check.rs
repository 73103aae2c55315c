//! Request-body checks shared by the simulators, phrased like class-validator (NestJS),
//! which VAPI uses: `property x should not exist`, `maxTokens must not be less than 50`.
//! Paths of nested fields are prefixed (`model.tools.0.function.name ...`).

use serde_json::{Map, Value};

#[derive(Default)]
pub struct Checker {
    pub errors: Vec<String>,
}

impl Checker {
    fn add(&mut self, message: String) {
        self.errors.push(message);
    }

    /// The object at `value`, or an error that it is not one.
    pub fn object<'a>(&mut self, value: &'a Value, path: &str) -> Option<&'a Map<String, Value>> {
        match value.as_object() {
            Some(map) => Some(map),
            None => {
                self.add(format!("{} must be an object", name(path)));
                None
            }
        }
    }

    /// Refuses keys not in `allowed`.
    pub fn only(&mut self, map: &Map<String, Value>, allowed: &[&str], path: &str) {
        for key in map.keys() {
            if !allowed.contains(&key.as_str()) {
                self.add(format!("{path}property {key} should not exist"));
            }
        }
    }

    pub fn required(&mut self, map: &Map<String, Value>, key: &str, path: &str) -> bool {
        match map.get(key) {
            None | Some(Value::Null) => {
                self.add(format!("{path}{key} should not be empty"));
                false
            }
            Some(_) => true,
        }
    }

    pub fn string(&mut self, map: &Map<String, Value>, key: &str, path: &str) {
        if let Some(v) = map.get(key)
            && !v.is_string()
        {
            self.add(format!("{path}{key} must be a string"));
        }
    }

    pub fn boolean(&mut self, map: &Map<String, Value>, key: &str, path: &str) {
        if let Some(v) = map.get(key)
            && !v.is_boolean()
        {
            self.add(format!("{path}{key} must be a boolean value"));
        }
    }

    pub fn range(&mut self, map: &Map<String, Value>, key: &str, min: f64, max: f64, path: &str) {
        let Some(v) = map.get(key) else { return };
        let Some(n) = v.as_f64() else {
            self.add(format!(
                "{path}{key} must be a number conforming to the specified constraints"
            ));
            return;
        };
        if n < min {
            self.add(format!("{path}{key} must not be less than {}", show(min)));
        }
        if n > max {
            self.add(format!(
                "{path}{key} must not be greater than {}",
                show(max)
            ));
        }
    }

    pub fn one_of(&mut self, map: &Map<String, Value>, key: &str, values: &[&str], path: &str) {
        let Some(v) = map.get(key) else { return };
        if !v.as_str().is_some_and(|s| values.contains(&s)) {
            self.add(format!(
                "{path}{key} must be one of the following values: {}",
                values.join(", ")
            ));
        }
    }

    pub fn string_array(&mut self, map: &Map<String, Value>, key: &str, path: &str) {
        let Some(v) = map.get(key) else { return };
        if !v.as_array().is_some_and(|a| a.iter().all(Value::is_string)) {
            self.add(format!("{path}each value in {key} must be a string"));
        }
    }

    /// `^[a-zA-Z0-9_-]{1,64}$`, the function-name rule of both providers.
    pub fn function_name(&mut self, map: &Map<String, Value>, key: &str, path: &str) {
        let Some(v) = map.get(key) else { return };
        let ok = v.as_str().is_some_and(|s| {
            !s.is_empty()
                && s.len() <= 64
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        });
        if !ok {
            self.add(format!(
                "{path}{key} must match /^[a-zA-Z0-9_-]{{1,64}}$/ regular expression"
            ));
        }
    }

    pub fn url(&mut self, map: &Map<String, Value>, key: &str, path: &str) {
        let Some(v) = map.get(key) else { return };
        let ok = v.as_str().is_some_and(|s| {
            (s.starts_with("https://") || s.starts_with("http://"))
                && s.len() > 10
                && !s.contains(char::is_whitespace)
        });
        if !ok {
            self.add(format!("{path}{key} must be a URL address"));
        }
    }

    pub fn e164(&mut self, map: &Map<String, Value>, key: &str, path: &str) {
        let Some(v) = map.get(key) else { return };
        if !v.as_str().is_some_and(is_e164) {
            self.add(format!(
                "{path}{key} must be a valid phone number in E.164 format"
            ));
        }
    }

    /// A JSON-schema object: `{"type": "object", ...}`.
    pub fn object_schema(&mut self, map: &Map<String, Value>, key: &str, path: &str) {
        let Some(v) = map.get(key) else { return };
        if v.get("type").and_then(Value::as_str) != Some("object") {
            self.add(format!(
                "{path}{key}.type must be one of the following values: object"
            ));
        }
        if v.get("properties").is_some_and(|p| !p.is_object()) {
            self.add(format!("{path}{key}.properties must be an object"));
        }
    }

    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

pub fn is_e164(s: &str) -> bool {
    s.strip_prefix('+').is_some_and(|d| {
        (7..=15).contains(&d.len()) && d.chars().all(|c| c.is_ascii_digit()) && !d.starts_with('0')
    })
}

fn name(path: &str) -> &str {
    let trimmed = path.trim_end_matches('.');
    if trimmed.is_empty() { "body" } else { trimmed }
}

fn show(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}
