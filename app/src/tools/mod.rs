//! Function tools: their kinds, the neutral model and its validation (the editor is a part
//! of the agent form, `agents::ui::form::tools`). Providers map tools to their own JSON in
//! `providers::vapi` and `providers::retell`.

pub mod kind;
pub mod model;
pub mod validate;
