//! A campaign call's outcome, recorded in the transaction that stores the finished call
//! (`calls::service::ingest`): the attempt ends, the recipient moves on (reached, a retry
//! per the campaign's policy, a callback at the time they asked for, or no attempts
//! left), a request not to be called again puts the number on the workspace's list, and
//! the campaign's dispatch is woken for the slot the call freed.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use uuid::Uuid;

use super::model::{
    AttemptState, CampaignStatus, DispatchCampaign, DncSource, RecipientOutcome, RecipientStatus,
    RetryPolicy, Window,
};
use super::window::{Zones, next_open, parse_zone};
use crate::calls::model::{CallStatus, Outcome};
use crate::db::entity::{campaign, campaign_attempt, campaign_recipient};
use crate::error::AppError;
use crate::providers::CallRecord;

/// The most callbacks one recipient may ask for before the next request is taken as done.
const MAX_CALLBACKS: i32 = 3;

/// What a finished call means for its recipient.
pub fn outcome_of(status: CallStatus, record: &CallRecord) -> RecipientOutcome {
    let reason = record.end_reason.as_deref().unwrap_or_default();
    if is_invalid_number(reason) {
        return RecipientOutcome::InvalidNumber;
    }
    match Outcome::of(status, record.end_reason.as_deref()) {
        Outcome::Answered if record.do_not_call => RecipientOutcome::DoNotCall,
        Outcome::Answered if record.callback_request.is_some() => RecipientOutcome::Callback,
        Outcome::Answered => RecipientOutcome::Answered,
        Outcome::Voicemail => RecipientOutcome::Voicemail,
        Outcome::NoAnswer => RecipientOutcome::NoAnswer,
        Outcome::Busy => RecipientOutcome::Busy,
        Outcome::Failed | Outcome::InProgress => RecipientOutcome::Failed,
    }
}

/// End reasons that say the number itself cannot be called (Retell's
/// `invalid_destination`, VAPI's invalid-number reasons).
fn is_invalid_number(reason: &str) -> bool {
    let reason = reason.to_ascii_lowercase();
    reason.contains("invalid_destination")
        || reason.contains("invalid-number")
        || reason.contains("invalid_number")
        || reason.contains("invalid-phone-number")
}

/// Where a recipient goes after an outcome: status, when to call next, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Next {
    pub status: RecipientStatus,
    pub outcome: RecipientOutcome,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

