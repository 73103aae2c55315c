//! What every synced agent asks its provider to read out of each finished call besides
//! the summary: whether the person asked to be called back (and when, in their words),
//! and whether they asked not to be called again. Campaigns act on both
//! (`campaigns::outcome`): a callback at the time asked, a number put on the do-not-call
//! list. VAPI reads them into `analysis.structuredData` (`analysisPlan.structuredDataPlan`),
//! Retell into `call_analysis.custom_analysis_data` (`post_call_analysis_data`).

/// The person's words for when to call back ("tomorrow at three"), if they asked.
pub const CALLBACK_REQUEST: &str = "callback_request";
/// Whether the person asked not to be called again.
pub const DO_NOT_CALL: &str = "do_not_call";

const CALLBACK_DESCRIPTION: &str = "If the person asked to be called back at another time, when, in their own words (for example \"tomorrow at three\" or \"Friday morning\"). Empty if they did not ask.";
const DO_NOT_CALL_DESCRIPTION: &str = "True if the person asked not to be called again, or to be taken off the list; false otherwise.";

/// VAPI's `analysisPlan.structuredDataPlan`.
pub fn vapi_structured_data_plan() -> serde_json::Value {
    serde_json::json!({
        "enabled": true,
        "schema": {
            "type": "object",
            "properties": {
                CALLBACK_REQUEST: {"type": "string", "description": CALLBACK_DESCRIPTION},
                DO_NOT_CALL: {"type": "boolean", "description": DO_NOT_CALL_DESCRIPTION},
            },
        },
    })
}

/// Retell's `post_call_analysis_data`.
pub fn retell_post_call_analysis_data() -> serde_json::Value {
    serde_json::json!([
        {
            "type": "string",
            "name": CALLBACK_REQUEST,
            "description": CALLBACK_DESCRIPTION,
            "examples": ["tomorrow at three", "next Monday after 5pm"],
        },
        {"type": "boolean", "name": DO_NOT_CALL, "description": DO_NOT_CALL_DESCRIPTION},
    ])
}
