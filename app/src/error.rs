//! The one error type of the application, its constructors, and its mapping to HTTP.
//!
//! What a user sees is the `Display` text; internal causes go to the log, never into the
//! message. Expected outcomes of a form (a taken slug, a wrong password) are `Ok` values the
//! page renders, not errors.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};
use server_fn::{Bytes, Encodes};

/// Messages per input field, in a stable order so error bodies snapshot cleanly.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// Adding to [`FieldErrors`] one message at a time.
pub trait AddFieldError {
    /// Adds `message` under `field`, after any the field already has.
    fn add(&mut self, field: impl Into<String>, message: impl Into<String>);

    /// An optional choice (a filter, say): blank is "any" (`None`); anything else must be
    /// a text `parse` knows, or `field` gets `refusal` of the trimmed text.
    fn choice<T>(
        &mut self,
        field: &str,
        text: &str,
        parse: impl FnOnce(&str) -> Option<T>,
        refusal: impl FnOnce(&str) -> String,
    ) -> Option<T> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let chosen = parse(text);
        if chosen.is_none() {
            self.add(field, refusal(text));
        }
        chosen
    }
}

impl AddFieldError for FieldErrors {
    fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.entry(field.into()).or_default().push(message.into());
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum AppError {
    /// The request itself could not be read (missing or malformed arguments).
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{message}")]
    Validation {
        message: String,
        fields: FieldErrors,
    },
    #[error("{0}")]
    Conflict(String),
    #[error("{message}")]
    PaymentRequired {
        message: String,
        billing_url: String,
    },
    #[error("{0}")]
    Unavailable(String),
    /// Too many attempts; the message says when to try again.
    #[error("{message}")]
    RateLimited {
        message: String,
        retry_after_seconds: u64,
    },
    /// The server is at capacity for this kind of work; the message says when to retry.
    #[error("{message}")]
    Busy {
        message: String,
        retry_after_seconds: u64,
    },
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// The server function transport itself failed (network, decoding).
    #[error("{0}")]
    Transport(String),
}

impl AppError {
    pub fn not_found(what: &str) -> Self {
        Self::NotFound(format!("{what} was not found."))
    }

    pub fn forbidden() -> Self {
        Self::Forbidden("You do not have permission to do that.".into())
    }

    pub fn unauthorized() -> Self {
        Self::Unauthorized("Please sign in to continue.".into())
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict(message.into())
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::Unavailable(message.into())
    }

    pub fn rate_limited(retry_after_seconds: u64) -> Self {
        let unit = if retry_after_seconds == 1 {
            "second"
        } else {
            "seconds"
        };
        Self::RateLimited {
            message: format!("Too many attempts. Try again in {retry_after_seconds} {unit}."),
            retry_after_seconds,
        }
    }

    /// 503 with `Retry-After`: too many of these requests are running on this server.
    pub fn busy(what: &str, retry_after_seconds: u64) -> Self {
        Self::Busy {
            message: format!(
                "The server is busy {what}. Try again in {retry_after_seconds} seconds."
            ),
            retry_after_seconds,
        }
    }

