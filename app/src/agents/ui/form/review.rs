//! Step 3 of the wizard: the whole agent as it will be saved.

use leptos::prelude::*;

use crate::agents::model::{AgentDraft, AgentFormOptions, Direction, language_model, voices_of};
use crate::components::card::Card;

#[component]
pub(super) fn ReviewStep(draft: AgentDraft, options: AgentFormOptions) -> impl IntoView {
    let row = |label: &'static str, value: String| {
        view! {
            <div class="flex justify-between gap-4 py-2 text-sm">
                <dt class="text-muted">{label}</dt>
                <dd class="text-right font-medium">{value}</dd>
            </div>
        }
    };
    let d = draft;
    let voice = voices_of(&options, d.provider)
        .iter()
        .find(|v| v.id == d.config.voice_id)
        .map_or_else(|| d.config.voice_id.clone(), |v| v.name.clone());
    let documents: Vec<String> = options
        .documents
        .iter()
        .filter(|doc| d.knowledge_document_ids.contains(&doc.id))
        .map(|doc| doc.title.clone())
        .collect();
    let tools: Vec<String> = d
        .config
        .tools
        .iter()
        .map(|t| format!("{} ({})", t.name, t.kind.label()))
        .collect();
    let greeting = if d.direction == Direction::Inbound {
        d.config.first_message.clone()
    } else {
        "Waits for the person to speak".into()
    };
    view! {
        <Card
            title="Review"
            description="Check the agent before saving. You can change everything later."
        >
            <dl class="divide-y divide-line" data-testid="review">
                {row("Name", d.name.clone())}
                {row("Provider", d.provider.label().to_owned())}
                {row("Direction", d.direction.label().to_owned())}
                {row("Voice", voice)}
                {row(
                    "Model",
                    language_model(&d.config.model).map(|m| m.label.to_owned()).unwrap_or_default(),
                )}
                {row("Greeting", greeting)}
                {row(
                    "Knowledge",
                    if documents.is_empty() { "None".into() } else { documents.join(", ") },
                )}
                {row(
                    "Tools",
                    if tools.is_empty() {
                        "End call (added automatically)".into()
                    } else {
                        tools.join(", ")
                    },
                )}
                {row(
                    "Variables",
                    d.config.variables.iter().map(|v| v.name.clone()).collect::<Vec<_>>().join(", "),
                )}
            </dl>
        </Card>
    }
}
