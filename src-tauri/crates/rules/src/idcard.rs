//! Resident identity card numbers per GB 11643-1999: 6-digit address code (GB/T 2260),
//! 8-digit birth date, 3-digit sequence (odd = male), and an ISO 7064 MOD 11-2 check character.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};

/// GB/T 2260 codes, current and historical (an ID keeps the code of the place and time it was
/// first issued, so abolished codes stay valid). Data file: `assets/regions/gb2260.tsv`.
static REGIONS: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    include_str!("../../../../assets/regions/gb2260.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut cols = l.split('\t');
            Some((cols.next()?, cols.next()?))
        })
        .collect()
});

/// The name of a GB/T 2260 region code (such as 天山区 for 650102), current or historical.
pub fn region_name(code: &str) -> Option<&'static str> {
    REGIONS.get(code).copied()
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Why an ID number is not valid. The `Display` text is what the clerk reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdCardError {
    #[error("居民身份证号码应为18位，当前为{0}位")]
    Length(usize),
    #[error("居民身份证号码前17位应为数字，最后一位应为数字或X")]
    Charset,
    #[error("前6位地址码“{0}”不是有效的行政区划代码，请核对")]
    Region(String),
    #[error("出生日期“{0}”不是有效日期，请核对第7至14位")]
    BirthDate(String),
    #[error("出生日期“{0}”晚于今天，请核对第7至14位")]
    BirthInFuture(String),
    #[error("校验码不符，请逐位核对号码（特别是最后一位）")]
    CheckDigit,
}

/// What a valid number tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdCardInfo {
    /// The number, normalised (trimmed, upper-case X).
    pub number: String,
    pub region_code: String,
    pub region_name: String,
    pub birth_date: NaiveDate,
    pub male: bool,
}

/// The check character for the first 17 digits. `first17` must be 17 ASCII digits.
pub fn check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(CHECK_CHARS[(sum % 11) as usize])
}

/// Validates a resident ID number fully: length, characters, address code, birth date
/// (a real date, not after `today`, not before 1900) and the check character.
pub fn validate(raw: &str, today: NaiveDate) -> Result<IdCardInfo, IdCardError> {
    let number: String = raw.trim().to_ascii_uppercase();
    let len = number.chars().count();
    if len != 18 {
        return Err(IdCardError::Length(len));
    }
    let (body, last) = number.split_at(17);
    if !body.bytes().all(|b| b.is_ascii_digit())
        || !last.bytes().all(|b| b.is_ascii_digit() || b == b'X')
    {
        return Err(IdCardError::Charset);
    }
    let region = &number[0..6];
    let region_name = REGIONS
        .get(region)
        .ok_or_else(|| IdCardError::Region(region.to_string()))?;
    let birth_text = &number[6..14];
    let birth = NaiveDate::parse_from_str(birth_text, "%Y%m%d")
        .ok()
        .filter(|d| d.year() >= 1900)
        .ok_or_else(|| IdCardError::BirthDate(birth_text.to_string()))?;
    if birth > today {
        return Err(IdCardError::BirthInFuture(birth_text.to_string()));
    }
    if check_char(body) != last.chars().next() {
        return Err(IdCardError::CheckDigit);
    }
    let male = (number.as_bytes()[16] - b'0') % 2 == 1;
    Ok(IdCardInfo {
        region_code: region.to_string(),
        region_name: region_name.to_string(),
        number,
        birth_date: birth,
        male,
    })
}

/// Masks an ID-like number for display and logs: keeps the first 6 and last 4 characters.
pub fn mask(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    if chars.len() <= 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}

/// Masks a mobile number: 139****5678.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

/// Generated, valid-looking test identities. Never real people: the sequence digits are
/// drawn at random and the names from common characters.
pub mod testdata {
    use super::*;

    const SURNAMES: &[&str] = &[
        "王",
        "李",
        "张",
        "刘",
        "陈",
        "杨",
        "赵",
        "黄",
        "周",
        "吴",
        "徐",
        "孙",
        "马",
        "朱",
        "胡",
        "郭",
        "何",
        "林",
        "罗",
        "高",
        "阿依",
        "买买提",
    ];
    const GIVEN: &[&str] = &[
        "伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英",
        "玉兰", "建国", "海燕", "志强", "喆", "堃", "玥", "昇", "珺", "犇", "子涵", "雨桐",
    ];

    /// A valid ID number in `region` (a GB/T 2260 code) born on `birth`.
    pub fn id_number(rng: &mut fastrand::Rng, region: &str, birth: NaiveDate) -> String {
        let seq = rng.u32(1..999);
        let first17 = format!("{region}{}{seq:03}", birth.format("%Y%m%d"));
        let check = check_char(&first17).unwrap_or('0');
        format!("{first17}{check}")
    }

    /// A random adult born between 1950 and 2005 in one of a few Xinjiang districts.
    pub fn random_id(rng: &mut fastrand::Rng) -> String {
        const REGIONS: &[&str] = &["650102", "650103", "650104", "650105", "650106", "652301"];
        let region = REGIONS[rng.usize(..REGIONS.len())];
        let birth = NaiveDate::from_ymd_opt(rng.i32(1950..2005), rng.u32(1..13), rng.u32(1..29))
            .unwrap_or_default();
        id_number(rng, region, birth)
    }

