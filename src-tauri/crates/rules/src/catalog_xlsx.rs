//! The item catalog as a spreadsheet, the way halls receive it: four sheets, one header row
//! each, dictionary values in Chinese (codes accepted too). Every problem is reported by sheet,
//! row and column, and a spreadsheet with any problem is refused whole.
//!
//! | sheet | one row per | columns |
//! |---|---|---|
//! | 目录信息 | setting | 项目, 值 (版本, 行政区划编码, 行政区划名称) |
//! | 事项 | item | 基本编码, 实施编码, 事项名称, 事项版本, 部门编码, 部门名称, 办件类型, 法定时限, 法定时限单位, 承诺时限, 承诺时限单位, 是否收费, 收费说明, 送达方式 |
//! | 材料 | material | 实施编码, 材料编号, 材料名称, 是否必须, 份数, 材料形式, 是否需要电子版, 收取方式 |
//! | 情形 | situation | 实施编码, 情形编码, 情形名称, 材料编号 |
//!
//! Lists (送达方式, 收取方式, 材料编号) are separated by 、 or commas.
//!
//! The 材料 sheet may have one more column, 帮我传: the material's sharing channels (seed
//! 004) as the catalog JSON writes them (`[{"method":"electronic",…}]`); empty for none.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::catalog::CatalogFile;
use crate::catalog::{CatalogError, Result};
use yichuang_types::catalog::{CatalogItem, CatalogMaterial, Situation};
use yichuang_types::dict::{DeliveryMethod, GetType, ItemType, MaterialForm, TimeUnit};

const META: &str = "目录信息";
const ITEMS: &str = "事项";
const MATERIALS: &str = "材料";
const SITUATIONS: &str = "情形";

const ITEM_COLS: [&str; 14] = [
    "基本编码",
    "实施编码",
    "事项名称",
    "事项版本",
    "部门编码",
    "部门名称",
    "办件类型",
    "法定时限",
    "法定时限单位",
    "承诺时限",
    "承诺时限单位",
    "是否收费",
    "收费说明",
    "送达方式",
];
const MATERIAL_COLS: [&str; 8] = [
    "实施编码",
    "材料编号",
    "材料名称",
    "是否必须",
    "份数",
    "材料形式",
    "是否需要电子版",
    "收取方式",
];
/// Optional column of the 材料 sheet: the sharing channels as JSON.
const SHARING_COL: &str = "帮我传";
const SITUATION_COLS: [&str; 4] = ["实施编码", "情形编码", "情形名称", "材料编号"];

/// Writes the catalog as a workbook.
pub fn export(catalog: &CatalogFile) -> Result<Vec<u8>> {
    write(catalog).map_err(|e| CatalogError(format!("导出表格失败：{e}")))
}

fn join<T>(items: &[T], label: impl Fn(&T) -> &'static str) -> String {
    items.iter().map(label).collect::<Vec<_>>().join("、")
}

fn yes_no(b: bool) -> &'static str {
    if b { "是" } else { "否" }
}

