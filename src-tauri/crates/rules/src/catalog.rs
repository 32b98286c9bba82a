//! The hall's item catalog (事项实施清单): loading, checking and the bundled sample.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::validate::uscc_is_valid;
use yichuang_types::catalog::CatalogItem;

/// A catalog that cannot be read, or its problems: where (item, sheet, row, column) and what.
/// The core reports it as `CoreError::Catalog`, with the same text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("事项目录有误：{0}")]
pub struct CatalogError(pub String);

pub type Result<T, E = CatalogError> = std::result::Result<T, E>;

/// The sample catalog shipped in `assets/catalog/`, used when a desk starts with an empty
/// catalog.
pub const SAMPLE_CATALOG: &str = include_str!("../../../../assets/catalog/sample-catalog.json");

/// A catalog file as a hall receives it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CatalogFile {
    pub version: String,
    pub area_no: String,
    #[serde(default)]
    pub area_name: String,
    pub items: Vec<CatalogItem>,
}

impl CatalogFile {
    /// Parses and checks a catalog. Every problem is reported, by item and field, and a
    /// catalog with any problem is refused as a whole.
    pub fn parse(json: &str) -> Result<Self> {
        let file: CatalogFile = serde_json::from_str(json)
            .map_err(|e| CatalogError(format!("第{}行第{}列：{}", e.line(), e.column(), e)))?;
        file.check(|i| format!("第{}个事项（{}）", i + 1, file.items[i].dept_ql_name))?;
        Ok(file)
    }

    /// Refuses the catalog if it has any problem; `at(i)` names item `i` in the messages (by
    /// position in a JSON file, by row in a spreadsheet).
    pub fn check(&self, at: impl Fn(usize) -> String) -> Result<()> {
        let problems: Vec<String> = self
            .problems()
            .into_iter()
            .map(|(i, m)| match i {
                Some(i) => format!("{}{m}", at(i)),
                None => m,
            })
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(CatalogError(problems.join("；")))
        }
    }

    pub fn sample() -> Result<Self> {
        Self::parse(SAMPLE_CATALOG)
    }

    fn problems(&self) -> Vec<(Option<usize>, String)> {
        let mut out = Vec::new();
        let mut codes = HashSet::new();
        if self.items.is_empty() {
            out.push((None, "目录中没有事项".to_string()));
        }
        for (i, item) in self.items.iter().enumerate() {
            let mut push = |m: String| out.push((Some(i), m));
            if item.dept_ql_reg_no.chars().count() != 31
                || !item
                    .dept_ql_reg_no
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric())
            {
                push("实施编码 dept_ql_reg_no 应为31位字母或数字".to_string());
            }
            if !codes.insert(item.dept_ql_reg_no.clone()) {
                push(format!("实施编码 {} 重复", item.dept_ql_reg_no));
            }
            if item.catalog_code.chars().count() != 12 {
                push("基本编码 catalog_code 应为12位".to_string());
            }
            if !uscc_is_valid(&item.org_id) {
                push("部门编码 org_id 不是有效的统一社会信用代码".to_string());
            }
            if item.dept_ql_name.trim().is_empty() || item.org_name.trim().is_empty() {
                push("事项名称和部门名称不能为空".to_string());
            }
            if item.delivery_methods.is_empty() {
                push("至少需要一种送达方式 delivery_methods".to_string());
            }
            if item.materials.is_empty() {
                push("材料目录 materials 为空".to_string());
            }
            let mut nos = HashSet::new();
            for m in &item.materials {
                if m.no.trim().is_empty() || !nos.insert(m.no.as_str()) {
                    push(format!("材料编号“{}”为空或重复", m.no));
                }
                if m.sj_no == 0 {
                    push(format!("材料“{}”份数 sj_no 至少为1", m.sj_file_name));
                }
                for p in sharing_problems(m) {
                    push(p);
                }
            }
            for s in &item.situations {
                for no in &s.material_nos {
                    if !nos.contains(no.as_str()) {
                        push(format!("情形“{}”引用了不存在的材料编号 {no}", s.name));
                    }
                }
            }
        }
        out
    }
}

