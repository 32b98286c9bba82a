//! The supervisors' views as .xlsx workbooks: the pending review (督办监察) as shown, and the
//! statistics (统计). Saved from the window into `exports/` of the data directory, or by the
//! CLI to a file.

use std::path::PathBuf;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::Desk;
use crate::error::{CoreError, Result};
use crate::stats::{CaseStats, StatCount, StatsFilter};
use crate::supervision::{PendingFilter, PendingReview};

/// The columns of the pending sheet.
pub const PENDING_COLS: [&str; 13] = [
    "预警",
    "承诺办结日期",
    "剩余工作日",
    "办件编号",
    "状态",
    "事项",
    "部门",
    "窗口",
    "受理人",
    "申请人",
    "受理时间",
    "承诺时限",
    "日期说明",
];

fn header(ws: &mut Worksheet, cols: &[&str], bold: &Format) -> std::result::Result<(), XlsxError> {
    for (c, name) in cols.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *name, bold)?;
        ws.set_column_width(c as u16, 16)?;
    }
    Ok(())
}

fn write_pending(review: &PendingReview) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name("在办件")?;
    header(ws, &PENDING_COLS, &bold)?;
    ws.set_column_width(3, 34)?;
    ws.set_column_width(5, 30)?;
    for (i, c) in review.cases.iter().enumerate() {
        let r = i as u32 + 1;
        let mut state = c.state.label().to_string();
        if c.clock_paused {
            state.push_str("（暂停计时）");
        }
        ws.write_string(r, 0, c.level.label())?;
        ws.write_string(r, 1, c.due_date.as_deref().unwrap_or(""))?;
        if let Some(n) = c.working_days_left {
            ws.write_number(r, 2, n as f64)?;
        }
        for (col, v) in [
            (3, c.project_no.as_str()),
            (4, state.as_str()),
            (5, c.dept_ql_name.as_str()),
            (6, c.org_name.as_str()),
            (7, c.window_no.as_str()),
            (8, c.acceptusername.as_str()),
            (9, c.applicant_name.as_str()),
            (10, c.acceptdate.as_str()),
            (11, c.promise_text.as_str()),
            (12, c.due_estimate.as_deref().unwrap_or("")),
        ] {
            ws.write_string(r, col, v)?;
        }
    }
    let r = review.cases.len() as u32 + 2;
    ws.write_string(
        r,
        0,
        format!(
            "今日 {}，黄牌阈值：剩余{}{}",
            review.today,
            review.threshold.label(),
            if review.truncated {
                "（未列全）"
            } else {
                ""
            }
        ),
    )?;
    wb.save_to_buffer()
}

fn counts_sheet(
    wb: &mut Workbook,
    name: &str,
    key: &str,
    list: &[StatCount],
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    header(ws, &[key, "名称", "件数"], bold)?;
    ws.set_column_width(1, 36)?;
    for (i, c) in list.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, c.key.as_str())?;
        ws.write_string(r, 1, c.label.as_str())?;
        ws.write_number(r, 2, c.count as f64)?;
    }
    Ok(())
}

/// The rows of the 汇总 sheet: label, value.
pub fn summary_rows(s: &CaseStats) -> Vec<(&'static str, String)> {
    let pct = |x: f64| format!("{:.1}%", x * 100.0);
    vec![
        (
            "统计起始日期",
            s.from.clone().unwrap_or_else(|| "不限".into()),
        ),
        (
            "统计截止日期",
            s.to.clone().unwrap_or_else(|| "不限".into()),
        ),
        ("统计日", s.today.clone()),
        ("收件总数", s.total.to_string()),
        ("受理件数", s.accepted.to_string()),
        (
            "平均受理用时（分钟）",
            s.avg_accept_minutes
                .map(|m| format!("{m:.1}"))
                .unwrap_or_else(|| "-".into()),
        ),
        ("补正件数", s.supplemented.to_string()),
        ("补正率", pct(s.supplement_rate)),
        ("不予受理件数", s.rejected.to_string()),
        ("不予受理率", pct(s.rejection_rate)),
        ("超期在办（红牌）", s.overdue.to_string()),
        ("临近超期（黄牌）", s.yellow.to_string()),
        ("满意度评价件数", s.rated.to_string()),
        (
            "平均满意度（1-5）",
            s.satisfaction_avg
                .map(|m| format!("{m:.2}"))
                .unwrap_or_else(|| "-".into()),
        ),
    ]
}

fn write_stats(s: &CaseStats) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name("汇总")?;
    header(ws, &["指标", "值"], &bold)?;
    ws.set_column_width(0, 24)?;
    for (i, (k, v)) in summary_rows(s).into_iter().enumerate() {
        ws.write_string(i as u32 + 1, 0, k)?;
        ws.write_string(i as u32 + 1, 1, v)?;
    }
    counts_sheet(&mut wb, "按日", "日期", &s.per_day, &bold)?;
    counts_sheet(&mut wb, "按窗口", "窗口号", &s.per_window, &bold)?;
    counts_sheet(&mut wb, "按事项", "实施编码", &s.per_item, &bold)?;
    counts_sheet(&mut wb, "按部门", "部门编码", &s.per_department, &bold)?;
    let ws = wb.add_worksheet();
    ws.set_name("满意度")?;
    header(ws, &["代码", "满意度", "件数"], &bold)?;
    for (i, c) in s.satisfaction.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, c.rating.code())?;
        ws.write_string(r, 1, c.label.as_str())?;
        ws.write_number(r, 2, c.count as f64)?;
    }
    wb.save_to_buffer()
}

/// The pending review as a workbook (one sheet, 在办件).
pub fn pending_xlsx(review: &PendingReview) -> Result<Vec<u8>> {
    write_pending(review).map_err(|e| CoreError::Data(format!("导出表格失败：{e}")))
}

/// The statistics as a workbook (汇总, 按日, 按窗口, 按事项, 按部门, 满意度).
pub fn stats_xlsx(stats: &CaseStats) -> Result<Vec<u8>> {
    write_stats(stats).map_err(|e| CoreError::Data(format!("导出表格失败：{e}")))
}

impl Desk {
    fn export_path(&self, stem: &str) -> Result<PathBuf> {
        let dir = self.data_dir().join("exports");
        std::fs::create_dir_all(&dir).map_err(|e| CoreError::io(&dir, e))?;
        Ok(dir.join(format!(
            "{stem}-{}.xlsx",
            self.now().format("%Y%m%d-%H%M%S")
        )))
    }

    /// Writes the pending review of `filter` to `exports/` and returns the path.
    pub async fn export_pending_file(&self, filter: &PendingFilter) -> Result<PathBuf> {
        let bytes = pending_xlsx(&self.pending_cases(filter).await?)?;
        let path = self.export_path("在办件督办监察")?;
        std::fs::write(&path, bytes).map_err(|e| CoreError::io(&path, e))?;
        Ok(path)
    }

    /// Writes the statistics of `filter` to `exports/` and returns the path.
    pub async fn export_stats_file(&self, filter: &StatsFilter) -> Result<PathBuf> {
        let bytes = stats_xlsx(&self.case_stats(filter).await?)?;
        let path = self.export_path("办件统计")?;
        std::fs::write(&path, bytes).map_err(|e| CoreError::io(&path, e))?;
        Ok(path)
    }
}
