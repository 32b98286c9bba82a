//! The errors that cross the seam to the window: field-level problems and a command's error.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One field-level problem with the input: the field's JSON name, its Chinese label and
/// what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldError {
    pub field: String,
    pub label: String,
    pub message: String,
}

/// The error a command returns to the window. Serialized with a `kind` tag so the UI can put
/// field errors under their fields and show the rest as a message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CommandError {
    Validation {
        message: String,
        errors: Vec<FieldError>,
    },
    NotFound {
        message: String,
    },
    Conflict {
        message: String,
    },
    Storage {
        message: String,
    },
    Internal {
        message: String,
    },
    Unauthenticated {
        message: String,
    },
    Forbidden {
        message: String,
    },
}
