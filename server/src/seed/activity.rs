//! Demo activity a newcomer can learn from: in each demo workspace that has no agents yet,
//! a knowledge base, two Sandbox agents (one answering with the knowledge and tools, one
//! placing reminder calls), a credit grant, and a few hundred finished calls over the last
//! 30 days with transcripts, summaries, outcomes and charges. Calls are stored and charged
//! through the same service the providers' webhooks use, so every figure on the
//! dashboard, calls, analytics and billing pages is one the product computed itself.

use std::sync::Arc;

use app::access::context::{PartnerCtx, UserCtx, WorkspaceCtx};
use app::access::guard::workspace_of;
use app::access::permission::WorkspacePermission;
use app::access::service::partner_role;
use app::agents::model::{AgentDraft, AgentProvider, Direction};
use app::audit::RequestMeta;
use app::auth::model::Email;
use app::auth::service::find_by_email;
use app::calls::model::{CallDirection, CallStatus, Turn};
use app::calls::service::{StartedCall, apply_record};
use app::db::entity::{agent, conversation, partner};
use app::error::AppError;
use app::knowledge::model::{DocumentDraft, DocumentStatus, DocumentType};
use app::providers::CallRecord;
use app::state::AppState;
use app::tools::kind::ToolKind;
use app::tools::model::Tool;
use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

/// Calls made per demo workspace.
pub const CALLS: u32 = 240;
/// Credit granted before the calls, so the workspace stays well in credit afterwards.
const GRANT: app::billing::model::Cents = app::billing::model::Cents(50_000);

/// Adds the activity to the demo workspace `slug` of partner `partner_slug`, run as its
/// owner `owner`. Returns the number of calls added: none when it already has agents.
pub async fn seed(
    state: &AppState,
    partner_slug: &str,
    slug: &str,
    owner: &str,
) -> Result<u32, AppError> {
    let (ctx, partner_ctx) = owner_ctx(state, partner_slug, slug, owner).await?;
    let agents = agent::Entity::find()
        .filter(agent::Column::WorkspaceId.eq(ctx.id()))
        .count(&state.db)
        .await?;
    if agents > 0 {
        return Ok(0);
    }
    app::billing::org::adjust(
        &state.db,
        &partner_ctx,
        ctx.id(),
        GRANT,
        "Demo credit to try calls",
    )
    .await?;

    let faq = app::knowledge::service::create(&state.db, &ctx, &faq()).await?;
    let prices = app::knowledge::service::create(&state.db, &ctx, &price_list()).await?;
    let front_desk = app::agents::save::create(state, &ctx, &front_desk(vec![faq, prices])).await?;
    let reminders = app::agents::save::create(state, &ctx, &reminder_caller()).await?;
    demo_campaign(state, &ctx, reminders).await?;

    let txn = app::db::begin_write(&state.db).await?;
    let now = Utc::now();
    for n in 0..CALLS {
        let inbound = n % 3 != 0;
        let (agent_id, external) = if inbound {
            (front_desk, "front-desk")
        } else {
            (reminders, "reminders")
        };
        let record = call(n, now);
        let applied = apply_record(
            &txn,
            StartedCall {
                workspace_id: ctx.id(),
                agent_id: Some(agent_id),
                provider: AgentProvider::Sandbox,
                external_id: format!("demo-{partner_slug}-{slug}-{external}-{n:04}"),
                direction: if inbound {
                    CallDirection::Inbound
                } else {
                    CallDirection::Outbound
                },
                phone_number: record.customer_number.clone(),
                caller_name: None,
                is_test: false,
            },
            &record,
        )
        .await?;
        if applied.finished_now {
            app::billing::service::charge_call(&txn, applied.conversation_id).await?;
        }
    }
    // Lists and charts place a call by when it was made, which here is in the past.
    conversation::Entity::update_many()
        .col_expr(
            conversation::Column::CreatedAt,
            Expr::col(conversation::Column::StartedAt),
        )
        .col_expr(
            conversation::Column::UpdatedAt,
            Expr::col(conversation::Column::EndedAt),
        )
        .filter(conversation::Column::WorkspaceId.eq(ctx.id()))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(CALLS)
}

