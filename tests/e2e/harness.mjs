// The session plumbing every E2E test file shares: its own tauri-driver on its own ports, the
// app with a temporary data dir, the CLI on the same data dir, and screenshots.
//
//   APP_BIN=target/debug/yichuang-app CLI_BIN=target/debug/yichuang node --test
//
// Needs: tauri-driver on PATH (or TAURI_DRIVER), WebKitWebDriver, a display (DISPLAY, e.g.
// Xvfb) and a D-Bus session (dbus-run-session), pdftotext; ImageMagick's `import` for the
// screenshots (optional).

import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { remote } from "webdriverio";

import { byId, clickId, typeInto, waitForApp, WAIT } from "./ui.mjs";

export const APP_BIN = process.env.APP_BIN;
export const CLI_BIN = process.env.CLI_BIN;
const TAURI_DRIVER = process.env.TAURI_DRIVER || "tauri-driver";
export const ARTIFACTS = process.env.E2E_ARTIFACTS || "/tmp/yichuang-e2e";

/** The CLI commands that need an admin's session on a desk with accounts. */
const ADMIN_CLI_COMMANDS = new Set(["hub", "sync"]);

/**
 * The people of every test desk, made with the CLI before the app first opens (see
 * `Desk.ensureAccounts`): the admin, made as the desk's first account, and the clerk the
 * window signs in as.
 */
/** The demo's accounts, seeded by `--demo` or `yichuang demo seed` (README "Demo accounts"). */
export const DEMO_TRAINER = { login: "trainer", name: "培训老师", window: "01", password: "peixun2026" };
export const DEMO_CLERK = { login: "clerk01", name: "培训学员", window: "01", password: "peixun2026" };
export const DEMO_SUPERVISOR = { login: "supervisor", name: "督办演示", window: "", password: "peixun2026" };

export const STAFF = {
  admin: { login: "admin", name: "王管理", password: "Admin2026x" },
  clerk: { login: "clerk01", name: "周晓梅", window: "01", password: "Clerk2026x" },
};

/**
 * Signs in through the real sign-in page (the app must be showing it) and waits until the
 * window shows the signed-in person.
 */
export async function signInAs(browser, login, password) {
  await byId(browser, "signin-page").waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "the sign-in page did not appear" });
  await typeInto(browser, "signin-login", login);
  await typeInto(browser, "signin-password", password);
  await clickId(browser, "signin-submit");
  await byId(browser, "signed-in-user").waitForDisplayed({ timeout: WAIT.long, timeoutMsg: `${login} was not signed in` });
}

/** Signs out through the header's 退出登录 and waits for the sign-in page. */
export async function signOut(browser) {
  await clickId(browser, "sign-out");
  await byId(browser, "signin-page").waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "the sign-in page did not come back" });
}

