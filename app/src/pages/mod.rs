pub mod admin;
pub mod home;
pub mod letters;
pub mod login;
pub mod not_found;
pub mod org;
pub mod profile;
pub mod tte;
