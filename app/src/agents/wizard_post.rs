//! `POST /w/{slug}/agents/new` and `POST /w/{slug}/agents/{id}/edit`: the agent wizard's
//! form posting to its own page. A middleware in front of the pages: it authorizes the
//! post, reads the form, and lets [`advance`](super::wizard::advance) decide. A step to
//! show goes on to the page as a GET carrying the [`WizardPosted`] view in its extensions,
//! so the page renders it with its usual status codes; a draft that passes every step is
//! saved, and the browser goes to the agent. A post the person may not make (signed out,
//! another tenant's workspace, a viewer) is read as nothing: the page answers its GET as
//! it would have.

use axum::extract::{Form, FromRequest, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{Method, StatusCode};
use uuid::Uuid;

use super::model::AgentProvider;
use super::save;
use super::service;
use super::wizard::{Context, Outcome, Posted, WizardView, advance, first_step_with};
use crate::access::context::WorkspaceCtx;
use crate::access::guard::workspace_for_request;
use crate::access::permission::WorkspacePermission;
use crate::components::toast::{flash_cookie, see_other};
use crate::error::AppError;
use crate::state::AppState;

/// The pages that take a post, as the router names them.
pub const PATHS: [&str; 2] = ["/w/{slug}/agents/new", "/w/{slug}/agents/{id}/edit"];

/// The view a post produced, for the wizard page to render instead of a fresh one.
#[derive(Debug, Clone)]
pub struct WizardPosted(pub WizardView);

/// Which agent form a path is.
#[derive(Debug, PartialEq)]
enum Target {
    New { slug: String },
    Edit { slug: String, id: Uuid },
}

fn target(path: &str) -> Option<Target> {
    let rest = path.strip_prefix("/w/")?;
    match rest.split('/').collect::<Vec<_>>().as_slice() {
        [slug, "agents", "new"] if !slug.is_empty() => Some(Target::New {
            slug: (*slug).to_owned(),
        }),
        [slug, "agents", id, "edit"] if !slug.is_empty() => Some(Target::Edit {
            slug: (*slug).to_owned(),
            id: Uuid::parse_str(id).ok()?,
        }),
        _ => None,
    }
}

pub async fn handle(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let found = (request.method() == Method::POST)
        .then(|| target(request.uri().path()))
        .flatten();
    let Some(target) = found else {
        return next.run(request).await;
    };
    let (parts, body) = request.into_parts();
    let slug = match &target {
        Target::New { slug } | Target::Edit { slug, .. } => slug.clone(),
    };
    let Ok(ctx) =
        workspace_for_request(&state, &parts, &slug, WorkspacePermission::AgentsWrite).await
    else {
        return as_page(parts, None, next).await;
    };
    let posted = match Form::<Vec<(String, String)>>::from_request(
        Request::from_parts(parts.clone(), body),
        &(),
    )
    .await
    {
        Ok(Form(pairs)) => Posted(pairs),
        Err(rejection) => {
            let status = rejection.status();
            let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
                "The form is larger than 2 MB. Shorten the prompt and try again.".to_owned()
            } else {
                "The form could not be read. Reload the page and try again.".to_owned()
            };
            return (status, message).into_response();
        }
    };
    match decide(&state, &ctx, &target, &posted).await {
        Ok(Decision::Saved(id, message)) => see_other(
            &format!("/w/{slug}/agents/{id}"),
            Some(&flash_cookie(message)),
        ),
        Ok(Decision::Show(view)) => as_page(parts, Some(*view), next).await,
        // Not this workspace's agent, or not this person's to change: the page says so.
        Err(e) if matches!(e.status(), 401 | 403 | 404) => as_page(parts, None, next).await,
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            e.to_string(),
        )
            .into_response(),
    }
}