fn write(catalog: &CatalogFile) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let header = |ws: &mut rust_xlsxwriter::Worksheet,
                  cols: &[&str]|
     -> std::result::Result<(), XlsxError> {
        for (c, name) in cols.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *name, &bold)?;
            ws.set_column_width(c as u16, 16)?;
        }
        Ok(())
    };

    let ws = wb.add_worksheet();
    ws.set_name(META)?;
    header(ws, &["项目", "值"])?;
    for (r, (k, v)) in [
        ("版本", &catalog.version),
        ("行政区划编码", &catalog.area_no),
        ("行政区划名称", &catalog.area_name),
    ]
    .into_iter()
    .enumerate()
    {
        ws.write_string(r as u32 + 1, 0, k)?;
        ws.write_string(r as u32 + 1, 1, v.as_str())?;
    }

    let ws = wb.add_worksheet();
    ws.set_name(ITEMS)?;
    header(ws, &ITEM_COLS)?;
    for (r, i) in catalog.items.iter().enumerate() {
        let row = [
            i.catalog_code.clone(),
            i.dept_ql_reg_no.clone(),
            i.dept_ql_name.clone(),
            i.task_version.clone(),
            i.org_id.clone(),
            i.org_name.clone(),
            i.item_type.label().into(),
            i.anticipate.to_string(),
            i.anticipate_day_type.label().into(),
            i.promise.to_string(),
            i.promise_type.label().into(),
            yes_no(i.charged).into(),
            i.fee_description.clone(),
            join(&i.delivery_methods, |d| d.label()),
        ];
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v)?;
        }
    }

    let ws = wb.add_worksheet();
    ws.set_name(MATERIALS)?;
    header(ws, &MATERIAL_COLS)?;
    ws.write_string_with_format(0, MATERIAL_COLS.len() as u16, SHARING_COL, &bold)?;
    let mut r = 1u32;
    for i in &catalog.items {
        for m in &i.materials {
            let row = [
                i.dept_ql_reg_no.clone(),
                m.no.clone(),
                m.sj_file_name.clone(),
                yes_no(m.sj_file_if).into(),
                m.sj_no.to_string(),
                m.form.label().into(),
                yes_no(m.if_ec_page).into(),
                join(&m.gettype, |g| g.label()),
                if m.sharing.is_empty() {
                    String::new()
                } else {
                    serde_json::to_string(&m.sharing).unwrap_or_default()
                },
            ];
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r, c as u16, v)?;
            }
            r += 1;
        }
    }

    let ws = wb.add_worksheet();
    ws.set_name(SITUATIONS)?;
    header(ws, &SITUATION_COLS)?;
    let mut r = 1u32;
    for i in &catalog.items {
        for s in &i.situations {
            for (c, v) in [
                &i.dept_ql_reg_no,
                &s.code,
                &s.name,
                &s.material_nos.join("、"),
            ]
            .iter()
            .enumerate()
            {
                ws.write_string(r, c as u16, v.as_str())?;
            }
            r += 1;
        }
    }
    wb.save_to_buffer()
}

/// A sheet read into rows of trimmed text, with the column of each header name.
struct Sheet {
    name: &'static str,
    /// (spreadsheet row number, 1-based; cells)
    rows: Vec<(usize, Vec<String>)>,
    cols: HashMap<String, usize>,
}

/// A1-style column letters.
fn col_letter(mut c: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (c % 26) as u8) as char);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s
}

impl Sheet {
    fn read(
        wb: &mut Xlsx<Cursor<&[u8]>>,
        name: &'static str,
        required: &[&str],
        errors: &mut Vec<String>,
    ) -> Option<Sheet> {
        let range = match wb.worksheet_range(name) {
            Ok(r) => r,
            Err(_) => {
                errors.push(format!("缺少工作表“{name}”"));
                return None;
            }
        };
        let (r0, c0) = range
            .start()
            .map(|(r, c)| (r as usize, c as usize))
            .unwrap_or((0, 0));
        let mut rows = range.rows().enumerate().map(|(i, row)| {
            let mut cells = vec![String::new(); c0];
            cells.extend(row.iter().map(cell_text));
            (r0 + i + 1, cells)
        });
        let Some((_, head)) = rows.next() else {
            errors.push(format!("工作表“{name}”是空的，第1行应为表头"));
            return None;
        };
        let cols: HashMap<String, usize> = head
            .iter()
            .enumerate()
            .filter(|(_, h)| !h.is_empty())
            .map(|(i, h)| (h.clone(), i))
            .collect();
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|c| !cols.contains_key(*c))
            .collect();
        if !missing.is_empty() {
            errors.push(format!(
                "工作表“{name}”第1行缺少表头：{}",
                missing.join("、")
            ));
            return None;
        }
        let rows = rows
            .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()))
            .collect();
        Some(Sheet { name, rows, cols })
    }

    fn get<'a>(&self, cells: &'a [String], col: &str) -> &'a str {
        self.cols
            .get(col)
            .and_then(|&i| cells.get(i))
            .map(String::as_str)
            .unwrap_or("")
    }

    fn at(&self, row: usize, col: &str) -> String {
        let c = self.cols.get(col).copied().unwrap_or(0);
        format!("{}!{}{row}（{col}）", self.name, col_letter(c))
    }
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::String(s) => s.trim().to_string(),
        Data::Bool(b) => yes_no(*b).to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::DateTime(dt) => dt.to_string(),
        Data::Error(e) => format!("#{e:?}"),
        Data::Empty => String::new(),
    }
}

