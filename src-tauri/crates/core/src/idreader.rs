//! The ID card reader as the desk uses it: which reader (a vendor's local service, by URL,
//! remembered per desk), the simulated cards of the trainers' demo, and what a read card gives
//! the intake form. The devices themselves are `yichuang_scan::idcard_reader`.

use base64::Engine;
use yichuang_scan::idcard_reader::IdCardData;

use crate::desk::Desk;
use crate::error::{CoreError, Result};
use crate::idcard::{self, testdata};
use crate::model::IdCardRead;

impl Desk {
    /// The URL of this desk's ID card reader service, if set.
    pub async fn id_reader_url(&self) -> Result<Option<String>> {
        Ok(self
            .store
            .setting("id_reader_url")
            .await?
            .filter(|u| !u.trim().is_empty()))
    }

    /// Sets (or, with an empty string, clears) the reader service's URL.
    pub async fn set_id_reader_url(&self, url: &str) -> Result<()> {
        let url = url.trim();
        if !(url.is_empty() || url.starts_with("http://")) {
            return Err(CoreError::Validation(vec![crate::model::FieldError {
                field: "id_reader_url".into(),
                label: "身份证阅读器服务地址".into(),
                message: "地址应以 http:// 开头，如 http://127.0.0.1:19196/readcard".into(),
            }]));
        }
        Ok(self.store.set_setting("id_reader_url", url).await?)
    }

    /// What a read card gives the clerk: its fields, and whether its number passes GB 11643.
    pub fn id_card_read(&self, card: IdCardData) -> IdCardRead {
        let problem = idcard::validate(&card.id_number, self.now().date_naive())
            .err()
            .map(|e| format!("身份证号码校验未通过：{e}。请核对证件"));
        IdCardRead {
            name: card.name,
            sex: card.sex,
            ethnicity: card.ethnicity,
            birth_date: card.birth_date,
            address: card.address,
            id_number: card.id_number,
            issuing_authority: card.issuing_authority,
            valid_from: card.valid_from,
            valid_to: card.valid_to,
            photo_jpeg_base64: card
                .photo_jpeg
                .map(|p| base64::engine::general_purpose::STANDARD.encode(p)),
            problem,
        }
    }
}

/// A generated card for the simulated reader: a valid-looking identity, never a real person.
pub fn demo_card(rng: &mut fastrand::Rng, today: chrono::NaiveDate) -> IdCardData {
    let id_number = testdata::random_id(rng);
    let info = idcard::validate(&id_number, today).ok();
    let region = info
        .as_ref()
        .map(|i| i.region_name.clone())
        .unwrap_or_default();
    const STREETS: &[&str] = &["解放南路", "人民路", "新华北路", "友好北路", "北京南路"];
    IdCardData {
        name: testdata::random_name(rng),
        sex: if info.as_ref().is_some_and(|i| i.male) {
            "男".into()
        } else {
            "女".into()
        },
        ethnicity: ["汉", "维吾尔", "哈萨克", "回"][rng.usize(..4)].into(),
        birth_date: info
            .as_ref()
            .map(|i| i.birth_date.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        address: format!(
            "新疆{region}{}{}号",
            STREETS[rng.usize(..STREETS.len())],
            rng.u32(1..300)
        ),
        issuing_authority: format!(
            "乌鲁木齐市公安局{}分局",
            region.trim_start_matches("乌鲁木齐市")
        ),
        valid_from: "2020-01-01".into(),
        valid_to: "2040-01-01".into(),
        id_number,
        photo_jpeg: None,
    }
}
