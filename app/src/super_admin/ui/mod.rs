//! Super-admin pages. The console's sign-in is `LoginPage` with `console`.

pub mod outbox;
