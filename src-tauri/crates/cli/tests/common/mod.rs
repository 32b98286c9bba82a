//! What every CLI test shares: the instant the tests' clock is pinned at (so that no outcome
//! depends on the day the tests run), running `yichuang` on a data directory, its output, the
//! accounts' sign-in, and a desk's hub settings pointed at a simulator.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use yichuang_core::Desk;
use yichuang_core::time::FixedClock;
use yichuang_hub::sim::SimConfig;
use yichuang_sync::HubSettings;
use yichuang_sync::config::HubSecrets;

/// "Now" for every desk of the CLI tests: a Monday, a working day of a year whose official
/// holidays are bundled.
pub const NOW: &str = "2026-11-23T10:00:00+08:00";

/// `yichuang` with its clock pinned at [`NOW`] (`$YICHUANG_NOW`).
pub fn yichuang_cmd() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_yichuang"));
    cmd.env("YICHUANG_NOW", NOW);
    cmd
}

/// `yichuang --data-dir DIR ARGS…`, pinned, with nothing of the caller's environment that
/// would choose another desk, hub, session or the local-administrator mode.
pub fn yichuang_in(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = yichuang_cmd();
    cmd.arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("YICHUANG_DATA_DIR")
        .env_remove("YICHUANG_HUB_URL")
        .env_remove("YICHUANG_LOCAL_ADMIN");
    cmd
}

/// Runs [`yichuang_in`] to the end.
pub fn yichuang(dir: &Path, args: &[&str]) -> Output {
    yichuang_in(dir, args).output().expect("run yichuang")
}

/// Runs [`yichuang_in`] off the async runtime (which may be serving a simulator the command
/// talks to).
pub async fn yichuang_blocking(dir: &Path, args: &[&str]) -> Output {
    let dir = dir.to_path_buf();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        yichuang(&dir, &a)
    })
    .await
    .expect("join yichuang")
}

/// Runs `yichuang` with `stdin` as its standard input (the password) and `env` added; no
/// session or password comes from the caller's environment.
pub fn yichuang_with(dir: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let mut cmd = yichuang_in(dir, args);
    cmd.env_remove("YICHUANG_SESSION")
        .env_remove("YICHUANG_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run yichuang");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait yichuang")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Standard output then standard error.
pub fn text(o: &Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}

/// Standard output of a command that must succeed.
pub fn ok(dir: &Path, args: &[&str]) -> String {
    let out = yichuang(dir, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

/// Signs `who` in with `password`; the session id.
pub fn login(dir: &Path, who: &str, password: &str) -> String {
    let out = yichuang_with(
        dir,
        &["account", "login", who],
        &format!("{password}\n"),
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let id = stdout(&out).trim().to_string();
    assert_eq!(id.len(), 64, "{id}");
    id
}

/// The clock of a desk the test opens itself, at the same instant as the CLI's.
pub fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock(
        chrono::DateTime::parse_from_rfc3339(NOW).unwrap(),
    ))
}

/// Saves `settings` as the desk's hub.json with the simulator's default token, sealed.
pub fn save_hub_for_sim(desk: &Desk, mut settings: HubSettings) {
    settings
        .set_secrets(
            desk,
            &HubSecrets {
                token: SimConfig::default().profile.token,
                ..Default::default()
            },
        )
        .unwrap();
    settings.save(desk).unwrap();
}
