//! Credits and the paywall through the server functions: a workspace starts with the free
//! tier's credit, calls spend it, organisation admins grant, take back and reprice it (with
//! reasons, audited), and a workspace at zero is read-only until it has credit again.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

use app::agents::api::{DeleteAgent, ListAgents, StartTestCall};
use app::agents::model::{AgentProvider, TestCallStart};
use app::billing::api::{
    AdjustCredits, OrgWorkspaceBilling, SetWorkspaceRate, WorkspaceCredits, WorkspaceLedger,
};
use app::billing::model::{Credits, EntryKind, FREE_TIER_GRANT_CENTS, LedgerEntry};
use app::calls::model::CallStatus;
use app::db::entity::{conversation, workspace};
use app::error::AppError;
use app::invitations::api::InviteToWorkspace;
use app::tenancy::model::{PartnerRole, WorkspaceRole};
use axum::http::StatusCode;
use common::client::Refused;
use common::world::Workspace;
use common::{Client, TestApp};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use uuid::Uuid;

fn demo() -> String {
    "demo".into()
}

/// Workspace `demo` of the platform organisation, and an owner of the organisation (who
/// grants credit and sets rates) signed in.
async fn demo_and_owner(app: &TestApp) -> (Workspace<'_>, Client<'_>) {
    let ws = app.platform().await.workspace("demo").await;
    let owner = ws.org.person(PartnerRole::Owner).await.client().await;
    (ws, owner)
}

/// Creates a Sandbox agent and runs the sync it queues.
async fn create_agent(client: &mut Client<'_>) -> Result<Uuid, Refused> {
    let draft = common::agents::draft(AgentProvider::Sandbox, "Front desk");
    common::agents::create(client, "demo", &draft).await
}

async fn credits(client: &mut Client<'_>) -> Credits {
    client
        .call(WorkspaceCredits { slug: demo() })
        .await
        .unwrap()
}

async fn ledger(client: &mut Client<'_>) -> Vec<LedgerEntry> {
    let page = WorkspaceLedger {
        slug: demo(),
        page: 1,
    };
    client.call(page).await.unwrap().entries
}

async fn adjust(
    client: &mut Client<'_>,
    ws: &workspace::Model,
    amount: &str,
) -> Result<Credits, Refused> {
    client
        .call(AdjustCredits {
            workspace_id: ws.id,
            amount: amount.into(),
            reason: "Pilot agreement".into(),
        })
        .await
}

async fn first_agent(client: &mut Client<'_>) -> Uuid {
    client.call(ListAgents { slug: demo() }).await.unwrap()[0].id
}

fn test_call(id: Uuid) -> StartTestCall {
    StartTestCall { slug: demo(), id }
}

/// The seconds a Sandbox test call lasted, and its conversation.
fn simulated(start: TestCallStart) -> (i32, Uuid) {
    match start {
        TestCallStart::Sandbox {
            conversation_id,
            duration_seconds,
            ..
        } => (duration_seconds, conversation_id),
        other => panic!("a Sandbox agent's test call is simulated: {other:?}"),
    }
}

/// Runs a Sandbox test call on the first agent and returns the stored call.
async fn sandbox_call(app: &TestApp, client: &mut Client<'_>) -> conversation::Model {
    let agent = first_agent(client).await;
    let (_, id) = simulated(client.call(test_call(agent)).await.unwrap());
    conversation::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

/// The message of the field a refusal names.
fn field_says(refused: &Refused, field: &str) -> String {
    refused
        .error
        .field(field)
        .and_then(|messages| messages.first())
        .cloned()
        .unwrap_or_else(|| panic!("no message for {field}: {refused:?}"))
}

#[tokio::test]
async fn a_workspace_starts_with_free_credit_and_each_call_spends_its_minutes() {
    let app = TestApp::new().await;
    let (demo_ws, mut owner) = demo_and_owner(&app).await;
    let before = credits(&mut owner).await;
    assert_eq!(before.balance_cents, FREE_TIER_GRANT_CENTS);
    assert_eq!(before.rate_cents, 20);
    assert!(!before.paywalled);

    create_agent(&mut owner).await.unwrap();
    let call = sandbox_call(&app, &mut owner).await;
    assert_eq!(call.status, CallStatus::Completed);
    let minutes = i64::from(call.duration_seconds + 59) / 60;
    assert!(minutes > 0);
    assert_eq!(i64::from(call.billed_minutes), minutes);
    assert_eq!(call.billed_cents, minutes * 20);

    let after = credits(&mut owner).await;
    assert_eq!(after.balance_cents, FREE_TIER_GRANT_CENTS - minutes * 20);
    let entries = ledger(&mut owner).await;
    let kinds: Vec<EntryKind> = entries.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [EntryKind::Usage, EntryKind::Adjustment],
        "newest first"
    );
    assert_eq!(entries[0].amount_cents, -minutes * 20);
    assert_eq!(entries[0].conversation_id, Some(call.id));
    assert_eq!(entries[1].balance_after_cents, FREE_TIER_GRANT_CENTS);

    // Viewers see the balance and the page; the page shows the figures.
    let mut viewer = demo_ws.member(WorkspaceRole::Viewer).await.client().await;
    assert_eq!(credits(&mut viewer).await, after);
    let page = viewer.get("/w/demo/billing").await;
    assert_eq!(page.status, StatusCode::OK);
    let shown = app::billing::model::dollars(FREE_TIER_GRANT_CENTS - minutes * 20);
    assert!(page.body.contains(&shown), "the page shows {shown}");
    assert!(page.body.contains("Free tier credit"));
}

