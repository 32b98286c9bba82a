//! Code dictionaries of seed 000, appendix B, re-exported from `yichuang-types` (declared there
//! with `code_enum!`).

pub use yichuang_types::dict::*;