    pub fn random_name(rng: &mut fastrand::Rng) -> String {
        let s = SURNAMES[rng.usize(..SURNAMES.len())];
        let g = GIVEN[rng.usize(..GIVEN.len())];
        format!("{s}{g}")
    }

    /// A valid-looking unified social credit code of an enterprise (登记管理部门 9, 类别 1)
    /// registered in Urumqi: its embedded organisation code carries a GB 11714 check
    /// character, and the whole a GB 32100 one. Made up; it names no real organisation.
    pub fn random_uscc(rng: &mut fastrand::Rng) -> String {
        const REGIONS: &[&str] = &["650102", "650103", "650104", "650105"];
        let region = REGIONS[rng.usize(..REGIONS.len())];
        let body: String = (0..8).map(|_| char::from(b'0' + rng.u8(0..10))).collect();
        const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
        let sum: u32 = body
            .chars()
            .zip(W)
            .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
            .sum();
        let org_check = match 11 - sum % 11 {
            10 => 'X',
            11 => '0',
            n => char::from_digit(n, 10).unwrap_or('0'),
        };
        let first17 = format!("91{region}{body}{org_check}");
        let check = crate::validate::uscc_check_char(&first17).unwrap_or('0');
        format!("{first17}{check}")
    }

    pub fn random_mobile(rng: &mut fastrand::Rng) -> String {
        const PREFIX: &[&str] = &["139", "138", "135", "150", "177", "186", "199", "158"];
        format!(
            "{}{:08}",
            PREFIX[rng.usize(..PREFIX.len())],
            rng.u32(0..100_000_000)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn accepts_valid_numbers_and_reads_them() {
        // GB 11643-1999 appendix example.
        let info = validate("11010519491231002X", today()).unwrap();
        assert_eq!(info.region_name, "朝阳区");
        assert_eq!(
            info.birth_date,
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert!(!info.male);
        // Lower-case x and surrounding spaces are normalised.
        let info = validate(" 11010519491231002x ", today()).unwrap();
        assert_eq!(info.number, "11010519491231002X");
    }

    #[test]
    fn check_digit_follows_iso_7064() {
        assert_eq!(check_char("11010519491231002"), Some('X'));
        assert_eq!(check_char("44030819990110163"), Some('5'));
        assert_eq!(check_char("1101051949123100"), None);
        assert_eq!(
            validate("110105194912310021", today()),
            Err(IdCardError::CheckDigit)
        );
    }

    #[test]
    fn rejects_each_kind_of_error() {
        assert_eq!(
            validate("1101051949", today()),
            Err(IdCardError::Length(10))
        );
        // 15-digit first-generation numbers are no longer accepted.
        assert_eq!(
            validate("110105491231002", today()),
            Err(IdCardError::Length(15))
        );
        assert_eq!(
            validate("11010519491231002Y", today()),
            Err(IdCardError::Charset)
        );
        assert_eq!(
            validate("1101051949123100X2", today()),
            Err(IdCardError::Charset)
        );
        // 990000 is no region.
        let bad_region = format!(
            "99000019491231002{}",
            check_char("99000019491231002").unwrap()
        );
        assert_eq!(
            validate(&bad_region, today()),
            Err(IdCardError::Region("990000".into()))
        );
        // 30 February.
        let feb30 = format!(
            "11010519900230002{}",
            check_char("11010519900230002").unwrap()
        );
        assert_eq!(
            validate(&feb30, today()),
            Err(IdCardError::BirthDate("19900230".into()))
        );
        // 29 February only in leap years.
        let leap = format!(
            "11010520000229002{}",
            check_char("11010520000229002").unwrap()
        );
        assert!(validate(&leap, today()).is_ok());
        let not_leap = format!(
            "11010519000229002{}",
            check_char("11010519000229002").unwrap()
        );
        assert!(matches!(
            validate(&not_leap, today()),
            Err(IdCardError::BirthDate(_))
        ));
        let future = format!(
            "11010520270101002{}",
            check_char("11010520270101002").unwrap()
        );
        assert_eq!(
            validate(&future, today()),
            Err(IdCardError::BirthInFuture("20270101".into()))
        );
    }

    #[test]
    fn abolished_region_codes_stay_valid() {
        // 110103 (崇文区) was merged into 东城区 in 2010; people born there keep their number.
        let old = format!(
            "11010319800101001{}",
            check_char("11010319800101001").unwrap()
        );
        assert_eq!(validate(&old, today()).unwrap().region_name, "崇文区");
        // Residence permits for Hong Kong, Macao and Taiwan residents use 810000/820000/830000.
        let hk = format!(
            "81000019900101001{}",
            check_char("81000019900101001").unwrap()
        );
        assert!(validate(&hk, today()).is_ok());
    }

    #[test]
    fn every_generated_identity_is_valid() {
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..2000 {
            let id = testdata::random_id(&mut rng);
            assert!(validate(&id, today()).is_ok(), "{id}");
        }
    }

    #[test]
    fn masks() {
        assert_eq!(mask("11010519491231002X"), "110105********002X");
        assert_eq!(mask_phone("13912345678"), "139****5678");
        assert_eq!(mask("abc"), "***");
    }
}
