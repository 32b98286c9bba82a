//! What the window keeps while it runs.

use yichuang_core::Desk;

pub struct AppState {
    pub desk: Desk,
    pub demo: bool,
}