/// Parses one cell, or records an error naming it.
struct Cells<'a> {
    sheet: &'a Sheet,
    row: usize,
    cells: &'a [String],
    errors: &'a mut Vec<String>,
}

impl Cells<'_> {
    fn text(&mut self, col: &str, required: bool) -> String {
        let v = self.sheet.get(self.cells, col).to_string();
        if required && v.is_empty() {
            self.errors
                .push(format!("{}：不能为空", self.sheet.at(self.row, col)));
        }
        v
    }

    /// The optional 帮我传 column: JSON, empty for none.
    fn sharing(&mut self) -> Vec<yichuang_types::sharing::ShareChannel> {
        let v = self.sheet.get(self.cells, SHARING_COL).trim();
        if v.is_empty() {
            return Vec::new();
        }
        serde_json::from_str(v).unwrap_or_else(|e| {
            self.errors.push(format!(
                "{}：帮我传配置不是有效的JSON（{e}）",
                self.sheet.at(self.row, SHARING_COL)
            ));
            Vec::new()
        })
    }

    fn number(&mut self, col: &str) -> u32 {
        let v = self.sheet.get(self.cells, col);
        v.parse().unwrap_or_else(|_| {
            self.errors.push(format!(
                "{}：“{v}”不是非负整数",
                self.sheet.at(self.row, col)
            ));
            0
        })
    }

    fn boolean(&mut self, col: &str) -> bool {
        match self.sheet.get(self.cells, col) {
            "是" | "true" | "TRUE" | "1" | "Y" | "y" => true,
            "否" | "false" | "FALSE" | "0" | "N" | "n" | "" => false,
            v => {
                self.errors.push(format!(
                    "{}：“{v}”应为“是”或“否”",
                    self.sheet.at(self.row, col)
                ));
                false
            }
        }
    }

    /// A dictionary value, by its Chinese label or its code.
    fn dict<T: Copy>(
        &mut self,
        col: &str,
        all: &[T],
        label: fn(T) -> &'static str,
        code: fn(T) -> &'static str,
    ) -> Option<T> {
        let v = self.sheet.get(self.cells, col);
        let found = all
            .iter()
            .copied()
            .find(|t| label(*t) == v || code(*t) == v);
        if found.is_none() {
            let allowed: Vec<&str> = all.iter().map(|t| label(*t)).collect();
            self.errors.push(format!(
                "{}：“{v}”不是有效值，应为{}之一",
                self.sheet.at(self.row, col),
                allowed.join("、")
            ));
        }
        found
    }

    fn dict_list<T: Copy>(
        &mut self,
        col: &str,
        all: &[T],
        label: fn(T) -> &'static str,
        code: fn(T) -> &'static str,
    ) -> Vec<T> {
        let v = self.sheet.get(self.cells, col).to_string();
        let mut out = Vec::new();
        for part in split_list(&v) {
            match all
                .iter()
                .copied()
                .find(|t| label(*t) == part || code(*t) == part)
            {
                Some(t) => out.push(t),
                None => {
                    let allowed: Vec<&str> = all.iter().map(|t| label(*t)).collect();
                    self.errors.push(format!(
                        "{}：“{part}”不是有效值，应为{}之一",
                        self.sheet.at(self.row, col),
                        allowed.join("、")
                    ));
                }
            }
        }
        out
    }
}

