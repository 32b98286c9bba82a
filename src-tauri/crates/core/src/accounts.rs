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
use chrono::{DateTime, Duration, FixedOffset};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;
use ts_rs::TS;

use crate::desk::Desk;
use crate::error::{CoreError, Result};
use crate::model::FieldError;

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
/// The password of the trainers' demo accounts (documented in the README).
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

/// The columns `account_row` reads (a literal, so queries stay static strings).
macro_rules! account_columns {
    () => {
        "a.id, a.login, a.display_name, a.window_no, a.roles, a.active, a.password_hash,
         a.created_at, t.locked_until"
    };
}

fn account_row(r: &SqliteRow, now: &DateTime<FixedOffset>) -> Result<Account> {
    let locked_until: Option<String> = r.try_get("locked_until")?;
    let locked_until = match locked_until {
        Some(s) if parse_time(&s)? > *now => Some(s),
        _ => None,
    };
    Ok(Account {
        id: r.try_get("id")?,
        login: r.try_get("login")?,
        display_name: r.try_get("display_name")?,
        window_no: r.try_get("window_no")?,
        roles: decode_roles(&r.try_get::<String, _>("roles")?),
        active: r.try_get("active")?,
        locked_until,
        created_at: r.try_get("created_at")?,
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

/// The account behind a live session, read afresh.
struct SessionRow {
    account: Account,
    password_hash: String,
    issued_at: String,
    last_seen_at: String,
    locked: bool,
    ended: bool,
}

impl Desk {
    fn rfc3339_now(&self) -> (DateTime<FixedOffset>, String) {
        let now = self.now();
        (now, now.to_rfc3339())
    }

    /// Whether any account exists (the window offers first-run setup when not).
    pub async fn has_accounts(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(self.store.pool())
            .await?;
        Ok(n > 0)
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
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(&mut *tx)
            .await?;
        if first_only && count > 0 {
            return Err(CoreError::Conflict(
                "已有账号，只有管理员可以新建账号".into(),
            ));
        }
        let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE login = ?")
            .bind(normalize_login(&new.login))
            .fetch_one(&mut *tx)
            .await?;
        if taken > 0 {
            return Err(CoreError::Validation(vec![field_error(
                "login",
                "登录名",
                "该登录名已被使用",
            )]));
        }
        sqlx::query(
            "INSERT INTO accounts (login, display_name, window_no, roles, active, password_hash,
                created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?)",
        )
        .bind(normalize_login(&new.login))
        .bind(new.display_name.trim())
        .bind(new.window_no.trim())
        .bind(encode_roles(&new.roles))
        .bind(&hash)
        .bind(&stamp)
        .bind(&stamp)
        .execute(&mut *tx)
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
        let row = sqlx::query(concat!(
            "SELECT ",
            account_columns!(),
            " FROM accounts a
             LEFT JOIN sign_in_throttle t ON t.login = a.login WHERE a.login = ?"
        ))
        .bind(normalize_login(login))
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| CoreError::NotFound(format!("账号 {}", login.trim())))?;
        Ok((account_row(&row, now)?, row.try_get("password_hash")?))
    }

    /// All accounts, by login name; needs [`Permission::ManageAccounts`].
    pub async fn list_accounts(&self, session: &Session) -> Result<Vec<Account>> {
        self.authorize(session, Permission::ManageAccounts).await?;
        let now = self.now();
        let rows = sqlx::query(concat!(
            "SELECT ",
            account_columns!(),
            " FROM accounts a
             LEFT JOIN sign_in_throttle t ON t.login = a.login ORDER BY a.login"
        ))
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(|r| account_row(r, &now)).collect()
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
        let id: i64 = sqlx::query_scalar("SELECT id FROM accounts WHERE login = ?")
            .bind(normalize_login(login))
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("账号 {}", login.trim())))?;
        sqlx::query("UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?")
            .bind(&hash)
            .bind(&stamp)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE sessions SET ended_at = ? WHERE account_id = ? AND ended_at IS NULL
             AND id_hash <> ?",
        )
        .bind(&stamp)
        .bind(id)
        .bind(keep.map(id_hash).unwrap_or_default())
        .execute(&mut *tx)
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
                let admins: Vec<String> =
                    sqlx::query_scalar("SELECT roles FROM accounts WHERE active = 1 AND id <> ?")
                        .bind(account.id)
                        .fetch_all(&mut *tx)
                        .await?;
                if !admins
                    .iter()
                    .any(|r| decode_roles(r).contains(&Role::Admin))
                {
                    return Err(CoreError::Conflict(
                        "这是唯一启用的管理员账号，不能停用".into(),
                    ));
                }
            }
            sqlx::query(
                "UPDATE sessions SET ended_at = ? WHERE account_id = ? AND ended_at IS NULL",
            )
            .bind(&stamp)
            .bind(account.id)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE accounts SET active = ?, updated_at = ? WHERE id = ?")
            .bind(active)
            .bind(&stamp)
            .bind(account.id)
            .execute(&mut *tx)
            .await?;
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
        sqlx::query("DELETE FROM sign_in_throttle WHERE login = ?")
            .bind(normalize_login(login))
            .execute(&mut *tx)
            .await?;
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
        self.store
            .set_setting(IDLE_SETTING, &minutes.to_string())
            .await
    }

    /// Refuses when `login` is locked out; returns the message to show.
    async fn lockout_message(
        &self,
        login: &str,
        now: &DateTime<FixedOffset>,
    ) -> Result<Option<String>> {
        let until: Option<Option<String>> =
            sqlx::query_scalar("SELECT locked_until FROM sign_in_throttle WHERE login = ?")
                .bind(normalize_login(login))
                .fetch_optional(self.store.pool())
                .await?;
        if let Some(Some(s)) = until {
            let t = parse_time(&s)?;
            if t > *now {
                return Ok(Some(format!(
                    "连续{MAX_FAILED_SIGN_INS}次密码错误，账号已锁定至{}，请稍后再试或请管理员解锁",
                    short_time(&t)
                )));
            }
        }
        Ok(None)
    }

    /// Counts a failure for `login`; returns the message to show (a lockout's when this
    /// failure locked it).
    async fn record_failure(&self, login: &str) -> Result<String> {
        let (now, _) = self.rfc3339_now();
        let mut tx = self.store.write().await?;
        // A lockout that has run out starts the count afresh.
        sqlx::query(
            "UPDATE sign_in_throttle SET failures = 0, locked_until = NULL
             WHERE login = ? AND locked_until IS NOT NULL AND locked_until <= ?",
        )
        .bind(normalize_login(login))
        .bind(now.to_rfc3339())
        .execute(&mut *tx)
        .await?;
        // Failures a day old are forgotten, so rows for mistyped logins do not pile up.
        sqlx::query(
            "DELETE FROM sign_in_throttle WHERE last_failure_at < ?
             AND (locked_until IS NULL OR locked_until <= ?)",
        )
        .bind((now - Duration::days(THROTTLE_MEMORY_DAYS)).to_rfc3339())
        .bind(now.to_rfc3339())
        .execute(&mut *tx)
        .await?;
        let failures: i64 = sqlx::query_scalar(
            "INSERT INTO sign_in_throttle (login, failures, last_failure_at) VALUES (?, 1, ?)
             ON CONFLICT (login) DO UPDATE SET failures = failures + 1,
                last_failure_at = excluded.last_failure_at
             RETURNING failures",
        )
        .bind(normalize_login(login))
        .bind(now.to_rfc3339())
        .fetch_one(&mut *tx)
        .await?;
        let message = if failures >= MAX_FAILED_SIGN_INS {
            let until = now + Duration::minutes(LOCKOUT_MINUTES);
            sqlx::query(
                "UPDATE sign_in_throttle SET failures = 0, locked_until = ? WHERE login = ?",
            )
            .bind(until.to_rfc3339())
            .bind(normalize_login(login))
            .execute(&mut *tx)
            .await?;
            format!(
                "连续{MAX_FAILED_SIGN_INS}次密码错误，账号已锁定至{}，请稍后再试或请管理员解锁",
                short_time(&until)
            )
        } else {
            SIGN_IN_FAILED.to_string()
        };
        tx.commit().await?;
        Ok(message)
    }

    async fn clear_failures(&self, login: &str) -> Result<()> {
        sqlx::query("DELETE FROM sign_in_throttle WHERE login = ?")
            .bind(normalize_login(login))
            .execute(self.store.pool())
            .await?;
        Ok(())
    }

    /// Signs in. A wrong password and an unknown login read the same; after
    /// [`MAX_FAILED_SIGN_INS`] failures in a row the login is locked for
    /// [`LOCKOUT_MINUTES`] minutes and the message says until when.
    pub async fn sign_in(&self, login: &str, password: &str) -> Result<Session> {
        let now = self.now();
        if let Some(message) = self.lockout_message(login, &now).await? {
            return Err(CoreError::Unauthenticated(message));
        }
        let mut conn = self.store.pool().acquire().await?;
        let found = match self.account_in(&mut conn, login, &now).await {
            Ok(found) => Some(found),
            Err(CoreError::NotFound(_)) => None,
            Err(e) => return Err(e),
        };
        drop(conn);
        let Some((account, hash)) = found else {
            let _ = verify_password(password, dummy_hash());
            return Err(CoreError::Unauthenticated(
                self.record_failure(login).await?,
            ));
        };
        if !verify_password(password, &hash) {
            return Err(CoreError::Unauthenticated(
                self.record_failure(login).await?,
            ));
        }
        if !account.active {
            // Only someone who knows the password learns the account is disabled.
            return Err(CoreError::Unauthenticated(
                "该账号已停用，请联系管理员".into(),
            ));
        }
        self.clear_failures(login).await?;
        let id = new_session_id()?;
        let stamp = now.to_rfc3339();
        sqlx::query(
            "INSERT INTO sessions (id_hash, account_id, issued_at, last_seen_at) VALUES (?, ?, ?, ?)",
        )
        .bind(id_hash(&id))
        .bind(account.id)
        .bind(&stamp)
        .bind(&stamp)
        .execute(self.store.pool())
        .await?;
        Ok(Session {
            id,
            account,
            issued_at: stamp.clone(),
            last_seen_at: stamp,
        })
    }

    async fn session_row(&self, session: &Session) -> Result<SessionRow> {
        let now = self.now();
        let row = sqlx::query(concat!(
            "SELECT ",
            account_columns!(),
            ", s.issued_at, s.last_seen_at, s.locked, s.ended_at
             FROM sessions s JOIN accounts a ON a.id = s.account_id
             LEFT JOIN sign_in_throttle t ON t.login = a.login WHERE s.id_hash = ?"
        ))
        .bind(id_hash(&session.id))
        .fetch_optional(self.store.pool())
        .await?
        .ok_or_else(|| CoreError::Unauthenticated("登录已失效，请重新登录".into()))?;
        Ok(SessionRow {
            account: account_row(&row, &now)?,
            password_hash: row.try_get("password_hash")?,
            issued_at: row.try_get("issued_at")?,
            last_seen_at: row.try_get("last_seen_at")?,
            locked: row.try_get("locked")?,
            ended: row.try_get::<Option<String>, _>("ended_at")?.is_some(),
        })
    }

    /// The session for a session id (a script's `--session`), without touching it.
    pub async fn resume_session(&self, session_id: &str) -> Result<Session> {
        let probe = Session {
            id: session_id.trim().to_string(),
            account: Account {
                id: 0,
                login: String::new(),
                display_name: String::new(),
                window_no: String::new(),
                roles: vec![],
                active: false,
                locked_until: None,
                created_at: String::new(),
            },
            issued_at: String::new(),
            last_seen_at: String::new(),
        };
        let row = self.session_row(&probe).await?;
        if row.ended {
            return Err(CoreError::Unauthenticated("登录已失效，请重新登录".into()));
        }
        Ok(Session {
            id: probe.id,
            account: row.account,
            issued_at: row.issued_at,
            last_seen_at: row.last_seen_at,
        })
    }

    /// Marks the session used now. Refuses an ended session, a disabled account, and a
    /// locked session; a session idle for the desk's idle minutes locks here.
    pub async fn touch(&self, session: &Session) -> Result<Session> {
        self.touch_row(session).await.map(|(s, _)| s)
    }

    async fn touch_actor(&self, session: &Session) -> Result<Actor> {
        self.touch_row(session).await.map(|(_, a)| a)
    }

    async fn touch_row(&self, session: &Session) -> Result<(Session, Actor)> {
        self.check_row(session, true).await
    }

    /// The checks of [`Desk::touch`]; `mark_used` false leaves the idle time running (a
    /// window's background refresh is not use).
    async fn check_row(&self, session: &Session, mark_used: bool) -> Result<(Session, Actor)> {
        let row = self.session_row(session).await?;
        if row.ended {
            return Err(CoreError::Unauthenticated("登录已失效，请重新登录".into()));
        }
        if !row.account.active {
            return Err(CoreError::Unauthenticated(
                "该账号已停用，请联系管理员".into(),
            ));
        }
        let idle = self.idle_lock_minutes().await?;
        let (now, stamp) = self.rfc3339_now();
        let idle_for = now - parse_time(&row.last_seen_at)?;
        if row.locked || idle_for >= Duration::minutes(i64::from(idle)) {
            if !row.locked {
                sqlx::query("UPDATE sessions SET locked = 1 WHERE id_hash = ?")
                    .bind(id_hash(&session.id))
                    .execute(self.store.pool())
                    .await?;
            }
            return Err(CoreError::Unauthenticated(format!(
                "超过{idle}分钟未操作，窗口已锁定，请输入密码解锁"
            )));
        }
        let stamp = if mark_used {
            sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?")
                .bind(&stamp)
                .bind(id_hash(&session.id))
                .execute(self.store.pool())
                .await?;
            stamp
        } else {
            row.last_seen_at.clone()
        };
        let actor = Actor {
            account_id: row.account.id,
            login: row.account.login.clone(),
            name: row.account.display_name.clone(),
            window_no: row.account.window_no.clone(),
        };
        Ok((
            Session {
                id: session.id.clone(),
                account: row.account,
                issued_at: row.issued_at,
                last_seen_at: stamp,
            },
            actor,
        ))
    }

    /// Unlocks an idle-locked session with the account's password. A wrong password counts
    /// towards the lockout like a failed sign-in.
    pub async fn unlock(&self, session: &Session, password: &str) -> Result<Session> {
        let row = self.session_row(session).await?;
        if row.ended {
            return Err(CoreError::Unauthenticated("登录已失效，请重新登录".into()));
        }
        let login = row.account.login.clone();
        let now = self.now();
        if let Some(message) = self.lockout_message(&login, &now).await? {
            return Err(CoreError::Unauthenticated(message));
        }
        if !verify_password(password, &row.password_hash) {
            return Err(CoreError::Unauthenticated(
                self.record_failure(&login).await?,
            ));
        }
        if !row.account.active {
            return Err(CoreError::Unauthenticated(
                "该账号已停用，请联系管理员".into(),
            ));
        }
        self.clear_failures(&login).await?;
        sqlx::query("UPDATE sessions SET locked = 0, last_seen_at = ? WHERE id_hash = ?")
            .bind(now.to_rfc3339())
            .bind(id_hash(&session.id))
            .execute(self.store.pool())
            .await?;
        self.touch(session).await
    }

    /// Ends the session.
    pub async fn sign_out(&self, session: &Session) -> Result<()> {
        let (_, stamp) = self.rfc3339_now();
        sqlx::query("UPDATE sessions SET ended_at = ? WHERE id_hash = ? AND ended_at IS NULL")
            .bind(stamp)
            .bind(id_hash(&session.id))
            .execute(self.store.pool())
            .await?;
        Ok(())
    }

    /// The acting person, when the session is live (see [`Desk::touch`]) and one of the
    /// account's roles grants `permission`; else `Unauthenticated` or `Forbidden`.
    pub async fn authorize(&self, session: &Session, permission: Permission) -> Result<Actor> {
        self.authorize_with(session, permission, true).await
    }

    /// [`Desk::authorize`] for a background refresh (a status poll): the same checks, but
    /// it does not count as use, so an unattended window still locks.
    pub async fn authorize_quietly(
        &self,
        session: &Session,
        permission: Permission,
    ) -> Result<Actor> {
        self.authorize_with(session, permission, false).await
    }

    async fn authorize_with(
        &self,
        session: &Session,
        permission: Permission,
        mark_used: bool,
    ) -> Result<Actor> {
        let (fresh, actor) = self.check_row(session, mark_used).await?;
        if !roles_allow(&fresh.account.roles, permission) {
            return Err(CoreError::Forbidden(format!(
                "当前账号（{}）无权{}",
                roles_label(&fresh.account.roles),
                permission.label()
            )));
        }
        Ok(actor)
    }

    /// The window's view of `session` (see [`AuthStatus`]); does not touch the session.
    pub async fn auth_status(&self, session: Option<&Session>) -> Result<AuthStatus> {
        let idle_minutes = self.idle_lock_minutes().await?;
        let demo = self.is_demo().await?;
        let mut status = AuthStatus {
            has_accounts: self.has_accounts().await?,
            account: None,
            locked: false,
            permissions: vec![],
            idle_minutes,
            demo_accounts: vec![],
            demo_password: None,
        };
        if demo {
            let now = self.now();
            for (login, ..) in DEMO_ACCOUNTS {
                let mut conn = self.store.pool().acquire().await?;
                match self.account_in(&mut conn, login, &now).await {
                    Ok((account, _)) if account.active => status.demo_accounts.push(account),
                    Ok(_) | Err(CoreError::NotFound(_)) => {}
                    Err(e) => return Err(e),
                }
            }
            status.demo_password = Some(DEMO_PASSWORD.to_string());
        }
        let Some(session) = session else {
            return Ok(status);
        };
        let row = match self.session_row(session).await {
            Ok(row) => row,
            Err(CoreError::Unauthenticated(_)) => return Ok(status),
            Err(e) => return Err(e),
        };
        if row.ended || !row.account.active {
            return Ok(status);
        }
        let idle_for = self.now() - parse_time(&row.last_seen_at)?;
        status.locked = row.locked || idle_for >= Duration::minutes(i64::from(idle_minutes));
        status.permissions = permissions_of(&row.account.roles);
        status.account = Some(row.account);
        Ok(status)
    }

    /// The hub call log, for a session allowed [`Permission::ViewCallLog`].
    pub async fn call_log_list_as(
        &self,
        session: &Session,
        failures_only: bool,
        limit: u32,
    ) -> Result<Vec<crate::model::CallLogRecord>> {
        self.authorize(session, Permission::ViewCallLog).await?;
        self.call_log_list(failures_only, limit).await
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
