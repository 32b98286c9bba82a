//! The catalog as an .xlsx workbook (the import format). The workbook's rules are in
//! [`yichuang_rules::catalog_xlsx`]; here they report the core's error.

use crate::catalog::CatalogFile;
use crate::error::Result;

/// The catalog as a workbook.
pub fn export(catalog: &CatalogFile) -> Result<Vec<u8>> {
    Ok(yichuang_rules::catalog_xlsx::export(catalog)?)
}

/// Reads a workbook: every problem is reported, by sheet, row and column.
pub fn import(bytes: &[u8]) -> Result<CatalogFile> {
    Ok(yichuang_rules::catalog_xlsx::import(bytes)?)
}
