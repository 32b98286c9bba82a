// End-to-end: signing in at the window (issue 6). A wrong password is refused in Chinese; a
// clerk signs in, accepts a case, and the notice prints that clerk's name and window; 退出登录
// returns to the sign-in page; an admin adds an account; the idle lock comes after the idle
// minutes and the password lifts it with the form intact. How to run: see harness.mjs.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { Desk, STAFF, checkEnv, screenshot, signInAs, signOut, squash } from "./harness.mjs";
import { byId, clickId, idWithCheck, pickItem, tickedMaterials, typeInto, valueOf, waitForApp, WAIT } from "./ui.mjs";

/** A second clerk, made by the admin with the CLI: the window signs in as her. */
const CLERK2 = { login: "clerk02", name: "吴敏", window: "02", password: "Wumin2026x" };

/** The text of the 账号管理 table (its rows re-render when the list is read again). */
function listText() {
  return browser.execute(() => document.querySelector('[data-testid="account-list"]')?.textContent ?? "");
}

checkEnv(import.meta.filename);
const desk = new Desk(4480);
let browser = null;

describe("signing in at the window", { timeout: 360000 }, () => {
  before(async () => {
    await desk.start();
    desk.ensureAccounts();
    const admin = desk.login(STAFF.admin);
    desk.rawCli(["account", "add", CLERK2.login, "--name", CLERK2.name, "--window", CLERK2.window, "--role", "clerk"], {
      YICHUANG_SESSION: admin,
      YICHUANG_PASSWORD: CLERK2.password,
    });
    browser = await desk.open({ signIn: false });
  });

  after(async () => {
    await desk.stop();
  });

  test("a wrong password is refused in Chinese, and nothing opens", async () => {
    await byId(browser, "signin-page").waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "no sign-in page" });
    await typeInto(browser, "signin-login", CLERK2.login);
    await typeInto(browser, "signin-password", "wrong2026x");
    await clickId(browser, "signin-submit");
    const error = await byId(browser, "signin-error");
    await error.waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "no sign-in error shown" });
    assert.match(await error.getText(), /登录名或密码错误/);
    assert.equal(await byId(browser, "item-select").isExisting(), false, "the desk must stay closed");
    screenshot("signin-error.png");
  });

  test("the signed-in clerk accepts a case and the notice carries her name and window", async () => {
    await signInAs(browser, CLERK2.login, CLERK2.password);
    await waitForApp(browser);
    const user = await byId(browser, "signed-in-user").getText();
    assert.ok(user.includes(CLERK2.name) && user.includes("02号窗口") && user.includes("窗口人员"), user);
    // A clerk is offered neither 账号管理 nor 窗口设置.
    assert.equal(await byId(browser, "nav-accounts").isExisting(), false);
    assert.equal(await byId(browser, "open-settings").isExisting(), false);
    screenshot("signin-clerk.png");

    await pickItem(browser);
    await typeInto(browser, "applicant-name", "郑犇");
    await typeInto(browser, "paper-code", idWithCheck("11010519491231002"));
    await typeInto(browser, "mobile", "13912345678");
    await byId(browser, "select-required-materials").click();
    await browser.waitUntil(async () => (await tickedMaterials(browser)).length > 0, {
      timeout: WAIT.short,
      timeoutMsg: "全选必须材料 ticked nothing",
    });
    await byId(browser, "accept-button").click();
    const noEl = await byId(browser, "result-project-no");
    await noEl.waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "no case number was shown after 受理" });
    const projectNo = (await noEl.getText()).trim();

    const record = desk.showCase(projectNo);
    assert.equal(record.acceptusername, CLERK2.name);
    assert.equal(record.window_no, CLERK2.window);
    assert.equal(record.history[0].actor, CLERK2.name);
    const text = squash(desk.noticeText(projectNo, "acceptance", "signin-notice.pdf"));
    assert.ok(text.includes(CLERK2.name), `the notice should name ${CLERK2.name}:\n${text}`);
    assert.ok(!text.includes(STAFF.clerk.name), `the notice must not name the CLI's clerk:\n${text}`);
    assert.ok(!text.includes("窗口工作人员"), `the notice must not name the desk profile's clerk:\n${text}`);
    assert.ok(text.includes("第02-"), `the document number carries window 02:\n${text}`);
  });

  test("退出登录 returns to the sign-in page", async () => {
    await clickId(browser, "next-intake");
    await signOut(browser);
    assert.equal(await byId(browser, "item-select").isExisting(), false);
    screenshot("signin-signed-out.png");
  });

  test("an admin adds a clerk in 账号管理; a weak password is refused under its field", async () => {
    await signInAs(browser, STAFF.admin.login, STAFF.admin.password);
    // An admin takes in no case: no 接件受理.
    assert.equal(await byId(browser, "nav-intake").isExisting(), false);
    await clickId(browser, "nav-accounts");
    await byId(browser, "account-list").waitForDisplayed({ timeout: WAIT.long });
    await browser.waitUntil(async () => (await listText()).includes(CLERK2.login), {
      timeout: WAIT.long,
      timeoutMsg: "the accounts were not listed",
    });
    await clickId(browser, "account-add");
    await typeInto(browser, "account-login", "clerk03");
    await typeInto(browser, "account-name", "郑洁");
    await typeInto(browser, "account-window", "03");
    await typeInto(browser, "account-password", "short");
    await clickId(browser, "account-add-confirm");
    const fieldError = await browser.$('[data-testid="account-add-dialog"] .el-form-item__error');
    await fieldError.waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "no field error for the weak password" });
    assert.match(await fieldError.getText(), /至少8位/);
    screenshot("accounts-add-error.png");
    await typeInto(browser, "account-password", "Zhengjie2026");
    await clickId(browser, "account-add-confirm");
    await browser.waitUntil(async () => (await listText()).includes("郑洁"), {
      timeout: WAIT.long,
      timeoutMsg: "the new account was not listed",
    });
    await browser.pause(400); // the dialog's closing animation
    screenshot("accounts.png");
    const list = JSON.parse(desk.rawCli(["account", "list", "--json"], { YICHUANG_SESSION: desk.login(STAFF.admin) }));
    const added = list.find((a) => a.login === "clerk03");
    assert.deepEqual([added.display_name, added.window_no, added.roles], ["郑洁", "03", ["clerk"]]);
  });

  test("after the idle minutes the window locks; the password unlocks it and nothing typed is lost", { timeout: 150000 }, async () => {
    // The shortest idle time, 1 minute, set by the admin with the CLI before the clerk signs in.
    desk.rawCli(["desk", "set", "--idle-minutes", "1"], { YICHUANG_SESSION: desk.login(STAFF.admin) });
    await signOut(browser);
    await signInAs(browser, CLERK2.login, CLERK2.password);
    await waitForApp(browser);
    await typeInto(browser, "applicant-name", "钱多多");

    const overlay = await byId(browser, "lock-overlay");
    await overlay.waitForDisplayed({ timeout: 90000, timeoutMsg: "the window did not lock after 1 idle minute" });
    assert.match(await overlay.getText(), /窗口已锁定/);
    screenshot("idle-lock.png");
    // A wrong password does not unlock (and counts towards the lockout in core).
    await typeInto(browser, "lock-password", "wrong2026x");
    await clickId(browser, "lock-unlock");
    const error = await byId(browser, "lock-error");
    await error.waitForDisplayed({ timeout: WAIT.long });
    assert.match(await error.getText(), /登录名或密码错误/);

    await typeInto(browser, "lock-password", CLERK2.password);
    await clickId(browser, "lock-unlock");
    await overlay.waitForDisplayed({ reverse: true, timeout: WAIT.long, timeoutMsg: "the lock stayed" });
    assert.equal(await valueOf(browser, "applicant-name"), "钱多多");
  });
});
