//! Accounts and roles (issue 6): bootstrap, sign-in with lockout, idle lock, permissions.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, FixedOffset};
use yichuang_core::accounts::{
    self, DEMO_PASSWORD, LOCKOUT_MINUTES, MAX_FAILED_SIGN_INS, NewAccount, Permission, Role,
    Session,
};
use yichuang_core::time::Clock;
use yichuang_core::{CoreError, Desk};

/// A clock the test moves.
struct TestClock(Mutex<DateTime<FixedOffset>>);

impl TestClock {
    fn advance(&self, d: Duration) {
        let mut t = self.0.lock().unwrap();
        *t += d;
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<FixedOffset> {
        *self.0.lock().unwrap()
    }
}

const ADMIN_PW: &str = "admin2026x";
const CLERK_PW: &str = "clerk2026x";

async fn desk() -> (tempfile::TempDir, Desk, Arc<TestClock>) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(TestClock(Mutex::new(
        DateTime::parse_from_rfc3339("2026-11-23T09:00:00+08:00").unwrap(),
    )));
    let desk = Desk::open_with_clock(dir.path(), clock.clone())
        .await
        .unwrap();
    (dir, desk, clock)
}

fn new_account(login: &str, name: &str, roles: &[Role], password: &str) -> NewAccount {
    NewAccount {
        login: login.into(),
        display_name: name.into(),
        window_no: "03".into(),
        roles: roles.to_vec(),
        password: password.into(),
    }
}

/// A desk with an admin (signed in) and a clerk `clerk03`.
async fn desk_with_staff() -> (tempfile::TempDir, Desk, Arc<TestClock>, Session) {
    let (dir, desk, clock) = desk().await;
    desk.bootstrap_admin("admin", "王管理", ADMIN_PW)
        .await
        .unwrap();
    let admin = desk.sign_in("admin", ADMIN_PW).await.unwrap();
    desk.create_account(
        &admin,
        &new_account("clerk03", "李娜", &[Role::Clerk], CLERK_PW),
    )
    .await
    .unwrap();
    (dir, desk, clock, admin)
}

fn message(e: CoreError) -> String {
    e.to_string()
}