/// The page's own GET, with the posted view if there is one.
async fn as_page(
    mut parts: http::request::Parts,
    view: Option<WizardView>,
    next: Next,
) -> Response {
    parts.method = Method::GET;
    parts.headers.remove(http::header::CONTENT_TYPE);
    parts.headers.remove(http::header::CONTENT_LENGTH);
    if let Some(view) = view {
        parts.extensions.insert(WizardPosted(view));
    }
    next.run(Request::from_parts(parts, axum::body::Body::empty()))
        .await
}

enum Decision {
    Saved(Uuid, &'static str),
    Show(Box<WizardView>),
}

async fn decide(
    state: &AppState,
    ctx: &WorkspaceCtx,
    target: &Target,
    posted: &Posted,
) -> Result<Decision, AppError> {
    let variables = service::workspace_variables(&state.db, ctx.id()).await?;
    let names: Vec<&str> = variables.iter().map(|v| v.name.as_str()).collect();
    let editing = matches!(target, Target::Edit { .. });
    // The wizard is pure: it is run once noting whether it needs a provider's default voice
    // (a new provider picked), and only then is that provider's catalogue asked for and the
    // wizard run again with it. Most posts ask no provider anything.
    let asked = std::sync::Mutex::new(None);
    let note = |provider: AgentProvider| {
        *asked.lock().unwrap_or_else(|p| p.into_inner()) = Some(provider);
        String::new()
    };
    let outcome = advance(
        posted,
        &Context {
            editing,
            workspace_variables: &names,
            default_voice: &note,
        },
    );
    let asked = asked.into_inner().unwrap_or_else(|p| p.into_inner());
    let outcome = match asked {
        None => outcome,
        Some(provider) => {
            let voice = service::default_voice(state, ctx.id(), provider).await?;
            let default_voice = |_: AgentProvider| voice.clone();
            advance(
                posted,
                &Context {
                    editing,
                    workspace_variables: &names,
                    default_voice: &default_voice,
                },
            )
        }
    };
    let draft = match outcome {
        Outcome::Show(view) => return Ok(Decision::Show(Box::new(view))),
        Outcome::Save(draft) => draft,
    };
    let paywall = if WorkspacePermission::AgentsWrite.is_metered() {
        crate::billing::service::ensure_not_paywalled(&state.db, &ctx.workspace).await
    } else {
        Ok(())
    };
    let saved = match (paywall, target) {
        (Err(e), _) => Err(e),
        (Ok(()), Target::New { .. }) => save::create(state, ctx, &draft)
            .await
            .map(|id| (id, "Agent created.")),
        (Ok(()), Target::Edit { id, .. }) => save::update(state, ctx, *id, &draft)
            .await
            .map(|()| (*id, "Changes saved.")),
    };
    match saved {
        Ok((id, message)) => Ok(Decision::Saved(id, message)),
        // What the save refused goes back to the step that holds it.
        Err(AppError::Validation { fields, message }) => {
            let step = first_step_with(&fields).unwrap_or(super::wizard::LAST_STEP);
            Ok(Decision::Show(Box::new(WizardView {
                draft,
                step,
                message: (fields.len() != 1).then_some(message),
                errors: fields,
            })))
        }
        Err(e) if matches!(e.status(), 401 | 403 | 404) => Err(e),
        Err(e) => Ok(Decision::Show(Box::new(WizardView {
            step: super::wizard::LAST_STEP,
            message: Some(e.to_string()),
            errors: Default::default(),
            draft,
        }))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_agent_forms_are_taken() {
        let id = Uuid::from_u128(9);
        assert_eq!(
            target("/w/demo/agents/new"),
            Some(Target::New {
                slug: "demo".into()
            })
        );
        assert_eq!(
            target(&format!("/w/demo/agents/{id}/edit")),
            Some(Target::Edit {
                slug: "demo".into(),
                id
            })
        );
        for other in [
            "/w/demo/agents",
            "/w//agents/new",
            "/w/demo/agents/new/extra",
            "/w/demo/agents/not-an-id/edit",
            "/w/demo/knowledge/upload",
            "/api/agents/create",
        ] {
            assert_eq!(target(other), None, "{other}");
        }
    }
}
