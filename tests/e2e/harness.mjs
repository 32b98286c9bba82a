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

import { waitForApp, WAIT } from "./ui.mjs";

export const APP_BIN = process.env.APP_BIN;
export const CLI_BIN = process.env.CLI_BIN;
const TAURI_DRIVER = process.env.TAURI_DRIVER || "tauri-driver";
export const ARTIFACTS = process.env.E2E_ARTIFACTS || "/tmp/yichuang-e2e";

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
  /** `options.args`: extra arguments for the app, before `--data-dir` (e.g. `["--demo"]`). */
  constructor(port, options = {}) {
    this.extraArgs = options.args ?? [];
    // E2E_PORT_OFFSET lets several checkouts run their E2E tests side by side on one machine.
    this.port = port + Number(process.env.E2E_PORT_OFFSET || 0);
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "yichuang-e2e-data-"));
    this.workDir = fs.mkdtempSync(path.join(os.tmpdir(), "yichuang-e2e-work-"));
    this.driver = null;
    this.driverLog = "";
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

  /** Starts the app and waits for the intake page. */
  async open() {
    this.browser = await remote({
      hostname: "127.0.0.1",
      port: this.port,
      logLevel: "warn",
      connectionRetryTimeout: 30000,
      connectionRetryCount: 1,
      waitforTimeout: WAIT.short,
      capabilities: {
        "wdio:enforceWebDriverClassic": true,
        "tauri:options": { application: path.resolve(APP_BIN), args: [...this.extraArgs, "--data-dir", this.dataDir] },
      },
    });
    await waitForApp(this.browser);
    return this.browser;
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

  /** Runs the CLI on this desk's data dir. */
  cli(...args) {
    return execFileSync(CLI_BIN, ["--data-dir", this.dataDir, ...args], { encoding: "utf8", timeout: 30000 });
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
