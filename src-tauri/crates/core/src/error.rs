//! Typed errors of the core. Their `Display` text is Chinese where a clerk reads it.

pub use yichuang_types::error::CommandError;
use yichuang_types::error::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The input has field-level problems; nothing was stored.
    #[error("输入有误：{}", summarize(.0))]
    Validation(Vec<FieldError>),
    #[error("未找到{0}")]
    NotFound(String),
    #[error("不允许的操作：{0}")]
    Conflict(String),
    #[error("事项目录有误：{0}")]
    Catalog(String),
    #[error("数据库错误：{0}")]
    Storage(#[from] sqlx::Error),
    #[error("数据库升级失败：{0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("文件读写失败：{path}：{source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("数据保护密钥有误：{0}")]
    Crypto(String),
    #[error("生成文书失败：{0}")]
    Pdf(#[from] yichuang_pdf::PdfError),
    #[error("数据格式有误：{0}")]
    Data(String),
    #[error("{0}")]
    Print(#[from] crate::printing::PrintError),
    /// A scanner or document camera failed: missing, busy, jammed, timed out.
    #[error("{0}")]
    Device(String),
    /// Not signed in, or the sign-in failed, or the session is locked or ended.
    #[error("{0}")]
    Unauthenticated(String),
    /// Signed in, but the account's roles do not allow the action.
    #[error("{0}")]
    Forbidden(String),
}

fn summarize(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}：{}", e.label, e.message))
        .collect::<Vec<_>>()
        .join("；")
}

impl From<serde_json::Error> for CoreError {
    fn from(e: serde_json::Error) -> Self {
        CoreError::Data(e.to_string())
    }
}

impl From<yichuang_rules::catalog::CatalogError> for CoreError {
    fn from(e: yichuang_rules::catalog::CatalogError) -> Self {
        CoreError::Catalog(e.0)
    }
}

impl CoreError {
    pub fn io(path: impl AsRef<std::path::Path>, source: std::io::Error) -> Self {
        CoreError::Io {
            path: path.as_ref().display().to_string(),
            source,
        }
    }
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;

impl From<CoreError> for CommandError {
    fn from(e: CoreError) -> Self {
        let message = e.to_string();
        match e {
            CoreError::Validation(errors) => CommandError::Validation { message, errors },
            CoreError::NotFound(_) => CommandError::NotFound { message },
            // A catalog file that cannot be imported is bad input, reported by row and column.
            CoreError::Catalog(_) => CommandError::Validation {
                message,
                errors: vec![],
            },
            CoreError::Conflict(_) => CommandError::Conflict { message },
            CoreError::Storage(_) | CoreError::Migrate(_) | CoreError::Io { .. } => {
                CommandError::Storage { message }
            }
            CoreError::Print(_) | CoreError::Device(_) => CommandError::Conflict { message },
            CoreError::Crypto(_) | CoreError::Pdf(_) | CoreError::Data(_) => {
                CommandError::Internal { message }
            }
            CoreError::Unauthenticated(_) => CommandError::Unauthenticated { message },
            CoreError::Forbidden(_) => CommandError::Forbidden { message },
        }
    }
}
