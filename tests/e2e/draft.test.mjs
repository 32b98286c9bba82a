// End-to-end: the intake form survives a restart of the app (the draft is autosaved, sealed, in
// the data dir). See harness.mjs.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { Desk, STAFF, checkEnv, screenshot, signInAs, signOut } from "./harness.mjs";
import { byId, clickId, pickItem, typeInto, valueOf, WAIT } from "./ui.mjs";

const NAME = "孙悟空";
const MOBILE = "13512345678";

checkEnv(import.meta.filename);
const desk = new Desk(4450);
let browser = null;

describe("the intake draft", { timeout: 180000 }, () => {
  before(async () => {
    await desk.start();
    browser = await desk.open();
  });

  after(async () => {
    await desk.stop();
  });

  test("a half-typed intake is restored after the app restarts", async () => {
    const item = await pickItem(browser);
    await typeInto(browser, "applicant-name", NAME);
    await typeInto(browser, "mobile", MOBILE);
    await byId(browser, "draft-status").waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "the draft was not saved" });
    // The save is debounced: let the last keystroke's save land too.
    await browser.pause(1200);

    await desk.close();
    browser = await desk.open();

    await byId(browser, "draft-restored").waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "no 已恢复 notice" });
    assert.match(await byId(browser, "draft-restored").getText(), /已恢复未完成的接件/);
    assert.equal(await valueOf(browser, "applicant-name"), NAME);
    assert.equal(await valueOf(browser, "mobile"), MOBILE);
    const code = await browser.execute(() => document.querySelector('[data-testid="item-code"]')?.textContent?.trim());
    assert.equal(code, item, "the chosen item is restored");
    screenshot("draft-restored.png");

    // The desk settings (an administrator's) show the case-number block.
    await signOut(browser);
    await signInAs(browser, STAFF.admin.login, STAFF.admin.password);
    await clickId(browser, "open-settings");
    await byId(browser, "settings-desk-index").waitForDisplayed({ timeout: WAIT.short });
    assert.equal((await byId(browser, "settings-desk-block").getText()).trim(), "0001–9999");
    await browser.pause(400); // the dialog's opening animation
    screenshot("settings.png");
  });
});
