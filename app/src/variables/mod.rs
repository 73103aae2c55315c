//! Custom variables: the standard set, workspace variables (settings page) and agent
//! variables (agent form), with their naming rules.

pub mod model;
