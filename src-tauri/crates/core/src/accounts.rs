//! Accounts, roles, sign-in and permissions (issue 6).
//!
//! Accounts are local to the desk (the hall's database). Every account has one or more
//! [`Role`]s; what a role may do is the fixed table [`Role::permissions`]. The window and the
//! CLI sign in with [`Desk::sign_in`] and get a [`Session`]; an action that needs a permission
//! calls [`Desk::authorize`], which refuses a locked, idle, ended or disabled session and a
//! role without the permission, and otherwise returns the acting person ([`Actor`]).
//!
//! - Passwords are hashed with argon2id (random salt, PHC string); the rule is at least
//!   [`MIN_PASSWORD_CHARS`] characters with both letters and digits.
//! - After [`MAX_FAILED_SIGN_INS`] consecutive failures a login name is locked for
//!   [`LOCKOUT_MINUTES`] minutes. Failures are counted per login name whether or not the
//!   account exists, and every failure reads the same, so nothing tells an outsider which
//!   logins are real.
//! - A session unused for the desk's idle time (setting `session_idle_minutes`, default
//!   [`DEFAULT_IDLE_MINUTES`]) is locked and needs the password again ([`Desk::unlock`]).
//! - Times come from the desk's clock, so tests and trainers can move them.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::desk::Desk;
use crate::error::{CoreError, Result};
use crate::model::FieldError;
use crate::store;
use crate::store::accounts::{AccountRow, NewAccountRow};

mod sessions;

/// Consecutive failed sign-ins (or unlocks) after which a login name is locked.
pub const MAX_FAILED_SIGN_INS: i64 = 5;
/// How long a lockout lasts.
pub const LOCKOUT_MINUTES: i64 = 15;
/// Idle minutes after which a session is locked, unless the desk sets another value.
pub const DEFAULT_IDLE_MINUTES: u32 = 15;
/// The range the desk setting `session_idle_minutes` may take.
pub const IDLE_MINUTES_RANGE: std::ops::RangeInclusive<u32> = 1..=240;
/// Days without a failure after which a login's failure count is forgotten.
pub const THROTTLE_MEMORY_DAYS: i64 = 1;
/// The shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// The longest password accepted, in characters (bounds the hashing work).
pub const MAX_PASSWORD_CHARS: usize = 128;
/// The password of the trainers' demo accounts (documented in docs/trainers.md).
pub const DEMO_PASSWORD: &str = "peixun2026";

const IDLE_SETTING: &str = "session_idle_minutes";
const SIGN_IN_FAILED: &str = "登录名或密码错误";

pub use yichuang_types::accounts::{Permission, Role};

/// Whether any of `roles` grants `permission`.
pub fn roles_allow(roles: &[Role], permission: Permission) -> bool {
    roles.iter().any(|r| r.permissions().contains(&permission))
}

/// An account as it is listed (never its password hash).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Account {
    #[ts(type = "number")]
    pub id: i64,
    pub login: String,
    /// Printed as 窗口人员 on notices.
    pub display_name: String,
    pub window_no: String,
    pub roles: Vec<Role>,
    pub active: bool,
    /// Set while the login is locked after failed sign-ins (RFC 3339).
    pub locked_until: Option<String>,
    pub created_at: String,
}

/// A new account, as an admin enters it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewAccount {
    pub login: String,
    pub display_name: String,
    #[serde(default)]
    pub window_no: String,
    pub roles: Vec<Role>,
    pub password: String,
}

/// A signed-in session. `id` is the secret the window or a script keeps; the rest is a
/// snapshot for display (authorization always reads the account afresh).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Session {
    pub id: String,
    pub account: Account,
    pub issued_at: String,
    pub last_seen_at: String,
}

pub use yichuang_types::accounts::Actor;

/// What the window needs to know to show the sign-in page, the first-run page, the idle
/// lock or the signed-in header. Reading it does not count as use of the session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuthStatus {
    /// False on a desk without any account: the window offers first-run setup.
    pub has_accounts: bool,
    /// The signed-in account, read afresh (None when signed out or the session ended).
    pub account: Option<Account>,
    /// The session is locked by idleness: unlock with the password.
    pub locked: bool,
    /// What the account's roles allow (empty when signed out).
    pub permissions: Vec<Permission>,
    /// The desk's idle-lock time in minutes.
    pub idle_minutes: u32,
    /// On the trainers' demo desk: its accounts, for one-click sign-in.
    pub demo_accounts: Vec<Account>,
    /// On the trainers' demo desk: the demo accounts' password.
    pub demo_password: Option<String>,
}

