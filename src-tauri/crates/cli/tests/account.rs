//! `yichuang account`, end to end: first admin, sessions for scripts, roles, lockout.

mod common;

use std::path::Path;
use std::process::Output;

use common::{login, stderr, stdout, yichuang_with as run};

/// `yichuang ARGS… --session SESSION`, no standard input.
fn with_session(dir: &Path, args: &[&str], session: &str) -> Output {
    let mut args = args.to_vec();
    args.extend(["--session", session]);
    run(dir, &args, "", &[])
}

#[test]
fn first_admin_then_accounts_through_a_session() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    // No account yet: the first one is an admin, made without a session.
    let out = run(
        d,
        &[
            "account",
            "add",
            "admin",
            "--name",
            "王管理",
            "--role",
            "clerk",
        ],
        "admin2026x\n",
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("第一个账号只能是管理员"));
    let out = run(
        d,
        &["account", "add", "admin", "--name", "王管理"],
        "short\n",
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("密码"), "{}", stderr(&out));
    let out = run(
        d,
        &["account", "add", "admin", "--name", "王管理"],
        "admin2026x\n",
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("管理员"));

    // Now a session is needed.
    let out = run(
        d,
        &[
            "account", "add", "clerk03", "--name", "李娜", "--role", "clerk",
        ],
        "clerk2026x\n",
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--session"));

    let admin = login(d, "admin", "admin2026x");
    let out = run(
        d,
        &[
            "account",
            "add",
            "clerk03",
            "--name",
            "李娜",
            "--window",
            "03",
            "--role",
            "clerk",
            "--session",
            &admin,
        ],
        "clerk2026x\n",
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));

    // The session may come from the environment, the password too.
    let out = run(
        d,
        &[
            "account",
            "add",
            "sup",
            "--name",
            "陈督办",
            "--role",
            "supervisor",
        ],
        "",
        &[
            ("YICHUANG_SESSION", &admin),
            ("YICHUANG_PASSWORD", "super2026x"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let out = with_session(d, &["account", "list", "--json"], &admin);
    assert!(out.status.success(), "{}", stderr(&out));
    let list: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let logins: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["login"].as_str().unwrap())
        .collect();
    assert_eq!(logins, ["admin", "clerk03", "sup"]);
    assert_eq!(list[1]["window_no"], "03");
    assert_eq!(list[1]["roles"][0], "clerk");
    assert!(list[0].get("password_hash").is_none());

    // A clerk's session may not list accounts: exit code 5, the Chinese reason.
    let clerk = login(d, "clerk03", "clerk2026x");
    let out = with_session(d, &["account", "list"], &clerk);
    assert_eq!(out.status.code(), Some(5));
    assert!(
        stderr(&out).contains("当前账号（窗口人员）无权管理账号"),
        "{}",
        stderr(&out)
    );

    // passwd: the clerk's old session ends, the new password works.
    let out = run(
        d,
        &["account", "passwd", "clerk03", "--session", &admin],
        "newpass99\n",
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = with_session(d, &["account", "list"], &clerk);
    assert_eq!(out.status.code(), Some(5));
    login(d, "clerk03", "newpass99");

    // disable / enable.
    let out = with_session(d, &["account", "disable", "clerk03"], &admin);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("已停用"));
    let out = run(d, &["account", "login", "clerk03"], "newpass99\n", &[]);
    assert_eq!(out.status.code(), Some(5));
    assert!(stderr(&out).contains("已停用"));
    let out = with_session(d, &["account", "enable", "clerk03"], &admin);
    assert!(out.status.success(), "{}", stderr(&out));
    login(d, "clerk03", "newpass99");
}

#[test]
fn lockout_and_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = run(
        d,
        &["account", "add", "admin", "--name", "王管理"],
        "admin2026x\n",
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let admin = login(d, "admin", "admin2026x");
    let out = run(
        d,
        &[
            "account",
            "add",
            "clerk03",
            "--name",
            "李娜",
            "--role",
            "clerk",
            "--session",
            &admin,
        ],
        "clerk2026x\n",
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let mut last = String::new();
    for _ in 0..5 {
        let out = run(d, &["account", "login", "clerk03"], "wrong1234\n", &[]);
        assert_eq!(out.status.code(), Some(5));
        assert!(stdout(&out).is_empty());
        last = stderr(&out);
    }
    assert!(last.contains("账号已锁定至"), "{last}");
    let out = run(d, &["account", "login", "clerk03"], "clerk2026x\n", &[]);
    assert_eq!(out.status.code(), Some(5));

    let out = with_session(d, &["account", "unlock", "clerk03"], &admin);
    assert!(out.status.success(), "{}", stderr(&out));
    login(d, "clerk03", "clerk2026x");

    let out = with_session(d, &["account", "unlock", "nobody"], &admin);
    assert_eq!(out.status.code(), Some(3));
}

const EXAMPLE: &str = "../../../assets/examples/accept.json";

/// On a desk with accounts, the counter commands act as the session's person: no session or
/// a role without the permission is exit code 5; the case and its history record the clerk.
#[test]
fn counter_commands_act_as_the_session_on_a_desk_with_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    // Before any account, the desk acts as its profile's clerk (automation).
    let out = run(d, &["case", "accept", "--json", EXAMPLE], "", &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = stdout(&out).trim().to_string();

    let out = run(
        d,
        &["account", "add", "admin", "--name", "王管理"],
        "admin2026x\n",
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let admin = login(d, "admin", "admin2026x");
    for (login, name, role) in [
        ("clerk05", "孙丽", "clerk"),
        ("sup", "陈督办", "supervisor"),
    ] {
        let out = run(
            d,
            &[
                "account", "add", login, "--name", name, "--window", "05", "--role", role,
            ],
            "",
            &[
                ("YICHUANG_SESSION", &admin),
                ("YICHUANG_PASSWORD", "staff2026x"),
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }

    // Now a session is needed, even to read.
    let out = run(d, &["case", "accept", "--json", EXAMPLE], "", &[]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).contains("--session"), "{}", stderr(&out));
    let out = run(d, &["case", "show", &before], "", &[]);
    assert_eq!(out.status.code(), Some(5));
    let out = with_session(d, &["case", "accept", "--json", EXAMPLE], "00");
    assert_eq!(out.status.code(), Some(5));
    assert!(stderr(&out).contains("登录已失效"), "{}", stderr(&out));

    // A supervisor reads but does not accept; an admin takes in no case.
    let sup = login(d, "sup", "staff2026x");
    let out = with_session(d, &["case", "accept", "--json", EXAMPLE], &sup);
    assert_eq!(out.status.code(), Some(5));
    assert!(stderr(&out).contains("无权受理办件"), "{}", stderr(&out));
    let out = with_session(d, &["case", "show", &before], &sup);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = with_session(
        d,
        &["case", "cancel", &before, "--reason", "申请人撤回"],
        &admin,
    );
    assert_eq!(out.status.code(), Some(5));
    assert!(stderr(&out).contains("无权办理办件"), "{}", stderr(&out));
    let out = run(
        d,
        &["desk", "set", "--window", "09"],
        "",
        &[("YICHUANG_SESSION", &sup)],
    );
    assert_eq!(out.status.code(), Some(5));
    let out = run(
        d,
        &["desk", "set", "--idle-minutes", "30"],
        "",
        &[("YICHUANG_SESSION", &sup)],
    );
    assert_eq!(out.status.code(), Some(5));
    // The admin sets the idle-lock time; out of range is a field error.
    let out = with_session(d, &["desk", "set", "--idle-minutes", "0"], &admin);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("自动锁定时间"), "{}", stderr(&out));
    let out = with_session(d, &["desk", "set", "--idle-minutes", "30"], &admin);
    assert!(out.status.success(), "{}", stderr(&out));

    // The clerk's session: the case is hers, at her window.
    let clerk = login(d, "clerk05", "staff2026x");
    let out = run(
        d,
        &["case", "accept", "--json", EXAMPLE],
        "",
        &[("YICHUANG_SESSION", &clerk)],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let no = stdout(&out).trim().to_string();
    let out = with_session(d, &["case", "show", &no, "--json"], &clerk);
    let case: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(case["acceptusername"], "孙丽");
    assert_eq!(case["window_no"], "05");
    assert_eq!(case["history"][0]["actor"], "孙丽");
    let out = with_session(
        d,
        &["case", "cancel", &no, "--reason", "申请人撤回"],
        &clerk,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = with_session(d, &["case", "show", &no, "--json"], &clerk);
    let case: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(case["history"][1]["actor"], "孙丽");
    assert_eq!(case["state"], "withdrawn");
    let out = with_session(
        d,
        &["notice", &no, "--pdf", d.join("n.pdf").to_str().unwrap()],
        &clerk,
    );
    assert!(out.status.success(), "{}", stderr(&out));

    // Signed out elsewhere (password changed): the session no longer acts.
    let out = run(
        d,
        &["account", "passwd", "clerk05", "--session", &admin],
        "staff2027x\n",
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = with_session(d, &["case", "show", &no], &clerk);
    assert_eq!(out.status.code(), Some(5));
}
