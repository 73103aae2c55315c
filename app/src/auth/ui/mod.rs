//! Account pages: sign in, sign up, forgotten and reset passwords, and the account page
//! (profile, password, two-factor), all in the partner's branding.

pub mod account;
pub mod forgot;
pub mod layout;
pub mod login;
pub mod reset;
pub mod signup;
pub mod verify;
