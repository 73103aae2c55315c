//! The VAPI and Retell simulators (the `simulators` crate), under the names tests use.

#[allow(unused_imports)] // each test file uses some of them
pub use simulators::{
    ALGOLIA_ADMIN_KEY, ALGOLIA_APP_ID, RETELL_FROM_NUMBER, RETELL_KEY, VAPI_KEY,
    VAPI_PHONE_NUMBER_ID, VAPI_PUBLIC_KEY, VoiceSim,
};

/// Creates a web call at the simulated VAPI with the public key, as VAPI's web SDK does
/// from the page; returns the call's id.
pub async fn browser_creates_vapi_call(sim_url: &str, assistant_id: &str) -> String {
    let created: serde_json::Value = reqwest::Client::new()
        .post(format!("{sim_url}/call/web"))
        .bearer_auth(VAPI_PUBLIC_KEY)
        .json(&serde_json::json!({ "assistantId": assistant_id }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    created["id"].as_str().unwrap().to_owned()
}
