//! sea-orm entities, one file per table, hand-written to match `migrations/`.
//! They never leave the server: pages get DTOs from each area's `model.rs`.

pub mod agent;
pub mod agent_knowledge_document;
pub mod audit_log;
pub mod auth_token;
pub mod call_day_total;
pub mod call_hold;
pub mod call_total;
pub mod conversation;
pub mod credit_transaction;
pub mod credit_wallet;
pub mod email_outbox;
pub mod invitation;
pub mod job;
pub mod job_probe;
pub mod job_schedule;
pub mod job_worker;
pub mod knowledge_document;
pub mod mfa_recovery_code;
pub mod partner;
pub mod partner_domain;
pub mod partner_integration;
pub mod partner_member;
pub mod rate_limit_hit;
pub mod session;
pub mod super_admin;
pub mod user;
pub mod user_mfa;
pub mod workspace;
pub mod workspace_integration_assignment;
pub mod workspace_member;
pub mod workspace_variable;
