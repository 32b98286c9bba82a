//! The store's errors. The services turn them into their own `CoreError` with the same text.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("未找到{0}")]
    NotFound(String),
    #[error("数据格式有误：{0}")]
    Data(String),
    #[error("数据库错误：{0}")]
    Storage(#[from] sqlx::Error),
    #[error("数据库升级失败：{0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Data(e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;
