// End-to-end: a clerk accepts a case in the real window, and the CLI sees the same case.
//
//   APP_BIN=target/debug/yichuang-app CLI_BIN=target/debug/yichuang node --test
//
// Needs: tauri-driver on PATH (or TAURI_DRIVER), WebKitWebDriver, a display (DISPLAY, e.g.
// Xvfb) and a D-Bus session (dbus-run-session), pdftotext; ImageMagick's `import` for the
// screenshot (optional). The app gets its own temporary data dir via `--data-dir`.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { remote } from "webdriverio";

import { byId, fieldError, idWithCheck, pickItem, tickedMaterials, typeInto, valueOf, waitForApp, WAIT } from "./ui.mjs";

const APP_BIN = process.env.APP_BIN;
const CLI_BIN = process.env.CLI_BIN;
const TAURI_DRIVER = process.env.TAURI_DRIVER || "tauri-driver";
const PORT = 4444;
const ARTIFACTS = process.env.E2E_ARTIFACTS || "/tmp/yichuang-e2e";

const NAME = "李堃";
const BAD_ID = "110101199003071234"; // wrong GB 11643 check character
const GOOD_ID = idWithCheck("11010119900307123");
const MOBILE = "13912345678";

for (const [name, value] of Object.entries({ APP_BIN, CLI_BIN })) {
  if (!value) throw new Error(`${name} is not set (see the header of ${path.basename(import.meta.filename)})`);
  if (!fs.existsSync(value)) throw new Error(`${name}=${value} does not exist`);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "yichuang-e2e-data-"));
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "yichuang-e2e-work-"));
fs.mkdirSync(ARTIFACTS, { recursive: true });

let driver = null;
let driverLog = "";
let browser = null;

/** Ends tauri-driver and everything it started (WebKitWebDriver, the app): its process group. */
function killDriver() {
  if (!driver || driver.exitCode !== null || driver.signalCode !== null) return;
  try {
    process.kill(-driver.pid, "SIGTERM");
  } catch {
    try {
      driver.kill("SIGTERM");
    } catch {
      /* already gone */
    }
  }
}
process.on("exit", killDriver);

