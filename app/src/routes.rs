//! Every route of the application, on one screen.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Routes};
use leptos_router::path;

use crate::marketing::home::HomePage;
use crate::pages::design_system::DesignSystemPage;
use crate::pages::not_found::NotFound;
use crate::tenancy::ui::dashboard::WorkspaceDashboard;
use crate::tenancy::ui::workspace_shell::WorkspaceShell;

#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=NotFound>
            <Route path=path!("/") view=HomePage/>
            <Route path=path!("/design-system") view=DesignSystemPage/>
            <ParentRoute path=path!("/w/:slug") view=WorkspaceShell>
                <Route path=path!("") view=WorkspaceDashboard/>
            </ParentRoute>
        </Routes>
    }
}
