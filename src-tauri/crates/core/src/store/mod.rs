//! The desk's SQLite store: connection settings, migrations, and all the SQL of the desk, one
//! module per table family. Functions that take `&mut SqliteConnection` (or any executor) work
//! inside the caller's transaction (`&mut *tx`); rows are `FromRow` structs, each converted to
//! its model type in one place.
//!
//! The database runs in WAL mode with `synchronous = FULL`, so a committed transaction is on
//! disk before the commit returns: a case the UI reports as accepted survives a power cut.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::catalog::CatalogFile;
use crate::error::Result;
use crate::model::CatalogItem;

pub mod accounts;
pub mod calendar_files;
pub mod calllog;
pub mod cases;
pub mod catalog;
pub mod clock;
pub mod demo;
pub mod documents;
pub mod events;
pub mod hall_images;
pub mod inbox;
pub mod materials;
pub mod notifications;
pub mod orders;
pub mod outbox;
pub mod rows;
pub mod sessions;
pub mod settings;
pub mod shares;
pub mod supervision;
pub mod supplements;

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
        settings::get(&self.pool, key).await
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        settings::set(&self.pool, key, value).await
    }

    /// Replaces the whole catalog in one transaction: a catalog never half-imports.
    pub async fn replace_catalog(&self, catalog: &CatalogFile) -> Result<()> {
        let mut tx = self.write().await?;
        catalog::replace(&mut tx, catalog).await?;
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
        catalog::items(&self.pool).await
    }
}

/// Parses a stored code, reporting a bad value as a data error naming its column.
pub fn parse_code<T>(column: &str, raw: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T> {
    rows::decode(column, raw, parse)
}

/// An optional stored code, parsed like [`parse_code`].
pub fn parse_opt_code<T>(
    column: &str,
    raw: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>> {
    raw.map(|r| parse_code(column, r, parse)).transpose()
}
