// End-to-end: a clerk accepts a case in the real window, and the CLI sees the same case.
// How to run, and what it needs: see harness.mjs.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { Desk, checkEnv, screenshot } from "./harness.mjs";
import { byId, fieldError, idWithCheck, pickItem, tickedMaterials, typeInto, valueOf, waitForPreview, WAIT } from "./ui.mjs";

const NAME = "李堃";
const BAD_ID = "110101199003071234"; // wrong GB 11643 check character
const GOOD_ID = idWithCheck("11010119900307123");
const MOBILE = "13912345678";

checkEnv(import.meta.filename);
const desk = new Desk(4444);
let browser = null;

describe("accepting a case at the window", { timeout: 180000 }, () => {
  let itemRegNo = "";
  let projectNo = "";

  before(async () => {
    await desk.start();
    browser = await desk.open();
  });

  after(async () => {
    await desk.stop();
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
    screenshot("intake-error.png");
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
    await waitForPreview(browser);
    screenshot("accept.png");

    // Outside the window: the CLI reads the same store.
    const record = desk.showCase(projectNo);
    assert.equal(record.project_no, projectNo);
    assert.equal(record.applicant_name, NAME);
    assert.equal(record.state, "accepted");
    assert.deepEqual(record.materials.map((m) => m.no).sort(), [...ticked].sort());

    const text = desk.noticeText(projectNo, "acceptance", "notice.pdf");
    for (const expected of ["受理通知书", projectNo, NAME, record.org_name]) {
      assert.ok(text.includes(expected), `the notice should contain ${expected}:\n${text}`);
    }
  });
});
