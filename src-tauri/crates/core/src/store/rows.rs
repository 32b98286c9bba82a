//! Helpers shared by the row types of the store modules: reading a dictionary code stored as
//! text back into its type.

use crate::error::{CoreError, Result};

/// Parses the code `raw` read from `column`, or says which value was not understood.
pub fn decode<T>(column: &str, raw: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T> {
    parse(raw).ok_or_else(|| CoreError::Data(format!("{column} 的值“{raw}”无法识别")))
}