/// The owner acting in their workspace with the roles they hold, as a signed-in request
/// would present them.
async fn owner_ctx(
    state: &AppState,
    partner_slug: &str,
    slug: &str,
    owner: &str,
) -> Result<(WorkspaceCtx, PartnerCtx), AppError> {
    let missing = || AppError::internal(format!("demo workspace {partner_slug}/{slug} is missing"));
    let partner = partner::Entity::find()
        .filter(partner::Column::Slug.eq(partner_slug))
        .one(&state.db)
        .await?
        .ok_or_else(missing)?;
    let email = Email::parse(owner).map_err(|m| AppError::invalid("email", m))?;
    let user = find_by_email(&state.db, &email)
        .await?
        .ok_or_else(missing)?;
    let role = partner_role(&state.db, partner.id, user.id)
        .await?
        .ok_or_else(missing)?;
    let user = UserCtx {
        partner: Arc::new(partner),
        user: Arc::new(user),
        partner_role: Some(role),
        session_id: Uuid::nil(),
        meta: RequestMeta::default(),
    };
    let workspace = workspace_of(
        &state.db,
        user.clone(),
        slug,
        WorkspacePermission::AgentsWrite,
    )
    .await?;
    Ok((workspace, PartnerCtx { user, role }))
}

fn faq() -> DocumentDraft {
    DocumentDraft {
        title: "Front desk FAQ".into(),
        description: "What callers ask most.".into(),
        document_type: DocumentType::Faq,
        status: DocumentStatus::Active,
        content: "Opening hours: Monday to Friday 8am to 6pm, Saturday 9am to 1pm.\n\
                  Parking: free in the lot behind the building.\n\
                  New patients: bring photo ID and your insurance card, and arrive 10 minutes early.\n\
                  Cancellations: please give 24 hours' notice; late cancellations cost $25.\n\
                  Emergencies: call the main number and press 1; the on-call dentist answers."
            .into(),
        category: "Front desk".into(),
        tags: vec!["hours".into(), "policies".into()],
        source: None,
    }
}

fn price_list() -> DocumentDraft {
    DocumentDraft {
        title: "Treatment prices".into(),
        description: "Self-pay prices; insurance may cover part.".into(),
        document_type: DocumentType::ProductInfo,
        status: DocumentStatus::Active,
        content: "Check-up and cleaning: $120.\nX-rays (full set): $95.\nFilling: from $150.\n\
                  Whitening: $350.\nCrown: from $900.\nPayment plans are available for \
                  treatments over $500."
            .into(),
        category: "Billing".into(),
        tags: vec!["prices".into()],
        source: None,
    }
}

fn front_desk(knowledge: Vec<Uuid>) -> AgentDraft {
    let mut draft = AgentDraft::new(AgentProvider::Sandbox);
    draft.name = "Front desk".into();
    draft.description = "Answers the practice's phone, books and moves appointments.".into();
    draft.config.voice_id = "21m00Tcm4TlvDq8ikWAM".into();
    draft.config.system_prompt = "You answer the phone for a dental practice. Greet the caller, \
        find out what they need, answer from the practice's documents, and book, move or \
        cancel appointments. Be warm and brief; never give medical advice."
        .into();
    draft.config.first_message =
        "Thanks for calling, this is the front desk. How can I help?".into();
    let mut transfer = Tool::new(ToolKind::TransferCall);
    transfer.description =
        "Transfer to a person when the caller asks for one or has an emergency.".into();
    transfer.transfer_number = "+14155550199".into();
    transfer.message = "Let me put you through to the team.".into();
    let mut end = Tool::new(ToolKind::EndCall);
    end.description = "Hang up once the caller has what they needed.".into();
    draft.config.tools = vec![transfer, end];
    draft.knowledge_document_ids = knowledge;
    draft
}

fn reminder_caller() -> AgentDraft {
    let mut draft = AgentDraft::new(AgentProvider::Sandbox);
    draft.name = "Reminder calls".into();
    draft.description = "Calls patients the day before to confirm their appointment.".into();
    draft.direction = Direction::Outbound;
    draft.config.voice_id = "21m00Tcm4TlvDq8ikWAM".into();
    draft.config.system_prompt = "You call patients the day before their appointment to \
        confirm it. If they cannot come, offer to move it. Keep it under a minute."
        .into();
    draft
}