/// Every permission any of `roles` grants, in [`Permission`] order.
pub fn permissions_of(roles: &[Role]) -> Vec<Permission> {
    Permission::ALL
        .into_iter()
        .filter(|p| roles_allow(roles, *p))
        .collect()
}

/// The trainers' demo accounts: login, name, window, roles.
pub const DEMO_ACCOUNTS: [(&str, &str, &str, &[Role]); 4] = [
    ("clerk01", "培训学员", "01", &[Role::Clerk]),
    ("supervisor", "督办演示", "", &[Role::Supervisor]),
    ("trainer", "培训老师", "01", &[Role::Trainer, Role::Clerk]),
    ("admin", "管理员", "", &[Role::Admin]),
];

/// Checks the password rule; the error names the field.
pub fn check_password(field: &str, label: &str, password: &str) -> Result<()> {
    let n = password.chars().count();
    let ok = (MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&n)
        && password.chars().any(|c| c.is_ascii_alphabetic())
        && password.chars().any(|c| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(CoreError::Validation(vec![field_error(
            field,
            label,
            &format!(
                "{label}至少{MIN_PASSWORD_CHARS}位（最多{MAX_PASSWORD_CHARS}位），且须同时包含字母和数字"
            ),
        )]))
    }
}

fn field_error(field: &str, label: &str, message: &str) -> FieldError {
    FieldError {
        field: field.into(),
        label: label.into(),
        message: message.into(),
    }
}

fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CoreError::Crypto(format!("密码处理失败：{e}")))
}

fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the login does not exist, so an unknown login costs the
/// same time as a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let mut bytes = [0u8; 16];
        let _ = getrandom::fill(&mut bytes);
        hash_password(&format!("x{}", hex::encode(bytes))).unwrap_or_default()
    })
}

fn new_session_id() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| CoreError::Crypto(format!("无法生成会话标识：{e}")))?;
    Ok(hex::encode(bytes))
}

fn id_hash(session_id: &str) -> String {
    hex::encode(Sha256::digest(session_id.trim().as_bytes()))
}

fn encode_roles(roles: &[Role]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for r in Role::ALL {
        if roles.contains(&r) {
            out.push(r.as_str());
        }
    }
    out.join(",")
}

fn decode_roles(s: &str) -> Vec<Role> {
    s.split(',').filter_map(Role::parse).collect()
}

fn roles_label(roles: &[Role]) -> String {
    if roles.is_empty() {
        return "无角色".into();
    }
    roles
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join("、")
}

fn parse_time(s: &str) -> Result<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s).map_err(|e| CoreError::Data(format!("时间格式有误：{s}：{e}")))
}

/// 11月22日 16:40, the way a lockout's end is told.
fn short_time(t: &DateTime<FixedOffset>) -> String {
    t.format("%m月%d日 %H:%M").to_string()
}

fn normalize_login(login: &str) -> String {
    login.trim().to_ascii_lowercase()
}

/// The account as listed, from its stored row (a lockout shows only while it lasts).
fn account_of(r: AccountRow, now: &DateTime<FixedOffset>) -> Result<Account> {
    let locked_until = match r.locked_until {
        Some(s) if parse_time(&s)? > *now => Some(s),
        _ => None,
    };
    Ok(Account {
        id: r.id,
        login: r.login,
        display_name: r.display_name,
        window_no: r.window_no,
        roles: decode_roles(&r.roles),
        active: r.active,
        locked_until,
        created_at: r.created_at,
    })
}

fn check_new_account(a: &NewAccount) -> Result<()> {
    let mut errors = Vec::new();
    let login = a.login.trim();
    let login_ok = (2..=32).contains(&login.len())
        && login.starts_with(|c: char| c.is_ascii_alphabetic())
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if !login_ok {
        errors.push(field_error(
            "login",
            "登录名",
            "登录名应为2至32位字母、数字或 _ . -，并以字母开头",
        ));
    }
    let name = a.display_name.trim();
    if name.is_empty() || name.chars().count() > 20 {
        errors.push(field_error(
            "display_name",
            "窗口人员",
            "请填写窗口人员姓名（最多20字）",
        ));
    }
    if a.window_no.trim().chars().count() > 10 {
        errors.push(field_error("window_no", "窗口号", "窗口号最多10位"));
    }
    if a.roles.is_empty() {
        errors.push(field_error("roles", "角色", "请至少选择一个角色"));
    }
    if let Err(CoreError::Validation(mut e)) = check_password("password", "密码", &a.password) {
        errors.append(&mut e);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(CoreError::Validation(errors))
    }
}

