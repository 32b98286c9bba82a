// End-to-end: the desk's settings choose SANE's `test` scanner; the clerk scans pages into a
// material of a received case in the real window; the thumbnails show; a page is moved, rotated
// and deleted (after a confirmation). How to run: see harness.mjs. Needs libsane1 (installed by
// .ci/setup): the app and the CLI read SANE_CONFIG_DIR, set here to a directory that enables
// only the `test` backend, with a bed large enough for A3 and a grid picture.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";

import { Desk, STAFF, checkEnv, screenshot, signInAs, signOut } from "./harness.mjs";
import { byId, clickId, typeInto, waitText, WAIT } from "./ui.mjs";

checkEnv(import.meta.filename);
const desk = new Desk(4520);
let browser = null;
let projectNo = "";
let material = null;

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The material's pages as the CLI lists them, in order. */
function pages() {
  return JSON.parse(desk.cli("material", "list", projectNo, "--json")).filter((p) => p.material_no === material.no);
}

describe("scanning from the desk's scanner in the window", { timeout: 240000 }, () => {
  before(async () => {
    const sane = path.join(desk.workDir, "sane");
    fs.mkdirSync(sane);
    fs.writeFileSync(path.join(sane, "dll.conf"), "test\n");
    fs.writeFileSync(path.join(sane, "test.conf"), 'number_of_devices 1\ngeometry_max 430.0\ntest-picture "Grid"\n');
    // Inherited by tauri-driver, so by the app, and by the CLI.
    process.env.SANE_CONFIG_DIR = sane;
    const out = desk.cli("case", "receive", "--json", path.join(ROOT, "assets/examples/accept.json"));
    projectNo = out.trim().split("\n").pop();
    material = desk.showCase(projectNo).materials[0];
    await desk.start();
    browser = await desk.open();
  });

  after(async () => {
    await desk.stop();
  });

  test("窗口设置 chooses the test scanner; it is remembered by the desk", async () => {
    // The desk settings are an administrator's.
    await signOut(browser);
    await signInAs(browser, STAFF.admin.login, STAFF.admin.password);
    await clickId(browser, "open-settings");
    await clickId(browser, "settings-capture-device", WAIT.long);
    const option = await byId(browser, "settings-device-option-sane:test:0");
    await option.waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "the test scanner was not listed" });
    assert.match(await option.getText(), /扫描仪/);
    // Click once the list has settled (a click while it slides open can choose nothing), and
    // once more if the choice did not take.
    for (let attempt = 1; ; attempt++) {
      await option.scrollIntoView({ block: "center" });
      await browser.pause(300);
      await option.click();
      try {
        await byId(browser, "settings-capture-adf").waitForDisplayed({ timeout: WAIT.short, timeoutMsg: "no feeder option" });
        break;
      } catch (e) {
        if (attempt >= 2) throw e;
        if (!(await option.isDisplayed())) await clickId(browser, "settings-capture-device");
        await option.waitForDisplayed({ timeout: WAIT.long });
      }
    }
    await browser.pause(400);
    screenshot("scan-settings.png");
    await clickId(browser, "settings-save");
    await byId(browser, "settings-capture-device").waitForDisplayed({
      reverse: true,
      timeout: WAIT.long,
      timeoutMsg: "the settings did not close after 保存",
    });
    const saved = JSON.parse(desk.cli("device", "show"));
    assert.equal(saved.device, "sane:test:0");
    assert.equal(saved.page_size, "A4");
  });

  test("the clerk scans two pages; moves, rotates and deletes one", async () => {
    await signOut(browser);
    await signInAs(browser, STAFF.clerk.login, STAFF.clerk.password);
    await typeInto(browser, "recall-input", projectNo);
    await browser.keys("Enter");
    await waitText(browser, "detail-project-no", projectNo);

    await clickId(browser, `material-scan-${material.no}`, WAIT.long);
    const first = await byId(browser, `material-thumb-${material.no}-1`);
    await first.waitForDisplayed({ timeout: 90000 }).catch(async () => {
      // Say why: the window's message, if it gave one, and what it showed.
      screenshot("scan-no-thumbnail.png");
      const said = await browser.execute(() =>
        Array.from(document.querySelectorAll(".el-message, [role=alert]"))
          .map((e) => e.textContent.trim())
          .join(" | "),
      );
      throw new Error(`no thumbnail after 扫描 (${said || "no message shown"})`);
    });
    let list = pages();
    assert.equal(list.length, 1);
    assert.equal(list[0].paper, "A4");
    assert.equal(list[0].dpi, 300);
    assert.equal(list[0].source, "扫描（sane:test:0）");

    await clickId(browser, `material-scan-${material.no}`, WAIT.long);
    await byId(browser, `material-thumb-${material.no}-2`).waitForDisplayed({
      timeout: 60000,
      timeoutMsg: "no second thumbnail after 扫描",
    });
    const [a, b] = pages().map((p) => p.id);
    const row = await byId(browser, `material-row-${material.no}`);
    assert.match(await row.getText(), /扫描件 2 页/);
    screenshot("scan-two-pages.png");

    // → moves the first page after the second.
    await clickId(browser, `material-right-${material.no}-1`);
    await browser.waitUntil(() => pages()[0].id === b, { timeout: WAIT.long, timeoutMsg: "the pages were not reordered" });
    // The strip shows the new order before the next click (else it would act on the old one).
    const firstPage = (name) =>
      browser.execute(
        (sel, n) => document.querySelector(sel)?.getAttribute(n),
        `[data-testid="material-page-${material.no}-1"]`,
        name,
      );
    await browser.waitUntil(async () => Number(await firstPage("data-page-id")) === b, {
      timeout: WAIT.long,
      timeoutMsg: "the strip did not show the new order",
    });
    assert.deepEqual(
      pages().map((p) => p.id),
      [b, a],
    );

    // 旋转 turns the (new) first page a quarter: landscape now, still A4.
    await clickId(browser, `material-rotate-${material.no}-1`, WAIT.long);
    await browser.waitUntil(
      () => {
        const p = pages()[0];
        return p.width > p.height;
      },
      // Decoding, turning and encoding a 300 dpi page takes a while in a debug build.
      { timeout: 90000, interval: 500, timeoutMsg: "the page was not rotated" },
    );
    assert.equal(pages()[0].paper, "A4");
    await browser.waitUntil(async () => (await firstPage("data-shape")) === "landscape", {
      timeout: WAIT.long,
      timeoutMsg: "the strip did not show the rotated page",
    });
    await browser.pause(500);
    screenshot("scan-rotated.png");

    // 删除 asks first; 删除 in the box deletes the page.
    await clickId(browser, `material-delete-${material.no}-2`, WAIT.long);
    const confirm = await browser.$(".el-message-box");
    await confirm.waitForDisplayed({ timeout: WAIT.short, timeoutMsg: "no confirmation before 删除" });
    assert.match(await confirm.getText(), /第2页/);
    await browser.pause(300);
    screenshot("scan-delete-confirm.png");
    const yes = await browser.$(".el-message-box__btns .el-button--primary");
    await yes.click();
    await browser.waitUntil(() => pages().length === 1, { timeout: WAIT.long, timeoutMsg: "the page was not deleted" });
    assert.deepEqual(
      pages().map((p) => p.id),
      [b],
    );
    await byId(browser, `material-thumb-${material.no}-2`).waitForExist({
      reverse: true,
      timeout: WAIT.long,
      timeoutMsg: "the deleted page's thumbnail stayed",
    });
    assert.match(await row.getText(), /扫描件 1 页/);
    screenshot("scan-after-delete.png");
  });
});
