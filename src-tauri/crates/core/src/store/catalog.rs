//! The `catalog_items` table: the items of the desk's catalog, each stored as JSON.

use sqlx::{SqliteConnection, SqliteExecutor};

use crate::catalog::CatalogFile;
use crate::error::{CoreError, Result};
use crate::model::CatalogItem;

/// Replaces every item, and the catalog's version and area settings.
pub async fn replace(conn: &mut SqliteConnection, catalog: &CatalogFile) -> Result<()> {
    sqlx::query("DELETE FROM catalog_items")
        .execute(&mut *conn)
        .await?;
    for (ord, item) in catalog.items.iter().enumerate() {
        let body = serde_json::to_string(item).map_err(|e| CoreError::Data(e.to_string()))?;
        sqlx::query(
            "INSERT INTO catalog_items (dept_ql_reg_no, ord, dept_ql_name, org_name, body)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&item.dept_ql_reg_no)
        .bind(ord as i64)
        .bind(&item.dept_ql_name)
        .bind(&item.org_name)
        .bind(body)
        .execute(&mut *conn)
        .await?;
    }
    for (key, value) in [
        ("catalog_version", &catalog.version),
        ("catalog_area_no", &catalog.area_no),
        ("catalog_area_name", &catalog.area_name),
    ] {
        super::settings::set(&mut *conn, key, value).await?;
    }
    Ok(())
}

/// The items in catalog order.
pub async fn items(ex: impl SqliteExecutor<'_>) -> Result<Vec<CatalogItem>> {
    let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM catalog_items ORDER BY ord")
        .fetch_all(ex)
        .await?;
    bodies
        .iter()
        .map(|body| serde_json::from_str(body).map_err(|e| CoreError::Data(e.to_string())))
        .collect()
}