#[tokio::test]
async fn password_rule_names_the_field() {
    let (_dir, desk, _clock) = desk().await;
    for weak in ["abc123", "abcdefgh", "12345678", ""] {
        match desk.bootstrap_admin("admin", "王管理", weak).await {
            Err(CoreError::Validation(errors)) => {
                assert_eq!(errors.len(), 1, "{weak}");
                assert_eq!(errors[0].field, "password");
                assert_eq!(errors[0].label, "密码");
                assert!(
                    errors[0].message.contains("至少8位"),
                    "{}",
                    errors[0].message
                );
                assert!(errors[0].message.contains("字母和数字"));
            }
            other => panic!("{weak}: {other:?}"),
        }
    }
    assert!(!desk.has_accounts().await.unwrap());
    assert!(
        desk.bootstrap_admin("admin", "王管理", "abcd1234")
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn bootstrap_makes_the_first_admin_once_then_only_admins_create_accounts() {
    let (_dir, desk, _clock) = desk().await;
    assert!(!desk.has_accounts().await.unwrap());
    let admin = desk
        .bootstrap_admin("Admin", "王管理", ADMIN_PW)
        .await
        .unwrap();
    assert_eq!(admin.login, "admin");
    assert_eq!(admin.roles, vec![Role::Admin]);
    assert!(admin.active);
    assert!(desk.has_accounts().await.unwrap());

    let again = desk.bootstrap_admin("other", "赵某", ADMIN_PW).await;
    assert!(matches!(again, Err(CoreError::Conflict(_))), "{again:?}");

    // Login names are compared without case.
    let admin = desk.sign_in("ADMIN", ADMIN_PW).await.unwrap();
    let clerk = desk
        .create_account(
            &admin,
            &new_account("clerk03", "李娜", &[Role::Clerk], CLERK_PW),
        )
        .await
        .unwrap();
    assert_eq!(clerk.window_no, "03");
    let dup = desk
        .create_account(
            &admin,
            &new_account("CLERK03", "李娜", &[Role::Clerk], CLERK_PW),
        )
        .await;
    match dup {
        Err(CoreError::Validation(e)) => assert_eq!(e[0].field, "login"),
        other => panic!("{other:?}"),
    }

    // A clerk may not create accounts.
    let clerk = desk.sign_in("clerk03", CLERK_PW).await.unwrap();
    let refused = desk
        .create_account(
            &clerk,
            &new_account("clerk04", "张三", &[Role::Admin], CLERK_PW),
        )
        .await;
    match refused {
        Err(CoreError::Forbidden(m)) => assert_eq!(m, "当前账号（窗口人员）无权管理账号"),
        other => panic!("{other:?}"),
    }
    let listed = desk.list_accounts(&admin).await.unwrap();
    let logins: Vec<_> = listed.iter().map(|a| a.login.as_str()).collect();
    assert_eq!(logins, ["admin", "clerk03"]);
}

#[tokio::test]
async fn passwords_and_session_ids_are_not_stored() {
    let (_dir, desk, _clock, admin) = desk_with_staff().await;
    let hashes: Vec<String> = sqlx::query_scalar("SELECT password_hash FROM accounts")
        .fetch_all(desk.store().pool())
        .await
        .unwrap();
    assert_eq!(hashes.len(), 2);
    for h in &hashes {
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(!h.contains(ADMIN_PW) && !h.contains(CLERK_PW));
    }
    // Random salts: the same password hashes differently.
    let a = desk.sign_in("clerk03", CLERK_PW).await.unwrap();
    desk.create_account(
        &admin,
        &new_account("clerk05", "周敏", &[Role::Clerk], CLERK_PW),
    )
    .await
    .unwrap();
    let two: Vec<String> = sqlx::query_scalar(
        "SELECT password_hash FROM accounts WHERE login IN ('clerk03', 'clerk05')",
    )
    .fetch_all(desk.store().pool())
    .await
    .unwrap();
    assert_ne!(two[0], two[1]);
    let ids: Vec<String> = sqlx::query_scalar("SELECT id_hash FROM sessions")
        .fetch_all(desk.store().pool())
        .await
        .unwrap();
    assert!(!ids.contains(&a.id) && !ids.contains(&admin.id));
    assert_eq!(a.id.len(), 64);
    assert_ne!(a.id, admin.id);
}

#[tokio::test]
async fn a_failed_sign_in_does_not_reveal_whether_the_login_exists() {
    let (_dir, desk, _clock, _admin) = desk_with_staff().await;
    let wrong = message(desk.sign_in("clerk03", "wrong1234").await.unwrap_err());
    let unknown = message(desk.sign_in("nobody", "wrong1234").await.unwrap_err());
    assert_eq!(wrong, "登录名或密码错误");
    assert_eq!(wrong, unknown);

    // The lockout too reads the same for a real and an unknown login.
    let mut last = (String::new(), String::new());
    for _ in 0..MAX_FAILED_SIGN_INS {
        last.0 = message(desk.sign_in("clerk03", "wrong1234").await.unwrap_err());
        last.1 = message(desk.sign_in("nobody", "wrong1234").await.unwrap_err());
    }
    assert!(last.0.contains("已锁定至"), "{}", last.0);
    assert_eq!(last.0, last.1);
}

#[tokio::test]
async fn five_failures_lock_the_login_for_fifteen_minutes() {
    let (_dir, desk, clock, admin) = desk_with_staff().await;
    // Four failures, then a success: the count starts again.
    for _ in 0..MAX_FAILED_SIGN_INS - 1 {
        let e = desk.sign_in("clerk03", "wrong1234").await.unwrap_err();
        assert!(matches!(e, CoreError::Unauthenticated(_)));
    }
    desk.sign_in("clerk03", CLERK_PW).await.unwrap();
    for _ in 0..MAX_FAILED_SIGN_INS - 1 {
        assert_eq!(
            message(desk.sign_in("clerk03", "wrong1234").await.unwrap_err()),
            "登录名或密码错误"
        );
    }
    // The fifth failure in a row locks until 09:15 (the clock stands at 09:00).
    let fifth = message(desk.sign_in("clerk03", "wrong1234").await.unwrap_err());
    assert_eq!(
        fifth,
        "连续5次密码错误，账号已锁定至11月23日 09:15，请稍后再试或请管理员解锁"
    );
    let listed = desk.list_accounts(&admin).await.unwrap();
    let clerk = listed.iter().find(|a| a.login == "clerk03").unwrap();
    assert!(clerk.locked_until.is_some());

    // Even the right password is refused while locked.
    clock.advance(Duration::minutes(LOCKOUT_MINUTES - 1));
    let e = desk.sign_in("clerk03", CLERK_PW).await.unwrap_err();
    assert!(message(e).contains("已锁定至11月23日 09:15"));

    // Failures a day old are forgotten.
    let (_dir2, desk2, clock2, _admin2) = desk_with_staff().await;
    for _ in 0..MAX_FAILED_SIGN_INS - 1 {
        let _ = desk2.sign_in("clerk03", "wrong1234").await;
    }
    clock2.advance(Duration::days(1) + Duration::minutes(1));
    let after = message(desk2.sign_in("clerk03", "wrong1234").await.unwrap_err());
    assert_eq!(after, "登录名或密码错误");
    let rows: i64 = sqlx::query_scalar("SELECT failures FROM sign_in_throttle")
        .fetch_one(desk2.store().pool())
        .await
        .unwrap();
    assert_eq!(rows, 1);

    // After 15 minutes it signs in; and the count starts afresh.
    clock.advance(Duration::minutes(1));
    desk.sign_in("clerk03", CLERK_PW).await.unwrap();
    assert_eq!(
        message(desk.sign_in("clerk03", "wrong1234").await.unwrap_err()),
        "登录名或密码错误"
    );
}

#[tokio::test]
async fn an_admin_lifts_a_lockout() {
    let (_dir, desk, _clock, admin) = desk_with_staff().await;
    for _ in 0..MAX_FAILED_SIGN_INS {
        let _ = desk.sign_in("clerk03", "wrong1234").await;
    }
    assert!(desk.sign_in("clerk03", CLERK_PW).await.is_err());
    let clerk = desk.unlock_account(&admin, "clerk03").await.unwrap();
    assert_eq!(clerk.locked_until, None);
    desk.sign_in("clerk03", CLERK_PW).await.unwrap();
    let missing = desk.unlock_account(&admin, "nobody").await;
    assert!(matches!(missing, Err(CoreError::NotFound(_))));
}

#[tokio::test]
async fn an_idle_session_locks_and_needs_the_password() {
    let (_dir, desk, clock, admin) = desk_with_staff().await;
    assert_eq!(desk.idle_lock_minutes().await.unwrap(), 15);
    let clerk = desk.sign_in("clerk03", CLERK_PW).await.unwrap();

    // Used every 10 minutes, it stays open.
    for _ in 0..3 {
        clock.advance(Duration::minutes(10));
        desk.touch(&clerk).await.unwrap();
    }
    let actor = desk.authorize(&clerk, Permission::Intake).await.unwrap();
    assert_eq!(actor.name, "李娜");
    assert_eq!(actor.window_no, "03");

    // 15 minutes without use: locked, and stays locked.
    clock.advance(Duration::minutes(15));
    let e = desk
        .authorize(&clerk, Permission::Intake)
        .await
        .unwrap_err();
    match e {
        CoreError::Unauthenticated(m) => assert!(m.contains("超过15分钟未操作"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert!(desk.touch(&clerk).await.is_err());

    // A wrong password does not unlock; the right one does.
    let e = desk.unlock(&clerk, "wrong1234").await.unwrap_err();
    assert_eq!(message(e), "登录名或密码错误");
    assert!(desk.touch(&clerk).await.is_err());
    let back = desk.unlock(&clerk, CLERK_PW).await.unwrap();
    assert_eq!(back.account.login, "clerk03");
    desk.authorize(&clerk, Permission::Intake).await.unwrap();

    // The admin's session, unused all this while, is locked too.
    assert!(desk.touch(&admin).await.is_err());
    let admin = desk.unlock(&admin, ADMIN_PW).await.unwrap();

    // The desk sets the idle time; only with DeskSettings.
    let refused = desk.set_idle_lock_minutes(&clerk, 5).await;
    assert!(matches!(refused, Err(CoreError::Forbidden(_))));
    let bad = desk.set_idle_lock_minutes(&admin, 0).await;
    assert!(matches!(bad, Err(CoreError::Validation(_))));
    desk.set_idle_lock_minutes(&admin, 5).await.unwrap();
    assert_eq!(desk.idle_lock_minutes().await.unwrap(), 5);
    clock.advance(Duration::minutes(5));
    assert!(desk.touch(&clerk).await.is_err());
}

#[tokio::test]
async fn roles_decide_what_a_session_may_do() {
    let (_dir, desk, _clock, admin) = desk_with_staff().await;
    for (login, roles) in [
        ("supervisor", vec![Role::Supervisor]),
        ("trainer", vec![Role::Trainer]),
    ] {
        desk.create_account(&admin, &new_account(login, "陈督办", &roles, CLERK_PW))
            .await
            .unwrap();
    }
    let clerk = desk.sign_in("clerk03", CLERK_PW).await.unwrap();
    let supervisor = desk.sign_in("supervisor", CLERK_PW).await.unwrap();
    let trainer = desk.sign_in("trainer", CLERK_PW).await.unwrap();

    // A clerk cannot read the hub call log through the authorized API.
    match desk.call_log_list_as(&clerk, false, 10).await {
        Err(CoreError::Forbidden(m)) => {
            assert_eq!(m, "当前账号（窗口人员）无权查看办件中心调用日志")
        }
        other => panic!("{other:?}"),
    }
    assert!(desk.call_log_list_as(&supervisor, false, 10).await.is_ok());
    assert!(desk.call_log_list_as(&admin, false, 10).await.is_ok());

    // A supervisor cannot accept cases; a clerk can.
    match desk.authorize(&supervisor, Permission::Intake).await {
        Err(CoreError::Forbidden(m)) => assert_eq!(m, "当前账号（督办/监察）无权受理办件"),
        other => panic!("{other:?}"),
    }
    assert!(
        desk.authorize(&supervisor, Permission::ActOnCase)
            .await
            .is_err()
    );
    desk.authorize(&supervisor, Permission::IssueSupervisionOrder)
        .await
        .unwrap();
    desk.authorize(&clerk, Permission::Intake).await.unwrap();
    assert!(
        desk.authorize(&clerk, Permission::IssueSupervisionOrder)
            .await
            .is_err()
    );

    // Trainers' controls are the trainer's alone.
    desk.authorize(&trainer, Permission::TrainerControls)
        .await
        .unwrap();
    assert!(
        desk.authorize(&clerk, Permission::TrainerControls)
            .await
            .is_err()
    );

    // An admin manages accounts and settings but takes in no case.
    let actor = desk
        .authorize(&admin, Permission::ManageAccounts)
        .await
        .unwrap();
    assert_eq!(actor.login, "admin");
    desk.authorize(&admin, Permission::DeskSettings)
        .await
        .unwrap();
    assert!(desk.authorize(&admin, Permission::Intake).await.is_err());

    // The table as documented.
    for role in Role::ALL {
        assert!(!role.permissions().is_empty());
        assert_eq!(Role::parse(role.as_str()), Some(role));
    }
    assert!(accounts::roles_allow(
        &[Role::Trainer, Role::Clerk],
        Permission::Intake
    ));
}

#[tokio::test]
async fn a_disabled_account_cannot_act_and_the_last_admin_stays() {
    let (_dir, desk, _clock, admin) = desk_with_staff().await;
    let clerk = desk.sign_in("clerk03", CLERK_PW).await.unwrap();
    let off = desk
        .set_account_active(&admin, "clerk03", false)
        .await
        .unwrap();
    assert!(!off.active);
    assert!(matches!(
        desk.authorize(&clerk, Permission::Intake).await,
        Err(CoreError::Unauthenticated(_))
    ));
    // A wrong password reads as any; the right one says the account is disabled.
    assert_eq!(
        message(desk.sign_in("clerk03", "wrong1234").await.unwrap_err()),
        "登录名或密码错误"
    );
    assert_eq!(
        message(desk.sign_in("clerk03", CLERK_PW).await.unwrap_err()),
        "该账号已停用，请联系管理员"
    );
    desk.set_account_active(&admin, "clerk03", true)
        .await
        .unwrap();
    desk.sign_in("clerk03", CLERK_PW).await.unwrap();

    // Neither oneself nor the last admin.
    assert!(matches!(
        desk.set_account_active(&admin, "admin", false).await,
        Err(CoreError::Conflict(_))
    ));
    desk.create_account(
        &admin,
        &new_account("admin2", "赵管理", &[Role::Admin], ADMIN_PW),
    )
    .await
    .unwrap();
    let admin2 = desk.sign_in("admin2", ADMIN_PW).await.unwrap();
    desk.set_account_active(&admin2, "admin", false)
        .await
        .unwrap();
    assert!(
        desk.authorize(&admin, Permission::ManageAccounts)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn passwords_change_and_reset() {
    let (_dir, desk, _clock, admin) = desk_with_staff().await;
    let clerk = desk.sign_in("clerk03", CLERK_PW).await.unwrap();
    let other = desk.sign_in("clerk03", CLERK_PW).await.unwrap();
    match desk
        .change_own_password(&clerk, "wrong1234", "newpass99")
        .await
    {
        Err(CoreError::Validation(e)) => assert_eq!(e[0].field, "current_password"),
        other => panic!("{other:?}"),
    }
    match desk.change_own_password(&clerk, CLERK_PW, "short1").await {
        Err(CoreError::Validation(e)) => {
            assert_eq!(e[0].label, "新密码");
            assert!(e[0].message.starts_with("新密码至少8位"));
        }
        other => panic!("{other:?}"),
    }
    desk.change_own_password(&clerk, CLERK_PW, "newpass99")
        .await
        .unwrap();
    // The changing session stays; the other one ends.
    desk.touch(&clerk).await.unwrap();
    assert!(desk.touch(&other).await.is_err());
    assert!(desk.sign_in("clerk03", CLERK_PW).await.is_err());
    desk.sign_in("clerk03", "newpass99").await.unwrap();

    // An admin resets it; the clerk's sessions end.
    desk.set_password(&admin, "clerk03", "reset2026")
        .await
        .unwrap();
    assert!(desk.touch(&clerk).await.is_err());
    desk.sign_in("clerk03", "reset2026").await.unwrap();
    assert!(matches!(
        desk.set_password(&admin, "nobody", "reset2026").await,
        Err(CoreError::NotFound(_))
    ));
}

#[tokio::test]
async fn sign_out_ends_the_session_and_a_script_resumes_one_by_id() {
    let (_dir, desk, _clock, _admin) = desk_with_staff().await;
    let clerk = desk.sign_in("clerk03", CLERK_PW).await.unwrap();
    let resumed = desk.resume_session(&clerk.id).await.unwrap();
    assert_eq!(resumed.account.login, "clerk03");
    desk.authorize(&resumed, Permission::Intake).await.unwrap();
    desk.sign_out(&clerk).await.unwrap();
    assert!(matches!(
        desk.authorize(&resumed, Permission::Intake).await,
        Err(CoreError::Unauthenticated(_))
    ));
    assert!(desk.resume_session(&clerk.id).await.is_err());
    assert!(desk.resume_session("not-a-session").await.is_err());
}

#[tokio::test]
async fn demo_accounts_sign_in_with_the_demo_password() {
    let (_dir, desk, _clock) = desk().await;
    assert_eq!(accounts::seed_demo_accounts(&desk).await.unwrap(), 4);
    assert_eq!(accounts::seed_demo_accounts(&desk).await.unwrap(), 0);
    let clerk = desk.sign_in("clerk01", DEMO_PASSWORD).await.unwrap();
    assert_eq!(clerk.account.window_no, "01");
    desk.authorize(&clerk, Permission::Intake).await.unwrap();
    let sup = desk.sign_in("supervisor", DEMO_PASSWORD).await.unwrap();
    desk.authorize(&sup, Permission::SuperviseCases)
        .await
        .unwrap();
    let trainer = desk.sign_in("trainer", DEMO_PASSWORD).await.unwrap();
    desk.authorize(&trainer, Permission::TrainerControls)
        .await
        .unwrap();
    let admin = desk.sign_in("admin", DEMO_PASSWORD).await.unwrap();
    assert_eq!(desk.list_accounts(&admin).await.unwrap().len(), 4);

    // The window's sign-in page lists them, with the password, on a demo desk only.
    let status = desk.auth_status(None).await.unwrap();
    assert!(status.demo_accounts.is_empty() && status.demo_password.is_none());
    desk.set_demo(true).await.unwrap();
    let status = desk.auth_status(None).await.unwrap();
    let logins: Vec<&str> = status
        .demo_accounts
        .iter()
        .map(|a| a.login.as_str())
        .collect();
    assert_eq!(logins, ["clerk01", "supervisor", "trainer", "admin"]);
    assert_eq!(status.demo_password.as_deref(), Some(DEMO_PASSWORD));
    // A disabled demo account is not offered.
    desk.set_account_active(&admin, "supervisor", false)
        .await
        .unwrap();
    assert_eq!(desk.auth_status(None).await.unwrap().demo_accounts.len(), 3);
}

#[tokio::test]
async fn wrong_passwords_at_unlock_count_towards_the_lockout() {
    let (_dir, desk, clock, _admin) = desk_with_staff().await;
    let clerk = desk.sign_in("clerk03", CLERK_PW).await.unwrap();
    clock.advance(Duration::minutes(20));
    assert!(desk.touch(&clerk).await.is_err());
    let mut last = String::new();
    for _ in 0..MAX_FAILED_SIGN_INS {
        last = message(desk.unlock(&clerk, "wrong1234").await.unwrap_err());
    }
    assert_eq!(
        last,
        "连续5次密码错误，账号已锁定至11月23日 09:35，请稍后再试或请管理员解锁"
    );
    // Locked out: not even the right password unlocks, nor signs in, until 09:35.
    assert!(message(desk.unlock(&clerk, CLERK_PW).await.unwrap_err()).contains("已锁定至"));
    assert!(desk.sign_in("clerk03", CLERK_PW).await.is_err());
    clock.advance(Duration::minutes(LOCKOUT_MINUTES));
    desk.unlock(&clerk, CLERK_PW).await.unwrap();
    desk.authorize(&clerk, Permission::Intake).await.unwrap();
}

/// A window's background polls check the session without counting as use, so an unattended
/// window still locks; the status reads the lock without touching either.
#[tokio::test]
async fn background_checks_do_not_keep_a_session_alive() {
    let (_dir, desk, clock, _admin) = desk_with_staff().await;
    let clerk = desk.sign_in("clerk03", CLERK_PW).await.unwrap();
    for _ in 0..3 {
        clock.advance(Duration::minutes(4));
        let actor = desk
            .authorize_quietly(&clerk, Permission::ViewCases)
            .await
            .unwrap();
        assert_eq!(actor.name, "李娜");
    }
    // 12 minutes of polls, then 4 more: 16 minutes since the sign-in, the last use.
    clock.advance(Duration::minutes(4));
    let status = desk.auth_status(Some(&clerk)).await.unwrap();
    assert!(status.locked);
    assert_eq!(status.account.unwrap().login, "clerk03");
    assert!(status.permissions.contains(&Permission::Intake));
    let e = desk
        .authorize(&clerk, Permission::ViewCases)
        .await
        .unwrap_err();
    assert!(message(e).contains("窗口已锁定"));
    // Quiet checks refuse a locked session too.
    assert!(matches!(
        desk.authorize_quietly(&clerk, Permission::ViewCases).await,
        Err(CoreError::Unauthenticated(_))
    ));
    desk.unlock(&clerk, CLERK_PW).await.unwrap();
    assert!(!desk.auth_status(Some(&clerk)).await.unwrap().locked);
    desk.sign_out(&clerk).await.unwrap();
    let status = desk.auth_status(Some(&clerk)).await.unwrap();
    assert!(status.account.is_none() && status.has_accounts);
    assert!(status.demo_accounts.is_empty());
}
