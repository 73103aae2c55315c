//! The isolation matrix: every server function and page, called by every kind of outsider
//! against resources that are not theirs, answers 401/403/404 and leaks nothing.
//!
//! Outsiders: each role of workspace `demo` (owner, admin, member, viewer) aiming at
//! `secret-ws` (same partner, not theirs) and at acme's workspace; acme's owner aiming at
//! the platform partner's people and invitations. A server function, page or plain route
//! missing from the tables of `matrix.rs` and `pages.rs` fails
//! `every_server_function_is_in_the_matrix` (or its page and plain-route twins): adding
//! one means deciding there who may call it.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

#[path = "../common/mod.rs"]
mod common;
mod matrix;
mod needs;
mod pages;
mod routes;
mod world;

use std::collections::BTreeSet;

use app::tenancy::model::WorkspaceRole;
use axum::http::StatusCode;
use common::{ACME_HOST, PLATFORM_HOST};

use matrix::*;
use needs::*;
use pages::*;
use world::*;

#[tokio::test]
async fn each_role_is_refused_what_its_role_may_not_do() {
    let workspace_cases: BTreeSet<&str> = CASES
        .iter()
        .filter(|c| c.gate == Gate::Workspace)
        .map(|c| c.path)
        .collect();
    let declared: BTreeSet<&str> = NEEDS.iter().map(|(p, _)| *p).collect();
    let undeclared: Vec<_> = workspace_cases.difference(&declared).collect();
    assert!(
        undeclared.is_empty(),
        "workspace server functions with no permission in NEEDS: {undeclared:?}"
    );

    let (app, targets) = world().await;
    let before = snapshot(&app).await;
    let mut probes = 0;
    for (email, role) in [
        ("admin@demo.test", WorkspaceRole::Admin),
        ("member@demo.test", WorkspaceRole::Member),
        ("viewer@genius365.test", WorkspaceRole::Viewer),
    ] {
        let mut client = app.signed_in(PLATFORM_HOST, email).await;
        for case in CASES.iter().filter(|c| c.gate == Gate::Workspace) {
            let needs = NEEDS
                .iter()
                .find(|(p, _)| *p == case.path)
                .map(|(_, n)| *n)
                .unwrap();
            if role.can(needs) {
                continue;
            }
            // In their own workspace: refused for the role, before any id is looked at.
            let response = call(&mut client, case, (case.args)(&targets, "demo")).await;
            assert_refused(&response, email, case.path, &[StatusCode::FORBIDDEN]);
            assert_no_leak(&response, &targets, email, case.path);
            probes += 1;
        }
    }
    assert!(probes > 20, "only {probes} probes ran");
    assert_unchanged(&before, &snapshot(&app).await);
}

#[test]
fn every_server_function_is_in_the_matrix() {
    let registered: BTreeSet<String> = server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    let covered: BTreeSet<String> = CASES.iter().map(|c| c.path.to_owned()).collect();
    let missing: Vec<_> = registered.difference(&covered).collect();
    let stale: Vec<_> = covered.difference(&registered).collect();
    assert!(
        missing.is_empty(),
        "server functions missing from the isolation matrix: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "matrix entries with no server function: {stale:?}"
    );
}

#[tokio::test]
async fn every_page_is_in_the_matrix() {
    let routes: BTreeSet<String> = server::router::route_paths().into_iter().collect();
    let covered: BTreeSet<String> = PAGES.iter().map(|(p, _)| (*p).to_owned()).collect();
    let missing: Vec<_> = routes.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "pages missing from the isolation matrix: {missing:?}"
    );
}

#[tokio::test]
async fn the_snapshot_sees_a_change_to_any_tenant_table() {
    let (app, targets) = world().await;
    let before = snapshot(&app).await;
    // A change deep in a tenant's data (one ledger entry's description) shows.
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
    let entry = app::db::entity::credit_transaction::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the world holds ledger entries");
    let mut changed = entry.into_active_model();
    changed.description = Set("Tampered".into());
    changed.update(&app.state.db).await.unwrap();
    assert_ne!(snapshot(&app).await, before);
    assert!(
        before.contains(&targets.secret_call_id),
        "calls are in the snapshot"
    );
    assert!(
        before.contains("credit_wallet"),
        "wallets are in the snapshot"
    );
}