/// The `n`th demo call, finished some time in the last 30 days. Outcomes, lengths and
/// moods vary with `n`, so the charts have something to show.
fn call(n: u32, now: chrono::DateTime<Utc>) -> CallRecord {
    let spread = u64::from(n).wrapping_mul(2_654_435_761) % (30 * 24 * 60);
    let ended = now - Duration::minutes(spread as i64 + 5);
    let (status, seconds) = match n % 12 {
        0 => (CallStatus::NoAnswer, 0),
        1 => (CallStatus::Busy, 0),
        2 => (CallStatus::Failed, 0),
        k => (CallStatus::Completed, 25 + (n * 37 + k * 11) % 420),
    };
    let topic = TOPICS[n as usize % TOPICS.len()];
    let answered = status == CallStatus::Completed;
    CallRecord {
        external_id: String::new(),
        agent_external_id: None,
        status,
        started_at: Some(ended - Duration::seconds(i64::from(seconds))),
        ended_at: Some(ended),
        duration_seconds: seconds as i32,
        transcript: if answered {
            transcript(topic, seconds)
        } else {
            vec![]
        },
        recording_url: None,
        summary: answered.then(|| format!("The caller asked about {}. {}", topic.0, topic.2)),
        cost_cents: 0,
        end_reason: Some(
            if answered {
                "customer-ended-call"
            } else {
                status.as_str()
            }
            .into(),
        ),
        direction: None,
        customer_number: Some(format!("+1415555{:04}", (n * 7919) % 10_000)),
        sentiment: answered
            .then(|| ["positive", "neutral", "positive", "negative"][n as usize % 4].into()),
        successful: answered.then_some(!n.is_multiple_of(5)),
        ..CallRecord::default()
    }
}

/// What a call was about: the subject, the caller's question, and how it ended.
const TOPICS: &[(&str, &str, &str)] = &[
    (
        "a check-up",
        "Can I book a check-up next week?",
        "A check-up was booked for Tuesday at 10am.",
    ),
    (
        "moving an appointment",
        "I need to move my appointment on Thursday.",
        "The appointment moved to Friday afternoon.",
    ),
    (
        "prices",
        "How much is a cleaning without insurance?",
        "They heard the self-pay price of $120.",
    ),
    (
        "opening hours",
        "Are you open on Saturdays?",
        "They heard the Saturday hours, 9am to 1pm.",
    ),
    (
        "insurance",
        "Do you take Delta Dental?",
        "The call was transferred to the billing team.",
    ),
    (
        "a toothache",
        "I have a bad toothache since last night.",
        "An emergency slot was booked for this morning.",
    ),
];

/// Turns alternating between the agent and the caller, spread over the call's length.
fn transcript(topic: (&str, &str, &str), seconds: u32) -> Vec<Turn> {
    let lines = [
        (
            "agent",
            "Thanks for calling, this is the front desk. How can I help?",
        ),
        ("user", topic.1),
        ("agent", "Of course. Let me check that for you."),
        ("user", "Thank you."),
        ("agent", topic.2),
        ("user", "Perfect, that's all I needed."),
        ("agent", "You're welcome. Have a good day!"),
    ];
    let step = seconds as f32 / lines.len() as f32;
    lines
        .iter()
        .enumerate()
        .map(|(i, (role, text))| Turn {
            role: (*role).into(),
            text: (*text).into(),
            seconds: (i as f32 * step * 10.0).round() / 10.0,
        })
        .collect()
}

/// A draft campaign of the reminder caller, its list holding one number of each Sandbox
/// story (see `campaigns::dialer::sandbox_call`), ready to review and launch.
async fn demo_campaign(state: &AppState, ctx: &WorkspaceCtx, agent: Uuid) -> Result<(), AppError> {
    let settings = app::campaigns::model::CampaignSettings {
        name: "Check-up reminders".into(),
        description: "Patients due a check-up this spring.".into(),
        agent_id: Some(agent),
        ..Default::default()
    };
    let id = app::campaigns::service::create(&state.db, ctx, &settings).await?;
    for (phone, name) in [
        ("+14155550101", "Ada Lovelace"),
        ("+14155550106", "Alan Turing"),
        ("+14155550107", "Grace Hopper"),
        ("+14155550108", "Edsger Dijkstra"),
        ("+14155550109", "Barbara Liskov"),
        ("+14155550113", "Ken Thompson"),
    ] {
        app::campaigns::service::add_one(&state.db, ctx, id, phone, name).await?;
    }
    app::campaigns::service::save(&state.db, ctx, id, &settings, Some(3)).await?;
    Ok(())
}
