// End-to-end: 不予受理 at intake. The clerk gives a reason; the window shows the outcome and
// the CLI sees the rejected case and its 不予受理通知书 with the reason. See harness.mjs.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { Desk, checkEnv, screenshot, squash } from "./harness.mjs";
import { byId, clickId, idWithCheck, pickItem, typeInto, waitForPreview, waitText, WAIT } from "./ui.mjs";

const NAME = "赵敏";
const ID = idWithCheck("65010219850612432");
const MOBILE = "13899001122";
const REASON = "申请事项不属于本机关职权范围";

checkEnv(import.meta.filename);
const desk = new Desk(4446);
let browser = null;

describe("不予受理 at the window", { timeout: 180000 }, () => {
  before(async () => {
    await desk.start();
    browser = await desk.open();
  });

  after(async () => {
    await desk.stop();
  });

  test("the reason is asked for, the case is rejected and the notice carries the reason", async () => {
    await pickItem(browser);
    await typeInto(browser, "applicant-name", NAME);
    await typeInto(browser, "paper-code", ID);
    await typeInto(browser, "mobile", MOBILE);

    await clickId(browser, "reject-button");
    const reason = await byId(browser, "reject-reason");
    await reason.waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "the 不予受理 dialog did not open" });
    // Without a reason nothing is sent.
    await clickId(browser, "reject-confirm");
    await waitText(browser, "reject-error-reason", "请填写不予受理原因", WAIT.short);
    await typeInto(browser, "reject-reason", REASON);
    screenshot("reject-dialog.png");
    await clickId(browser, "reject-confirm");

    await waitText(browser, "result-state", "不予受理");
    await waitText(browser, "result-doc-title", "不予受理通知书");
    const docNo = (await byId(browser, "result-doc-no").getText()).trim();
    assert.match(docNo, /^不受字〔\d{4}〕第.+号$/, `a 文书编号, got ${docNo}`);
    assert.equal(await byId(browser, "view-notice").getText(), "查看不予受理通知书");
    const projectNo = (await byId(browser, "result-project-no").getText()).trim();
    assert.match(projectNo, /^[0-9A-Z]{31}\d{8}\d{4}$/);
    screenshot("reject-result.png");
    // The 不予受理通知书 as the window shows it.
    await clickId(browser, "view-notice");
    const preview = await waitForPreview(browser);
    assert.equal(await preview.getAttribute("data-kind"), "rejection");
    screenshot("reject-notice.png");
    await clickId(browser, "preview-close");
    await preview.waitForDisplayed({ reverse: true, timeout: WAIT.short });

    const record = desk.showCase(projectNo);
    assert.equal(record.state, "rejected");
    assert.equal(record.acceptdate, "", "a rejected case has no 受理时间");
    assert.equal(record.history.at(-1).action, "不予受理");
    assert.equal(record.history.at(-1).opinion, REASON);
    assert.equal(record.documents.at(-1).doc_no, docNo);

    const text = squash(desk.noticeText(projectNo, "rejection", "rejection.pdf"));
    for (const expected of ["不予受理通知书", REASON, projectNo, NAME]) {
      assert.ok(text.includes(expected), `the notice should contain ${expected}:\n${text}`);
    }
    await clickId(browser, "next-intake");
  });
});