#[tokio::test]
async fn workspace_roles_cannot_reach_workspaces_that_are_not_theirs() {
    let (app, targets) = world().await;
    let before = snapshot(&app).await;
    // Workspace roles only: partner owners and admins rightly reach every workspace.
    for email in [
        "wsowner@demo.test",
        "admin@demo.test",
        "member@demo.test",
        "viewer@genius365.test",
    ] {
        let mut client = app.signed_in(PLATFORM_HOST, email).await;
        for case in CASES.iter().filter(|c| c.gate == Gate::Workspace) {
            for target in ["secret-ws", "acme-dental"] {
                let response = call(&mut client, case, (case.args)(&targets, target)).await;
                assert_refused(&response, email, case.path, &[StatusCode::NOT_FOUND]);
                assert_no_leak(&response, &targets, email, case.path);
            }
            // Their own slug with a foreign id: the id is not found in their workspace.
            let aims_at_an_id = (case.args)(&targets, "demo")
                .iter()
                .any(|(k, _)| *k == "id");
            if case.path.contains("/member/") || case.path.contains("/invitation/") || aims_at_an_id
            {
                let response = call(&mut client, case, (case.args)(&targets, "demo")).await;
                assert_refused(
                    &response,
                    email,
                    case.path,
                    &[StatusCode::NOT_FOUND, StatusCode::FORBIDDEN],
                );
                assert_no_leak(&response, &targets, email, case.path);
            }
        }
    }
    let mut acme = app.signed_in(ACME_HOST, "owner@acme.test").await;
    for case in CASES.iter().filter(|c| c.gate == Gate::Workspace) {
        let response = call(&mut acme, case, (case.args)(&targets, "demo")).await;
        assert_refused(&response, "acme owner", case.path, &[StatusCode::NOT_FOUND]);
        let mut foreign_member = (case.args)(&targets, "acme-dental");
        for (k, v) in foreign_member.iter_mut() {
            if *k == "member_id" {
                *v = targets.secret_member_id.clone();
            }
        }
        if case.path.contains("/member/") {
            let response = call(&mut acme, case, foreign_member).await;
            assert_refused(&response, "acme owner", case.path, &[StatusCode::NOT_FOUND]);
        }
    }
    assert_unchanged(&before, &snapshot(&app).await);
    let _ = &targets.acme_member_id;
}

#[tokio::test]
async fn only_organisation_admins_reach_the_organisation_and_only_their_own() {
    let (app, targets) = world().await;
    let before = snapshot(&app).await;
    // Workspace people who are plain partner members, and a stranger to this partner.
    for (host, email) in [
        (PLATFORM_HOST, "wsowner@demo.test"),
        (PLATFORM_HOST, "admin@demo.test"),
        (PLATFORM_HOST, "member@demo.test"),
        (PLATFORM_HOST, "secret-owner@genius365.test"),
        (PLATFORM_HOST, "owner@acme.test"),
    ] {
        let mut client = app.signed_in(host, email).await;
        for case in CASES.iter().filter(|c| c.gate == Gate::Partner) {
            let response = call(&mut client, case, (case.args)(&targets, "")).await;
            assert_refused(&response, email, case.path, &[StatusCode::FORBIDDEN]);
        }
    }
    // Acme's owner at home: the platform partner's people and invitations are not found.
    let mut acme = app.signed_in(ACME_HOST, "owner@acme.test").await;
    for case in CASES.iter().filter(|c| c.gate == Gate::Partner) {
        let args = (case.args)(&targets, "");
        let aims_at_an_id = args
            .iter()
            .any(|(k, _)| matches!(*k, "member_id" | "id" | "integration_id" | "workspace_id"));
        if aims_at_an_id {
            let response = call(&mut acme, case, args).await;
            assert_refused(&response, "acme owner", case.path, &[StatusCode::NOT_FOUND]);
        } else if case.path == "/api/org/team"
            || case.path == "/api/org/workspaces"
            || case.path == "/api/org/invitations"
            || case.path == "/api/org/audit"
            || case.path == "/api/org/overview"
            || case.path == "/api/org/brand"
            || case.path == "/api/org/domains"
        {
            let response = call(&mut acme, case, args).await;
            assert_eq!(response.status, StatusCode::OK);
            for secret in [
                "owner@genius365.test",
                "Demo Workspace",
                "Secret Workspace",
                "team-invite@genius365.test",
            ] {
                assert!(
                    !response.body.contains(secret),
                    "{} leaked {secret}",
                    case.path
                );
            }
        }
    }
    assert_unchanged(&before, &snapshot(&app).await);
}

#[tokio::test]
async fn the_signed_out_get_401_and_the_console_is_for_super_admins_on_the_platform_only() {
    let (app, targets) = world().await;
    let mut anonymous = app.client(PLATFORM_HOST);
    for case in CASES.iter().filter(|c| !matches!(c.gate, Gate::Public)) {
        let response = call(&mut anonymous, case, (case.args)(&targets, "secret-ws")).await;
        assert_refused(
            &response,
            "anonymous",
            case.path,
            &[StatusCode::UNAUTHORIZED],
        );
    }
    let mut owner = app.signed_in(PLATFORM_HOST, "wsowner@demo.test").await;
    let mut acme = app.signed_in(ACME_HOST, "owner@acme.test").await;
    for case in CASES.iter().filter(|c| c.gate == Gate::SuperAdmin) {
        let not_admin = call(&mut owner, case, (case.args)(&targets, "")).await;
        assert_refused(
            &not_admin,
            "workspace owner",
            case.path,
            &[StatusCode::FORBIDDEN],
        );
        let white_label = call(&mut acme, case, (case.args)(&targets, "")).await;
        assert_refused(
            &white_label,
            "acme owner",
            case.path,
            &[StatusCode::NOT_FOUND],
        );
    }
}

