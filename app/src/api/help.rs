//! In-app help: the help panel of the page being shown and the first-login tour. The texts stay
//! on the server (`domain::help`); the browser receives only the one it shows.

use crate::error::AppError;
use domain::help::{HelpText, TourStep};
use leptos::prelude::*;

/// The help of the page at `path` in the caller's language, with the guides for the caller's role
/// first; None for a page without help.
#[server(prefix = "/api", endpoint = "help_page", output = crate::api::JsonReply)]
pub async fn help_page(path: String) -> Result<Option<HelpText>, AppError> {
    use super::ctx::*;
    use domain::help::{GuideRole, topic_for_path};
    let s = require_session().await?;
    let role = GuideRole::of(&s.user.caps);
    Ok(topic_for_path(&path).map(|t| t.text(request_lang(), role)))
}

/// The tour's steps for the caller, or None once they finished or skipped it.
#[server(prefix = "/api", endpoint = "tour_steps", output = crate::api::JsonReply)]
pub async fn tour_steps() -> Result<Option<Vec<TourStep>>, AppError> {
    use super::ctx::*;
    use domain::help::{GuideRole, tour};
    let s = require_session().await?;
    if !state().store.tour_due(&s.user).await? {
        return Ok(None);
    }
    Ok(Some(tour(request_lang(), GuideRole::of(&s.user.caps))))
}

/// The tour was finished or skipped: not offered again, on any device.
#[server(prefix = "/api", endpoint = "finish_tour", output = crate::api::JsonReply)]
pub async fn finish_tour() -> Result<(), AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    Ok(state().store.finish_tour(&s.user).await?)
}
