// End-to-end: the trainer's controls in the real demo window (`yichuang-app --demo`). The
// trainer makes the embedded hub go down (the 办件中心 status shows it), moves the desk's clock
// so a case accepted today turns red, and resets the demo: the case made during the class is
// gone, the seeded cases are back, the clock is real again. The 培训模式 banner is on every
// page. How to run, and what it needs: see harness.mjs.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { CLI_BIN, Desk, checkEnv, screenshot } from "./harness.mjs";
import { byId, clickId, waitText, WAIT } from "./ui.mjs";

checkEnv(import.meta.filename);
const desk = new Desk(4500, { args: ["--demo"] });
let browser = null;
let projectNo = "";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The CLI's exit code and output, without throwing on a non-zero exit. */
function cliStatus(...args) {
  desk.ensureAccounts(); // the trainer's CLI session
  const env = { ...process.env, YICHUANG_SESSION: desk.session };
  try {
    return { code: 0, out: execFileSync(CLI_BIN, ["--data-dir", desk.dataDir, ...args], { encoding: "utf8", timeout: 30000, env }) };
  } catch (e) {
    return { code: e.status, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

/** Waits until the element's text satisfies `ok`; returns the text. */
async function waitFor(id, ok, what, timeout = WAIT.long) {
  const el = await byId(browser, id);
  await el.waitForDisplayed({ timeout, timeoutMsg: `${id} did not show` });
  let text = "";
  await browser.waitUntil(async () => ok((text = (await el.getText()).trim())), {
    timeout,
    timeoutMsg: `${id}: ${what}; it reads ${JSON.stringify(text)}`,
  });
  return text;
}

describe("the trainer's controls in the demo window", { timeout: 300000 }, () => {
  before(async () => {
    await desk.start();
    // Signed in as the demo's trainer (培训, 窗口人员) through the sign-in page.
    browser = await desk.open();
  });

  after(async () => {
    await desk.stop();
  });

  test("the 培训模式 banner is on every page and cannot be closed", async () => {
    const banner = await byId(browser, "demo-banner");
    await banner.waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "no 培训模式 banner" });
    assert.match(await banner.getText(), /培训模式/);
    assert.equal(await banner.$(".el-icon, button").isExisting(), false, "nothing to close it with");
    for (const page of ["nav-cases", "nav-trainer", "nav-intake"]) {
      await clickId(browser, page);
      assert.ok(await banner.isDisplayed(), `banner hidden on ${page}`);
    }
    // The seeded demo: 40 cases.
    assert.equal(JSON.parse(desk.cli("case", "list", "--json")).length, 40);
  });

  test("the hub goes down: a case accepted now waits, and the 办件中心 status says so", async () => {
    await clickId(browser, "nav-trainer");
    await waitText(browser, "trainer-hub-mode", "正常");
    await clickId(browser, "trainer-hub-down");
    await waitText(browser, "trainer-hub-mode", "断开");

    // A case accepted during the class (5 working days: 就业困难人员认定).
    const form = JSON.parse(fs.readFileSync(path.join(ROOT, "assets/examples/accept.json"), "utf8"));
    form.dept_ql_reg_no = "07011200200011650102030128283R0";
    form.materiallist = [
      { no: "M01", sj_file_name: "就业困难人员认定申请表", sj_no: 1 },
      { no: "M02", sj_file_name: "申请人居民身份证", sj_no: 1 },
      { no: "M03", sj_file_name: "居民户口簿", sj_no: 1 },
    ];
    const file = path.join(desk.workDir, "case.json");
    fs.writeFileSync(file, JSON.stringify(form));
    projectNo = desk.cli("case", "accept", "--json", file).trim().split("\n").pop().trim();
    assert.match(projectNo, /^07011200200011650102030128283R0\d{12}$/);

    // The window's sync worker tries it (every 5 s), and fails: the hub is down.
    await waitFor("hub-status", (t) => t.includes("办件中心未连通") && t.includes("待上报"), "should show the hub down with a message waiting", 45000);
    screenshot("trainer-hub-down.png");

    // The CLI cannot take over the sync: a demo data dir talks to no hub but the window's.
    const sync = cliStatus("sync", "--once");
    assert.equal(sync.code, 4, sync.out);
    assert.match(sync.out, /演示（培训）窗口只能连接本程序内置的办件中心模拟器/);

    await clickId(browser, "trainer-hub-normal");
    await waitText(browser, "trainer-hub-mode", "正常");
  });

  test("moving the clock turns the new case red", async () => {
    await clickId(browser, "nav-trainer");
    const table = await byId(browser, "trainer-warnings");
    assert.ok(!(await table.getText()).includes(projectNo), "a case accepted today is not red yet");
    for (let i = 1; i <= 3; i++) {
      await clickId(browser, "trainer-clock-7d");
      await waitText(browser, "trainer-clock-offset", `已前移${7 * i}天`);
    }
    await browser.waitUntil(async () => (await table.getText()).includes(projectNo), {
      timeout: WAIT.long,
      timeoutMsg: `${projectNo} is not among the warned cases after 21 days`,
    });
    // Each row reads 预警, 办件编号, 申请人, 承诺办结日期.
    assert.match(await table.getText(), new RegExp(`红牌\\s*${projectNo}`));
    // The core's time moved: the CLI sees the same offset.
    assert.equal(JSON.parse(desk.cli("demo", "clock")).offset_secs, 21 * 86400);
    screenshot("trainer-clock-red.png");
  });

  test("a reset puts the demo back as seeded, without a restart", async () => {
    await clickId(browser, "nav-trainer");
    await clickId(browser, "trainer-reset");
    const confirm = await browser.$(".el-message-box");
    await confirm.waitForDisplayed({ timeout: WAIT.short, timeoutMsg: "no confirmation" });
    assert.match(await confirm.getText(), /确认重置吗/);
    screenshot("trainer-reset-confirm.png");
    const ok = await browser.$(".el-message-box__btns .el-button--primary");
    await ok.click();
    await waitText(browser, "trainer-clock-offset", "未调整", 60000);
    await waitFor("trainer-red-count", (t) => t.startsWith("红牌"), "should show the red count");

    const shown = cliStatus("case", "show", projectNo);
    assert.equal(shown.code, 3, `the class's case should be gone: ${shown.out}`);
    const cases = JSON.parse(desk.cli("case", "list", "--json"));
    assert.equal(cases.length, 40);
    assert.equal(JSON.parse(desk.cli("demo", "clock")).offset_secs, 0);
    await waitText(browser, "trainer-hub-mode", "正常");
    assert.ok(!(await (await byId(browser, "trainer-warnings")).getText()).includes(projectNo));
    screenshot("trainer-after-reset.png");
  });
});