#[tokio::test]
async fn a_workspace_at_zero_is_read_only_until_an_admin_grants_credit() {
    let app = TestApp::new().await;
    let (demo_ws, mut owner) = demo_and_owner(&app).await;
    let ws = demo_ws.workspace.clone();
    create_agent(&mut owner).await.unwrap();

    // The organisation takes the free credit back: the workspace is at zero.
    assert!(adjust(&mut owner, &ws, "-10").await.unwrap().paywalled);

    // Every change is refused with 402 and the way to billing; nothing is stored.
    let refused = create_agent(&mut owner).await.unwrap_err();
    assert_eq!(refused.status, StatusCode::PAYMENT_REQUIRED);
    let AppError::PaymentRequired {
        message,
        billing_url,
    } = &refused.error
    else {
        panic!("{refused:?}");
    };
    assert_eq!(billing_url, "/w/demo/billing");
    assert!(message.contains("read-only"), "{message}");
    let agents = owner.call(ListAgents { slug: demo() }).await;
    let agents = agents.expect("reading still works");
    assert_eq!(agents.len(), 1);
    let id = agents[0].id;
    let answers = [
        owner.call(test_call(id)).await.map(|_| ()),
        owner.call(DeleteAgent { slug: demo(), id }).await,
        owner
            .call(InviteToWorkspace {
                slug: demo(),
                email: "new@example.com".into(),
                role: "viewer".into(),
                message: String::new(),
            })
            .await
            .map(|_| ()),
    ];
    for answer in answers {
        assert_eq!(answer.unwrap_err().status, StatusCode::PAYMENT_REQUIRED);
    }
    assert_eq!(
        conversation::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap()
            .len(),
        0,
        "no call was placed"
    );
    // The banner says so on every page; billing stays open.
    let page = owner.get("/w/demo/agents").await;
    assert!(page.body.contains("paywall-banner"));
    assert_eq!(owner.get("/w/demo/billing").await.status, StatusCode::OK);

    // Taking back more than is there is refused; granting lifts the paywall.
    let overdrawn = adjust(&mut owner, &ws, "-0.01").await.unwrap_err();
    assert_eq!(overdrawn.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        field_says(&overdrawn, "amount").contains("at most $0.00 can be taken back"),
        "{overdrawn:?}"
    );
    let granted = adjust(&mut owner, &ws, "$4").await.unwrap();
    assert_eq!(granted.balance_cents, 400);
    create_agent(&mut owner).await.unwrap();
    let page = owner.get("/w/demo/agents").await;
    assert!(!page.body.contains("paywall-banner"));
    assert!(
        page.body.contains("low-balance-banner"),
        "$4 is below the $5 threshold"
    );

    // Who did what, and why, is in the ledger and the audit log.
    let entries = ledger(&mut owner).await;
    assert_eq!(entries[0].actor.as_deref(), Some("Owner"));
    assert!(entries[0].description.contains("Pilot agreement"));
    let audited = app.audit_actions().await;
    assert_eq!(
        audited.iter().filter(|a| *a == "credits.adjusted").count(),
        2
    );

    // A billing-exempt workspace is never paywalled: its minutes go to the organisation.
    adjust(&mut owner, &ws, "-4").await.unwrap();
    let mut exempt: workspace::ActiveModel = ws.clone().into();
    exempt.is_billing_exempt = Set(true);
    exempt.update(&app.state.db).await.unwrap();
    create_agent(&mut owner).await.unwrap();
}

