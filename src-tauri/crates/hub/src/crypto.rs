//! Protection of `projectinfo` (seed 000, 5.2 and tables 5 and 9: "以下内容整体加密，使用数字签名
//! 进行SM4加密").
//!
//! Two schemes, chosen by [`CryptoConfig`]:
//!
//! - **Default (the seed's reading).** SM4-ECB, PKCS#7 padding, Base64. The key is the 16 bytes
//!   written as the 32 hex digits of the message's `sign` UUID. The key travels in the same
//!   message, so this is obfuscation against casual capture, not confidentiality against anyone
//!   who can read the message, and it gives no integrity at all.
//! - **Hardened.** A pre-shared 16-byte key, SM4-CBC with a random 16-byte IV per message, and
//!   HMAC-SM3 over IV || ciphertext appended to the message. The tag is verified (in constant
//!   time) before anything is decrypted. CBC was chosen over CTR because CBC with PKCS#7 is what
//!   Java peers ("SM4/CBC/PKCS5Padding") implement most often; the MAC closes the padding-oracle
//!   door that CBC would otherwise open. Two sub-keys are derived from the pre-shared key with
//!   HMAC-SM3 (labels `yichuang-hub/enc` and `yichuang-hub/mac`), so encryption and
//!   authentication never share a key.
//!
//! Every combination of the four settings is accepted: the IV is used iff the mode is CBC, the
//! MAC iff the key is pre-shared.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ecb::cipher::block_padding::{Pkcs7, ZeroPadding};
use ecb::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyInit, KeyIvInit};
use hmac::Mac;
use serde::{Deserialize, Serialize};
use sm4::Sm4;

type HmacSm3 = hmac::Hmac<sm3::Sm3>;

/// SM4 block size in bytes.
pub const BLOCK: usize = 16;
/// HMAC-SM3 tag length in bytes.
pub const TAG: usize = 32;

/// Block cipher mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CipherMode {
    /// Electronic codebook: the seed's default, deterministic, no IV.
    Ecb,
    /// Cipher block chaining with a random IV per message, sent in front of the ciphertext.
    Cbc,
}

/// Padding of the last block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PaddingScheme {
    /// PKCS#7 (Java's "PKCS5Padding").
    Pkcs7,
    /// Zero bytes up to the block size ("NoPadding" peers padding by hand). Trailing NUL bytes
    /// of the plaintext are lost, which never matters for JSON text.
    Zero,
}

/// Text encoding of the binary message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextEncoding {
    Base64,
    Hex,
}

/// Where the SM4 key comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum KeySource {
    /// The 16 bytes of the `sign` UUID's 32 hex digits (the seed's scheme).
    Sign,
    /// A pre-shared key, 32 hex digits, agreed with the hub out of band. Enables the MAC.
    PreShared { key_hex: String },
}

/// How `projectinfo` is protected. Serialized in the desk's configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CryptoConfig {
    pub mode: CipherMode,
    pub padding: PaddingScheme,
    pub encoding: TextEncoding,
    pub key_source: KeySource,
}

impl Default for CryptoConfig {
    fn default() -> Self {
        CryptoConfig::seed_default()
    }
}

impl CryptoConfig {
    /// SM4-ECB, PKCS#7, Base64, key from `sign`.
    pub fn seed_default() -> Self {
        CryptoConfig {
            mode: CipherMode::Ecb,
            padding: PaddingScheme::Pkcs7,
            encoding: TextEncoding::Base64,
            key_source: KeySource::Sign,
        }
    }

    /// SM4-CBC, random IV, PKCS#7, HMAC-SM3, Base64, pre-shared key.
    pub fn hardened(key: [u8; 16]) -> Self {
        CryptoConfig {
            mode: CipherMode::Cbc,
            padding: PaddingScheme::Pkcs7,
            encoding: TextEncoding::Base64,
            key_source: KeySource::PreShared {
                key_hex: hex::encode(key),
            },
        }
    }

    /// Checks the configuration (the pre-shared key's format).
    pub fn validate(&self) -> Result<(), CryptoError> {
        self.keys("00000000-0000-0000-0000-000000000000")
            .map(|_| ())
    }

