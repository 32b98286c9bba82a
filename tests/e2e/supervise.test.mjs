// End-to-end: supervision (督办). The desk is filled by the CLI with the trainers' demo cases of
// 40 days ago (many now overdue: 红牌) and one case accepted today (on time). The supervisor's
// 督办监察 page filters to 红牌, issues a 督办 on one case; the clerk sees it (notification bell,
// the 督办 section of the case) and replies; the supervisor sees the reply. See harness.mjs.
// The desk is a demo desk (`yichuang demo seed`), so its people are the demo accounts: the
// supervisor and the clerk sign in in turn through the sign-in page.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { DEMO_CLERK, DEMO_SUPERVISOR, Desk, checkEnv, screenshot, signInAs, signOut } from "./harness.mjs";
import { byId, clickId, typeInto, WAIT } from "./ui.mjs";

const ORDER_TEXT = "该件已超过承诺办结日期，请说明原因并尽快办结";
const REPLY_TEXT = "已联系审批部门，预计本周内办结";
const EXAMPLE = new URL("../../assets/examples/accept.json", import.meta.url).pathname;

checkEnv(import.meta.filename);
const desk = new Desk(4490, { demo: true });
let browser = null;

/** The texts of every element with this data-testid. */
async function texts(id) {
  return browser.execute(
    (sel) => Array.from(document.querySelectorAll(sel)).map((e) => e.textContent.trim()),
    `[data-testid="${id}"]`,
  );
}