#[tokio::test]
async fn adjustments_and_rates_are_checked_and_audited() {
    let app = TestApp::new().await;
    let (demo_ws, mut owner) = demo_and_owner(&app).await;
    let ws = demo_ws.workspace.clone();
    for (amount, reason, field, says) in [
        ("abc", "Pilot", "amount", "not an amount"),
        ("0", "Pilot", "amount", "cannot be zero"),
        ("1.234", "Pilot", "amount", "two decimals"),
        ("100000.01", "Pilot", "amount", "At most"),
        ("-11", "Pilot", "amount", "at most $10.00 can be taken back"),
        ("5", " x ", "reason", "3 to 500 characters"),
    ] {
        let answer = owner
            .call(AdjustCredits {
                workspace_id: ws.id,
                amount: amount.into(),
                reason: reason.into(),
            })
            .await
            .unwrap_err();
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{amount}");
        assert!(
            field_says(&answer, field).contains(says),
            "{amount}: {answer:?}"
        );
    }
    assert_eq!(
        credits(&mut owner).await.balance_cents,
        FREE_TIER_GRANT_CENTS
    );
    assert!(ledger(&mut owner).await.is_empty(), "nothing was booked");

    let rate = |rate_cents: &str| SetWorkspaceRate {
        workspace_id: ws.id,
        rate_cents: rate_cents.into(),
    };
    for bad in ["0", "1001", "2.5", "cheap"] {
        let answer = owner.call(rate(bad)).await.unwrap_err();
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(
            field_says(&answer, "rate_cents").contains("from 1 to 1000"),
            "{answer:?}"
        );
    }
    assert_eq!(owner.call(rate("50")).await.unwrap().rate_cents, 50);
    assert_eq!(credits(&mut owner).await.rate_cents, 50);
    assert!(
        app.audit_actions()
            .await
            .contains(&"workspace.rate_changed".to_owned())
    );

    // The next call is charged at the new rate.
    create_agent(&mut owner).await.unwrap();
    let call = sandbox_call(&app, &mut owner).await;
    let minutes = i64::from(call.duration_seconds + 59) / 60;
    assert_eq!(call.billed_cents, minutes * 50);

    // Workspace members who are not organisation admins cannot grant themselves credit,
    // and another organisation's admin cannot reach this workspace.
    let mut viewer = demo_ws.member(WorkspaceRole::Viewer).await.client().await;
    assert_eq!(
        adjust(&mut viewer, &ws, "100").await.unwrap_err().status,
        StatusCode::FORBIDDEN
    );
    let acme_org = app.org("acme").await;
    acme_org.workspace("acme-dental").await;
    let mut acme = acme_org.person(PartnerRole::Owner).await.client().await;
    assert_eq!(
        adjust(&mut acme, &ws, "100").await.unwrap_err().status,
        StatusCode::NOT_FOUND
    );
    let listed = acme.call(OrgWorkspaceBilling {}).await.unwrap();
    assert!(listed.iter().all(|w| w.workspace_id != ws.id), "{listed:?}");
    assert_eq!(
        credits(&mut owner).await.balance_cents,
        FREE_TIER_GRANT_CENTS - minutes * 50
    );
}

#[tokio::test]
async fn fifty_test_calls_started_at_once_on_one_minute_of_credit_admit_one() {
    let app = TestApp::new().await;
    let (demo_ws, mut owner) = demo_and_owner(&app).await;
    let ws = demo_ws.workspace.clone();
    create_agent(&mut owner).await.unwrap();
    // One minute left at 20¢ a minute.
    adjust(&mut owner, &ws, "-9.80").await.unwrap();
    assert_eq!(credits(&mut owner).await.balance_cents, 20);
    let agent = first_agent(&mut owner).await;
    let cookie = owner.cookie.clone();

    let starts = (0..50).map(|_| {
        let mut caller = app.client(&demo_ws.org.host);
        caller.cookie = cookie.clone();
        async move { caller.call(test_call(agent)).await }
    });
    let answers = futures::future::join_all(starts).await;

    let (admitted, refused): (Vec<_>, Vec<_>) = answers.into_iter().partition(Result::is_ok);
    assert_eq!(admitted.len(), 1, "{refused:?}");
    assert!(
        refused
            .iter()
            .all(|r| r.as_ref().unwrap_err().status == StatusCode::PAYMENT_REQUIRED),
        "{refused:?}"
    );
    let (call_seconds, _) = simulated(admitted.into_iter().next().unwrap().unwrap());
    let one_call = i64::from(call_seconds + 59) / 60 * 20;
    let balance = credits(&mut owner).await.balance_cents;
    assert_eq!(balance, 20 - one_call, "exactly one call was charged");
}

#[tokio::test]
async fn two_removals_at_once_cannot_take_back_more_than_the_balance() {
    let app = TestApp::new().await;
    let (demo_ws, mut owner) = demo_and_owner(&app).await;
    let ws = demo_ws.workspace.clone();
    let cookie = owner.cookie.clone();

    let removals = (0..2).map(|_| {
        let mut admin = app.client(&demo_ws.org.host);
        admin.cookie = cookie.clone();
        let ws = ws.clone();
        async move { adjust(&mut admin, &ws, "-6.00").await }
    });
    let answers = futures::future::join_all(removals).await;

    let (done, refused): (Vec<_>, Vec<_>) = answers.into_iter().partition(Result::is_ok);
    assert_eq!((done.len(), refused.len()), (1, 1), "{refused:?}");
    let refused = refused.into_iter().next().unwrap().unwrap_err();
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        field_says(&refused, "amount").contains("at most $4.00 can be taken back"),
        "{refused:?}"
    );
    assert_eq!(credits(&mut owner).await.balance_cents, 400);
}
