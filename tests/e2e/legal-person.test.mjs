// End-to-end: a legal person (企业法人) applies through an agent (经办人); the window sends the
// organisation's fields, and the case detail, the CLI and the acceptance notice show them.
// How to run, and what it needs: see harness.mjs.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { Desk, checkEnv, screenshot, squash } from "./harness.mjs";
import { byId, clickId, idWithCheck, pickItem, typeInto, waitForPreview, waitText, WAIT } from "./ui.mjs";

const USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/** A GB 32100 unified social credit code from its first 17 characters (MOD 31 check). */
function usccWithCheck(first17) {
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]) * weights[i];
  return first17 + USCC_CHARSET[(31 - (sum % 31)) % 31];
}

const ORG = "乌鲁木齐示例科技有限公司";
const USCC = usccWithCheck("91650102MA7812345");
const REP = "王建国";
const AGENT = "赵敏";
const AGENT_ID = idWithCheck("11010119900307122");
const MOBILE = "13912345678";

checkEnv(import.meta.filename);
const desk = new Desk(4452);
let browser = null;

/** Chooses an option of an Element Plus select by the option's data-testid. */
async function choose(selectId, optionId) {
  const select = await byId(browser, selectId);
  let option = null;
  let label = "";
  // A click while the list still slides open can choose nothing: try once more.
  for (let attempt = 1; ; attempt++) {
    const wrapper = await browser.$(`[data-testid="${selectId}"] .el-select__wrapper`);
    await wrapper.waitForClickable({ timeout: WAIT.short });
    if (!(option && (await option.isDisplayed()))) await wrapper.click();
    option = await byId(browser, optionId);
    await option.waitForDisplayed({ timeout: WAIT.short, timeoutMsg: `${optionId} did not show` });
    label = (await option.getText()).trim();
    await browser.pause(300); // the list's opening animation
    await option.click();
    try {
      await browser.waitUntil(async () => (await select.getText()).includes(label), {
        timeout: WAIT.short,
        timeoutMsg: `${selectId} did not take ${label}`,
      });
      break;
    } catch (e) {
      if (attempt >= 2) throw e;
    }
  }
  // A filterable select may keep its list open after the choice.
  if (await option.isDisplayed()) await browser.keys("Escape");
  await option.waitForDisplayed({ reverse: true, timeout: WAIT.short });
}

