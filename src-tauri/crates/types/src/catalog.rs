//! The hall's implementation list (实施清单): service items and the materials they ask for.

use crate::dict::{DeliveryMethod, GetType, ItemType, MaterialForm, TimeUnit};
use crate::sharing::ShareChannel;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One service item (事项) of the hall's implementation list (实施清单).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CatalogItem {
    /// 基本编码 (12 characters).
    pub catalog_code: String,
    /// 实施编码 (31 characters): the prefix of every case number of this item.
    pub dept_ql_reg_no: String,
    /// 事项名称.
    pub dept_ql_name: String,
    /// 事项版本号.
    pub task_version: String,
    /// 部门编码 (the department's unified social credit code).
    pub org_id: String,
    /// 部门名称.
    pub org_name: String,
    /// 办件类型 (B.8).
    pub item_type: ItemType,
    /// 法定办结时限 and its unit (B.5).
    pub anticipate: u32,
    pub anticipate_day_type: TimeUnit,
    /// 承诺办结时限 and its unit (B.5).
    pub promise: u32,
    pub promise_type: TimeUnit,
    /// Whether a fee is charged, and the fee's description (收费标准及依据).
    pub charged: bool,
    pub fee_description: String,
    /// The ways the result can be delivered.
    pub delivery_methods: Vec<DeliveryMethod>,
    /// 材料目录.
    pub materials: Vec<CatalogMaterial>,
    /// 情形: each selects extra materials.
    #[serde(default)]
    pub situations: Vec<Situation>,
}

/// One material an item asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CatalogMaterial {
    /// The material's code within the item (唯一标识 in `materiallist.no`).
    pub no: String,
    /// 材料名称.
    pub sj_file_name: String,
    /// 材料是否必须.
    pub sj_file_if: bool,
    /// 材料份数 asked for.
    pub sj_no: u32,
    /// Original, copy, or both.
    pub form: MaterialForm,
    /// 是否需要电子版.
    pub if_ec_page: bool,
    /// 收取方式 accepted (B.9).
    pub gettype: Vec<GetType>,
    /// 材料收取方式 through 帮我传 (seed 004 3.1.2): the departments it can be fetched from,
    /// electronically and/or on paper. Empty: the applicant brings it.
    #[serde(default)]
    pub sharing: Vec<ShareChannel>,
}

/// A situation (情形) that adds materials, for example "委托代理人办理".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Situation {
    pub code: String,
    pub name: String,
    /// Codes (`no`) of the materials this situation requires in addition.
    pub material_nos: Vec<String>,
}
