//! Pages that belong to no single area: not found, errors, the component gallery.

pub mod design_system;
pub mod error_page;
pub mod not_found;
pub mod redirect;
