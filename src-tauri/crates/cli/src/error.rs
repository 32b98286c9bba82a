//! The command line's errors and their exit codes.

use yichuang_core::CoreError;

/// Exit codes: 0 success, 1 other failure, 2 invalid input, 3 not found, 4 not allowed in
/// the case's state, 5 not signed in or not allowed (accounts).
#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error("读取 {path} 失败：{source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("JSON 格式有误（第{line}行第{column}列）：{message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("输出失败：{0}")]
    Output(String),
    #[error("{0}")]
    Usage(&'static str),
    #[error("{0} 条同步消息未能送达")]
    SyncFailed(u32),
    #[error("无法在 {addr} 上启动办件中心模拟器：{message}")]
    Listen { addr: String, message: String },
    #[error("无法记录本机管理员操作（{path}）：{source}；操作未执行")]
    Record {
        path: String,
        source: std::io::Error,
    },
}

impl CliError {
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            CliError::Core(CoreError::Validation(_) | CoreError::Catalog(_))
            | CliError::Json { .. }
            | CliError::Usage(_) => 2,
            CliError::Core(CoreError::NotFound(_)) => 3,
            CliError::Core(CoreError::Conflict(_)) => 4,
            CliError::Core(CoreError::Unauthenticated(_) | CoreError::Forbidden(_)) => 5,
            _ => 1,
        }
    }

    /// A field error of the command's input (exit code 2), with the field's Chinese label.
    pub(crate) fn invalid(field: &str, label: &str, message: String) -> CliError {
        CliError::Core(CoreError::Validation(vec![
            yichuang_core::model::FieldError {
                field: field.into(),
                label: label.into(),
                message,
            },
        ]))
    }
}
