//! The organisation area (`/org/…`): its frame and navigation. Its pages live with their
//! areas (`members`, `integrations`).

pub mod frame;
