//! Yichuang core: the counter's domain rules, its case store and the services that the
//! window (Tauri shell) and the `yichuang` CLI both call. Nothing here depends on a UI.

pub mod acceptance;
pub mod accounts;
pub mod calllog;
pub mod capture;
pub mod cases;
pub mod catalog_xlsx;
pub mod demo;
pub mod desk;
pub mod desk_calendar;
pub mod dict;
pub mod documents;
pub mod error;
pub mod idreader;
pub mod inbox;
pub mod intake;
pub mod materials;
pub mod model;
pub mod orders;
pub mod outbox;
pub mod paths;
pub mod pii;
pub mod plan;
pub mod printing;
pub mod sharing;
pub mod stats;
pub use yichuang_store as store;
pub mod supervision;
pub mod supervision_xlsx;
pub mod supervision_xml;
pub mod time;
pub mod workdays;

// The pure rules live in `yichuang-rules`; their paths under the core stay.
pub use yichuang_rules::{calendar, catalog, idcard, notice, timelimit, validate, workflow};

pub use desk::Desk;
pub use error::CoreError;