    /// When the client may try again, for errors that say so.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::RateLimited {
                retry_after_seconds,
                ..
            }
            | Self::Busy {
                retry_after_seconds,
                ..
            } => Some(*retry_after_seconds),
            _ => None,
        }
    }

    /// A validation error on one field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let mut fields = FieldErrors::new();
        fields.insert(field.to_owned(), vec![message.clone()]);
        Self::Validation { message, fields }
    }

    /// A validation error on several fields; `None` when there is nothing to report.
    pub fn from_fields(fields: FieldErrors) -> Option<Self> {
        let first = fields.values().flatten().next()?.clone();
        let message = if fields.len() == 1 {
            first
        } else {
            format!("{} fields need attention.", fields.len())
        };
        Some(Self::Validation { message, fields })
    }

    /// Logs the internal cause and returns the opaque error the user sees.
    #[cfg(feature = "ssr")]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::Internal
    }

    /// The one sentence a page shows for this refusal: a field's first message for a
    /// validation error (a plain form's page shows one message, not a form), else the
    /// error's own.
    pub fn reason(&self) -> String {
        match self {
            Self::Validation { fields, message } => fields
                .values()
                .flatten()
                .next()
                .cloned()
                .unwrap_or_else(|| message.clone()),
            other => other.to_string(),
        }
    }

    /// Messages for one field, for rendering next to its input.
    pub fn field(&self, name: &str) -> Option<&[String]> {
        match self {
            Self::Validation { fields, .. } => fields.get(name).map(Vec::as_slice),
            _ => None,
        }
    }

    /// The HTTP status this error answers with.
    pub fn status(&self) -> u16 {
        match self {
            Self::BadRequest(_) => 400,
            Self::NotFound(_) => 404,
            Self::Forbidden(_) => 403,
            Self::Unauthorized(_) => 401,
            Self::Validation { .. } => 422,
            Self::Conflict(_) => 409,
            Self::PaymentRequired { .. } => 402,
            Self::Unavailable(_) | Self::Busy { .. } => 503,
            Self::RateLimited { .. } => 429,
            Self::Internal | Self::Transport(_) => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(message)
            | ServerFnErrorErr::MissingArg(message)
            | ServerFnErrorErr::Deserialization(message) => {
                Self::BadRequest(format!("The request was not understood: {message}"))
            }
            other => Self::Transport(other.to_string()),
        }
    }

    /// Every server function's error is encoded here on its way out, inside the request,
    /// so this is the one place that gives it its HTTP status.
    fn ser(&self) -> Bytes {
        self.set_response_status();
        Self::Encoder::encode(self)
            .unwrap_or_else(|_| Bytes::from_static(br#"{"kind":"internal"}"#))
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        Self::internal(err)
    }
}

impl AppError {
    /// Sets this error's HTTP status on the response being built, when there is one (on
    /// the server, inside a request); elsewhere it does nothing. Pages call it for an
    /// error they show in place of their content, so the page answers with that status.
    pub fn set_response_status(&self) {
        #[cfg(feature = "ssr")]
        if !posted_as_plain_form()
            && let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
            && let Ok(status) = http::StatusCode::from_u16(self.status())
        {
            response.set_status(status);
            if let Some(seconds) = self.retry_after() {
                response.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
            }
        }
    }
}

/// A server function called by a form posted without script (before its island was live):
/// the server function answers with a redirect back to the form, the error in its address,
/// and the error's own status would turn that redirect into an error page.
#[cfg(feature = "ssr")]
fn posted_as_plain_form() -> bool {
    leptos::prelude::use_context::<http::request::Parts>().is_some_and(|parts| {
        parts.method == http::Method::POST
            && parts.uri.path().starts_with("/api/")
            && parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_variant_maps_to_its_status() {
        assert_eq!(AppError::BadRequest("x".into()).status(), 400);
        assert_eq!(AppError::not_found("Workspace").status(), 404);
        assert_eq!(AppError::forbidden().status(), 403);
        assert_eq!(AppError::unauthorized().status(), 401);
        assert_eq!(AppError::invalid("email", "bad").status(), 422);
        assert_eq!(AppError::conflict("taken").status(), 409);
        assert_eq!(AppError::unavailable("down").status(), 503);
        assert_eq!(AppError::rate_limited(30).status(), 429);
        assert_eq!(AppError::busy("reading files", 5).status(), 503);
        assert_eq!(AppError::busy("reading files", 5).retry_after(), Some(5));
        assert_eq!(AppError::Internal.status(), 500);
    }

    #[test]
    fn rate_limits_say_when_to_try_again() {
        assert_eq!(
            AppError::rate_limited(42).to_string(),
            "Too many attempts. Try again in 42 seconds."
        );
        assert_eq!(
            AppError::rate_limited(1).to_string(),
            "Too many attempts. Try again in 1 second."
        );
    }

    #[test]
    fn field_errors_are_reachable_by_field_name() {
        let err = AppError::invalid("email", "Enter a valid email address.");
        assert_eq!(
            err.field("email"),
            Some(&["Enter a valid email address.".to_owned()][..])
        );
        assert_eq!(err.field("password"), None);
        assert_eq!(err.to_string(), "Enter a valid email address.");
    }

    #[test]
    fn a_choice_is_any_when_blank_and_named_when_unknown() {
        let mut fields = FieldErrors::new();
        let number = |t: &str| t.parse::<u8>().ok();
        let refusal = |t: &str| format!("{t:?} is not a number.");
        assert_eq!(fields.choice("a", "  ", number, refusal), None);
        assert_eq!(fields.choice("b", " 7 ", number, refusal), Some(7));
        assert_eq!(fields.choice("c", " x ", number, refusal), None);
        assert_eq!(
            fields,
            FieldErrors::from([("c".into(), vec!["\"x\" is not a number.".into()])])
        );
    }

    #[test]
    fn several_fields_summarise_in_the_message() {
        let mut fields = FieldErrors::new();
        fields.insert("a".into(), vec!["A is wrong.".into()]);
        fields.insert("b".into(), vec!["B is wrong.".into()]);
        let err = AppError::from_fields(fields).expect("two fields");
        assert_eq!(err.to_string(), "2 fields need attention.");
        assert!(AppError::from_fields(FieldErrors::new()).is_none());
    }

    #[test]
    fn errors_serialize_as_kind_and_detail() {
        let json = serde_json::to_value(AppError::not_found("Workspace")).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({"kind": "not_found", "detail": "Workspace was not found."})
        );
        let json = serde_json::to_value(AppError::invalid("email", "Bad.")).expect("serializes");
        assert_eq!(json["kind"], "validation");
        assert_eq!(json["detail"]["fields"]["email"][0], "Bad.");
    }

    #[test]
    fn errors_round_trip_through_json_for_the_browser() {
        let err = AppError::invalid("slug", "Use lowercase letters.");
        let json = serde_json::to_string(&err).expect("serializes");
        let back: AppError = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, err);
    }
}
