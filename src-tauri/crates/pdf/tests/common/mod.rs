//! A realistic acceptance notice shared by the tests, the example and the
//! benchmark.
#![allow(dead_code)]

use yichuang_pdf::{DocumentSpec, Table};

pub const QR_PAYLOAD: &str = "https://zwfw.tsq.wlmq.gov.cn/q?b=650102-2026-112200317&v=7f3a9c";

pub fn notice() -> DocumentSpec {
    DocumentSpec {
        hall_name: "乌鲁木齐市天山区政务服务中心".into(),
        title: "受理通知书".into(),
        doc_no: Some("文书编号：天政服受〔2026〕第0317号".into()),
        addressee: Some("张喆：".into()),
        paragraphs: vec![
            "你（单位）于2026年11月22日提交的《个体工商户设立登记》申请，经审查，申请材料齐全、符合法定形式，根据《中华人民共和国行政许可法》第三十二条的规定，本机关决定予以受理。".into(),
            "本事项承诺办结时限为3个工作日，请凭本通知书及有效身份证件按时领取办理结果，或扫描下方二维码查询办理进度。".into(),
        ],
        fields: vec![
            ("办件编号".into(), "650102-2026-112200317".into()),
            ("事项名称".into(), "个体工商户设立登记".into()),
            ("申请人".into(), "张喆（委托代理人：王堃）".into()),
            ("联系电话".into(), "138****6201".into()),
            ("受理窗口".into(), "综合受理区 7号窗口（受理人：李玥）".into()),
            ("受理时间".into(), "2026年11月22日 10:42".into()),
            ("承诺办结时间".into(), "2026年11月25日".into()),
        ],
        table: Some(Table {
            headers: vec!["序号".into(), "材料名称".into(), "份数".into(), "材料形式".into()],
            rows: vec![
                vec!["1".into(), "个体工商户登记（备案）申请书".into(), "1".into(), "原件".into()],
                vec!["2".into(), "经营者身份证明（刘昇）".into(), "1".into(), "复印件".into()],
                vec!["3".into(), "经营场所使用证明（租赁合同，出租人：赵珺、孙犇）".into(), "1".into(), "复印件".into()],
                vec!["4".into(), "委托代理人身份证明及授权委托书".into(), "2".into(), "原件".into()],
            ],
            widths: vec![0.1, 0.56, 0.12, 0.22],
        }),
        qr_payload: Some(QR_PAYLOAD.into()),
        qr_caption: Some("扫码查询办件".into()),
        closing: vec![
            "注：1. 请妥善保管本通知书，领取办理结果时须出示。".into(),
            "2. 如对本决定有异议，可拨打12345政务服务便民热线咨询。".into(),
        ],
        signature: vec!["乌鲁木齐市天山区政务服务中心".into(), "2026年11月22日".into()],
        watermark: None,
        logo: None,
        seal: None,
    }
}
