//! Protection of personal data at rest.
//!
//! ID numbers, phone numbers, addresses and the issued documents (which print them) are
//! stored encrypted with SM4-GCM (GB/T 32907 block cipher in GCM mode, 96-bit random nonce,
//! 128-bit tag). Searching by ID number uses a blind index, HMAC-SM3 over the normalised
//! number, so the plain number never reaches the database.
//!
//! The desk key (16 bytes for SM4, 32 bytes for HMAC) lives in `desk.key` in the data
//! directory, created with mode 0600. What this protects: a copied or backed-up database file
//! alone reveals no ID numbers, phones or addresses. What it does not: someone who can read
//! the desk account's files has the key too.

use std::path::Path;

use aes_gcm::AesGcm;
use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{Aead, KeyInit};
use hmac::Mac;

use crate::error::{CoreError, Result};

type Sm4Gcm = AesGcm<sm4::Sm4, U12>;
type HmacSm3 = hmac::Hmac<sm3::Sm3>;

const KEY_FILE: &str = "desk.key";
const NONCE_LEN: usize = 12;

#[derive(Clone)]
pub struct DeskKeys {
    enc: [u8; 16],
    mac: [u8; 32],
}

impl std::fmt::Debug for DeskKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeskKeys(..)")
    }
}

impl DeskKeys {
    /// Reads the desk key from `dir`, creating it on first use.
    pub fn load_or_create(dir: &Path) -> Result<Self> {
        let path = dir.join(KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::from_hex(text.trim()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut bytes = [0u8; 48];
                getrandom::fill(&mut bytes).map_err(|e| CoreError::Crypto(e.to_string()))?;
                write_private(&path, hex::encode(bytes).as_bytes())?;
                Self::from_hex(&hex::encode(bytes))
            }
            Err(e) => Err(CoreError::io(&path, e)),
        }
    }

    fn from_hex(text: &str) -> Result<Self> {
        let bytes = hex::decode(text).map_err(|_| CoreError::Crypto("desk.key 格式不对".into()))?;
        if bytes.len() != 48 {
            return Err(CoreError::Crypto("desk.key 长度不对".into()));
        }
        let mut enc = [0u8; 16];
        let mut mac = [0u8; 32];
        enc.copy_from_slice(&bytes[..16]);
        mac.copy_from_slice(&bytes[16..]);
        Ok(DeskKeys { enc, mac })
    }

    /// Encrypts `plain`: nonce || ciphertext || tag.
    pub fn seal(&self, plain: &[u8]) -> Result<Vec<u8>> {
        let cipher = Sm4Gcm::new(&self.enc.into());
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|e| CoreError::Crypto(e.to_string()))?;
        let ct = cipher
            .encrypt(&nonce.into(), plain)
            .map_err(|_| CoreError::Crypto("加密失败".into()))?;
        let mut out = Vec::with_capacity(NONCE_LEN + ct.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Decrypts what `seal` produced; fails on any tampering or a wrong key.
    pub fn open(&self, sealed: &[u8]) -> Result<Vec<u8>> {
        if sealed.len() < NONCE_LEN + 16 {
            return Err(CoreError::Crypto("密文过短".into()));
        }
        let (nonce, ct) = sealed.split_at(NONCE_LEN);
        let mut n = [0u8; NONCE_LEN];
        n.copy_from_slice(nonce);
        Sm4Gcm::new(&self.enc.into())
            .decrypt(&n.into(), ct)
            .map_err(|_| CoreError::Crypto("解密失败：数据被改动或密钥不符".into()))
    }

    pub fn seal_str(&self, plain: &str) -> Result<Vec<u8>> {
        self.seal(plain.as_bytes())
    }

    pub fn open_str(&self, sealed: &[u8]) -> Result<String> {
        String::from_utf8(self.open(sealed)?)
            .map_err(|_| CoreError::Crypto("解密结果不是文本".into()))
    }

    /// The blind index of an identifier: HMAC-SM3, hex.
    pub fn blind_index(&self, value: &str) -> String {
        let mut mac = <HmacSm3 as hmac::KeyInit>::new_from_slice(&self.mac)
            .expect("HMAC accepts keys of any length");
        mac.update(value.trim().to_ascii_uppercase().as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| CoreError::io(path, e))?;
    f.write_all(bytes).map_err(|e| CoreError::io(path, e))?;
    f.sync_all().map_err(|e| CoreError::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_round_trips_and_detects_tampering() {
        let dir = tempfile::tempdir().unwrap();
        let keys = DeskKeys::load_or_create(dir.path()).unwrap();
        let sealed = keys.seal_str("11010519491231002X").unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"110105"));
        assert_eq!(keys.open_str(&sealed).unwrap(), "11010519491231002X");
        let mut bad = sealed.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert!(keys.open(&bad).is_err());
        // Two seals of the same value differ (random nonce).
        assert_ne!(sealed, keys.seal_str("11010519491231002X").unwrap());
    }

    #[test]
    fn key_persists_and_blind_index_is_stable() {
        let dir = tempfile::tempdir().unwrap();
        let a = DeskKeys::load_or_create(dir.path()).unwrap();
        let b = DeskKeys::load_or_create(dir.path()).unwrap();
        assert_eq!(
            a.blind_index("11010519491231002x"),
            b.blind_index("11010519491231002X")
        );
        assert_ne!(
            a.blind_index("11010519491231002X"),
            a.blind_index("110105194912310021")
        );
        let sealed = a.seal_str("13912345678").unwrap();
        assert_eq!(b.open_str(&sealed).unwrap(), "13912345678");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