describe("a legal person at the window", { timeout: 180000 }, () => {
  let projectNo = "";

  before(async () => {
    await desk.start();
    browser = await desk.open();
  });

  after(async () => {
    await desk.stop();
  });

  test("a legal person with an agent is accepted", async () => {
    await pickItem(browser);
    await byId(browser, "promised-preview").waitForDisplayed({ timeout: WAIT.short, timeoutMsg: "no promised date" });
    assert.match(await byId(browser, "promised-preview").getText(), /若现在受理(，承诺办结日期：\d{4}年\d{1,2}月\d{1,2}日|：当场办结)/);

    await choose("applicant-type", "applicant-type-option-02");
    await byId(browser, "oper-man-name").waitForDisplayed({ timeout: WAIT.short, timeoutMsg: "no 法定代表人 field" });
    const card = await browser.$(".applicant-card").getText();
    for (const label of ["申请单位名称", "统一社会信用代码", "法定代表人", "经办人（代办人）"]) {
      assert.ok(card.includes(label), `the applicant card should show ${label}:\n${card}`);
    }
    await typeInto(browser, "applicant-name", ORG);
    await typeInto(browser, "paper-code", USCC);
    await typeInto(browser, "oper-man-name", REP);
    await typeInto(browser, "mobile", MOBILE);
    await typeInto(browser, "zipcode", "830000");
    await typeInto(browser, "linkman-name", AGENT);
    await typeInto(browser, "linkman-paper-code", AGENT_ID);
    await typeInto(browser, "linkman-mobile", "13700000000");
    screenshot("legal-person-form.png");

    await clickId(browser, "select-required-materials");
    await clickId(browser, "accept-button");
    const noEl = await byId(browser, "result-project-no");
    await noEl.waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "no case number was shown after 受理" });
    projectNo = (await noEl.getText()).trim();
    assert.match(projectNo, /^[0-9A-Z]{31}\d{8}\d{4}$/);
    screenshot("legal-person-result.png");
    await clickId(browser, "next-intake");
    await byId(browser, "result-dialog").waitForDisplayed({ reverse: true, timeout: WAIT.short });

    // The case detail shows the organisation, its representative and the agent.
    await typeInto(browser, "recall-input", projectNo);
    await browser.keys("Enter");
    await byId(browser, "case-drawer").waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "the case drawer did not open" });
    await waitText(browser, "detail-project-no", projectNo);
    await waitText(browser, "detail-applicant-name", ORG);
    await waitText(browser, "detail-oper-man", REP);
    await waitText(browser, "detail-linkman", AGENT);
    assert.match(await byId(browser, "detail-promised-date").getText(), /^\d{4}年\d{1,2}月\d{1,2}日$|^—$/);
    for (const id of ["action-suspend", "action-extend", "action-supplement", "action-withdraw"]) {
      assert.ok(await byId(browser, id).isExisting(), `an accepted case offers ${id}`);
    }
    screenshot("legal-person-drawer.png");

    // 启动特别程序 pauses the clock; the dialog is Chinese throughout.
    await clickId(browser, "action-suspend");
    await byId(browser, "suspend-dialog").waitForDisplayed({ timeout: WAIT.short });
    await browser.pause(400); // the dialog's opening animation, which ends by focusing its first field
    await choose("suspend-special-name", "special-option-现场勘验");
    await typeInto(browser, "suspend-reason", "需现场核实经营场所");
    screenshot("legal-person-suspend.png");
    // Key names (Ctrl+Enter) are the only Latin letters allowed.
    const dialogText = (await byId(browser, "suspend-dialog").getText()).replace(/Ctrl\+Enter/g, "");
    assert.doesNotMatch(dialogText, /[A-Za-z]{2,}/, `the dialog should have no English: ${dialogText}`);
    await clickId(browser, "suspend-confirm");
    await waitText(browser, "case-state", "特别程序中");
    await byId(browser, "clock-paused").waitForDisplayed({ timeout: WAIT.short });
    await browser.execute(() => document.querySelector('[data-testid="detail-clock"]')?.scrollIntoView());
    await browser.pause(300);
    screenshot("legal-person-suspended.png");
    const clock = await browser.execute(() => document.querySelector('[data-testid="detail-clock"]')?.textContent ?? "");
    for (const expected of ["特别程序", "现场勘验", "需现场核实经营场所", "计时暂停中"]) {
      assert.ok(clock.includes(expected), `the clock table should show ${expected}: ${clock}`);
    }

    // The notice opens from the drawer; 打印 offers the printers (or the system print dialog).
    await clickId(browser, "detail-view-notice");
    await waitForPreview(browser);
    await clickId(browser, "preview-print");
    await byId(browser, "print-dialog").waitForDisplayed({ timeout: WAIT.short, timeoutMsg: "no print dialog" });
    await browser.waitUntil(
      async () =>
        (await byId(browser, "print-system-dialog").isExisting()) ||
        (await byId(browser, "print-printer").getText()).trim() !== "",
      { timeout: WAIT.long, timeoutMsg: "the printers were not listed" },
    );
    await browser.pause(300);
    screenshot("legal-person-print.png");
    const printText = (await byId(browser, "print-dialog").getText()).replace(/Ctrl\+Enter/g, "");
    assert.match(printText, /打印机/);
    await browser.keys("Escape");
    await byId(browser, "print-dialog").waitForDisplayed({ reverse: true, timeout: WAIT.short });
    await clickId(browser, "preview-close");

    // Outside the window: the CLI reads the same case, and the notice names the organisation.
    const record = desk.showCase(projectNo);
    assert.equal(record.applicant_type, "02");
    assert.equal(record.applicant_name, ORG);
    assert.equal(record.applicant_paper_type, "8");
    assert.equal(record.oper_man_name, REP);
    assert.equal(record.linkman_name, AGENT);
    assert.equal(record.state, "suspended");
    const text = squash(desk.noticeText(projectNo, "acceptance", "legal-person-notice.pdf"));
    for (const expected of ["受理通知书", ORG, "申请单位", REP, AGENT, projectNo]) {
      assert.ok(text.includes(squash(expected)), `the notice should contain ${expected}:\n${text}`);
    }
  });
});
