//! The wizard as a person goes through it: each step's plain form (as the browser posts
//! it, field errors named), the list uploaded by the step's own file form, and the pages
//! a campaign has, for the people who may see them.

use app::agents::model::AgentProvider;
use app::campaigns::api::{SaveDetails, SaveSchedule, SaveVariables, VariableForm};
use app::campaigns::model::CampaignStatus;
use axum::http::StatusCode;

use super::{app, noon_zone, outbound_agent, owner, recipients};

#[tokio::test]
async fn the_wizard_builds_a_campaign_step_by_step_and_its_pages_show_it() {
    let app = app().await;
    let (mut client, slug) = owner(&app).await;
    let agent = outbound_agent(&mut client, &slug, AgentProvider::Sandbox).await;

    // Step 1 refuses a missing name and agent, by field.
    let refused = client
        .call(SaveDetails {
            slug: slug.clone(),
            id: None,
            name: " ".into(),
            description: String::new(),
            agent_id: String::new(),
            time_zone: "America/New_York".into(),
            default_country: "US".into(),
        })
        .await
        .unwrap_err();
    assert!(
        refused.error.field("agent_id").is_some(),
        "{:?}",
        refused.error
    );
    let id = client
        .call(SaveDetails {
            slug: slug.clone(),
            id: None,
            name: "Check-up reminders".into(),
            description: "Spring".into(),
            agent_id: agent.to_string(),
            time_zone: noon_zone(),
            default_country: "us".into(),
        })
        .await
        .unwrap();

    // Step 2: the file form (multipart, from a page) is sent back to the step, saying so.
    let csv = format!(
        "Phone,First Name,Appointment,tz\n415 555 0101,Ada,Tuesday 10am,{z}\n12,Bad,,{z}\n",
        z = noon_zone()
    );
    let answer = client
        .upload(
            &format!("/w/{slug}/campaigns/{id}/import"),
            "list.csv",
            csv.as_bytes(),
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(
        answer.header("location"),
        format!("/w/{slug}/campaigns/{id}/edit?step=2")
    );
    assert!(
        answer
            .header("set-cookie")
            .contains("Imported%201%20recipients")
    );
    assert_eq!(recipients(&app, id).await.len(), 1);
    // A bad file comes back to the step with the reason.
    let answer = client
        .upload(
            &format!("/w/{slug}/campaigns/{id}/import"),
            "list.csv",
            b"Name\nAda\n",
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert!(
        answer
            .header("location")
            .contains("import_error=Choose%20which%20column"),
        "{}",
        answer.header("location")
    );
    let step2 = client
        .get(&format!("/w/{slug}/campaigns/{id}/edit?step=2"))
        .await;
    assert_eq!(step2.status, StatusCode::OK);
    assert!(
        step2
            .body
            .contains("1 recipients on the list; 1 rows could not be used.")
    );
    assert!(step2.body.contains("Row 3"), "the rejected row is listed");

    // Step 3: the placeholder from a column, with a default; the preview fills it in.
    client
        .call(SaveVariables {
            slug: slug.clone(),
            id,
            variables: vec![VariableForm {
                name: "appointment".into(),
                column: "appointment".into(),
                default: "your visit".into(),
            }],
        })
        .await
        .unwrap();
    let step3 = client
        .get(&format!("/w/{slug}/campaigns/{id}/edit?step=3"))
        .await;
    assert!(
        step3.body.contains("You remind Ada of their Tuesday 10am."),
        "the prompt, filled in for the first recipient"
    );

    // Step 4: bad numbers and a bad window are named; good ones saved.
    let schedule = |concurrency: &str, start: &str| SaveSchedule {
        slug: slug.clone(),
        id,
        start: "now".into(),
        starts_at: String::new(),
        ends_at: String::new(),
        days: (0..7)
            .map(|day| app::campaigns::api::DayForm {
                day,
                on: Some("on".into()),
                start: start.into(),
                end: "20:00".into(),
            })
            .collect(),
        concurrency: concurrency.into(),
        no_answer_attempts: "3".into(),
        no_answer_delay: "60".into(),
        busy_attempts: "2".into(),
        busy_delay: "15".into(),
        voicemail_attempts: "1".into(),
        voicemail_delay: "240".into(),
    };
    let refused = client.call(schedule("lots", "07:00")).await.unwrap_err();
    assert!(
        refused.error.field("concurrency").is_some(),
        "{:?}",
        refused.error
    );
    let refused = client.call(schedule("2", "07:00")).await.unwrap_err();
    assert!(
        refused.error.field("windows.0").unwrap()[0].contains("between 08:00 and 21:00"),
        "{:?}",
        refused.error
    );
    client.call(schedule("2", "08:00")).await.unwrap();

    // Step 5: the compliance preview, then the launch.
    let step5 = client
        .get(&format!("/w/{slug}/campaigns/{id}/edit?step=5"))
        .await;
    assert!(
        step5.body.contains("1 of 1 will be called; 0 skipped."),
        "{}",
        step5.body.len()
    );
    let launched = client
        .post(
            "/api/campaigns/launch",
            &[("slug", slug.as_str()), ("id", &id.to_string())],
        )
        .await;
    assert!(launched.status.is_success() || launched.status.is_redirection());
    app.run_jobs().await;

    // The pages: the list and the campaign.
    for path in [
        format!("/w/{slug}/campaigns"),
        format!("/w/{slug}/campaigns/{id}"),
        format!("/w/{slug}/campaigns/{id}?status=completed"),
    ] {
        let page = client.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.body.contains("Check-up reminders"), "{path}");
    }
    let page = client.get(&format!("/w/{slug}/campaigns/{id}")).await;
    assert!(page.body.contains(CampaignStatus::Completed.label()));
    assert!(page.body.contains("+14155550101"));
    assert!(
        page.body.contains("Last call"),
        "a link to the recipient's call"
    );
}

#[tokio::test]
async fn a_campaign_address_that_names_none_is_not_found() {
    let app = app().await;
    let (client, slug) = owner(&app).await;
    for path in [
        format!("/w/{slug}/campaigns/:id"),
        format!("/w/{slug}/campaigns/:id/edit"),
        format!("/w/{slug}/campaigns/{}", uuid::Uuid::nil()),
        format!("/w/{slug}/campaigns/{}/edit", uuid::Uuid::nil()),
    ] {
        let page = client.get(&path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn a_test_call_uses_the_chosen_values_and_calls_nobody_on_the_list() {
    use app::campaigns::api::TestCampaignCall;
    use app::campaigns::model::TestValue;
    use app::db::entity::{campaign_attempt, conversation};
    use app::tenancy::model::WorkspaceRole;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

    let app = app().await;
    let acme = app.org("acme").await;
    let dental = acme.workspace("dental").await;
    let slug = dental.slug();
    let mut client = acme
        .person(app::tenancy::model::PartnerRole::Owner)
        .await
        .client()
        .await;
    let agent = outbound_agent(&mut client, &slug, AgentProvider::Sandbox).await;
    let id = super::create(&mut client, &slug, super::settings("Recall", agent)).await;
    super::import(&client, &slug, id, "", &super::list()).await;

    // The page offers the agent's placeholders with the list's first recipient's values.
    let detail = client
        .call(app::campaigns::api::GetCampaign {
            slug: slug.clone(),
            id,
        })
        .await
        .unwrap();
    assert_eq!(
        detail.test_values,
        [
            ("first_name".to_owned(), "Ada".to_owned()),
            ("appointment".to_owned(), "Tuesday 10am".to_owned())
        ]
    );
    let call = |number: &str, values: Vec<(&str, &str)>| TestCampaignCall {
        slug: slug.clone(),
        id,
        number: number.into(),
        name: String::new(),
        values: values
            .into_iter()
            .map(|(name, value)| TestValue {
                name: name.into(),
                value: value.into(),
            })
            .collect(),
    };

    // Bad input is named by field, and nothing is called.
    let refused = client
        .call(call("12", vec![("first_name", "Margaret")]))
        .await
        .unwrap_err();
    assert!(
        refused.error.field("number").is_some(),
        "{:?}",
        refused.error
    );
    let refused = client
        .call(call(
            "+14155550142",
            vec![("first_name", "M"), ("planet", "Mars")],
        ))
        .await
        .unwrap_err();
    assert!(
        refused.error.field("values.1.value").is_some(),
        "{:?}",
        refused.error
    );
    let calls = || {
        conversation::Entity::find()
            .filter(conversation::Column::WorkspaceId.eq(dental.id()))
            .count(&app.state.db)
    };
    assert_eq!(calls().await.unwrap(), 0);

    // The call: the chosen name is heard; it is a test, no attempt, nobody on the list.
    let answer = client
        .send(call(
            "+1 415 555 0142",
            vec![("first_name", "Margaret"), ("appointment", "")],
        ))
        .await;
    assert!(answer.status.is_success(), "{}", answer.body);
    assert!(
        answer
            .header("location")
            .contains(&format!("/w/{slug}/calls/"))
    );
    let stored = conversation::Entity::find()
        .filter(conversation::Column::WorkspaceId.eq(dental.id()))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(stored.is_test);
    assert_eq!(stored.phone_number.as_deref(), Some("+14155550142"));
    assert!(stored.campaign_attempt_id.is_none());
    assert!(
        stored.transcript.to_string().contains("Hi Margaret"),
        "{}",
        stored.transcript
    );
    let attempts = campaign_attempt::Entity::find()
        .filter(campaign_attempt::Column::CampaignId.eq(id))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(attempts, 0);

    // Viewers cannot place one.
    let mut viewer = dental.member(WorkspaceRole::Viewer).await.client().await;
    let refused = viewer.call(call("+14155550142", vec![])).await.unwrap_err();
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_list_step_guesses_columns_offers_a_template_and_answers_its_script() {
    use app::campaigns::api::GuessColumns;

    let app = app().await;
    let (mut client, slug) = owner(&app).await;
    let agent = outbound_agent(&mut client, &slug, AgentProvider::Sandbox).await;
    let id = super::create(&mut client, &slug, super::settings("Recall", agent)).await;

    // What each header would hold, as `?map=` names it, and the variable it would become.
    let guesses = client
        .call(GuessColumns {
            slug: slug.clone(),
            id,
            headers: vec![
                "Mobile Number".into(),
                "First".into(),
                "Account Balance".into(),
                "2024 visits".into(),
                String::new(),
            ],
        })
        .await
        .unwrap();
    let pairs: Vec<(&str, &str)> = guesses
        .iter()
        .map(|g| (g.guess.as_str(), g.variable.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("phone", "mobile_number"),
            ("first_name", "first"),
            ("var:account_balance", "account_balance"),
            ("var:col_2024_visits", "col_2024_visits"),
            ("skip", ""),
        ]
    );
    let refused = client
        .call(GuessColumns {
            slug: slug.clone(),
            id,
            headers: vec!["x".into(); 501],
        })
        .await
        .unwrap_err();
    assert!(refused.error.field("headers").is_some());

    // The template: the columns the import knows, then the agent's own placeholders.
    let template = client
        .get(&format!("/w/{slug}/campaigns/{id}/template.csv"))
        .await;
    assert_eq!(template.status, StatusCode::OK);
    assert!(template.header("content-type").starts_with("text/csv"));
    let mut lines = template.body.lines();
    assert_eq!(
        lines.next(),
        Some("phone,first_name,last_name,email,time_zone,appointment")
    );
    assert!(lines.next().unwrap().starts_with("+14155550100,Ada,"));

    // The upload script's answer: where to go, with the flash, and the chosen columns
    // taken (the second column as a variable, not a first name).
    let csv = "Phone,Nickname\n415 555 0101,Ace\n".to_owned();
    let answer = client
        .post_body_with(
            &format!("/w/{slug}/campaigns/{id}/import?file=list.csv&map=phone,var:nickname"),
            "text/csv",
            csv.into_bytes(),
            &[("accept", "text/html"), ("x-upload", "progress")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(
        answer.json()["location"],
        format!("/w/{slug}/campaigns/{id}/edit?step=2")
    );
    assert!(
        answer
            .header("set-cookie")
            .contains("Imported%201%20recipients")
    );
    let rows = recipients(&app, id).await;
    assert_eq!(rows[0].name, None);
    assert_eq!(rows[0].fields["nickname"], "Ace");
    // A refused list comes back to the step with the reason, the same way.
    let answer = client
        .post_body_with(
            &format!("/w/{slug}/campaigns/{id}/import?file=list.csv&map=phone"),
            "text/csv",
            b"Phone,Nickname\n415 555 0102,Ace\n".to_vec(),
            &[("accept", "text/html"), ("x-upload", "progress")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let location = answer.json()["location"].as_str().unwrap().to_owned();
    assert!(location.contains("import_error="), "{location}");
}
