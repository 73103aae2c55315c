//! The VAPI and Retell simulators (the `simulators` crate), under the names tests use.

#[allow(unused_imports)] // each test file uses some of them
pub use simulators::{
    ALGOLIA_ADMIN_KEY, ALGOLIA_APP_ID, RETELL_FROM_NUMBER, RETELL_KEY, VAPI_KEY,
    VAPI_PHONE_NUMBER_ID, VAPI_PUBLIC_KEY, VoiceSim,
};