/// What follows `outcome` for a recipient who has had `attempts` calls (this one
/// included), of whom `callbacks` were callbacks.
#[allow(clippy::too_many_arguments)]
pub fn next_step(
    outcome: RecipientOutcome,
    attempts: i32,
    callbacks: i32,
    policy: &RetryPolicy,
    callback_words: Option<&str>,
    windows: &[Window],
    zones: &Zones,
    ends_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Next {
    let done = |status, note: Option<String>| Next {
        status,
        outcome,
        next_attempt_at: None,
        note,
    };
    match outcome {
        RecipientOutcome::Answered | RecipientOutcome::DoNotCall => {
            done(RecipientStatus::Completed, None)
        }
        RecipientOutcome::Callback => {
            let words = callback_words.unwrap_or_default();
            if callbacks >= MAX_CALLBACKS {
                return done(
                    RecipientStatus::Completed,
                    Some(format!(
                        "Asked for another callback ({words:?}) after {MAX_CALLBACKS}; not called again."
                    )),
                );
            }
            let tz = zones.zones()[0];
            // Words this does not understand: the same time tomorrow, as the person is
            // clearly willing to talk but not now.
            let asked = super::callback::parse(words, tz, now)
                .filter(|t| *t > now)
                .unwrap_or(now + Duration::days(1));
            match next_open(windows, zones, asked, ends_at) {
                Some(at) => Next {
                    status: RecipientStatus::Queued,
                    outcome,
                    next_attempt_at: Some(at),
                    note: Some(format!("Asked to be called back: {words:?}.")),
                },
                None => done(
                    RecipientStatus::Completed,
                    Some(format!(
                        "Asked to be called back ({words:?}), but no calling window is left before the campaign ends."
                    )),
                ),
            }
        }
        RecipientOutcome::InvalidNumber | RecipientOutcome::NoWindow => {
            done(RecipientStatus::Failed, None)
        }
        _ => {
            // No answer, busy, voicemail, or a call that failed on the way: the policy's
            // rule (a failed call is retried as an unanswered one).
            let rule = policy.for_outcome(outcome).unwrap_or(policy.no_answer);
            if attempts < i32::from(rule.attempts) {
                let after = now + Duration::minutes(i64::from(rule.delay_minutes));
                match next_open(windows, zones, after, ends_at) {
                    Some(at) => Next {
                        status: RecipientStatus::Queued,
                        outcome,
                        next_attempt_at: Some(at),
                        note: None,
                    },
                    None => done(
                        RecipientStatus::Failed,
                        Some("No calling window is left before the campaign ends for another attempt.".into()),
                    ),
                }
            } else {
                done(RecipientStatus::Failed, None)
            }
        }
    }
}

/// An attempt with its recipient and campaign; none if any of them is gone.
pub async fn attempt_parts<C: ConnectionTrait>(
    db: &C,
    attempt_id: Uuid,
) -> Result<
    Option<(
        campaign_attempt::Model,
        campaign_recipient::Model,
        campaign::Model,
    )>,
    AppError,
> {
    let Some(attempt) = campaign_attempt::Entity::find_by_id(attempt_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(recipient) = campaign_recipient::Entity::find_by_id(attempt.recipient_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(campaign) = campaign::Entity::find_by_id(attempt.campaign_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some((attempt, recipient, campaign)))
}

/// Records the outcome of the call placed by `attempt_id`, once (a later report of the
/// same call finds the attempt ended and changes nothing). Runs inside the transaction
/// that finished the call.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    attempt_id: Uuid,
    conversation_id: Uuid,
    status: CallStatus,
    report: &CallRecord,
) -> Result<Option<Uuid>, AppError> {
    let outcome = outcome_of(status, report);
    let now = Utc::now();
    let ended = campaign_attempt::Entity::update_many()
        .col_expr(
            campaign_attempt::Column::State,
            Expr::value(AttemptState::Ended),
        )
        .col_expr(campaign_attempt::Column::Outcome, Expr::value(outcome))
        .col_expr(campaign_attempt::Column::EndedAt, Expr::value(now))
        .col_expr(
            campaign_attempt::Column::ConversationId,
            Expr::value(conversation_id),
        )
        .filter(campaign_attempt::Column::Id.eq(attempt_id))
        .filter(
            campaign_attempt::Column::State.is_in([AttemptState::Placing, AttemptState::Placed]),
        )
        .exec(db)
        .await?
        .rows_affected
        == 1;
    if !ended {
        return Ok(None);
    }
    let Some((_, recipient, campaign)) = attempt_parts(db, attempt_id).await? else {
        return Ok(None);
    };
    let settings = super::service::settings_of(&campaign);
    let campaign_zone = parse_zone(&campaign.time_zone).unwrap_or(chrono_tz::UTC);
    let zones = Zones::of(recipient.time_zone.as_deref(), campaign_zone);
    let callbacks = campaign_attempt::Entity::find()
        .filter(campaign_attempt::Column::RecipientId.eq(recipient.id))
        .filter(campaign_attempt::Column::Outcome.eq(RecipientOutcome::Callback))
        .filter(campaign_attempt::Column::Id.ne(attempt_id))
        .count(db)
        .await? as i32;
    let mut next = next_step(
        outcome,
        recipient.attempts,
        callbacks,
        &settings.retry,
        report.callback_request.as_deref(),
        &settings.windows,
        &zones,
        campaign.ends_at,
        now,
    );
    if campaign.status == CampaignStatus::Cancelled && next.status == RecipientStatus::Queued {
        next.status = RecipientStatus::Cancelled;
        next.next_attempt_at = None;
    }
    if outcome == RecipientOutcome::DoNotCall {
        super::dnc::add_in(
            db,
            campaign.workspace_id,
            &recipient.phone,
            DncSource::Request,
            Some("Asked on a campaign call not to be called again."),
            None,
        )
        .await?;
    }
    let mut row: campaign_recipient::ActiveModel = recipient.into();
    row.status = Set(next.status);
    row.outcome = Set(Some(next.outcome));
    row.next_attempt_at = Set(next.next_attempt_at);
    row.last_error = Set(next.note.or_else(|| {
        (outcome == RecipientOutcome::Failed)
            .then(|| report.end_reason.clone())
            .flatten()
    }));
    row.conversation_id = Set(Some(conversation_id));
    row.updated_at = Set(now);
    row.update(db).await?;
    if campaign.status == CampaignStatus::Running {
        crate::jobs::enqueue(
            db,
            &DispatchCampaign {
                campaign_id: campaign.id,
            },
        )
        .await?;
    }
    Ok(Some(campaign.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaigns::model::default_windows;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn step(outcome: RecipientOutcome, attempts: i32, words: Option<&str>) -> Next {
        next_step(
            outcome,
            attempts,
            0,
            &RetryPolicy::default(),
            words,
            &default_windows(),
            &Zones::one(chrono_tz::America::New_York),
            None,
            // Tuesday 3 March 2026, 11:00 in New York.
            utc("2026-03-03T16:00:00Z"),
        )
    }

    #[test]
    fn unanswered_calls_are_retried_per_the_policy() {
        let next = step(RecipientOutcome::NoAnswer, 1, None);
        assert_eq!(next.status, RecipientStatus::Queued);
        assert_eq!(next.next_attempt_at, Some(utc("2026-03-03T17:00:00Z")));
        let last = step(RecipientOutcome::NoAnswer, 3, None);
        assert_eq!(last.status, RecipientStatus::Failed);
        assert_eq!(last.outcome, RecipientOutcome::NoAnswer);
        // Voicemail waits four hours: 15:00 in New York, still inside the window.
        let vm = step(RecipientOutcome::Voicemail, 1, None);
        assert_eq!(vm.next_attempt_at, Some(utc("2026-03-03T20:00:00Z")));
        assert_eq!(
            step(RecipientOutcome::Voicemail, 2, None).status,
            RecipientStatus::Failed
        );
    }

    #[test]
    fn a_retry_past_the_window_waits_for_the_next_one() {
        let next = next_step(
            RecipientOutcome::Busy,
            1,
            0,
            &RetryPolicy::default(),
            None,
            &default_windows(),
            &Zones::one(chrono_tz::America::New_York),
            None,
            // Friday 6 March 2026, 19:50 in New York: 15 minutes later is past 20:00.
            utc("2026-03-07T00:50:00Z"),
        );
        assert_eq!(
            next.next_attempt_at,
            Some(utc("2026-03-09T13:00:00Z")),
            "Monday 09:00 EDT"
        );
    }

    #[test]
    fn callbacks_are_called_when_asked_inside_a_window() {
        let next = step(
            RecipientOutcome::Callback,
            1,
            Some("Call me tomorrow at three"),
        );
        assert_eq!(next.status, RecipientStatus::Queued);
        assert_eq!(next.next_attempt_at, Some(utc("2026-03-04T20:00:00Z")));
        // "at 7 in the morning" is before the window: called when it opens.
        let early = step(RecipientOutcome::Callback, 1, Some("tomorrow at 7am"));
        assert_eq!(early.next_attempt_at, Some(utc("2026-03-04T14:00:00Z")));
        // Words without a time: the same time tomorrow.
        let vague = step(RecipientOutcome::Callback, 1, Some("later"));
        assert_eq!(vague.next_attempt_at, Some(utc("2026-03-04T16:00:00Z")));
    }

    #[test]
    fn final_outcomes_end_the_recipient() {
        assert_eq!(
            step(RecipientOutcome::Answered, 1, None).status,
            RecipientStatus::Completed
        );
        assert_eq!(
            step(RecipientOutcome::DoNotCall, 1, None).status,
            RecipientStatus::Completed
        );
        assert_eq!(
            step(RecipientOutcome::InvalidNumber, 1, None).status,
            RecipientStatus::Failed
        );
        let failed = step(RecipientOutcome::Failed, 1, None);
        assert_eq!(
            failed.status,
            RecipientStatus::Queued,
            "retried as unanswered"
        );
    }

    #[test]
    fn outcomes_are_read_from_the_report() {
        let mut record = CallRecord {
            end_reason: Some("invalid_destination".into()),
            ..CallRecord::default()
        };
        assert_eq!(
            outcome_of(CallStatus::Failed, &record),
            RecipientOutcome::InvalidNumber
        );
        record.end_reason = Some("customer-ended-call".into());
        record.callback_request = Some("tomorrow".into());
        assert_eq!(
            outcome_of(CallStatus::Completed, &record),
            RecipientOutcome::Callback
        );
        record.do_not_call = true;
        assert_eq!(
            outcome_of(CallStatus::Completed, &record),
            RecipientOutcome::DoNotCall
        );
        assert_eq!(
            outcome_of(CallStatus::Busy, &record),
            RecipientOutcome::Busy
        );
    }
}