/// The problems of a material's 帮我传 configuration (seed 004 3.1): each method once, with
/// its department, interface and time limit; paper sharing needs the sign-out and sign-in
/// permissions.
fn sharing_problems(m: &yichuang_types::catalog::CatalogMaterial) -> Vec<String> {
    let mut out = Vec::new();
    let name = &m.sj_file_name;
    let mut seen = HashSet::new();
    for c in &m.sharing {
        let how = c.method.label();
        if !seen.insert(c.method) {
            out.push(format!("材料“{name}”的{how}配置重复"));
        }
        if c.dept_name.trim().is_empty() {
            out.push(format!("材料“{name}”的{how}缺少所属部门 dept_name"));
        }
        if c.query_interface.trim().is_empty() {
            out.push(format!(
                "材料“{name}”的{how}缺少材料查询接口 query_interface"
            ));
        }
        if !(1..=720).contains(&c.limit_hours) {
            out.push(format!(
                "材料“{name}”的{how}调取时限 limit_hours 应为1至720小时"
            ));
        }
        if c.method == yichuang_types::sharing::ShareMethod::Paper
            && (c.signout_permission.trim().is_empty() || c.signin_permission.trim().is_empty())
        {
            out.push(format!(
                "材料“{name}”选择了纸档材料共享，请选择材料签出和签入操作人员权限（signout_permission、signin_permission）"
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use yichuang_types::sharing::{ShareChannel, ShareMethod};

    #[test]
    fn sample_catalog_is_valid_and_realistic() {
        let cat = CatalogFile::sample().unwrap();
        assert!(cat.items.len() >= 20, "{} items", cat.items.len());
        let depts: HashSet<_> = cat.items.iter().map(|i| i.org_id.as_str()).collect();
        assert!(depts.len() >= 5);
        for item in &cat.items {
            assert!(item.dept_ql_reg_no.starts_with(&item.catalog_code));
            assert!(
                item.materials.iter().any(|m| m.sj_file_if),
                "{}",
                item.dept_ql_name
            );
        }
    }

    #[test]
    fn the_sample_offers_both_kinds_of_sharing() {
        let cat = CatalogFile::sample().unwrap();
        let channels: Vec<_> = cat
            .items
            .iter()
            .flat_map(|i| &i.materials)
            .flat_map(|m| &m.sharing)
            .collect();
        assert!(channels.iter().any(|c| c.method == ShareMethod::Electronic));
        assert!(channels.iter().any(|c| c.method == ShareMethod::Paper));
    }

    #[test]
    fn paper_sharing_without_permissions_is_refused() {
        let mut cat = CatalogFile::sample().unwrap();
        let m = &mut cat.items[0].materials[0];
        m.sharing = vec![
            ShareChannel {
                method: ShareMethod::Paper,
                dept_name: "档案馆".into(),
                unit_name: String::new(),
                query_interface: "archive.paper".into(),
                limit_hours: 48,
                signout_permission: "档案签出员".into(),
                signin_permission: String::new(),
            },
            ShareChannel {
                method: ShareMethod::Electronic,
                dept_name: String::new(),
                unit_name: String::new(),
                query_interface: "x".into(),
                limit_hours: 0,
                signout_permission: String::new(),
                signin_permission: String::new(),
            },
        ];
        let json = serde_json::to_string(&cat).unwrap();
        let err = CatalogFile::parse(&json).unwrap_err().to_string();
        assert!(err.contains("请选择材料签出和签入操作人员权限"), "{err}");
        assert!(err.contains("缺少所属部门"), "{err}");
        assert!(err.contains("1至720小时"), "{err}");
    }

    #[test]
    fn bad_catalogs_are_refused_with_every_problem() {
        let mut cat = CatalogFile::sample().unwrap();
        cat.items[0].dept_ql_reg_no = "123".into();
        cat.items[1].org_id = "11650102000000000X".into();
        let json = serde_json::to_string(&cat).unwrap();
        let err = CatalogFile::parse(&json).unwrap_err().to_string();
        assert!(err.contains("第1个事项") && err.contains("31位"), "{err}");
        assert!(
            err.contains("第2个事项") && err.contains("统一社会信用代码"),
            "{err}"
        );
        let err = CatalogFile::parse("{\"version\":1}")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("事项目录有误：第1行"), "{err}");
    }
}
