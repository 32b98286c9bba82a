//! The supervisors' pending-case review over 200,000 cases: 70% accepted (clock running), 3%
//! paused (受理后待补正, 特别程序中), 6% not accepted yet, 21% finished, accepted over the
//! 80 days before "today" (2026-11-20) by 50 clerks on the catalog's items, limits of 5 to 20
//! working days. Seeding (multi-row INSERTs of 500 rows) and the one-time computation of the
//! stored due dates are not timed; their durations are printed. Timed: one review, as the
//! window asks for it (first 500 rows by due date), and with filters.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Days, FixedOffset, NaiveDate};
use criterion::{Criterion, criterion_group, criterion_main};
use sqlx::{QueryBuilder, Sqlite};
use yichuang_core::Desk;
use yichuang_core::dict::{ApplicantType, DeliveryMethod, PaperType, TimeUnit};
use yichuang_core::model::CaseState;
use yichuang_core::supervision::PendingFilter;
use yichuang_core::time::FixedClock;
use yichuang_core::timelimit::WarningLevel;

const CASES: usize = 200_000;
const BATCH: usize = 500;
const CLERKS: usize = 50;

struct Row {
    no: String,
    item: usize,
    state: CaseState,
    accepted: Option<NaiveDate>,
    clerk: usize,
    promise: i64,
}

async fn seed(desk: &Desk) {
    let items = desk.catalog().await.expect("catalog");
    let today: NaiveDate = "2026-11-20".parse().expect("date");
    let mut rng = fastrand::Rng::with_seed(2026);
    let pool = desk.store().pool();
    let mut rows: Vec<Row> = Vec::with_capacity(BATCH);
    let mut clock: Vec<(usize, NaiveDate, bool)> = Vec::new();
    for n in 0..CASES {
        let state = match rng.u32(0..100) {
            0..70 => CaseState::Accepted,
            70..72 => CaseState::AwaitingSupplement,
            72..73 => CaseState::Suspended,
            73..76 => CaseState::Received,
            76..78 => CaseState::SupplementRequested,
            78..79 => CaseState::SupplementDone,
            79..85 => CaseState::Rejected,
            _ => CaseState::Withdrawn,
        };
        let day = today - Days::new(rng.u64(0..80));
        let accepted = matches!(
            state,
            CaseState::Accepted
                | CaseState::AwaitingSupplement
                | CaseState::Suspended
                | CaseState::Withdrawn
        )
        .then_some(day);
        if matches!(state, CaseState::AwaitingSupplement | CaseState::Suspended) {
            let from = (day + Days::new(rng.u64(1..4))).min(today);
            clock.push((n, from, state == CaseState::Suspended));
        }
        rows.push(Row {
            no: format!("BENCH{n:010}"),
            item: rng.usize(0..items.len()),
            state,
            accepted,
            clerk: rng.usize(0..CLERKS),
            promise: rng.i64(5..21),
        });
        if rows.len() == BATCH || n + 1 == CASES {
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO cases (row_guid, project_no, dept_ql_reg_no, dept_ql_name, org_id,
                 org_name, applicant_type, applicant_name, applicant_paper_type,
                 applicant_paper_code_enc, applicant_paper_code_idx, applicant_paper_code_masked,
                 applicant_mobile_enc, applicant_address_enc, state, acceptdate, acceptusername,
                 window_no, promise, promise_type, delivery_method, created_at, updated_at,
                 apply_date) ",
            );
            q.push_values(rows.drain(..), |mut b, r| {
                let item = &items[r.item];
                let at = r
                    .accepted
                    .map(|d| format!("{d} 10:00:00"))
                    .unwrap_or_default();
                b.push_bind(r.no.clone())
                    .push_bind(r.no)
                    .push_bind(item.dept_ql_reg_no.clone())
                    .push_bind(item.dept_ql_name.clone())
                    .push_bind(item.org_id.clone())
                    .push_bind(item.org_name.clone())
                    .push_bind(ApplicantType::NaturalPerson.code())
                    .push_bind("张三")
                    .push_bind(PaperType::IdCard.code())
                    .push_bind(vec![0u8; 16])
                    .push_bind("idx")
                    .push_bind("1101**********1234")
                    .push_bind(vec![0u8; 16])
                    .push_bind(vec![0u8; 16])
                    .push_bind(r.state.as_str())
                    .push_bind(at.clone())
                    .push_bind(if at.is_empty() {
                        String::new()
                    } else {
                        format!("窗口人员{:02}", r.clerk)
                    })
                    .push_bind("A01")
                    .push_bind(r.promise)
                    .push_bind(TimeUnit::WorkingDays.code())
                    .push_bind(DeliveryMethod::ALL[0].code())
                    .push_bind("2026-11-20 08:00:00")
                    .push_bind("2026-11-20 08:00:00")
                    .push_bind(at);
            });
            q.build().execute(pool).await.expect("insert cases");
        }
    }
    for chunk in clock.chunks(BATCH) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO case_clock (case_id, kind, special_name, reason, started_at) ",
        );
        q.push_values(chunk, |mut b, (n, from, special)| {
            b.push("(SELECT id FROM cases WHERE project_no = ")
                .push_bind_unseparated(format!("BENCH{n:010}"))
                .push_unseparated(")")
                .push_bind(if *special { "special" } else { "supplement" })
                .push_bind(if *special { "听证" } else { "补齐补正" })
                .push_bind("理由")
                .push_bind(format!("{from} 09:00:00"));
        });
        q.build().execute(pool).await.expect("insert clock");
    }
}