impl Desk {
    fn rfc3339_now(&self) -> (DateTime<FixedOffset>, String) {
        let now = self.now();
        (now, now.to_rfc3339())
    }

    /// Whether any account exists (the window offers first-run setup when not).
    pub async fn has_accounts(&self) -> Result<bool> {
        Ok(store::accounts::count(self.store.pool()).await? > 0)
    }

    /// First run: creates the first account, an admin, when no account exists yet. After
    /// that only an admin creates accounts ([`Desk::create_account`]).
    pub async fn bootstrap_admin(
        &self,
        login: &str,
        name: &str,
        password: &str,
    ) -> Result<Account> {
        let new = NewAccount {
            login: login.into(),
            display_name: name.into(),
            window_no: String::new(),
            roles: vec![Role::Admin],
            password: password.into(),
        };
        self.insert_account(&new, true).await
    }

    /// Creates an account; needs [`Permission::ManageAccounts`].
    pub async fn create_account(&self, session: &Session, new: &NewAccount) -> Result<Account> {
        self.authorize(session, Permission::ManageAccounts).await?;
        self.insert_account(new, false).await
    }

    async fn insert_account(&self, new: &NewAccount, first_only: bool) -> Result<Account> {
        check_new_account(new)?;
        // Hash before taking the write lock: it is the slow part.
        let hash = hash_password(&new.password)?;
        let (now, stamp) = self.rfc3339_now();
        let mut tx = self.store.write().await?;
        let count = store::accounts::count(&mut *tx).await?;
        if first_only && count > 0 {
            return Err(CoreError::Conflict(
                "已有账号，只有管理员可以新建账号".into(),
            ));
        }
        if store::accounts::login_taken(&mut tx, &normalize_login(&new.login)).await? {
            return Err(CoreError::Validation(vec![field_error(
                "login",
                "登录名",
                "该登录名已被使用",
            )]));
        }
        store::accounts::insert(
            &mut tx,
            &NewAccountRow {
                login: &normalize_login(&new.login),
                display_name: new.display_name.trim(),
                window_no: new.window_no.trim(),
                roles: &encode_roles(&new.roles),
                password_hash: &hash,
                created_at: &stamp,
            },
        )
        .await?;
        let account = self.account_in(&mut tx, &new.login, &now).await?;
        tx.commit().await?;
        Ok(account.0)
    }

