//! The types that cross the seam to the UI and the CLI, re-exported from `yichuang-types`
//! (split there by aggregate). TypeScript bindings are generated from them
//! (`ui/src/bindings/`), and the JSON field names follow seed 000 wherever the spec names the
//! field.

pub use yichuang_types::capture::*;
pub use yichuang_types::case::*;
pub use yichuang_types::catalog::*;
pub use yichuang_types::desk::*;
pub use yichuang_types::error::FieldError;
pub use yichuang_types::intake::*;
pub use yichuang_types::outbox::*;
pub use yichuang_types::sharing::*;
