//! Yichuang rules: the counter's domain rules, pure functions over the types of
//! `yichuang-types`, with no I/O (no database, no files, no async runtime: this crate does not
//! depend on them). Each rule has its unit tests here, without a database.
//!
//! - [`workflow`]: the case states and their legal transitions;
//! - [`validate`]: the intake form's checks, and credit codes;
//! - [`idcard`]: resident ID numbers (check digit, birth date, region) and masking;
//! - [`calendar`] and [`timelimit`]: working days, holidays, promised dates, warning levels;
//! - [`catalog`] and [`catalog_xlsx`]: the item catalog, its checks and its workbook;
//! - [`notice`]: what a notice (receipt, acceptance, rejection, supplement) says;
//! - [`labels`]: the UI's label tables (`ui/src/gen/labels.ts`), generated from all of these.

pub mod calendar;
pub mod catalog;
pub mod catalog_xlsx;
pub mod idcard;
pub mod labels;
pub mod notice;
pub mod timelimit;
pub mod validate;
pub mod workflow;