    async fn account_in(
        &self,
        conn: &mut sqlx::SqliteConnection,
        login: &str,
        now: &DateTime<FixedOffset>,
    ) -> Result<(Account, String)> {
        let row = store::accounts::find(conn, &normalize_login(login))
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("账号 {}", login.trim())))?;
        let hash = row.password_hash.clone();
        Ok((account_of(row, now)?, hash))
    }

    /// All accounts, by login name; needs [`Permission::ManageAccounts`].
    pub async fn list_accounts(&self, session: &Session) -> Result<Vec<Account>> {
        self.authorize(session, Permission::ManageAccounts).await?;
        let now = self.now();
        store::accounts::list(self.store.pool())
            .await?
            .into_iter()
            .map(|r| account_of(r, &now))
            .collect()
    }

    /// Sets another account's password (an admin resetting it); needs
    /// [`Permission::ManageAccounts`]. The account's sessions end.
    pub async fn set_password(&self, session: &Session, login: &str, password: &str) -> Result<()> {
        self.authorize(session, Permission::ManageAccounts).await?;
        self.store_password(login, password, None).await
    }

    /// Changes the signed-in person's own password, given the current one.
    pub async fn change_own_password(
        &self,
        session: &Session,
        current: &str,
        new_password: &str,
    ) -> Result<()> {
        let actor = self.touch_actor(session).await?;
        let row = self.session_row(session).await?;
        if !verify_password(current, &row.password_hash) {
            // Counts towards the lockout, like a failed sign-in.
            self.record_failure(&actor.login).await?;
            return Err(CoreError::Validation(vec![field_error(
                "current_password",
                "当前密码",
                "当前密码不正确",
            )]));
        }
        self.store_password(&actor.login, new_password, Some(&session.id))
            .await
    }

    /// Stores a new password and ends the account's sessions, but `keep` (the session that
    /// changed its own password).
    async fn store_password(&self, login: &str, password: &str, keep: Option<&str>) -> Result<()> {
        check_password("password", "新密码", password)?;
        let hash = hash_password(password)?;
        let (_, stamp) = self.rfc3339_now();
        let mut tx = self.store.write().await?;
        let id = store::accounts::id_of(&mut tx, &normalize_login(login))
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("账号 {}", login.trim())))?;
        store::accounts::set_password_hash(&mut tx, id, &hash, &stamp).await?;
        store::sessions::end_all_of(&mut tx, id, &stamp, &keep.map(id_hash).unwrap_or_default())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Disables (or enables again) an account; needs [`Permission::ManageAccounts`]. A
    /// disabled account cannot sign in and its sessions end. The last active admin and the
    /// signed-in account itself cannot be disabled.
    pub async fn set_account_active(
        &self,
        session: &Session,
        login: &str,
        active: bool,
    ) -> Result<Account> {
        let actor = self.authorize(session, Permission::ManageAccounts).await?;
        let (now, stamp) = self.rfc3339_now();
        let mut tx = self.store.write().await?;
        let (account, _) = self.account_in(&mut tx, login, &now).await?;
        if !active {
            if account.id == actor.account_id {
                return Err(CoreError::Conflict("不能停用当前登录的账号".into()));
            }
            if account.roles.contains(&Role::Admin) {
                let admins = store::accounts::other_active_roles(&mut tx, account.id).await?;
                if !admins
                    .iter()
                    .any(|r| decode_roles(r).contains(&Role::Admin))
                {
                    return Err(CoreError::Conflict(
                        "这是唯一启用的管理员账号，不能停用".into(),
                    ));
                }
            }
            // No session hashes to "": every session of the account ends.
            store::sessions::end_all_of(&mut tx, account.id, &stamp, "").await?;
        }
        store::accounts::set_active(&mut tx, account.id, active, &stamp).await?;
        let (account, _) = self.account_in(&mut tx, login, &now).await?;
        tx.commit().await?;
        Ok(account)
    }

    /// Lifts a lockout after failed sign-ins; needs [`Permission::ManageAccounts`].
    pub async fn unlock_account(&self, session: &Session, login: &str) -> Result<Account> {
        self.authorize(session, Permission::ManageAccounts).await?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        self.account_in(&mut tx, login, &now).await?;
        store::accounts::clear_failures(&mut *tx, &normalize_login(login)).await?;
        let (account, _) = self.account_in(&mut tx, login, &now).await?;
        tx.commit().await?;
        Ok(account)
    }

    /// The idle minutes after which a session locks (desk setting, default 15).
    pub async fn idle_lock_minutes(&self) -> Result<u32> {
        Ok(self
            .store
            .setting(IDLE_SETTING)
            .await?
            .and_then(|s| s.parse::<u32>().ok())
            .filter(|m| IDLE_MINUTES_RANGE.contains(m))
            .unwrap_or(DEFAULT_IDLE_MINUTES))
    }

    /// Sets the idle-lock minutes; needs [`Permission::DeskSettings`].
    pub async fn set_idle_lock_minutes(&self, session: &Session, minutes: u32) -> Result<()> {
        self.authorize(session, Permission::DeskSettings).await?;
        if !IDLE_MINUTES_RANGE.contains(&minutes) {
            return Err(CoreError::Validation(vec![field_error(
                "session_idle_minutes",
                "自动锁定时间",
                &format!(
                    "自动锁定时间应在{}至{}分钟之间",
                    IDLE_MINUTES_RANGE.start(),
                    IDLE_MINUTES_RANGE.end()
                ),
            )]));
        }
        Ok(self
            .store
            .set_setting(IDLE_SETTING, &minutes.to_string())
            .await?)
    }
}

/// The trainers' demo accounts, all with [`DEMO_PASSWORD`]: `clerk01` (窗口人员, window 01),
/// `supervisor`, `trainer` (培训 and 窗口人员) and `admin`. Made only when the desk has no
/// account yet; returns how many were made.
pub async fn seed_demo_accounts(desk: &Desk) -> Result<usize> {
    if desk.has_accounts().await? {
        return Ok(0);
    }
    for (login, name, window, roles) in DEMO_ACCOUNTS {
        desk.insert_account(
            &NewAccount {
                login: login.into(),
                display_name: name.into(),
                window_no: window.into(),
                roles: roles.to_vec(),
                password: DEMO_PASSWORD.into(),
            },
            false,
        )
        .await?;
    }
    Ok(DEMO_ACCOUNTS.len())
}
