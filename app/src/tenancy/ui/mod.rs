//! Pages and pieces of the workspace area.

pub mod brand_mark;
pub mod dashboard;
pub mod sidebar;
pub mod workspace_shell;
pub mod workspace_switcher;
