//! Accounts and access: two-factor secrets and recovery codes, single-use tokens (password
//! reset), invitations of every kind, the email outbox, rate-limit hits, and the MFA stage
//! of a session.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(user_mfa()).await?;
        manager.create_table(mfa_recovery_codes()).await?;
        manager.create_table(auth_tokens()).await?;
        manager.create_table(invitations()).await?;
        manager.create_table(email_outbox()).await?;
        manager.create_table(rate_limit_hits()).await?;
        // A session that has passed the password but not yet the second factor.
        manager
            .alter_table(
                Table::alter()
                    .table("sessions")
                    .add_column(boolean("mfa_pending").default(false))
                    .to_owned(),
            )
            .await?;
        for index in indexes() {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("sessions")
                    .drop_column("mfa_pending")
                    .to_owned(),
            )
            .await?;
        for table in [
            "rate_limit_hits",
            "email_outbox",
            "invitations",
            "auth_tokens",
            "mfa_recovery_codes",
            "user_mfa",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

fn user_mfa() -> TableCreateStatement {
    Table::create()
        .table("user_mfa")
        .col(uuid("user_id").primary_key())
        // The TOTP secret, sealed with the vault: never stored in the clear.
        .col(text("secret_sealed"))
        // Null while enrolment waits for its first code.
        .col(timestamp_with_time_zone_null("enabled_at"))
        // The last 30-second step a code was accepted for: a code works once.
        .col(big_integer_null("last_used_step"))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("updated_at"))
        .foreign_key(&mut fk(
            "fk_user_mfa_user",
            ("user_mfa", "user_id"),
            "users",
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}

fn mfa_recovery_codes() -> TableCreateStatement {
    Table::create()
        .table("mfa_recovery_codes")
        .col(pk_uuid("id"))
        .col(uuid("user_id"))
        .col(string_len_uniq("code_hash", 64))
        .col(timestamp_with_time_zone_null("used_at"))
        .col(timestamp_with_time_zone("created_at"))
        .foreign_key(&mut fk(
            "fk_mfa_recovery_codes_user",
            ("mfa_recovery_codes", "user_id"),
            "users",
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}

fn auth_tokens() -> TableCreateStatement {
    Table::create()
        .table("auth_tokens")
        .col(pk_uuid("id"))
        .col(string_len("purpose", 32))
        .col(string_len_uniq("token_hash", 64))
        .col(uuid("user_id"))
        .col(uuid_null("partner_id"))
        .col(timestamp_with_time_zone("expires_at"))
        .col(timestamp_with_time_zone_null("used_at"))
        .col(timestamp_with_time_zone("created_at"))
        .foreign_key(&mut fk(
            "fk_auth_tokens_user",
            ("auth_tokens", "user_id"),
            "users",
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}

fn invitations() -> TableCreateStatement {
    Table::create()
        .table("invitations")
        .col(pk_uuid("id"))
        // workspace | partner | client
        .col(string_len("kind", 16))
        .col(uuid("partner_id"))
        .col(uuid_null("workspace_id"))
        .col(string_len("email", 254))
        .col(string_len("role", 16))
        .col(string_len_uniq("token_hash", 64))
        .col(text_null("message"))
        // Partner invitations: workspace assignments; client invitations: workspace name.
        .col(json_binary("metadata"))
        .col(uuid_null("invited_by"))
        // pending | accepted | cancelled | expired
        .col(string_len("status", 16).default("pending"))
        .col(timestamp_with_time_zone("expires_at"))
        .col(timestamp_with_time_zone_null("accepted_at"))
        .col(uuid_null("accepted_by"))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("updated_at"))
        .foreign_key(&mut fk(
            "fk_invitations_partner",
            ("invitations", "partner_id"),
            "partners",
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk(
            "fk_invitations_workspace",
            ("invitations", "workspace_id"),
            "workspaces",
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk(
            "fk_invitations_invited_by",
            ("invitations", "invited_by"),
            "users",
            ForeignKeyAction::SetNull,
        ))
        .foreign_key(&mut fk(
            "fk_invitations_accepted_by",
            ("invitations", "accepted_by"),
            "users",
            ForeignKeyAction::SetNull,
        ))
        .to_owned()
}

fn email_outbox() -> TableCreateStatement {
    Table::create()
        .table("email_outbox")
        .col(pk_uuid("id"))
        .col(uuid_null("partner_id"))
        .col(string_len("kind", 32))
        .col(string_len("to_email", 254))
        .col(string_len("from_address", 320))
        .col(text("subject"))
        .col(text("html"))
        .col(text("text"))
        // pending | sent | failed | stored (no delivery configured)
        .col(string_len("status", 16))
        .col(string_len_null("provider_message_id", 128))
        .col(integer("attempts").default(0))
        .col(text_null("last_error"))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone_null("sent_at"))
        .to_owned()
}

fn rate_limit_hits() -> TableCreateStatement {
    Table::create()
        .table("rate_limit_hits")
        .col(pk_uuid("id"))
        .col(string_len("bucket", 320))
        .col(timestamp_with_time_zone("hit_at"))
        .to_owned()
}

fn indexes() -> Vec<IndexCreateStatement> {
    let idx = |name: &str, table: &'static str, cols: &[&'static str]| {
        let mut i = Index::create();
        i.name(name).table(table);
        for c in cols {
            i.col(*c);
        }
        i.to_owned()
    };
    vec![
        idx(
            "ix_mfa_recovery_codes_user",
            "mfa_recovery_codes",
            &["user_id"],
        ),
        idx("ix_auth_tokens_user", "auth_tokens", &["user_id"]),
        idx(
            "ix_invitations_partner_status",
            "invitations",
            &["partner_id", "status"],
        ),
        idx(
            "ix_invitations_workspace_status",
            "invitations",
            &["workspace_id", "status"],
        ),
        idx("ix_email_outbox_time", "email_outbox", &["created_at"]),
        idx(
            "ix_rate_limit_hits_bucket_time",
            "rate_limit_hits",
            &["bucket", "hit_at"],
        ),
    ]
}
