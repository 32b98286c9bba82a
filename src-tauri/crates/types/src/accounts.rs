//! Who acts at the desk: roles, the permissions they grant, and the acting person.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::code_enum;

code_enum! {
    #[code_enum(parse_trimmed)]
    /// What a person at the desk does.
    #[ts(export)]
    pub enum Role {
        /// 窗口人员: takes in and handles cases at the counter.
        Clerk = "clerk" => "窗口人员",
        /// 督办/监察: watches cases and issues supervision orders.
        Supervisor = "supervisor" => "督办/监察",
        /// 培训: runs training sessions (demo desk, moving the clock).
        Trainer = "trainer" => "培训",
        /// 管理员: accounts, desk settings, the hub connection.
        Admin = "admin" => "管理员",
    }
}

impl Role {
    /// The role → permissions table. Documented in docs/accounts.md.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::Clerk => &[Intake, ActOnCase, ViewCases],
            Role::Supervisor => &[
                ViewCases,
                SuperviseCases,
                IssueSupervisionOrder,
                ViewCallLog,
            ],
            Role::Trainer => &[ViewCases, TrainerControls],
            Role::Admin => &[
                ViewCases,
                ViewCallLog,
                HubAdmin,
                ManageAccounts,
                DeskSettings,
            ],
        }
    }
}

code_enum! {
    // The label is what the permission allows, as it reads after 无权.
    /// What an action needs. Checked in core by [`Desk::authorize`].
    #[ts(export)]
    pub enum Permission {
        /// Take in a case: accept, receive, reject or ask for a supplement at intake.
        Intake = "intake" => "受理办件",
        /// Act on an existing case: accept, finish, hand over, withdraw, print its documents.
        ActOnCase = "act_on_case" => "办理办件",
        /// List and read cases.
        ViewCases = "view_cases" => "查询办件",
        /// Read the log of calls to the provincial hub (办件中心).
        ViewCallLog = "view_call_log" => "查看办件中心调用日志",
        /// Configure the hub connection, retry dead letters.
        HubAdmin = "hub_admin" => "设置办件中心连接",
        /// Create, disable, unlock accounts and reset passwords.
        ManageAccounts = "manage_accounts" => "管理账号",
        /// The desk profile, catalog, logo and seal, idle-lock time.
        DeskSettings = "desk_settings" => "修改窗口设置",
        /// Watch cases for supervision (督办).
        SuperviseCases = "supervise_cases" => "查看督办事项",
        /// Issue a supervision order (督办单).
        IssueSupervisionOrder = "issue_supervision_order" => "下达督办单",
        /// Trainers' controls: demo desk, moving the clock.
        TrainerControls = "trainer_controls" => "使用培训控制",
    }
}

/// The person acting: who did it, at which window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Actor {
    #[ts(type = "number")]
    pub account_id: i64,
    pub login: String,
    pub name: String,
    pub window_no: String,
}
