//! `yichuang case show|list`: reading cases, as the clerk sees them.

use yichuang_api::Command;
use yichuang_core::model::{CaseRecord, CaseState};

use crate::error::CliError;
use crate::files::print_json;
use crate::guard::{Ctx, require};

/// `case show`.
pub(crate) async fn show(ctx: &Ctx, project_no: String, json: bool) -> Result<(), CliError> {
    require(ctx, Command::GetCase).await?;
    let case = ctx.desk.get_case(&project_no).await?;
    if json {
        return print_json(&case);
    }
    print_case(&case);
    Ok(())
}

/// A case as `case show` prints it.
fn print_case(case: &CaseRecord) {
    println!("办件编号  {}", case.project_no);
    println!("事项      {}（{}）", case.dept_ql_name, case.org_name);
    println!(
        "申请人    {}  {}",
        case.applicant_name,
        yichuang_core::idcard::mask(&case.applicant_paper_code)
    );
    println!("状态      {}", case.state.label());
    println!("收件      {}", case.apply_date);
    if !case.acceptdate.is_empty() {
        println!("受理      {}  {}", case.acceptdate, case.acceptusername);
    }
    match &case.promised_date {
        Some(d) => println!(
            "承诺时限  {}，{d}前{}",
            case.promise_text,
            if case.clock_paused {
                "（暂停计时中）"
            } else {
                ""
            }
        ),
        None => println!("承诺时限  {}", case.promise_text),
    }
    if let Some(w) = &case.promised_date_estimate {
        println!("日期说明  {w}");
    }
    for s in case.supplements.iter().filter(|s| s.done_at.is_none()) {
        println!(
            "补正      {}  {}前{}",
            s.sj_file_name,
            s.due_date,
            s.due_estimate
                .as_deref()
                .map(|w| format!("（{w}）"))
                .unwrap_or_default()
        );
    }
    for c in &case.clock {
        println!(
            "计时      {}  {}  {}  {}",
            c.special_name,
            c.started_at,
            c.ended_at.as_deref().unwrap_or("进行中"),
            c.reason
        );
    }
    for m in &case.materials {
        println!(
            "材料 {:>2}   {} ×{}（{}）",
            m.ord,
            m.sj_file_name,
            m.sj_no,
            m.form.label()
        );
    }
    for e in &case.history {
        println!(
            "记录      {}  {}  {}  {}",
            e.at, e.action, e.actor, e.opinion
        );
    }
    for d in &case.documents {
        println!(
            "文书      {}  {}  {}{}",
            d.title,
            d.doc_no,
            d.created_at,
            if d.attachguid.is_some() {
                "  已上传办件中心"
            } else {
                ""
            }
        );
    }
    for d in &case.hub_documents {
        println!(
            "部门文书  {}  {}  {}{}",
            d.docname,
            d.docnumber,
            d.received_at,
            if d.fetch_error.is_empty() {
                String::new()
            } else {
                format!("  下载失败：{}", d.fetch_error)
            }
        );
    }
    if let Some(r) = case.satisfaction {
        println!(
            "满意度    {}  {}",
            r.label(),
            case.satisfaction_at.as_deref().unwrap_or("")
        );
    }
    for o in &case.supervision_orders {
        println!(
            "督办 {:<4} {}  {}  {}{}",
            o.id,
            o.issued_at,
            o.issued_by,
            o.text,
            match &o.closed_at {
                Some(at) => format!("（{at} 已办结）"),
                None => "（办理中）".into(),
            }
        );
        for r in &o.replies {
            println!("  回复    {}  {}  {}", r.at, r.by, r.text);
        }
    }
    if let Some(r) = &case.result {
        println!(
            "办结      {}  {}  {}  {}",
            r.status.label(),
            r.result_no,
            r.note,
            if r.from_hub {
                "（审批部门经办件中心推送）"
            } else {
                "（本窗口统一受办）"
            }
        );
    }
}

/// `case list`.
pub(crate) async fn list(
    ctx: &Ctx,
    search: Option<String>,
    state: Option<CaseState>,
    json: bool,
) -> Result<(), CliError> {
    require(ctx, Command::ListCases).await?;
    let cases = ctx.desk.list_cases(search.as_deref(), state).await?;
    if json {
        return print_json(&cases);
    }
    for c in cases {
        println!(
            "{}  {}  {}  {}  {}",
            c.project_no,
            c.state.label(),
            c.applicant_name,
            c.dept_ql_name,
            c.apply_date
        );
    }
    Ok(())
}
