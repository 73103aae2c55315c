//! Function tools: the neutral model, its validation and the editor. Providers map tools
//! to their own JSON in `providers::vapi` and `providers::retell`.

pub mod model;
pub mod ui;