    /// Encrypts `plaintext` for the message whose `sign` is `sign`.
    pub fn encrypt(&self, plaintext: &[u8], sign: &str) -> Result<String, CryptoError> {
        let keys = self.keys(sign)?;
        let mut out = Vec::with_capacity(plaintext.len() + BLOCK * 2 + TAG);
        match self.mode {
            CipherMode::Ecb => {
                let enc = ecb::Encryptor::<Sm4>::new(&keys.enc.into());
                out.extend_from_slice(&match self.padding {
                    PaddingScheme::Pkcs7 => enc.encrypt_padded_vec::<Pkcs7>(plaintext),
                    PaddingScheme::Zero => enc.encrypt_padded_vec::<ZeroPadding>(plaintext),
                });
            }
            CipherMode::Cbc => {
                let mut iv = [0u8; BLOCK];
                getrandom::fill(&mut iv).map_err(|_| CryptoError::Random)?;
                let enc = cbc::Encryptor::<Sm4>::new(&keys.enc.into(), &iv.into());
                out.extend_from_slice(&iv);
                out.extend_from_slice(&match self.padding {
                    PaddingScheme::Pkcs7 => enc.encrypt_padded_vec::<Pkcs7>(plaintext),
                    PaddingScheme::Zero => enc.encrypt_padded_vec::<ZeroPadding>(plaintext),
                });
            }
        }
        if let Some(mac_key) = keys.mac {
            let mut mac = mac_for(&mac_key);
            mac.update(&out);
            out.extend_from_slice(&mac.finalize().into_bytes());
        }
        Ok(match self.encoding {
            TextEncoding::Base64 => BASE64.encode(&out),
            TextEncoding::Hex => hex::encode(&out),
        })
    }

    /// Decrypts a message produced by [`CryptoConfig::encrypt`] with the same configuration.
    pub fn decrypt(&self, text: &str, sign: &str) -> Result<Vec<u8>, CryptoError> {
        let keys = self.keys(sign)?;
        let text = text.trim();
        let mut data = match self.encoding {
            TextEncoding::Base64 => BASE64.decode(text).map_err(|_| CryptoError::Encoding)?,
            TextEncoding::Hex => hex::decode(text).map_err(|_| CryptoError::Encoding)?,
        };
        if let Some(mac_key) = keys.mac {
            if data.len() < TAG {
                return Err(CryptoError::Length);
            }
            let tag = data.split_off(data.len() - TAG);
            let mut mac = mac_for(&mac_key);
            mac.update(&data);
            // `verify_slice` compares in constant time.
            mac.verify_slice(&tag)
                .map_err(|_| CryptoError::Authentication)?;
        }
        let (iv, body) = match self.mode {
            CipherMode::Ecb => (None, &data[..]),
            CipherMode::Cbc => {
                if data.len() < BLOCK {
                    return Err(CryptoError::Length);
                }
                let (iv, body) = data.split_at(BLOCK);
                let mut iv_arr = [0u8; BLOCK];
                iv_arr.copy_from_slice(iv);
                (Some(iv_arr), body)
            }
        };
        if body.is_empty() || body.len() % BLOCK != 0 {
            return Err(CryptoError::Length);
        }
        let plain = match iv {
            None => {
                let dec = ecb::Decryptor::<Sm4>::new(&keys.enc.into());
                match self.padding {
                    PaddingScheme::Pkcs7 => dec.decrypt_padded_vec::<Pkcs7>(body),
                    PaddingScheme::Zero => dec.decrypt_padded_vec::<ZeroPadding>(body),
                }
            }
            Some(iv) => {
                let dec = cbc::Decryptor::<Sm4>::new(&keys.enc.into(), &iv.into());
                match self.padding {
                    PaddingScheme::Pkcs7 => dec.decrypt_padded_vec::<Pkcs7>(body),
                    PaddingScheme::Zero => dec.decrypt_padded_vec::<ZeroPadding>(body),
                }
            }
        };
        plain.map_err(|_| CryptoError::Padding)
    }

    fn keys(&self, sign: &str) -> Result<Keys, CryptoError> {
        match &self.key_source {
            KeySource::Sign => Ok(Keys {
                enc: key_from_sign(sign)?,
                mac: None,
            }),
            KeySource::PreShared { key_hex } => {
                let raw = hex::decode(key_hex.trim()).map_err(|_| CryptoError::PreSharedKey)?;
                let psk: [u8; 16] = raw.try_into().map_err(|_| CryptoError::PreSharedKey)?;
                let mut enc = [0u8; 16];
                enc.copy_from_slice(&derive(&psk, b"yichuang-hub/enc")[..16]);
                Ok(Keys {
                    enc,
                    mac: Some(derive(&psk, b"yichuang-hub/mac")),
                })
            }
        }
    }
}

struct Keys {
    enc: [u8; 16],
    mac: Option<[u8; 32]>,
}

fn mac_for(key: &[u8]) -> HmacSm3 {
    // HMAC zero-pads a key shorter than the hash block (64 bytes for SM3), so padding it here
    // gives the same MAC and an infallible constructor. Our keys are 16 or 32 bytes.
    let mut block = [0u8; 64];
    let n = key.len().min(block.len());
    block[..n].copy_from_slice(&key[..n]);
    <HmacSm3 as KeyInit>::new(&block.into())
}

