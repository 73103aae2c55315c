//! Do-not-call lists from files, and the organisation's own list: numbers imported once
//! each (with or without a header), what could not be read named, the organisation's
//! list obeyed by its workspaces' campaigns, and kept by its owners and admins only.

use app::agents::model::AgentProvider;
use app::campaigns::api::{
    AddOrgDoNotCall, ListDoNotCall, ListOrgDoNotCall, PreviewLaunch, RemoveOrgDoNotCall,
};
use app::tenancy::model::{PartnerRole, WorkspaceRole};
use axum::http::StatusCode;

use super::{app, create, import, noon_zone, outbound_agent, settings};

#[tokio::test]
async fn a_workspace_imports_its_list_from_a_file() {
    let app = app().await;
    let (mut client, slug) = super::owner(&app).await;
    let path = format!("/w/{slug}/do-not-call/import");
    let file = "Name,Mobile,Reason\nAda,+1 (415) 555-0101,By letter\nBad,12,\nAgain,+1 415 555 0101,\nBo,020 7946 0958,\n";

    // National numbers in the country asked for; each number once; the bad row named.
    let answer = client
        .post_body(&format!("{path}?country=gb"), "text/csv", file.into())
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let done = answer.json();
    assert_eq!(
        (done["added"].as_u64(), done["unreadable"].as_u64()),
        (Some(2), Some(1)),
        "{done}"
    );
    assert_eq!(done["examples"][0], "row 3 (\"12\")");
    // Again: nothing new.
    let answer = client
        .post_body(&format!("{path}?country=gb"), "text/csv", file.into())
        .await;
    let done = answer.json();
    assert_eq!(
        (done["added"].as_u64(), done["already"].as_u64()),
        (Some(0), Some(2)),
        "{done}"
    );
    let listed = client
        .call(ListDoNotCall { slug: slug.clone() })
        .await
        .unwrap();
    assert_eq!(listed.total, 2);
    let phones: Vec<_> = listed.entries.iter().map(|e| e.phone.as_str()).collect();
    assert_eq!(phones.len(), 2, "{phones:?}");
    assert!(phones.contains(&"+14155550101") && phones.contains(&"+442079460958"));
    let ada = listed
        .entries
        .iter()
        .find(|e| e.phone == "+14155550101")
        .unwrap();
    assert_eq!(ada.reason.as_deref(), Some("By letter"));

    // The page's form: back to the page saying what happened, or why not.
    let answer = client
        .upload(&path, "list.csv", b"4155550102\n4155550103\n")
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(
        answer.header("location"),
        format!("/w/{slug}/campaigns#do-not-call")
    );
    assert!(answer.header("set-cookie").contains("Added%202%20numbers"));
    let answer = client.upload(&path, "list.csv", b"").await;
    assert!(
        answer.header("set-cookie").contains("not%20imported"),
        "{}",
        answer.header("set-cookie")
    );
    let answer = client
        .post_body(
            &format!("{path}?country=Narnia"),
            "text/csv",
            b"1\n".to_vec(),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body.contains("country"), "{}", answer.body);

    // A long list: the page shows the newest of it, the export all of it.
    let many: String = (0..250).map(|n| format!("+44 20 7946 {n:04}\n")).collect();
    let answer = client.post_body(&path, "text/csv", many.into()).await;
    assert_eq!(answer.json()["added"].as_u64(), Some(250));
    let listed = client
        .call(ListDoNotCall { slug: slug.clone() })
        .await
        .unwrap();
    assert_eq!(
        (listed.entries.len() as u64, listed.total),
        (app::campaigns::model::DNC_SHOWN, 254)
    );
    let export = client.get(&format!("/w/{slug}/do-not-call.csv")).await;
    assert_eq!(export.body.lines().count(), 1 + 254);

    // Viewers cannot add to the list.
    let org = app.org("viewers").await;
    let clinic = org.workspace("clinic").await;
    let viewer = clinic.member(WorkspaceRole::Viewer).await.client().await;
    let answer = viewer
        .post_body(
            &format!("/w/{}/do-not-call/import", clinic.slug()),
            "text/csv",
            b"4155550104\n".to_vec(),
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_organisations_list_is_kept_by_its_admins_and_obeyed_by_every_workspace() {
    let app = app().await;
    let acme = app.org("acme").await;
    let dental = acme.workspace("dental").await;
    let slug = dental.slug();
    let mut owner = acme.person(PartnerRole::Owner).await.client().await;

    // Added by hand and from a file.
    let added = owner
        .call(AddOrgDoNotCall {
            phone: "+1 415 555 0106".into(),
            reason: "Complained".into(),
        })
        .await
        .unwrap();
    assert!(added);
    let refused = owner
        .call(AddOrgDoNotCall {
            phone: "555".into(),
            reason: String::new(),
        })
        .await
        .unwrap_err();
    assert!(refused.error.field("phone").is_some());
    let answer = owner
        .post_body(
            "/org/do-not-call/import",
            "text/csv",
            b"phone\n+14155550107\n".to_vec(),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.json()["added"], 1);
    let org_list = owner.call(ListOrgDoNotCall {}).await.unwrap();
    assert_eq!((org_list.entries.len(), org_list.total), (2, 2));
    assert!(org_list.entries.iter().all(|e| e.organisation));
    let export = owner.get("/org/do-not-call.csv").await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(
        export
            .body
            .contains("+14155550106,organisation,manual,Complained")
    );

    // Every workspace sees it and its campaigns skip its numbers.
    let listed = owner
        .call(ListDoNotCall { slug: slug.clone() })
        .await
        .unwrap();
    assert_eq!(listed.entries.iter().filter(|e| e.organisation).count(), 2);
    let agent = outbound_agent(&mut owner, &slug, AgentProvider::Sandbox).await;
    let id = create(&mut owner, &slug, settings("Recall", agent)).await;
    let list = format!(
        "Phone,tz\n4155550106,{z}\n4155550107,{z}\n4155550101,{z}\n",
        z = noon_zone()
    );
    import(&owner, &slug, id, "", &list).await;
    let preview = owner
        .call(PreviewLaunch {
            slug: slug.clone(),
            id,
        })
        .await
        .unwrap();
    assert_eq!((preview.will_call, preview.do_not_call), (1, 2));

    // Workspace people, even its owner, cannot change it; admins of the organisation can.
    let mut ws_owner = dental.member(WorkspaceRole::Owner).await.client().await;
    let refused = ws_owner
        .call(RemoveOrgDoNotCall {
            phone: "+14155550106".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        ws_owner.get("/org/do-not-call.csv").await.status,
        StatusCode::FORBIDDEN
    );
    let mut admin = acme.person(PartnerRole::Admin).await.client().await;
    let removed = admin
        .call(RemoveOrgDoNotCall {
            phone: "+14155550106".into(),
        })
        .await
        .unwrap();
    assert!(removed);
    // The page.
    let page = admin.get("/org/do-not-call").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("+14155550107"));
    assert!(!page.body.contains("+14155550106"));
}