#[tokio::test]
async fn an_invitation_link_works_only_on_its_own_partners_host() {
    let (app, _) = world().await;
    let token = app.token_emailed_to("pending@secret.test").await;

    let elsewhere = app
        .client(ACME_HOST)
        .get(&format!("/api/invitations/preview?token={token}"))
        .await;
    let home = app
        .client(PLATFORM_HOST)
        .get(&format!("/api/invitations/preview?token={token}"))
        .await;

    assert_eq!(elsewhere.json()["state"], "Unusable");
    assert!(!elsewhere.body.contains("Secret Workspace"));
    assert_eq!(home.json()["state"], "Pending");
}

#[test]
fn every_page_that_takes_a_post_is_in_the_matrix() {
    assert_eq!(PAGE_POSTS, app::agents::wizard_post::PATHS);
}

/// A complete, valid agent draft posted as the wizard's last step.
fn planted_agent() -> Vec<(&'static str, String)> {
    let mut draft = app::agents::model::AgentDraft::new(app::agents::model::AgentProvider::Sandbox);
    draft.name = "Planted agent".into();
    draft.config.voice_id = "21m00Tcm4TlvDq8ikWAM".into();
    draft.config.system_prompt = "Planted prompt.".into();
    draft.config.first_message = "Planted greeting.".into();
    vec![
        ("draft", serde_json::to_string(&draft).unwrap()),
        ("step", "2".into()),
        ("intent", "save".into()),
    ]
}

#[tokio::test]
async fn the_agent_form_takes_no_post_from_outsiders() {
    let (app, targets) = world().await;
    let before = snapshot(&app).await;
    let form = planted_agent();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let aim = |path: &str, slug: &str| {
        path.replace("{slug}", slug)
            .replace("{id}", &targets.secret_agent_id)
    };
    for path in PAGE_POSTS {
        let url = aim(path, "secret-ws");
        let answer = app.client(PLATFORM_HOST).post(&url, &form).await;
        // Sent to sign in (a 302 for a browser, which accepts HTML; this client asks for JSON).
        assert!(
            answer.header("location").starts_with("/login"),
            "signed out {url}"
        );
        for email in [
            "wsowner@demo.test",
            "admin@demo.test",
            "member@demo.test",
            "viewer@genius365.test",
        ] {
            let mut client = app.signed_in(PLATFORM_HOST, email).await;
            let answer = client.post(&url, &form).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{email} {url}");
            for secret in SECRETS {
                assert!(
                    !answer.body.contains(secret),
                    "{email} {url} leaked {secret}"
                );
            }
        }
        // A viewer in their own workspace may read agents, not make or change them.
        let mut viewer = app.signed_in(PLATFORM_HOST, "viewer@genius365.test").await;
        let answer = viewer.post(&aim(path, "demo"), &form).await;
        assert!(
            answer.status.is_client_error(),
            "viewer {path}: {}",
            answer.status
        );
        // Another organisation's owner, on their own host, aimed at demo's.
        let mut acme = app.signed_in(ACME_HOST, "owner@acme.test").await;
        let answer = acme.post(&aim(path, "demo"), &form).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "acme owner {path}");
    }
    assert_eq!(snapshot(&app).await, before, "nothing was saved");
}

/// A page's path aimed at `slug` and the secret workspace's agent or campaign.
fn aimed_page(path: &str, slug: &str, targets: &Targets) -> String {
    let id = if path.contains("/campaigns/") {
        &targets.secret_campaign_id
    } else {
        &targets.secret_agent_id
    };
    path.replace("{slug}", slug).replace("{id}", id)
}

#[tokio::test]
async fn pages_of_other_workspaces_and_consoles_show_nothing_of_them() {
    let (app, targets) = world().await;
    for email in ["wsowner@demo.test", "viewer@genius365.test"] {
        let client = app.signed_in(PLATFORM_HOST, email).await;
        for (path, gate) in PAGES {
            let url = aimed_page(path, "secret-ws", &targets);
            let page = client.get(&url).await;
            if *gate == Gate::Workspace {
                assert_eq!(page.status, StatusCode::NOT_FOUND, "{email} {url}");
            }
            for secret in SECRETS {
                assert!(!page.body.contains(secret), "{email} {url} leaked {secret}");
            }
        }
    }
    let acme = app.signed_in(ACME_HOST, "owner@acme.test").await;
    for (path, _) in PAGES {
        let url = aimed_page(path, "demo", &targets);
        let page = acme.get(&url).await;
        for secret in [
            "Demo Workspace",
            "Secret Workspace",
            "owner@genius365.test",
            "pending@secret.test",
        ] {
            assert!(
                !page.body.contains(secret),
                "acme owner {url} leaked {secret}"
            );
        }
    }
}