fn derive(psk: &[u8; 16], label: &[u8]) -> [u8; 32] {
    let mut mac = mac_for(psk);
    mac.update(label);
    mac.finalize().into_bytes().into()
}

/// The SM4 key of the seed's scheme: the 16 bytes of the UUID's 32 hex digits (hyphens and
/// case ignored).
pub fn key_from_sign(sign: &str) -> Result<[u8; 16], CryptoError> {
    let hex_digits: String = sign.chars().filter(|c| *c != '-').collect();
    if hex_digits.len() != 32 {
        return Err(CryptoError::Sign);
    }
    let raw = hex::decode(hex_digits).map_err(|_| CryptoError::Sign)?;
    raw.try_into().map_err(|_| CryptoError::Sign)
}

/// A fresh `sign`: a random (v4) UUID in its hyphenated form.
pub fn new_sign() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Why a message could not be protected or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("数字签名（sign）不是有效的UUID，无法得到SM4密钥")]
    Sign,
    #[error("预共享SM4密钥配置错误：应为32位十六进制数字")]
    PreSharedKey,
    #[error("办件数据包编码错误：不是有效的Base64或十六进制文本")]
    Encoding,
    #[error("办件数据包长度错误：不是完整的SM4分组")]
    Length,
    #[error("办件数据包完整性校验失败：数据被篡改或密钥不一致")]
    Authentication,
    #[error("办件数据包解密失败：密钥不一致或数据损坏")]
    Padding,
    #[error("无法生成随机数")]
    Random,
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecb::cipher::BlockCipherEncrypt;

    const SIGN: &str = "0123456789abcdeffedcba9876543210";

    // GB/T 32907-2016, appendix A, example 1.
    const GB_KEY: [u8; 16] = [
        0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32,
        0x10,
    ];
    const GB_CT: &str = "681edf34d206965e86b3e94f536e4246";
    const GB_CT_1M: &str = "595298c7c6fd271f0402f804c33d3f66";

    #[test]
    fn gbt32907_single_block() {
        let cipher = Sm4::new(&GB_KEY.into());
        let mut block = GB_KEY.into();
        cipher.encrypt_block(&mut block);
        assert_eq!(hex::encode(block), GB_CT);
    }

    /// GB/T 32907-2016 example 2 (about 2 s in a debug build).
    #[test]
    fn gbt32907_one_million_iterations() {
        let cipher = Sm4::new(&GB_KEY.into());
        let mut block = GB_KEY.into();
        for _ in 0..1_000_000 {
            cipher.encrypt_block(&mut block);
        }
        assert_eq!(hex::encode(block), GB_CT_1M);
    }

    /// `printf abc | openssl dgst -sm3 -mac HMAC -macopt hexkey:5a5a…5a` (16 bytes).
    #[test]
    fn hmac_sm3_matches_openssl() {
        let mut mac = mac_for(&[0x5a; 16]);
        mac.update(b"abc");
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "1232d8ac7de609d268fe0ae06c2df5d0116bfb1abf0a17d913c4f0722fc919f4"
        );
    }

    #[test]
    fn sign_key_is_the_uuid_hex() {
        assert_eq!(
            key_from_sign("01234567-89AB-CDEF-FEDC-BA9876543210").unwrap(),
            GB_KEY
        );
        assert_eq!(key_from_sign("not-a-uuid"), Err(CryptoError::Sign));
        assert_eq!(
            key_from_sign("0123456789abcdeffedcba987654321g"),
            Err(CryptoError::Sign)
        );
    }

    #[test]
    fn default_scheme_first_block_is_the_gb_vector() {
        // Plaintext = the GB key, one block; PKCS#7 adds a full padding block.
        let ct = CryptoConfig::seed_default().encrypt(&GB_KEY, SIGN).unwrap();
        let raw = BASE64.decode(ct).unwrap();
        assert_eq!(raw.len(), 32);
        assert_eq!(hex::encode(&raw[..16]), GB_CT);
    }

    /// Computed independently with
    /// `printf '%s' '{"basicinfo":{"applicant_name":"张三"}}' |
    ///  openssl enc -sm4-ecb -K 0123456789abcdeffedcba9876543210 -base64 -A`.
    #[test]
    fn default_scheme_matches_openssl_multi_block() {
        let plain = r#"{"basicinfo":{"applicant_name":"张三"}}"#;
        let cfg = CryptoConfig::seed_default();
        let ct = cfg.encrypt(plain.as_bytes(), SIGN).unwrap();
        assert_eq!(ct, OPENSSL_ECB_B64);
        assert_eq!(
            cfg.decrypt(OPENSSL_ECB_B64, SIGN).unwrap(),
            plain.as_bytes()
        );
    }
    const OPENSSL_ECB_B64: &str = include_str!("../tests/data/openssl-sm4-ecb.b64");

    /// The hardened format built by hand with openssl (key derivation, SM4-CBC, HMAC-SM3), as
    /// a peer would: see `tests/data/openssl-hardened.b64`. PSK 00112233…eeff, IV 0f0e…00.
    #[test]
    fn hardened_scheme_reads_an_openssl_built_message() {
        let cfg = CryptoConfig::hardened([
            0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd,
            0xee, 0xff,
        ]);
        let msg = include_str!("../tests/data/openssl-hardened.b64");
        assert_eq!(
            cfg.decrypt(msg, SIGN).unwrap(),
            r#"{"basicinfo":{"applicant_name":"张三"}}"#.as_bytes()
        );
    }

    #[test]
    fn round_trips_every_combination() {
        let plain = "{\"materiallist\":[{\"sj_file_name\":\"身份证复印件\"}]}".repeat(7);
        for mode in [CipherMode::Ecb, CipherMode::Cbc] {
            for padding in [PaddingScheme::Pkcs7, PaddingScheme::Zero] {
                for encoding in [TextEncoding::Base64, TextEncoding::Hex] {
                    for key_source in [
                        KeySource::Sign,
                        KeySource::PreShared {
                            key_hex: "00112233445566778899aabbccddeeff".into(),
                        },
                    ] {
                        let cfg = CryptoConfig {
                            mode,
                            padding,
                            encoding,
                            key_source,
                        };
                        let sign = new_sign();
                        let ct = cfg.encrypt(plain.as_bytes(), &sign).unwrap();
                        assert_eq!(
                            cfg.decrypt(&ct, &sign).unwrap(),
                            plain.as_bytes(),
                            "{cfg:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn hardened_uses_a_fresh_iv_and_detects_tampering() {
        let cfg = CryptoConfig::hardened([7; 16]);
        let a = cfg.encrypt(b"{\"x\":1}", SIGN).unwrap();
        let b = cfg.encrypt(b"{\"x\":1}", SIGN).unwrap();
        assert_ne!(a, b, "same plaintext must not give the same ciphertext");
        let raw = BASE64.decode(&a).unwrap();
        assert_eq!(raw.len(), BLOCK + BLOCK + TAG);
        // Flip one bit in the IV, the ciphertext and the tag in turn.
        for pos in [0, BLOCK + 3, raw.len() - 1] {
            let mut t = raw.clone();
            t[pos] ^= 0x01;
            assert_eq!(
                cfg.decrypt(&BASE64.encode(&t), SIGN),
                Err(CryptoError::Authentication),
                "bit flip at {pos}"
            );
        }
        // Truncation.
        assert_eq!(
            cfg.decrypt(&BASE64.encode(&raw[..TAG - 1]), SIGN),
            Err(CryptoError::Length)
        );
        // Another pre-shared key.
        assert_eq!(
            CryptoConfig::hardened([8; 16]).decrypt(&a, SIGN),
            Err(CryptoError::Authentication)
        );
    }

    #[test]
    fn default_scheme_errors() {
        let cfg = CryptoConfig::seed_default();
        let ct = cfg.encrypt(b"{\"a\":\"b\"}", SIGN).unwrap();
        // Wrong key: PKCS#7 check fails (with overwhelming probability for this vector).
        assert_eq!(
            cfg.decrypt(&ct, "ffffffff-ffff-ffff-ffff-ffffffffffff"),
            Err(CryptoError::Padding)
        );
        assert_eq!(
            cfg.decrypt("不是base64!!", SIGN),
            Err(CryptoError::Encoding)
        );
        assert_eq!(cfg.decrypt("AAAA", SIGN), Err(CryptoError::Length));
        assert_eq!(cfg.decrypt("", SIGN), Err(CryptoError::Length));
        assert_eq!(cfg.encrypt(b"x", "bad"), Err(CryptoError::Sign));
        let bad = CryptoConfig {
            key_source: KeySource::PreShared {
                key_hex: "abcd".into(),
            },
            ..CryptoConfig::seed_default()
        };
        assert_eq!(bad.validate(), Err(CryptoError::PreSharedKey));
        assert!(CryptoConfig::hardened([1; 16]).validate().is_ok());
    }

    #[test]
    fn config_serde_shape() {
        let json = serde_json::to_value(CryptoConfig::hardened([0xab; 16])).unwrap();
        assert_eq!(json["mode"], "cbc");
        assert_eq!(json["padding"], "pkcs7");
        assert_eq!(json["encoding"], "base64");
        assert_eq!(json["key_source"]["kind"], "pre_shared");
        let back: CryptoConfig = serde_json::from_value(json).unwrap();
        assert_eq!(back, CryptoConfig::hardened([0xab; 16]));
    }
}
