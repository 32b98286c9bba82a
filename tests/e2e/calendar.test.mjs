// End-to-end: the window under a moved clock (libfaketime, 2026-12-30 10:00 hall time). A case
// accepted then is due in 2027, a year whose holiday arrangement is not bundled: the intake page,
// the 受理成功 dialog, the case and its notice all say the date is an estimate.
// How to run, and what it needs: see harness.mjs (and the faketime package).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";

import { Desk, checkEnv, screenshot, squash } from "./harness.mjs";
import { byId, idWithCheck, pickItem, tickedMaterials, typeInto, WAIT } from "./ui.mjs";

const FAKETIME_LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";
const WARNING = "2027年节假日安排尚未导入，日期按法定节日估算";
// 困难残疾人生活补贴和重度残疾人护理补贴给付: 10 working days.
const ITEM = "05010300300011650102027227424N0";

checkEnv(import.meta.filename);
if (!fs.existsSync(FAKETIME_LIB)) throw new Error(`${FAKETIME_LIB} is missing: install the faketime package (.ci/setup)`);
const desk = new Desk(4530, {
  appEnv: {
    LD_PRELOAD: FAKETIME_LIB,
    // UTC: 10:00 in the hall (UTC+8). The clock runs on from there.
    FAKETIME: "@2026-12-30 02:00:00",
    FAKETIME_DONT_FAKE_MONOTONIC: "1",
  },
});
let browser = null;

describe("a promised date over a year without an official holiday arrangement", { timeout: 180000 }, () => {
  before(async () => {
    await desk.start();
    browser = await desk.open();
  });

  after(async () => {
    await desk.stop();
  });

  test("is marked as an estimate at intake, after 受理, on the case and on its notice", async () => {
    await pickItem(browser, ITEM);
    const estimate = await byId(browser, "promised-estimate");
    await estimate.waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "the intake page did not mark the estimate" });
    assert.equal((await estimate.getText()).trim(), WARNING);
    const preview = await (await byId(browser, "promised-preview")).getText();
    assert.match(preview, /2027年1月\d+日/, `the preview runs into 2027: ${preview}`);
    screenshot("calendar-intake.png");

    await typeInto(browser, "applicant-name", "钱玥");
    await typeInto(browser, "paper-code", idWithCheck("65010219850612102"));
    await typeInto(browser, "mobile", "13999012345");
    await byId(browser, "select-required-materials").click();
    await browser.waitUntil(async () => (await tickedMaterials(browser)).length > 0, {
      timeout: WAIT.short,
      timeoutMsg: "全选必须材料 ticked nothing",
    });
    await byId(browser, "accept-button").click();
    const noEl = await byId(browser, "result-project-no");
    await noEl.waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "no case number was shown after 受理" });
    const projectNo = (await noEl.getText()).trim();
    assert.ok(projectNo.includes("20261230"), `accepted on the moved day: ${projectNo}`);
    const shown = await byId(browser, "result-promised-estimate");
    assert.equal((await shown.getText()).trim(), WARNING);
    screenshot("calendar-accepted.png");

    // The case and its record, read with the CLI (the date does not move with today).
    const record = desk.showCase(projectNo);
    assert.match(record.promised_date, /^2027-01-\d\d$/);
    assert.equal(record.promised_date_estimate, WARNING);
    const note = record.history.find((e) => e.action === "日期估算");
    assert.ok(note, "the history records the estimate");
    assert.ok(note.opinion.includes(WARNING), note.opinion);
    const text = squash(desk.noticeText(projectNo, "acceptance", "calendar-notice.pdf"));
    assert.ok(text.includes(WARNING), `the notice says so:\n${text}`);
  });
});
