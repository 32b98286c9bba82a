//! The command line's one permission check, end to end: on a desk with accounts the hub and
//! sync commands need an admin's session (or the local administrator), a clerk's is refused,
//! signed out is refused with what to do; a desk without accounts works as before.

mod common;

use std::path::Path;

use common::{login, ok, stderr, stdout, yichuang, yichuang_with};

const ADMIN_PASSWORD: &str = "admin2026x";
const CLERK_PASSWORD: &str = "clerk2026x";
const EXAMPLE: &str = "../../../assets/examples/accept.json";

/// The administrative commands of the issue: redirecting the hub, its call log, the dead
/// letters.
fn admin_commands() -> [Vec<&'static str>; 3] {
    [
        vec!["hub", "config", "--url", "http://198.51.100.7:8080"],
        vec!["hub", "log"],
        vec!["sync", "dead"],
    ]
}

fn hub_json(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("hub.json")).unwrap()
}

/// A desk configured (without accounts) for a hub, then given an admin and a clerk; their
/// sessions.
fn desk_with_accounts(d: &Path) -> (String, String) {
    ok(d, &["hub", "config", "--url", "http://127.0.0.1:9"]);
    let out = yichuang_with(
        d,
        &["account", "add", "admin", "--name", "王管理"],
        &format!("{ADMIN_PASSWORD}\n"),
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let admin = login(d, "admin", ADMIN_PASSWORD);
    let out = yichuang_with(
        d,
        &[
            "account", "add", "clerk05", "--name", "孙丽", "--role", "clerk",
        ],
        &format!("{CLERK_PASSWORD}\n"),
        &[("YICHUANG_SESSION", &admin)],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    (admin, login(d, "clerk05", CLERK_PASSWORD))
}

#[test]
fn signed_out_and_clerk_are_refused_the_hub_and_sync_an_admin_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (admin, clerk) = desk_with_accounts(d);
    let before = hub_json(d);

    // Signed out: refused (5), told to sign in as an admin or use the local administrator.
    for args in admin_commands() {
        let out = yichuang(d, &args);
        assert_eq!(out.status.code(), Some(5), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("需要管理员"), "{args:?}: {err}");
        assert!(err.contains("--session"), "{args:?}: {err}");
        assert!(err.contains("--local-admin"), "{args:?}: {err}");
        assert!(stdout(&out).is_empty(), "{args:?}: {}", stdout(&out));
    }
    for args in [
        &["hub", "show"][..],
        &["hub", "status"],
        &["hub", "inbox"],
        &["sync", "--once"],
        &["sync", "retry", "1"],
    ] {
        let out = yichuang(d, args);
        assert_eq!(out.status.code(), Some(5), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(hub_json(d), before, "the hub configuration is unchanged");

    // A clerk's session: not allowed (5), whatever the command.
    for args in admin_commands() {
        let mut with = args.clone();
        with.extend(["--session", &clerk]);
        let out = yichuang(d, &with);
        assert_eq!(out.status.code(), Some(5), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("无权"), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(hub_json(d), before, "the hub configuration is unchanged");

    // The admin's session: each works.
    let out = yichuang_with(
        d,
        &["hub", "config", "--url", "http://198.51.100.7:8080"],
        "",
        &[("YICHUANG_SESSION", &admin)],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(hub_json(d).contains("http://198.51.100.7:8080"));
    ok(d, &["hub", "log", "--session", &admin]);
    let out = yichuang(d, &["sync", "dead", "--session", &admin]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("没有失败的同步消息"),
        "{}",
        stderr(&out)
    );
    ok(d, &["hub", "status", "--session", &admin]);
}

#[test]
fn the_local_administrator_owns_the_data_directory_and_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    desk_with_accounts(d);

    let out = yichuang(
        d,
        &[
            "hub",
            "config",
            "--url",
            "http://198.51.100.9:8080",
            "--token",
            "secret-token-1",
            "--local-admin",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(hub_json(d).contains("http://198.51.100.9:8080"));
    let out = yichuang_with(d, &["hub", "log"], "", &[("YICHUANG_LOCAL_ADMIN", "1")]);
    assert!(out.status.success(), "{}", stderr(&out));

    // Each command is recorded by its name, never with its values.
    let log = std::fs::read_to_string(d.join("local-admin.log")).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert!(lines[0].contains("\thub config\t设置办件中心连接"), "{log}");
    assert!(
        lines[1].contains("\thub log\t查看办件中心调用日志"),
        "{log}"
    );
    assert!(lines[0].starts_with("2026-11-23T10:00:00+08:00\t"), "{log}");
    assert!(
        !log.contains("198.51.100.9") && !log.contains("secret-token-1"),
        "{log}"
    );

    // Administration only: the counter's work needs a person's session.
    let out = yichuang(d, &["case", "accept", "--json", EXAMPLE, "--local-admin"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("本机管理员模式只能执行管理操作"),
        "{}",
        stderr(&out)
    );
    let out = yichuang(d, &["case", "list", "--local-admin"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Another OS user than the data directory's owner is refused the local-administrator mode.
/// Only a test run as root can hand the directory to another user; otherwise it says so and
/// returns.
#[cfg(unix)]
#[test]
fn the_local_administrator_must_own_the_data_directory() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    desk_with_accounts(d);
    if std::fs::metadata(d).unwrap().uid() != 0 {
        eprintln!("not run as root: cannot give the data directory to another user; skipped");
        return;
    }
    // Owned by nobody (65534); root still reads and writes it, but is not its owner.
    std::os::unix::fs::chown(d, Some(65534), None).unwrap();
    let before = hub_json(d);
    let out = yichuang(
        d,
        &[
            "hub",
            "config",
            "--url",
            "http://198.51.100.7:8080",
            "--local-admin",
        ],
    );
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).contains("的所有者"), "{}", stderr(&out));
    assert_eq!(hub_json(d), before);
    assert!(!d.join("local-admin.log").exists());
}

#[test]
fn a_desk_without_accounts_acts_as_its_clerk_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["hub", "config", "--url", "http://127.0.0.1:9"]);
    assert!(hub_json(d).contains("http://127.0.0.1:9"));
    ok(d, &["hub", "log"]);
    ok(d, &["hub", "status"]);
    let out = yichuang(d, &["sync", "dead"]);
    assert!(out.status.success(), "{}", stderr(&out));
    ok(d, &["case", "accept", "--json", EXAMPLE]);
    // The local-administrator flag changes nothing there, and nothing is recorded.
    ok(d, &["hub", "log", "--local-admin"]);
    assert!(!d.join("local-admin.log").exists());
}
