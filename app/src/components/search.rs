//! Search as you type: waits until typing pauses, ignores answers that arrive after a newer
//! search was started, and keeps the results, the error and the "searching" state for the view.

use leptos::prelude::*;
use std::future::Future;
use std::time::Duration;

/// How long typing must pause before a search is sent.
pub const DEBOUNCE: Duration = Duration::from_millis(250);
/// Fewer characters than this search for nothing (and clear the results).
pub const MIN_CHARS: usize = 2;

/// The state of one search box. `run(text)` starts a search; only the answer to the latest one
/// is shown.
pub struct DebouncedSearch<T: Send + Sync + 'static> {
    pub results: RwSignal<Vec<T>>,
    pub searching: RwSignal<bool>,
    pub error: RwSignal<Option<String>>,
    seq: RwSignal<u64>,
}

impl<T: Send + Sync + 'static> Clone for DebouncedSearch<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for DebouncedSearch<T> {}

impl<T: Send + Sync + 'static> DebouncedSearch<T> {
    pub fn new() -> Self {
        DebouncedSearch {
            results: RwSignal::new(Vec::new()),
            searching: RwSignal::new(false),
            error: RwSignal::new(None),
            seq: RwSignal::new(0),
        }
    }

    /// Starts a search for `text` with `search` once typing pauses; an older search still running
    /// is forgotten.
    pub fn run<F, Fut>(self, text: String, search: F)
    where
        F: FnOnce(String) -> Fut + 'static,
        Fut: Future<Output = Result<Vec<T>, crate::error::AppError>> + 'static,
    {
        self.seq.update(|s| *s += 1);
        let mine = self.seq.get_untracked();
        if text.trim().chars().count() < MIN_CHARS {
            self.results.set(vec![]);
            return;
        }
        set_timeout(
            move || {
                if self.seq.get_untracked() != mine {
                    return;
                }
                self.searching.set(true);
                leptos::task::spawn_local(async move {
                    let r = search(text).await;
                    if self.seq.get_untracked() == mine {
                        self.searching.set(false);
                        match r {
                            Ok(v) => {
                                self.error.set(None);
                                self.results.set(v)
                            }
                            Err(e) => self.error.set(Some(e.message)),
                        }
                    }
                });
            },
            DEBOUNCE,
        );
    }

    /// Forgets the results (after one was chosen) and any search still running.
    pub fn clear(self) {
        self.seq.update(|s| *s += 1);
        self.results.set(vec![]);
    }
}

impl<T: Send + Sync + 'static> Default for DebouncedSearch<T> {
    fn default() -> Self {
        Self::new()
    }
}
