//! Content-addressed storage of page files: each file is stored once, under its
//! SHA-256, in sharded directories (`ab/cd/abcd…`). Writes are atomic (temporary file in
//! the same directory, flushed, then renamed). Metadata in SQLite is core's business;
//! this returns what it needs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use crate::import::{self, FileKind};

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("材料存储目录“{path}”无法写入：{source}。请检查磁盘空间与权限")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("材料编号无效：{0}")]
    BadHash(String),
    #[error("材料 {0} 不存在")]
    NotFound(String),
    #[error("材料 {0} 已损坏（内容与编号不符），请从原件重新扫描")]
    Damaged(String),
}

/// What was stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobInfo {
    /// SHA-256, lower-case hex.
    pub hash: String,
    pub size: u64,
    pub mime: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub dpi: Option<u32>,
    /// False when identical content was already stored.
    pub created: bool,
}

pub struct BlobStore {
    root: PathBuf,
}

static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> BlobError + '_ {
    move |source| BlobError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// SHA-256 of `bytes` in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

impl BlobStore {
    /// Opens (creating if needed) a store rooted at `root`.
    pub fn open(root: impl Into<PathBuf>) -> Result<BlobStore, BlobError> {
        let root = root.into();
        std::fs::create_dir_all(&root).map_err(io_err(&root))?;
        Ok(BlobStore { root })
    }

    /// Where the blob with `hash` lives (whether or not it exists).
    pub fn path(&self, hash: &str) -> Result<PathBuf, BlobError> {
        let ok = hash.len() == 64 && hash.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'));
        if !ok {
            return Err(BlobError::BadHash(hash.to_string()));
        }
        Ok(self.root.join(&hash[..2]).join(&hash[2..4]).join(hash))
    }

    /// Stores `bytes` (once) and describes them.
    pub fn put(&self, bytes: &[u8]) -> Result<BlobInfo, BlobError> {
        let hash = sha256_hex(bytes);
        let dest = self.path(&hash)?;
        let dir = dest.parent().unwrap_or(&self.root).to_path_buf();
        let created = match std::fs::metadata(&dest) {
            Ok(m) if m.len() == bytes.len() as u64 => false,
            _ => {
                std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
                let tmp = dir.join(format!(
                    ".tmp-{}-{}-{}",
                    &hash[..16],
                    std::process::id(),
                    TMP_COUNTER.fetch_add(1, Ordering::SeqCst)
                ));
                let write = || -> std::io::Result<()> {
                    let mut f = std::fs::File::create(&tmp)?;
                    f.write_all(bytes)?;
                    f.sync_all()?;
                    std::fs::rename(&tmp, &dest)
                };
                if let Err(e) = write() {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(io_err(&dest)(e));
                }
                // Make the rename durable; not every platform can open a directory.
                if let Ok(d) = std::fs::File::open(&dir) {
                    let _ = d.sync_all();
                }
                true
            }
        };
        let kind = import::detect(bytes);
        let (mut width, mut height, mut dpi) = (None, None, None);
        if let Some(k @ (FileKind::Jpeg | FileKind::Png | FileKind::Tiff)) = kind {
            let format = match k {
                FileKind::Jpeg => image::ImageFormat::Jpeg,
                FileKind::Png => image::ImageFormat::Png,
                _ => image::ImageFormat::Tiff,
            };
            if let Ok((w, h)) = image::ImageReader::with_format(std::io::Cursor::new(bytes), format)
                .into_dimensions()
            {
                width = Some(w);
                height = Some(h);
            }
            dpi = match k {
                FileKind::Jpeg => import::jpeg_dpi(bytes),
                FileKind::Png => import::png_dpi(bytes),
                _ => import::tiff_dpi(bytes),
            };
        }
        Ok(BlobInfo {
            hash,
            size: bytes.len() as u64,
            mime: kind
                .map(|k| k.mime())
                .unwrap_or("application/octet-stream")
                .to_string(),
            width,
            height,
            dpi,
            created,
        })
    }

    /// Reads a blob back, verifying its content against its name.
    pub fn get(&self, hash: &str) -> Result<Vec<u8>, BlobError> {
        let path = self.path(hash)?;
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(BlobError::NotFound(hash.to_string()));
            }
            Err(e) => return Err(io_err(&path)(e)),
        };
        if sha256_hex(&bytes) != hash {
            return Err(BlobError::Damaged(hash.to_string()));
        }
        Ok(bytes)
    }

    pub fn contains(&self, hash: &str) -> bool {
        self.path(hash).map(|p| p.is_file()).unwrap_or(false)
    }
}
