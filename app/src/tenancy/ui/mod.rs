//! Pages and pieces of the workspace area.

pub mod credit_banner;
pub mod general;
pub mod onboarding;
pub mod select_workspace;
pub mod sidebar;
pub mod user_menu;
pub mod workspace_shell;
pub mod workspace_switcher;