export function checkEnv(file) {
  for (const [name, value] of Object.entries({ APP_BIN, CLI_BIN })) {
    if (!value) throw new Error(`${name} is not set (see the header of ${path.basename(file)})`);
    if (!fs.existsSync(value)) throw new Error(`${name}=${value} does not exist`);
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
}

function waitForPort(port, timeoutMs, driver, log) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (driver.exitCode !== null) {
        reject(new Error(`tauri-driver exited with ${driver.exitCode}:\n${log()}`));
        return;
      }
      const sock = net.connect({ host: "127.0.0.1", port });
      sock.once("connect", () => {
        sock.destroy();
        resolve();
      });
      sock.once("error", () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`port ${port} did not open in ${timeoutMs} ms:\n${log()}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/**
 * One test file's desk: a tauri-driver on `port` (and WebKitWebDriver on `port + 1`), a data dir
 * and a work dir. `open()` starts the app (a WebDriver session), `close()` ends it; they may be
 * called again to restart the app on the same data dir.
 */
export class Desk {
  /**
   * `options.args`: extra arguments for the app, before `--data-dir` (e.g. `["--demo"]`).
   * `options.appEnv`: environment variables for the app alone (e.g. libfaketime's, to run the
   * window under a moved clock), set by a small wrapper script that execs the app.
   */
  constructor(port, options = {}) {
    this.extraArgs = options.args ?? [];
    this.appEnv = options.appEnv ?? null;
    // A demo desk (`--demo`) is seeded by the app with its own accounts; the tests act as its
    // trainer. Any other desk gets an admin and a clerk made with the CLI.
    this.demo = options.demo ?? this.extraArgs.includes("--demo");
    this.actor = this.demo ? DEMO_TRAINER : STAFF.clerk;
    // E2E_PORT_OFFSET lets several checkouts run their E2E tests side by side on one machine.
    this.port = port + Number(process.env.E2E_PORT_OFFSET || 0);
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "yichuang-e2e-data-"));
    this.workDir = fs.mkdtempSync(path.join(os.tmpdir(), "yichuang-e2e-work-"));
    this.driver = null;
    this.driverLog = "";
    /** The clerk's CLI session (`account login`), for the CLI calls of the tests. */
    this.session = null;
    this.sessionUsedAt = 0;
    this.browser = null;
    this.onExit = () => this.killDriver();
    process.on("exit", this.onExit);
  }

  async start() {
    this.driver = spawn(TAURI_DRIVER, ["--port", String(this.port), "--native-port", String(this.port + 1)], {
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // own process group, so the whole tree can be ended
      // Without compositing WebKitGTK paints straight to the X window, so `import` sees the
      // current frame (with it, screenshots under Xvfb lag behind the DOM).
      env: { WEBKIT_DISABLE_COMPOSITING_MODE: "1", ...process.env },
    });
    this.driver.stdout.on("data", (d) => (this.driverLog += d));
    this.driver.stderr.on("data", (d) => (this.driverLog += d));
    this.driver.once("error", (e) => (this.driverLog += `spawn failed: ${e.message}\n`));
    await waitForPort(this.port, 15000, this.driver, () => this.driverLog);
  }

  /**
   * Starts the app. By default signs in as the clerk (`STAFF.clerk`) through the sign-in page
   * and waits for the intake page; `{ signIn: false }` leaves it on the sign-in page.
   */
  async open({ signIn = true } = {}) {
    if (!this.demo) this.ensureAccounts();
    this.browser = await remote({
      hostname: "127.0.0.1",
      port: this.port,
      logLevel: "warn",
      connectionRetryTimeout: 30000,
      connectionRetryCount: 1,
      waitforTimeout: WAIT.short,
      capabilities: {
        "wdio:enforceWebDriverClassic": true,
        "tauri:options": { application: this.application(), args: [...this.extraArgs, "--data-dir", this.dataDir] },
      },
    });
    if (signIn) {
      await signInAs(this.browser, this.actor.login, this.actor.password);
      await waitForApp(this.browser);
    }
    return this.browser;
  }

  /** The binary the driver starts: the app, or a wrapper that sets `appEnv` and execs it. */
  application() {
    const app = path.resolve(APP_BIN);
    if (!this.appEnv) return app;
    const quote = (v) => `'${String(v).replace(/'/g, "'\\''")}'`;
    const exports = Object.entries(this.appEnv)
      .map(([k, v]) => `export ${k}=${quote(v)}`)
      .join("\n");
    const wrapper = path.join(this.workDir, "app-with-env.sh");
    fs.writeFileSync(wrapper, `#!/bin/sh\n${exports}\nexec ${quote(app)} "$@"\n`, { mode: 0o755 });
    return wrapper;
  }

  /** Ends the session, which closes the app. */
  async close() {
    const b = this.browser;
    this.browser = null;
    if (!b) return;
    try {
      await b.deleteSession();
    } catch {
      /* the app may be gone already */
    }
  }

  /** Ends tauri-driver and everything it started (WebKitWebDriver, the app): its process group. */
  killDriver() {
    const d = this.driver;
    if (!d || d.exitCode !== null || d.signalCode !== null) return;
    try {
      process.kill(-d.pid, "SIGTERM");
    } catch {
      try {
        d.kill("SIGTERM");
      } catch {
        /* already gone */
      }
    }
  }

  async stop() {
    try {
      await this.close();
    } finally {
      this.killDriver();
      process.off("exit", this.onExit);
      fs.rmSync(this.workDir, { recursive: true, force: true });
      fs.rmSync(this.dataDir, { recursive: true, force: true });
    }
  }

  /** Runs the CLI on this desk's data dir, with `env` added to the environment. */
  rawCli(args, env = {}) {
    return execFileSync(CLI_BIN, ["--data-dir", this.dataDir, ...args], {
      encoding: "utf8",
      timeout: 30000,
      env: { ...process.env, ...env },
    });
  }

  /** A CLI session id for `who` (one of `STAFF`). */
  login(who) {
    return this.rawCli(["account", "login", who.login], { YICHUANG_PASSWORD: who.password }).trim();
  }

  /**
   * Once per desk: the admin (first account) and the clerk, made with the CLI as an admin
   * would, and a CLI session of the clerk for the tests' CLI calls.
   */
  ensureAccounts() {
    if (this.session) return;
    if (this.demo) {
      // The app seeded the accounts when it first opened.
      this.session = this.login(this.actor);
      this.sessionUsedAt = Date.now();
      return;
    }
    const { admin, clerk } = STAFF;
    this.rawCli(["account", "add", admin.login, "--name", admin.name], { YICHUANG_PASSWORD: admin.password });
    const adminSession = this.login(admin);
    this.rawCli(["account", "add", clerk.login, "--name", clerk.name, "--window", clerk.window, "--role", "clerk"], {
      YICHUANG_SESSION: adminSession,
      YICHUANG_PASSWORD: clerk.password,
    });
    this.session = this.login(clerk);
    this.sessionUsedAt = Date.now();
  }

  /**
   * Runs the CLI on this desk's data dir, as the clerk (the desk has accounts); the `hub` and
   * `sync` commands, which need an admin (docs/accounts.md), as the admin, freshly signed in.
   */
  cli(...args) {
    this.ensureAccounts();
    if (!this.demo && ADMIN_CLI_COMMANDS.has(args[0])) {
      return this.rawCli(args, { YICHUANG_SESSION: this.login(STAFF.admin) });
    }
    // A CLI session idle for the desk's idle time (15 minutes) locks: sign in afresh.
    if (Date.now() - this.sessionUsedAt > 10 * 60 * 1000) this.session = this.login(this.actor);
    this.sessionUsedAt = Date.now();
    return this.rawCli(args, { YICHUANG_SESSION: this.session });
  }

  /** `case show NO --json`, parsed. */
  showCase(projectNo) {
    return JSON.parse(this.cli("case", "show", projectNo, "--json"));
  }

  /** Writes a document of a case with the CLI, keeps a copy in the artifacts, returns its text. */
  noticeText(projectNo, kind, artifactName) {
    const pdf = path.join(this.workDir, `${kind}.pdf`);
    this.cli("notice", projectNo, "--kind", kind, "--pdf", pdf);
    if (artifactName) fs.copyFileSync(pdf, path.join(ARTIFACTS, artifactName));
    return execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8", timeout: 30000 });
  }
}

/** Text without any whitespace, so words wrapped across lines still match. */
export function squash(text) {
  return text.replace(/\s+/g, "");
}

/** Takes a screenshot of the whole (virtual) screen into the artifacts directory. */
export function screenshot(name) {
  const file = path.join(ARTIFACTS, name);
  try {
    execFileSync("import", ["-window", "root", file], { timeout: 15000, stdio: "ignore" });
    return true;
  } catch (e) {
    console.warn(`screenshot skipped: ${e.message}`);
    return false;
  }
}
