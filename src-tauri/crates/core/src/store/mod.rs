//! The desk's SQLite store: connection settings, migrations, settings and the catalog.
//!
//! The database runs in WAL mode with `synchronous = FULL`, so a committed transaction is on
//! disk before the commit returns: a case the UI reports as accepted survives a power cut.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::Row;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::catalog::CatalogFile;
use crate::error::{CoreError, Result};
use crate::model::CatalogItem;

pub const DB_FILE: &str = "yichuang.db";

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating if needed) the database in `dir` and brings its schema up to date.
    pub async fn open(dir: &Path) -> Result<Self> {
        let path = dir.join(DB_FILE);
        let url = format!("sqlite://{}", path.display());
        let options = SqliteConnectOptions::from_str(&url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Store { pool })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Starts a write transaction that takes the write lock at once (`BEGIN IMMEDIATE`), so
    /// two desks' processes sharing a file wait for each other instead of failing mid-way.
    pub async fn write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Replaces the whole catalog in one transaction: a catalog never half-imports.
    pub async fn replace_catalog(&self, catalog: &CatalogFile) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM catalog_items")
            .execute(&mut *tx)
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
            .execute(&mut *tx)
            .await?;
        }
        for (key, value) in [
            ("catalog_version", &catalog.version),
            ("catalog_area_no", &catalog.area_no),
            ("catalog_area_name", &catalog.area_name),
        ] {
            sqlx::query(
                "INSERT INTO settings (key, value) VALUES (?, ?)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The catalog with its version and area, as it would be exported.
    pub async fn catalog_file(&self) -> Result<CatalogFile> {
        Ok(CatalogFile {
            version: self.setting("catalog_version").await?.unwrap_or_default(),
            area_no: self.setting("catalog_area_no").await?.unwrap_or_default(),
            area_name: self.setting("catalog_area_name").await?.unwrap_or_default(),
            items: self.catalog().await?,
        })
    }

    pub async fn catalog(&self) -> Result<Vec<CatalogItem>> {
        let rows = sqlx::query("SELECT body FROM catalog_items ORDER BY ord")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let body: String = r.try_get("body")?;
                serde_json::from_str(&body).map_err(|e| CoreError::Data(e.to_string()))
            })
            .collect()
    }
}

pub mod accounts;
pub mod inbox;
pub mod notifications;
pub mod orders;
pub mod outbox;
pub mod rows;
pub mod sessions;
pub mod shares;
pub mod supervision;
