// End-to-end: 补齐补正 at intake, then the applicant comes back: the case is called up by its
// number (as a barcode scanner types it), 补正完成 and 受理 in the case drawer. See harness.mjs.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { Desk, checkEnv, screenshot, squash } from "./harness.mjs";
import { byId, clickId, idWithCheck, isChecked, pickItem, tickedMaterials, typeInto, waitText, WAIT } from "./ui.mjs";

const NAME = "钱多多";
const ID = idWithCheck("65010219900101123");
const MOBILE = "13700112233";

checkEnv(import.meta.filename);
const desk = new Desk(4448);
let browser = null;

/** Picks a state in the case list's filter, and waits for its dropdown to close. */
async function chooseState(state) {
  await browser.$('[data-testid="state-filter"] .el-select__wrapper').click();
  const option = await byId(browser, `state-option-${state}`);
  await option.waitForClickable({ timeout: WAIT.short });
  await browser.pause(250); // the dropdown's opening animation
  await option.click();
  await option.waitForDisplayed({ reverse: true, timeout: WAIT.short });
}

describe("补齐补正, then 补正完成 and 受理 on the called-up case", { timeout: 240000 }, () => {
  let projectNo = "";
  let missing = "";
  let missingName = "";

  before(async () => {
    await desk.start();
    browser = await desk.open();
  });

  after(async () => {
    await desk.stop();
  });

  test("a required material left unticked is preselected and a 补齐补正通知书 is issued", async () => {
    await pickItem(browser);
    await typeInto(browser, "applicant-name", NAME);
    await typeInto(browser, "paper-code", ID);
    await typeInto(browser, "mobile", MOBILE);
    await clickId(browser, "select-required-materials");
    let ticked = [];
    await browser.waitUntil(async () => (ticked = await tickedMaterials(browser)).length > 0, {
      timeout: WAIT.short,
      timeoutMsg: "全选必须材料 ticked nothing",
    });
    missing = ticked[0];
    missingName = await browser.execute(
      (sel) => document.querySelector(sel)?.closest("tr")?.querySelector(".mat-name")?.textContent?.trim() ?? "",
      `[data-testid="material-check-${missing}"]`,
    );
    assert.ok(missingName, "the unticked material has a name");
    await clickId(browser, `material-check-${missing}`);
    await browser.waitUntil(async () => !(await isChecked(browser, `material-check-${missing}`)), {
      timeout: WAIT.short,
      timeoutMsg: `${missing} stayed ticked`,
    });

    await clickId(browser, "supplement-button");
    await byId(browser, "supplement-dialog").waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "no 补齐补正 dialog" });
    await byId(browser, `supplement-check-${missing}`).waitForDisplayed({ timeout: WAIT.short });
    assert.equal(await isChecked(browser, `supplement-check-${missing}`), true, "the missing material is preselected");
    for (const no of ticked.slice(1)) {
      assert.equal(await isChecked(browser, `supplement-check-${no}`), false, `${no} was received: not preselected`);
    }
    assert.equal(await byId(browser, `supplement-reason-${missing}`).getValue(), "未提供");
    screenshot("supplement-dialog.png");
    await clickId(browser, "supplement-confirm");

    await waitText(browser, "result-state", "待补正");
    await waitText(browser, "result-doc-title", "补齐补正通知书");
    projectNo = (await byId(browser, "result-project-no").getText()).trim();
    assert.match(projectNo, /^[0-9A-Z]{31}\d{8}\d{4}$/);
    screenshot("supplement-result.png");
    await clickId(browser, "next-intake");
    await byId(browser, "result-dialog").waitForDisplayed({ reverse: true, timeout: WAIT.short });
  });

  test("the case number typed into 调取办件 with Enter opens the case; 补正完成 then 受理", async () => {
    assert.ok(projectNo, "the previous test issued a case");
    await typeInto(browser, "recall-input", projectNo);
    await browser.keys("Enter");
    await byId(browser, "case-drawer").waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "the case drawer did not open" });
    await waitText(browser, "detail-project-no", projectNo);
    await waitText(browser, "case-state", "待补正");
    screenshot("recall-drawer.png");

    await clickId(browser, "action-supplement-done");
    await byId(browser, `done-check-${missing}`).waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "no 补正完成 dialog" });
    await clickId(browser, `done-check-${missing}`);
    await browser.waitUntil(() => isChecked(browser, `done-check-${missing}`), { timeout: WAIT.short });
    screenshot("done-dialog.png");
    await clickId(browser, "done-confirm");
    await waitText(browser, "case-state", "补正完成");

    await clickId(browser, "action-accept");
    await waitText(browser, "case-state", "已受理");
    await byId(browser, "action-result").waitForDisplayed({ timeout: WAIT.short });
    assert.match(await byId(browser, "action-result").getText(), /受理通知书/);
    await byId(browser, "doc-view-acceptance").waitForDisplayed({ timeout: WAIT.short });
    assert.ok(await byId(browser, "doc-view-supplement").isExisting(), "the 补齐补正通知书 is listed too");
    screenshot("drawer-accepted.png");
    await browser.execute(() => {
      const body = document.querySelector('[data-testid="case-drawer"] .el-drawer__body');
      if (body) body.scrollTop = body.scrollHeight;
    });
    await browser.pause(200);
    screenshot("drawer-history.png");

    const record = desk.showCase(projectNo);
    assert.equal(record.state, "accepted");
    // A promised date that runs into a year without an official holiday arrangement adds a
    // 日期估算 record after 受理 (see calendar.test.mjs): it depends on the day the test runs.
    assert.deepEqual(
      record.history.map((e) => e.action).filter((a) => a !== "日期估算"),
      ["补齐补正", "补正完成", "受理"],
    );
    assert.ok(record.materials.some((m) => m.no === missing), "the supplemented material is on the case");
    assert.ok(record.supplements.every((s) => s.done_at), "every supplement is done");

    const text = squash(desk.noticeText(projectNo, "supplement", "supplement.pdf"));
    for (const expected of ["补齐补正通知书", squash(missingName), projectNo]) {
      assert.ok(text.includes(expected), `the notice should contain ${expected}:\n${text}`);
    }
  });

  test("the case list shows states, 收件时间 and 受理时间, and filters by state", async () => {
    await browser.keys("Escape"); // close the drawer
    await byId(browser, "case-drawer").waitForDisplayed({ reverse: true, timeout: WAIT.short });
    await clickId(browser, "nav-cases");
    await byId(browser, `case-row-${projectNo}`).waitForDisplayed({ timeout: WAIT.long });
    await waitText(browser, `case-state-${projectNo}`, "已受理");
    await chooseState("supplement_requested");
    await byId(browser, `case-row-${projectNo}`).waitForDisplayed({ reverse: true, timeout: WAIT.short });
    await chooseState("accepted");
    await byId(browser, `case-row-${projectNo}`).waitForDisplayed({ timeout: WAIT.short });
    await waitText(browser, `case-state-${projectNo}`, "已受理");
    screenshot("cases.png");
  });
});
