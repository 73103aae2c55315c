//! Step 3 of the wizard: the whole agent as it will be saved.

use super::*;

#[component]
pub(super) fn ReviewStep(
    draft: RwSignal<AgentDraft>,
    options: StoredValue<AgentFormOptions>,
) -> impl IntoView {
    let row = |label: &'static str, value: String| {
        view! {
            <div class="flex justify-between gap-4 py-2 text-sm">
                <dt class="text-muted">{label}</dt>
                <dd class="text-right font-medium">{value}</dd>
            </div>
        }
    };
    view! {
        {move || {
            let d = draft.get();
            let voice = options.with_value(|o| voices_of(o, d.provider).into_iter().find(|v| v.id == d.config.voice_id).map(|v| v.name).unwrap_or_else(|| d.config.voice_id.clone()));
            let documents = options.with_value(|o| o.documents.iter().filter(|doc| d.knowledge_document_ids.contains(&doc.id)).map(|doc| doc.title.clone()).collect::<Vec<_>>());
            let tools = d.config.tools.iter().map(|t| format!("{} ({})", t.name, t.kind.label())).collect::<Vec<_>>();
            view! {
                <Card title="Review" description="Check the agent before saving. You can change everything later.">
                    <dl class="divide-y divide-line" data-testid="review">
                        {row("Name", d.name.clone())}
                        {row("Provider", d.provider.label().to_owned())}
                        {row("Direction", d.direction.label().to_owned())}
                        {row("Voice", voice)}
                        {row("Model", crate::agents::model::language_model(&d.config.model).map(|m| m.label.to_owned()).unwrap_or_default())}
                        {row("Greeting", if d.direction == Direction::Inbound { d.config.first_message.clone() } else { "Waits for the person to speak".into() })}
                        {row("Knowledge", if documents.is_empty() { "None".into() } else { documents.join(", ") })}
                        {row("Tools", if tools.is_empty() { "End call (added automatically)".into() } else { tools.join(", ") })}
                        {row("Variables", d.config.variables.iter().map(|v| v.name.clone()).collect::<Vec<_>>().join(", "))}
                    </dl>
                </Card>
            }
        }}
    }
}
