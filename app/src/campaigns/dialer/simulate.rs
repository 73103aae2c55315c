//! Sandbox campaign calls: how each goes, by its number, and its end through the calls'
//! own ingestion (`campaigns.simulate`).

use super::*;

/// How a Sandbox campaign call goes, by the number's last digits and the attempt, so a
/// list can show every path: `…6` does not answer the first time, `…7` is busy twice,
/// `…8` reaches voicemail the first time, `…9` asks to be called back tomorrow at three
/// the first time, `…13` asks not to be called again, `…0000` is not a working number;
/// everyone else answers.
pub fn sandbox_call(
    phone: &str,
    attempt: i32,
) -> (CallStatus, &'static str, Option<&'static str>, bool) {
    let last = phone.chars().last().unwrap_or('0');
    match last {
        _ if phone.ends_with("0000") => (CallStatus::Failed, "invalid_destination", None, false),
        _ if phone.ends_with("13") => (CallStatus::Completed, "customer-ended-call", None, true),
        '6' if attempt == 1 => (CallStatus::NoAnswer, "customer-did-not-answer", None, false),
        '7' if attempt <= 2 => (CallStatus::Busy, "customer-busy", None, false),
        '8' if attempt == 1 => (CallStatus::Completed, "voicemail", None, false),
        '9' if attempt == 1 => (
            CallStatus::Completed,
            "customer-ended-call",
            Some("Call me tomorrow at three"),
            false,
        ),
        _ => (CallStatus::Completed, "customer-ended-call", None, false),
    }
}

/// Ends a placed Sandbox call through the calls' own ingestion.
pub(super) async fn simulate(cx: &Context, attempt_id: Uuid) -> Result<(), JobError> {
    let state = &cx.state;
    let Some(p) = load(&state.db, attempt_id).await? else {
        return finish_job(cx).await;
    };
    let (Some(agent), Some(call_id)) = (p.agent.clone(), p.attempt.external_id.clone()) else {
        return finish_job(cx).await;
    };
    if p.attempt.state != AttemptState::Placed {
        return finish_job(cx).await;
    }
    let (status, reason, callback, do_not_call) =
        sandbox_call(&p.recipient.phone, p.attempt.number);
    let config = crate::agents::service::config_of(&agent);
    let defaults =
        crate::agents::service::variable_defaults(&state.db, p.campaign.workspace_id, &config)
            .await?;
    let values = call_variables(&defaults, &p.campaign, &p.recipient);
    let mut turns = if status == CallStatus::Completed && reason != "voicemail" {
        let documents = crate::agents::service::active_knowledge(&state.db, agent.id).await?;
        sandbox::conversation(
            &agent.name,
            Direction::Outbound,
            &config,
            &documents,
            &values,
        )
    } else {
        vec![]
    };
    if let Some(words) = callback {
        turns.insert(
            turns.len().saturating_sub(2),
            crate::calls::model::Turn {
                role: "user".into(),
                text: format!("I'm busy right now. {words}."),
                seconds: turns.iter().rev().nth(2).map_or(0.0, |t| t.seconds + 1.0),
            },
        );
    }
    if do_not_call {
        turns.push(crate::calls::model::Turn {
            role: "user".into(),
            text: "Please don't call me again.".into(),
            seconds: turns.last().map_or(0.0, |t| t.seconds + 3.0),
        });
    }
    let mut record = sandbox::finished_call(
        &call_id,
        agent.external_id.clone(),
        CallDirection::Outbound,
        Some(p.recipient.phone.clone()),
        &turns,
        format!(
            "Campaign call from {} to {}.",
            agent.name, p.recipient.phone
        ),
    );
    record.status = status;
    record.end_reason = Some(reason.into());
    record.callback_request = callback.map(str::to_owned);
    record.do_not_call = do_not_call;
    if turns.is_empty() {
        record.summary = None;
        record.sentiment = None;
        record.successful = None;
    }
    crate::calls::service::ingest(
        state,
        StartedCall {
            workspace_id: p.campaign.workspace_id,
            agent_id: Some(agent.id),
            provider: AgentProvider::Sandbox,
            external_id: call_id,
            direction: CallDirection::Outbound,
            phone_number: Some(p.recipient.phone.clone()),
            caller_name: p.recipient.name.clone(),
            is_test: false,
        },
        &record,
    )
    .await?;
    finish_job(cx).await
}