describe("督办: the supervisor orders, the clerk replies", { timeout: 240000 }, () => {
  before(async () => {
    const at = new Date(Date.now() - 40 * 86400 * 1000).toISOString();
    const made = Number(desk.rawCli(["demo", "seed", "--at", at]).trim());
    assert.equal(made, 40, "the demo cases were made");
    desk.cli("case", "accept", "--json", EXAMPLE);
    await desk.start();
    browser = await desk.open({ signIn: false });
  });

  after(async () => {
    await desk.stop();
  });

  test("the supervisor filters to 红牌 and issues a 督办; the clerk replies; the supervisor sees it", async () => {
    await signInAs(browser, DEMO_SUPERVISOR.login, DEMO_SUPERVISOR.password);
    await clickId(browser, "nav-supervise");
    const table = await byId(browser, "sv-table");
    await table.waitForDisplayed({ timeout: WAIT.long });
    await browser.waitUntil(async () => (await texts("sv-level-tag")).length > 0, {
      timeout: WAIT.long,
      timeoutMsg: "the pending cases did not load",
    });
    const all = await texts("sv-level-tag");
    assert.ok(all.includes("红牌"), `some cases are overdue: ${all}`);
    assert.ok(all.some((t) => t !== "红牌"), `some cases are on time: ${all}`);

    await clickId(browser, "sv-level-red");
    await browser.waitUntil(
      async () => {
        const t = await texts("sv-level-tag");
        return t.length > 0 && t.every((x) => x === "红牌");
      },
      { timeout: WAIT.long, timeoutMsg: "the view did not narrow to 红牌" },
    );
    const red = await texts("sv-level-tag");
    assert.ok(red.length < all.length, "the filter left the on-time cases out");
    screenshot("supervise-red.png");

    // 督办 on the first (most overdue) case.
    const projectNo = (await texts("sv-open"))[0];
    assert.match(projectNo, /^[0-9A-Z]{31}\d{12}$/);
    await clickId(browser, "sv-issue");
    const text = await byId(browser, "order-reason");
    await text.waitForDisplayed({ timeout: WAIT.short, timeoutMsg: "the 督办 dialog did not open" });
    await clickId(browser, "order-confirm");
    const err = await byId(browser, "order-error-reason");
    await err.waitForDisplayed({ timeout: WAIT.short, timeoutMsg: "an empty 督办 was not refused" });
    screenshot("supervise-issue-empty.png");
    await (await byId(browser, "order-reason")).waitForClickable({ timeout: WAIT.short });
    await typeInto(browser, "order-reason", ORDER_TEXT);
    screenshot("supervise-issue.png");
    await clickId(browser, "order-confirm");
    await text.waitForDisplayed({ reverse: true, timeout: WAIT.long, timeoutMsg: "the 督办 dialog stayed open" });

    const orders = JSON.parse(desk.cli("supervise", "order", "list", projectNo, "--json"));
    assert.equal(orders.length, 1);
    assert.equal(orders[0].text, ORDER_TEXT);
    assert.equal(orders[0].closed_at, null);

    // The clerk: the bell tells, the case shows the order, the clerk replies.
    await signOut(browser);
    await signInAs(browser, DEMO_CLERK.login, DEMO_CLERK.password);
    await clickId(browser, "nav-cases");
    // The bell polls every few seconds; open its list until the 督办 is in it.
    await browser.waitUntil(
      async () => {
        await openBell();
        return (await texts("notification-item")).some((t) => t.includes("督办") && t.includes(projectNo));
      },
      { timeout: WAIT.long, interval: 1000, timeoutMsg: "the 督办 notification did not arrive" },
    );
    screenshot("supervise-bell.png");
    await browser.execute((no) => {
      const items = Array.from(document.querySelectorAll('[data-testid="notification-item"]'));
      items.find((e) => e.textContent.includes("督办") && e.textContent.includes(no)).click();
    }, projectNo);
    const drawer = await byId(browser, "supervision-orders");
    await drawer.waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "the case shows no 督办 section" });
    assert.equal((await byId(browser, "detail-project-no").getText()).trim(), projectNo);
    assert.equal((await texts("order-text"))[0], ORDER_TEXT);
    await typeInto(browser, "order-reply-text", REPLY_TEXT);
    await clickId(browser, "order-reply");
    await browser.waitUntil(async () => (await texts("order-reply-item")).some((t) => t.includes(REPLY_TEXT)), {
      timeout: WAIT.long,
      timeoutMsg: "the reply does not show in the case",
    });
    screenshot("supervise-reply.png");
    await browser.keys("Escape");

    // The supervisor sees the reply: in the list of orders and in the case.
    await signOut(browser);
    await signInAs(browser, DEMO_SUPERVISOR.login, DEMO_SUPERVISOR.password);
    await clickId(browser, "nav-supervise");
    await clickId(browser, "sv-tab-orders");
    await browser.waitUntil(async () => (await texts("sv-order-reply")).some((t) => t.includes(REPLY_TEXT)), {
      timeout: WAIT.long,
      timeoutMsg: "the supervisor's list of orders does not show the reply",
    });
    screenshot("supervise-orders.png");
    const after = JSON.parse(desk.cli("supervise", "order", "list", projectNo, "--json"));
    assert.equal(after[0].replies.length, 1);
    assert.equal(after[0].replies[0].text, REPLY_TEXT);

    // The supervisor's view of the case: the exchange, the hub calls; the order is closed.
    await clickId(browser, "sv-order-open");
    await byId(browser, "detail-call-log").then((e) =>
      e.waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "the supervisor's case view has no call log" }),
    );
    assert.equal((await byId(browser, "detail-project-no").getText()).trim(), projectNo);
    assert.ok((await texts("order-reply-item")).some((t) => t.includes(REPLY_TEXT)));
    await clickId(browser, "order-close");
    await browser.waitUntil(async () => (await texts("order-state"))[0] === "已办结", {
      timeout: WAIT.long,
      timeoutMsg: "the order was not closed",
    });
    screenshot("supervise-case.png");
    const closed = JSON.parse(desk.cli("supervise", "order", "list", projectNo, "--json"));
    assert.ok(closed[0].closed_at, "the order is closed");
    await browser.keys("Escape");

    // 统计分析: the numbers of the same desk.
    await clickId(browser, "nav-stats");
    const stats = JSON.parse(desk.rawCli(["supervise", "stats", "--json"], { YICHUANG_SESSION: desk.login(DEMO_SUPERVISOR) }));
    const total = await byId(browser, "stat-total");
    await total.waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "the statistics did not show" });
    assert.equal((await total.$(".value").getText()).trim(), String(stats.total));
    await browser.pause(800); // the charts' entry animation
    screenshot("supervise-stats.png");
  });
});

/** Opens the notification list if it is closed. */
async function openBell() {
  const head = await browser.$('[data-testid="notifications-read-all"]');
  if (!(await head.isDisplayed().catch(() => false))) await clickId(browser, "notifications-bell");
}
