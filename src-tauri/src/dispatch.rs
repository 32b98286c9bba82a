//! The window's side of the command table (`yichuang_api::with_commands!`): one invoke
//! handler for every command of the table. For each invoke it
//!
//! 1. finds the command by name (an unknown name is left to Tauri: "command not found");
//! 2. checks the table's access for it ([`gate`]) before anything else, even before the
//!    arguments are read;
//! 3. reads the arguments into the command's `Request` (camelCase keys, as Tauri always
//!    took them);
//! 4. runs the handler of the same name in [`crate::commands`] and sends its answer as JSON,
//!    or as raw bytes for [`yichuang_api::Bytes`].
//!
//! A table entry without its handler, or with a handler of another signature, does not
//! compile.

use std::ops::Deref;

use serde::de::DeserializeOwned;
use tauri::http::HeaderMap;
use tauri::ipc::{Invoke, InvokeBody, InvokeError, InvokeResponseBody};
use tauri::{Manager, Runtime};
use yichuang_api::{Access, Command, IntoReply, Reply, cmd};
use yichuang_core::accounts::Actor;
use yichuang_core::desk::Acting;
use yichuang_core::error::CommandError;

use crate::state::AppState;

/// What a handler gets besides its request: the window's state (through `Deref`), the
/// person the table's check let through, and the raw request for a command that reads it.
pub struct Cx<'a> {
    state: &'a AppState,
    actor: Option<Actor>,
    body: &'a InvokeBody,
    headers: &'a HeaderMap,
}

impl Deref for Cx<'_> {
    type Target = AppState;

    fn deref(&self) -> &AppState {
        self.state
    }
}

impl<'a> Cx<'a> {
    /// The signed-in person the table's permission check let through.
    pub fn actor(&self) -> Result<&Actor, CommandError> {
        self.actor.as_ref().ok_or_else(|| CommandError::Internal {
            message: "此命令未经权限检查，不能代表登录人操作".into(),
        })
    }

    /// The desk acting as that person.
    pub fn acting(&self) -> Result<Acting<'a>, CommandError> {
        let actor = self.actor()?.clone();
        Ok(self.state.desk.acting_as(actor))
    }

    /// The request body (a file's raw bytes for a `raw` command).
    pub fn body(&self) -> &InvokeBody {
        self.body
    }

    /// The request headers.
    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }
}

/// The table's check: nothing for a public command, a session for a `signed_in` one, else
/// the signed-in person holding the permission (see [`AppState::authorize`]).
pub async fn gate(state: &AppState, access: Access) -> Result<Option<Actor>, CommandError> {
    match access {
        Access::Public => Ok(None),
        Access::SignedIn => state.require_session().map(|_| None),
        Access::Permission(p) => state.authorize(p).await.map(Some),
        Access::Quietly(p) => state.authorize_quietly(p).await.map(Some),
    }
}

fn parse<Q: DeserializeOwned>(command: Command, body: &InvokeBody) -> Result<Q, InvokeError> {
    let value = match body {
        InvokeBody::Json(value) => value.clone(),
        // A raw command's details travel in headers: its request has no fields.
        InvokeBody::Raw(_) => serde_json::Value::Object(Default::default()),
    };
    serde_json::from_value(value).map_err(|e| {
        InvokeError::from(format!(
            "invalid args for command `{}`: {e}",
            command.name()
        ))
    })
}

fn answer<T: IntoReply>(out: T) -> Result<InvokeResponseBody, InvokeError> {
    match out.into_reply() {
        Ok(Reply::Json(json)) => Ok(InvokeResponseBody::Json(json)),
        Ok(Reply::Bytes(bytes)) => Ok(InvokeResponseBody::Raw(bytes)),
        Err(e) => Err(InvokeError::from(e.to_string())),
    }
}

macro_rules! dispatch_table {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident $name:ident { $($field:ident : $fty:ty),* $(,)? } -> $resp:ty, $access:ident $($perm:ident)? $(, $raw:ident)?;
    )*) => {
        async fn run(command: Command, cx: Cx<'_>) -> Result<InvokeResponseBody, InvokeError> {
            match command {
                $(
                    Command::$variant => {
                        let request: cmd::$name::Request = parse(command, cx.body)?;
                        let out: cmd::$name::Response = crate::commands::$name(cx, request).await?;
                        answer(out)
                    }
                )*
            }
        }
    };
}

yichuang_api::with_commands!(dispatch_table);

/// Runs `command` for the window: the table's check, then its handler.
pub async fn dispatch(
    command: Command,
    state: &AppState,
    body: &InvokeBody,
    headers: &HeaderMap,
) -> Result<InvokeResponseBody, InvokeError> {
    let actor = gate(state, command.access()).await?;
    let cx = Cx {
        state,
        actor,
        body,
        headers,
    };
    run(command, cx).await
}

/// The invoke handler of the window: every command of the table, and nothing else.
pub fn invoke_handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    |invoke: Invoke<R>| {
        let Some(command) = Command::from_name(invoke.message.command()) else {
            return false;
        };
        let webview = invoke.message.webview();
        let body = invoke.message.payload().clone();
        let headers = invoke.message.headers().clone();
        invoke.resolver.respond_async_serialized(async move {
            let Some(state) = webview.try_state::<AppState>() else {
                return Err(InvokeError::from("一窗的状态未初始化"));
            };
            dispatch(command, &state, &body, &headers).await
        });
        true
    }
}
