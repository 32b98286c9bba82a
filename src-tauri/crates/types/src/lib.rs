//! Yichuang types: what crosses the seams between the desk, the window, the CLI and the hub.
//!
//! The bottom crate: no I/O and no domain rules (those are in `yichuang-rules`). The wire and
//! UI types are split by aggregate; the code dictionaries are declared with [`code_enum!`].
//! TypeScript bindings are generated from them (`ui/src/bindings/`), and so are the UI's
//! Chinese labels (`ui/src/gen/labels.ts`, see [`labels`]).

// The code enum macro names this crate by path, in the caller's crate and in this one.
extern crate self as yichuang_types;

mod code_enum;

pub mod accounts;
pub mod capture;
pub mod case;
pub mod catalog;
pub mod desk;
pub mod dict;
pub mod error;
pub mod intake;
pub mod labels;
pub mod outbox;
pub mod sharing;
pub mod supervision;

pub use code_enum::CodeEnum;
pub use error::{CommandError, FieldError};

#[doc(hidden)]
pub mod __private {
    pub use serde;
    #[cfg(feature = "sqlx")]
    pub use sqlx_core;
    pub use ts_rs;
}
