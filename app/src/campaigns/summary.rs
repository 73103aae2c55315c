//! The email a campaign's maker gets when it finishes: what it achieved, with the link to
//! its page, from the organisation's own host and under its brand.

use sea_orm::{ConnectionTrait, EntityTrait};

use crate::config::Config;
use crate::db::entity::{campaign, partner, user, workspace};
use crate::email::model::EmailKind;
use crate::email::{outbox, template};
use crate::error::AppError;
use crate::tenancy::service as tenancy;

/// Queues the summary of the finished campaign `c` to whoever made it (nobody, if their
/// account is gone).
pub async fn send<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    c: &campaign::Model,
) -> Result<(), AppError> {
    let Some(maker) = (match c.created_by {
        Some(id) => user::Entity::find_by_id(id).one(db).await?,
        None => None,
    })
    .filter(|u| u.deleted_at.is_none()) else {
        return Ok(());
    };
    let Some(ws) = workspace::Entity::find_by_id(c.workspace_id)
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let Some(partner) = partner::Entity::find_by_id(ws.partner_id).one(db).await? else {
        return Ok(());
    };
    let p = super::service::progress(db, c.id).await?;
    let mut lines = vec![
        format!("{} recipients, {} calls placed.", p.total, p.calls),
        format!(
            "Reached: {} (answered {}, asked for a callback {}, asked not to be called {}).",
            p.completed, p.answered, p.callbacks, p.do_not_call
        ),
        format!(
            "Not reached: {} (no answer {}, busy {}, voicemail {}).",
            p.failed, p.no_answer, p.busy, p.voicemail
        ),
    ];
    if p.skipped > 0 {
        lines.push(format!(
            "Skipped: {} (do-not-call list, or no calling window before the end).",
            p.skipped
        ));
    }
    let (brand, origin) =
        tenancy::email_brand(db, &partner, &config.app_url, &config.platform_domain).await?;
    let link = format!("{origin}/w/{}/campaigns/{}", ws.slug, c.id);
    outbox::queue(
        db,
        &config.email,
        Some(partner.id),
        &brand.sender_name,
        EmailKind::CampaignSummary,
        &maker.email,
        template::campaign_summary(&brand, &c.name, &lines, &link),
    )
    .await?;
    Ok(())
}