fn bench_pending(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("tempdir");
    // YICHUANG_BENCH_KEEP=1 keeps the seeded database (to study query plans).
    let dir_path = if std::env::var_os("YICHUANG_BENCH_KEEP").is_some() {
        let p = dir.path().to_path_buf();
        std::mem::forget(dir);
        eprintln!("keeping {}", p.display());
        p
    } else {
        dir.path().to_path_buf()
    };
    let now =
        DateTime::<FixedOffset>::parse_from_rfc3339("2026-11-20T10:00:00+08:00").expect("time");
    let desk = rt.block_on(async {
        let desk = Desk::open_with_clock(&dir_path, Arc::new(FixedClock(now)))
            .await
            .expect("desk");
        let t = Instant::now();
        seed(&desk).await;
        eprintln!("seeded {CASES} cases in {:.1?}", t.elapsed());
        let t = Instant::now();
        let n = desk.refresh_due_dates().await.expect("refresh");
        eprintln!("stored the due dates of {n} cases in {:.1?}", t.elapsed());
        sqlx::query("ANALYZE")
            .execute(desk.store().pool())
            .await
            .expect("analyze");
        desk
    });
    let filters: [(&str, PendingFilter); 5] = [
        ("first_500", PendingFilter::default()),
        (
            "red",
            PendingFilter {
                level: Some(WarningLevel::Red),
                ..Default::default()
            },
        ),
        (
            "yellow",
            PendingFilter {
                level: Some(WarningLevel::Yellow),
                ..Default::default()
            },
        ),
        (
            "clerk_and_due_range",
            PendingFilter {
                clerk: Some("窗口人员07".into()),
                due_from: Some("2026-11-20".into()),
                due_to: Some("2026-12-31".into()),
                ..Default::default()
            },
        ),
        (
            "suspended_only",
            PendingFilter {
                state: Some(CaseState::Suspended),
                ..Default::default()
            },
        ),
    ];
    rt.block_on(async {
        for (name, f) in &filters {
            let r = desk.pending_cases(f).await.expect("review");
            eprintln!("{name}: {} rows, truncated {}", r.cases.len(), r.truncated);
        }
    });
    let mut g = c.benchmark_group("pending_review_200k");
    g.sample_size(20);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(5));
    for (name, f) in &filters {
        g.bench_function(*name, |b| {
            b.iter(|| rt.block_on(desk.pending_cases(f)).expect("review"))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_pending);
criterion_main!(benches);