function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (driver && driver.exitCode !== null) {
        reject(new Error(`tauri-driver exited with ${driver.exitCode}:\n${driverLog}`));
        return;
      }
      const sock = net.connect({ host: "127.0.0.1", port });
      sock.once("connect", () => {
        sock.destroy();
        resolve();
      });
      sock.once("error", () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`port ${port} did not open in ${timeoutMs} ms:\n${driverLog}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

function cli(...args) {
  return execFileSync(CLI_BIN, ["--data-dir", dataDir, ...args], { encoding: "utf8", timeout: 30000 });
}

function screenshot(file) {
  try {
    execFileSync("import", ["-window", "root", file], { timeout: 15000, stdio: "ignore" });
    return true;
  } catch (e) {
    console.warn(`screenshot skipped: ${e.message}`);
    return false;
  }
}

describe("accepting a case at the window", { timeout: 180000 }, () => {
  let itemRegNo = "";
  let projectNo = "";

  before(async () => {
    driver = spawn(TAURI_DRIVER, ["--port", String(PORT)], {
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // own process group, so the whole tree can be ended
      // Without compositing WebKitGTK paints straight to the X window, so `import` sees the
      // current frame (with it, screenshots under Xvfb lag behind the DOM).
      env: { WEBKIT_DISABLE_COMPOSITING_MODE: "1", ...process.env },
    });
    driver.stdout.on("data", (d) => (driverLog += d));
    driver.stderr.on("data", (d) => (driverLog += d));
    driver.once("error", (e) => (driverLog += `spawn failed: ${e.message}\n`));
    await waitForPort(PORT, 15000);

    browser = await remote({
      hostname: "127.0.0.1",
      port: PORT,
      logLevel: "warn",
      connectionRetryTimeout: 30000,
      connectionRetryCount: 1,
      waitforTimeout: WAIT.short,
      capabilities: {
        "wdio:enforceWebDriverClassic": true,
        "tauri:options": { application: path.resolve(APP_BIN), args: ["--data-dir", dataDir] },
      },
    });
    await waitForApp(browser);
  });

  after(async () => {
    try {
      if (browser) await browser.deleteSession();
    } catch {
      /* the app may be gone already */
    } finally {
      killDriver();
    }
    fs.rmSync(workDir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test("a wrong ID check character is refused under the field, and nothing typed is lost", async () => {
    itemRegNo = await pickItem(browser);
    assert.match(itemRegNo, /^[0-9A-Z]{31}$/, "option test ids carry the 31-character 实施编码");
    await typeInto(browser, "applicant-name", NAME);
    await typeInto(browser, "paper-code", BAD_ID);
    await typeInto(browser, "mobile", MOBILE);
    await byId(browser, "accept-button").click();

    const message = await fieldError(browser, "applicant_paper_code");
    assert.match(message, /校验码/, `the error should mention 校验码, got: ${message}`);
    assert.equal(await valueOf(browser, "applicant-name"), NAME);
    assert.equal(await valueOf(browser, "paper-code"), BAD_ID);
    assert.equal(await valueOf(browser, "mobile"), MOBILE);
    assert.equal(await byId(browser, "result-project-no").isExisting(), false, "no case may be accepted");
    screenshot(path.join(ARTIFACTS, "intake-error.png"));
  });

  test("a valid intake is accepted, its notice renders, and the CLI sees the same case", async () => {
    if (!(await byId(browser, "item-info").isExisting())) itemRegNo = await pickItem(browser);
    if ((await valueOf(browser, "applicant-name")) !== NAME) await typeInto(browser, "applicant-name", NAME);
    if ((await valueOf(browser, "mobile")) !== MOBILE) await typeInto(browser, "mobile", MOBILE);
    await typeInto(browser, "paper-code", GOOD_ID);

    await byId(browser, "select-required-materials").click();
    let ticked = [];
    await browser.waitUntil(async () => (ticked = await tickedMaterials(browser)).length > 0, {
      timeout: WAIT.short,
      timeoutMsg: "全选必须材料 ticked nothing",
    });
    await byId(browser, "accept-button").click();

    const noEl = await byId(browser, "result-project-no");
    await noEl.waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "no case number was shown after 受理" });
    projectNo = (await noEl.getText()).trim();
    assert.match(projectNo, /^[0-9A-Z]{31}\d{8}\d{4}$/);
    assert.ok(projectNo.startsWith(itemRegNo), `${projectNo} should start with ${itemRegNo}`);

    // The acceptance notice, rendered by pdf.js inside the window.
    await byId(browser, "view-notice").click();
    const preview = await byId(browser, "notice-preview");
    await preview.waitForDisplayed({ timeout: WAIT.short });
    await browser.waitUntil(
      async () => {
        if (await byId(browser, "notice-error").isExisting()) {
          throw new Error(`notice preview failed: ${await byId(browser, "notice-error").getText()}`);
        }
        return (await browser.$$('[data-testid="notice-preview"] canvas[data-testid="pdf-page"]').length) > 0;
      },
      { timeout: WAIT.long, interval: 200, timeoutMsg: "the notice preview rendered no page" },
    );
    screenshot(path.join(ARTIFACTS, "accept.png"));

    // Outside the window: the CLI reads the same store.
    const record = JSON.parse(cli("case", "show", projectNo, "--json"));
    assert.equal(record.project_no, projectNo);
    assert.equal(record.applicant_name, NAME);
    assert.equal(record.state, "accepted");
    assert.deepEqual(record.materials.map((m) => m.no).sort(), [...ticked].sort());

    const pdf = path.join(workDir, "n.pdf");
    cli("notice", projectNo, "--kind", "acceptance", "--pdf", pdf);
    fs.copyFileSync(pdf, path.join(ARTIFACTS, "notice.pdf"));
    const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8", timeout: 30000 });
    for (const expected of ["受理通知书", projectNo, NAME, record.org_name]) {
      assert.ok(text.includes(expected), `the notice should contain ${expected}:\n${text}`);
    }
  });
});
