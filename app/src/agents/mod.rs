//! Voice agents: the model and its validation, the service that stores and syncs them to
//! their provider, test calls, the server functions, and the pages (list, wizard, agent page).

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod save;
#[cfg(feature = "ssr")]
pub mod secrets;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sync;
#[cfg(feature = "ssr")]
pub mod test_calls;
pub mod ui;
pub mod validate;
#[cfg(feature = "ssr")]
pub mod webhook_check;
pub mod wizard;
#[cfg(feature = "ssr")]
pub mod wizard_post;