fn split_list(v: &str) -> Vec<String> {
    v.split(['、', ',', '，', ';', '；'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// Reads a catalog workbook. All problems are reported together; on any, nothing is returned.
pub fn import(bytes: &[u8]) -> Result<CatalogFile> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| CatalogError(format!("无法读取表格文件（应为 .xlsx）：{e}")))?;
    let mut errors = Vec::new();
    let meta = Sheet::read(&mut wb, META, &["项目", "值"], &mut errors);
    let items_sheet = Sheet::read(&mut wb, ITEMS, &ITEM_COLS, &mut errors);
    let materials_sheet = Sheet::read(&mut wb, MATERIALS, &MATERIAL_COLS, &mut errors);
    let situations_sheet = Sheet::read(&mut wb, SITUATIONS, &SITUATION_COLS, &mut errors);
    let (Some(meta), Some(items_sheet), Some(materials_sheet), Some(situations_sheet)) =
        (meta, items_sheet, materials_sheet, situations_sheet)
    else {
        return Err(CatalogError(errors.join("；")));
    };

    let setting = |key: &str| {
        meta.rows
            .iter()
            .find(|(_, c)| meta.get(c, "项目") == key)
            .map(|(_, c)| meta.get(c, "值").to_string())
            .unwrap_or_default()
    };
    let (version, area_no, area_name) = (
        setting("版本"),
        setting("行政区划编码"),
        setting("行政区划名称"),
    );
    if version.is_empty() || area_no.is_empty() {
        errors.push(format!("工作表“{META}”应填写“版本”和“行政区划编码”"));
    }

    let mut items: Vec<CatalogItem> = Vec::new();
    let mut item_rows: Vec<usize> = Vec::new();
    for (row, cells) in &items_sheet.rows {
        let mut c = Cells {
            sheet: &items_sheet,
            row: *row,
            cells,
            errors: &mut errors,
        };
        let item_type = c.dict(
            ITEM_COLS[6],
            &ItemType::ALL,
            ItemType::label,
            ItemType::code,
        );
        let anticipate_day_type = c.dict(
            ITEM_COLS[8],
            &TimeUnit::ALL,
            TimeUnit::label,
            TimeUnit::code,
        );
        let promise_type = c.dict(
            ITEM_COLS[10],
            &TimeUnit::ALL,
            TimeUnit::label,
            TimeUnit::code,
        );
        let item = CatalogItem {
            catalog_code: c.text("基本编码", true),
            dept_ql_reg_no: c.text("实施编码", true),
            dept_ql_name: c.text("事项名称", true),
            task_version: c.text("事项版本", true),
            org_id: c.text("部门编码", true),
            org_name: c.text("部门名称", true),
            item_type: item_type.unwrap_or(ItemType::Promised),
            anticipate: c.number("法定时限"),
            anticipate_day_type: anticipate_day_type.unwrap_or(TimeUnit::WorkingDays),
            promise: c.number("承诺时限"),
            promise_type: promise_type.unwrap_or(TimeUnit::WorkingDays),
            charged: c.boolean("是否收费"),
            fee_description: c.text("收费说明", false),
            delivery_methods: c.dict_list(
                "送达方式",
                &DeliveryMethod::ALL,
                DeliveryMethod::label,
                DeliveryMethod::code,
            ),
            materials: vec![],
            situations: vec![],
        };
        items.push(item);
        item_rows.push(*row);
    }

    let index: HashMap<String, usize> = items
        .iter()
        .enumerate()
        .map(|(i, it)| (it.dept_ql_reg_no.clone(), i))
        .collect();
    for (row, cells) in &materials_sheet.rows {
        let mut c = Cells {
            sheet: &materials_sheet,
            row: *row,
            cells,
            errors: &mut errors,
        };
        let code = c.text("实施编码", true);
        let form = c.dict(
            "材料形式",
            &MaterialForm::ALL,
            MaterialForm::label,
            MaterialForm::code,
        );
        let material = CatalogMaterial {
            no: c.text("材料编号", true),
            sj_file_name: c.text("材料名称", true),
            sj_file_if: c.boolean("是否必须"),
            sj_no: c.number("份数"),
            form: form.unwrap_or(MaterialForm::Original),
            if_ec_page: c.boolean("是否需要电子版"),
            gettype: c.dict_list("收取方式", &GetType::ALL, GetType::label, GetType::code),
            sharing: c.sharing(),
        };
        match index.get(&code) {
            Some(&i) => items[i].materials.push(material),
            None if code.is_empty() => {}
            None => errors.push(format!(
                "{}：实施编码“{code}”不在“事项”表中",
                materials_sheet.at(*row, "实施编码")
            )),
        }
    }
    for (row, cells) in &situations_sheet.rows {
        let mut c = Cells {
            sheet: &situations_sheet,
            row: *row,
            cells,
            errors: &mut errors,
        };
        let code = c.text("实施编码", true);
        let situation = Situation {
            code: c.text("情形编码", true),
            name: c.text("情形名称", true),
            material_nos: split_list(&c.text("材料编号", true)),
        };
        match index.get(&code) {
            Some(&i) => items[i].situations.push(situation),
            None if code.is_empty() => {}
            None => errors.push(format!(
                "{}：实施编码“{code}”不在“事项”表中",
                situations_sheet.at(*row, "实施编码")
            )),
        }
    }

    let file = CatalogFile {
        version,
        area_no,
        area_name,
        items,
    };
    if let Err(CatalogError(m)) = file.check(|i| {
        format!(
            "“事项”表第{}行（{}）",
            item_rows[i], file.items[i].dept_ql_name
        )
    }) {
        errors.push(m);
    }
    if errors.is_empty() {
        Ok(file)
    } else {
        Err(CatalogError(errors.join("；")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_catalog_round_trips_through_a_workbook() {
        let cat = CatalogFile::sample().unwrap();
        let bytes = export(&cat).unwrap();
        assert!(bytes.starts_with(b"PK"));
        let back = import(&bytes).unwrap();
        assert_eq!(back.items, cat.items);
        assert_eq!((back.version, back.area_no), (cat.version, cat.area_no));
        // The 帮我传 channels travel in their own column.
        assert!(
            back.items
                .iter()
                .flat_map(|i| &i.materials)
                .any(|m| m.sharing.len() == 2)
        );
    }

    #[test]
    fn a_bad_sharing_cell_is_named() {
        let err = import(&damaged(MATERIALS, 1, 8, "[{\"method\":"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("材料!I2（帮我传）") && err.contains("不是有效的JSON"),
            "{err}"
        );
    }

    /// Builds a workbook from the sample, then lets `edit` damage one sheet's cells.
    fn damaged(sheet: &str, row: u32, col: u16, value: &str) -> Vec<u8> {
        let cat = CatalogFile::sample().unwrap();
        let bytes = export(&cat).unwrap();
        // Re-write the workbook with one cell changed: read every sheet, write it back.
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.as_slice())).unwrap();
        let mut out = Workbook::new();
        for name in [META, ITEMS, MATERIALS, SITUATIONS] {
            let range = wb.worksheet_range(name).unwrap();
            let ws = out.add_worksheet();
            ws.set_name(name).unwrap();
            for (r, cells) in range.rows().enumerate() {
                for (c, d) in cells.iter().enumerate() {
                    let v = if name == sheet && r as u32 == row && c as u16 == col {
                        value.to_string()
                    } else {
                        cell_text(d)
                    };
                    ws.write_string(r as u32, c as u16, v).unwrap();
                }
            }
        }
        out.save_to_buffer().unwrap()
    }

    #[test]
    fn errors_name_sheet_row_and_column() {
        let err = import(&damaged(ITEMS, 3, 7, "八")).unwrap_err().to_string();
        assert!(
            err.contains("事项!H4（法定时限）：“八”不是非负整数"),
            "{err}"
        );
        let err = import(&damaged(ITEMS, 1, 8, "周")).unwrap_err().to_string();
        assert!(
            err.contains("事项!I2（法定时限单位）：“周”不是有效值，应为天、工作日、月、年之一"),
            "{err}"
        );
        let err = import(&damaged(MATERIALS, 5, 3, "也许"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("材料!D6（是否必须）：“也许”应为“是”或“否”"),
            "{err}"
        );
        let err = import(&damaged(MATERIALS, 2, 0, "X"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("材料!A3（实施编码）：实施编码“X”不在“事项”表中"),
            "{err}"
        );
        // A rule of the catalog itself is reported by row too.
        let err = import(&damaged(ITEMS, 2, 4, "11650102000000000X"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("“事项”表第3行") && err.contains("统一社会信用代码"),
            "{err}"
        );
    }

    #[test]
    fn codes_are_accepted_as_well_as_labels() {
        let bytes = damaged(ITEMS, 1, 10, "1");
        let cat = import(&bytes).unwrap();
        assert_eq!(cat.items[0].promise_type, TimeUnit::WorkingDays);
    }

    #[test]
    fn not_a_workbook_or_missing_sheets() {
        let err = import(b"not a zip").unwrap_err().to_string();
        assert!(err.contains("无法读取表格文件"), "{err}");
        let mut wb = Workbook::new();
        wb.add_worksheet().set_name(ITEMS).unwrap();
        let err = import(&wb.save_to_buffer().unwrap())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("缺少工作表“目录信息”") && err.contains("缺少工作表“材料”"),
            "{err}"
        );
    }
}
