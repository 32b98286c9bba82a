//! What the window keeps while it runs.

use std::sync::{Arc, Mutex};

use yichuang_core::Desk;
use yichuang_core::accounts::{Actor, Permission, Session};
use yichuang_core::error::CommandError;
use yichuang_hub::sim::SimHandle;
use yichuang_sync::SyncWorker;

pub struct AppState {
    pub desk: Desk,
    pub demo: bool,
    /// The sync worker towards the hub, when a hub is configured (or simulated in the demo).
    pub sync: Option<Arc<SyncWorker>>,
    /// The trainers' demo runs its own hub simulator on loopback; kept alive here.
    pub hub_sim: Option<SimHandle>,
    /// The window's signed-in session, if any. Only its id matters: every command's check
    /// reads the account afresh ([`AppState::authorize`]).
    pub session: Mutex<Option<Session>>,
}

impl AppState {
    /// A desk without a hub (tests, or before the hub is configured).
    pub fn offline(desk: Desk, demo: bool) -> Self {
        AppState {
            desk,
            demo,
            sync: None,
            hub_sim: None,
            session: Mutex::new(None),
        }
    }

    /// The window's session, if signed in (it may be locked or ended since).
    pub fn session(&self) -> Option<Session> {
        self.session
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_session(&self, session: Option<Session>) {
        *self.session.lock().unwrap_or_else(|e| e.into_inner()) = session;
    }

    /// The window's session, or `unauthenticated` (请先登录).
    pub fn require_session(&self) -> Result<Session, CommandError> {
        self.session().ok_or_else(|| CommandError::Unauthenticated {
            message: "请先登录".into(),
        })
    }

    /// The check behind the command table's permissions (see [`crate::dispatch::gate`]): the
    /// signed-in person, when their session is live (not locked by idleness, not ended) and
    /// one of their roles grants `permission`; else `unauthenticated` or `forbidden`. See
    /// [`Desk::authorize`].
    pub async fn authorize(&self, permission: Permission) -> Result<Actor, CommandError> {
        let session = self.require_session()?;
        Ok(self.desk.authorize(&session, permission).await?)
    }

    /// [`AppState::authorize`] for the window's background polls (hub status,
    /// notifications): they do not count as use, so the idle lock still comes.
    pub async fn authorize_quietly(&self, permission: Permission) -> Result<Actor, CommandError> {
        let session = self.require_session()?;
        Ok(self.desk.authorize_quietly(&session, permission).await?)
    }
}
