//! The ID card reader adapter against a local HTTP service like the vendors' (a real loopback
//! server in a thread): a card, no card, a service error, garbage, a hung service, and no
//! service at all. Every wait is bounded.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use yichuang_scan::idcard_reader::{
    HttpIdCardReader, IdCardReader, ReaderError, SimulatedIdCardReader,
};

/// Serves one connection with `body` (or sleeps instead when `hang`), on a free port.
fn service(body: &'static str, hang: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        if let Ok((mut s, _)) = listener.accept() {
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf);
            if hang {
                std::thread::sleep(Duration::from_secs(3));
                return;
            }
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            let _ = s.write_all(answer.as_bytes());
        }
    });
    format!("http://127.0.0.1:{port}/readcard")
}

const CARD: &str = r#"{"resultCode":0,"resultMsg":"","data":{"partyName":"王喆","gender":"男","nation":"汉","bornDay":"19880612","certAddress":"新疆乌鲁木齐市天山区解放南路100号","certNumber":"65010219880612153x","certOrg":"乌鲁木齐市公安局天山区分局","effDate":"20200101","expDate":"20400101","identityPic":"/9j/4AAQ"}}"#;

#[test]
fn a_card_on_the_reader_is_read_with_every_field() {
    let mut r = HttpIdCardReader::new(&service(CARD, false)).unwrap();
    let card = r.read(Duration::from_secs(5)).unwrap();
    assert_eq!(card.name, "王喆");
    assert_eq!(card.sex, "男");
    assert_eq!(card.ethnicity, "汉");
    assert_eq!(card.birth_date, "1988-06-12");
    assert_eq!(
        card.id_number, "65010219880612153X",
        "upper-cased check character"
    );
    assert_eq!(card.issuing_authority, "乌鲁木齐市公安局天山区分局");
    assert_eq!(
        (card.valid_from.as_str(), card.valid_to.as_str()),
        ("2020-01-01", "2040-01-01")
    );
    assert_eq!(
        card.photo_jpeg.as_deref(),
        Some(&[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10][..])
    );
}

#[test]
fn no_card_and_service_errors_are_told_apart() {
    let mut r =
        HttpIdCardReader::new(&service(r#"{"resultCode":1,"resultMsg":"无卡"}"#, false)).unwrap();
    assert_eq!(r.read(Duration::from_secs(5)), Err(ReaderError::NoCard));
    let mut r = HttpIdCardReader::new(&service(
        r#"{"resultCode":-3,"resultMsg":"设备未连接"}"#,
        false,
    ))
    .unwrap();
    let err = r.read(Duration::from_secs(5)).unwrap_err();
    assert_eq!(err, ReaderError::Service("设备未连接".into()));
    assert!(err.to_string().contains("设备未连接"));
    let mut r = HttpIdCardReader::new(&service("<html>oops</html>", false)).unwrap();
    assert!(matches!(
        r.read(Duration::from_secs(5)),
        Err(ReaderError::Malformed(_))
    ));
}

#[test]
fn a_hung_or_absent_service_fails_fast_with_a_clear_message() {
    let mut r = HttpIdCardReader::new(&service(CARD, true)).unwrap();
    let t = Instant::now();
    let err = r.read(Duration::from_millis(500)).unwrap_err();
    assert!(matches!(err, ReaderError::Timeout { .. }), "{err:?}");
    assert!(t.elapsed() < Duration::from_secs(2));
    // Nothing listens on the port any more.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut r = HttpIdCardReader::new(&format!("http://127.0.0.1:{port}/readcard")).unwrap();
    let err = r.read(Duration::from_secs(2)).unwrap_err();
    assert!(matches!(err, ReaderError::NotConnected { .. }), "{err:?}");
    assert!(err.to_string().contains("阅读器服务未启动"));
    assert_eq!(
        HttpIdCardReader::new(" ").unwrap_err(),
        ReaderError::NotConfigured
    );
}

#[test]
fn the_simulated_reader_hands_out_its_cards_in_turn() {
    let mut empty = SimulatedIdCardReader::default();
    assert_eq!(empty.read(Duration::from_secs(1)), Err(ReaderError::NoCard));
    let card = yichuang_scan::idcard_reader::parse_answer(CARD.as_bytes()).unwrap();
    let mut other = card.clone();
    other.name = "李玥".into();
    let mut r = SimulatedIdCardReader::new(vec![card, other]);
    let names: Vec<String> = (0..3)
        .map(|_| r.read(Duration::from_secs(1)).unwrap().name)
        .collect();
    assert_eq!(names, ["王喆", "李玥", "王喆"]);
}
