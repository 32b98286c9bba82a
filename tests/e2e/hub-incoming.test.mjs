// End-to-end: what a department sends through the hub reaches the clerk in the real window.
// A hub simulator runs as its own process (`yichuang hub-sim`), playing a department that asks
// for a supplement after acceptance and concludes once supplemented. The window's sync worker
// polls it; the clerk sees a notification, opens the case from it, and finally hands the result
// over. How to run, and what it needs: see harness.mjs.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { CLI_BIN, Desk, checkEnv, screenshot } from "./harness.mjs";
import { byId, clickId, typeInto, waitText, WAIT } from "./ui.mjs";

checkEnv(import.meta.filename);
const desk = new Desk(4462);
let browser = null;
let sim = null;
let projectNo = "";
let firstMaterial = null;

const ROOT = path.resolve(import.meta.dirname, "../..");

const cli = (...args) => desk.cli(...args);

/** Starts `yichuang hub-sim` on a free loopback port; resolves with its base URL. */
function startSim(scenarioFile) {
  return new Promise((resolve, reject) => {
    sim = spawn(CLI_BIN, ["hub-sim", "--listen", "127.0.0.1:0", "--scenario", scenarioFile], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`hub-sim did not start: ${err}`)), 10000);
    sim.stdout.on("data", (d) => {
      out += d;
      const m = /^(http:\/\/127\.0\.0\.1:\d+)\s*$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    sim.stderr.on("data", (d) => (err += d));
    sim.once("exit", (code) => reject(new Error(`hub-sim exited (${code}): ${err}`)));
  });
}

/** Waits for the bell to show `count` unread, opens the newest notification, returns its text. */
async function openNewestNotification(count) {
  const badge = await browser.$(".bell-badge .el-badge__content");
  await browser.waitUntil(async () => (await badge.isDisplayed()) && (await badge.getText()).trim() === String(count), {
    timeout: 30000,
    timeoutMsg: `the bell never showed ${count} unread`,
  });
  await clickId(browser, "notifications-bell");
  const item = await browser.$('[data-testid="notification-item"]');
  await item.waitForDisplayed({ timeout: WAIT.short, timeoutMsg: "the notification list did not open" });
  const text = await item.getText();
  await item.click();
  await byId(browser, "case-drawer").waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "the case did not open" });
  return text;
}

describe("a department's supplement request and result reach the clerk", { timeout: 240000 }, () => {
  before(async () => {
    const scenario = path.join(desk.workDir, "scenario.json");
    fs.writeFileSync(
      scenario,
      JSON.stringify({
        on_accept: [
          { kind: "process", event_code: "B9", note: "材料审查通过，进入审批程序", docname: "受理审查意见书" },
          { kind: "supplement", opinion: "复印件不清晰，请补正" },
        ],
        on_supply_finished: [{ kind: "result", status: "1", note: "准予许可", result_no: "XK-E2E-0001" }],
      }),
    );
    const url = await startSim(scenario);
    // A case accepted at this desk before the window opens; the hub is configured for it.
    cli("case", "accept", "--json", path.join(ROOT, "assets/examples/accept.json"));
    const cases = JSON.parse(cli("case", "list", "--json"));
    projectNo = cases[0].project_no;
    firstMaterial = JSON.parse(cli("case", "show", projectNo, "--json")).materials[0];
    cli("hub", "config", "--url", url, "--token", "sim-token", "--interval-ms", "1000");
    await desk.start();
    browser = await desk.open();
  });

  after(async () => {
    try {
      await desk.stop();
    } finally {
      sim?.kill("SIGTERM");
    }
  });

  test("the supplement request is announced and opens the case, paused", async () => {
    const text = await openNewestNotification(1);
    assert.match(text, /要求补正/);
    assert.ok(text.includes(firstMaterial.sj_file_name), text);
    await waitText(browser, "detail-project-no", projectNo);
    await waitText(browser, "case-state", "受理后待补正");
    // The department's step and its document are on the case.
    const hubDocs = await byId(browser, "detail-hub-documents");
    await hubDocs.waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "no department documents" });
    const docsText = await browser.execute(
      () => document.querySelector('[data-testid="detail-hub-documents"]')?.textContent ?? "",
    );
    assert.match(docsText, /受理审查意见书/);
    screenshot("hub-incoming-supplement.png");
  });

  test("once supplemented, the department's result concludes the case and the clerk hands it over", async () => {
    await browser.keys("Escape");
    const brought = path.join(desk.workDir, "brought.json");
    fs.writeFileSync(brought, JSON.stringify({ materiallist: [{ no: firstMaterial.no, sj_no: firstMaterial.sj_no }] }));
    cli("case", "supplement-done", projectNo, "--json", brought);

    const text = await openNewestNotification(1);
    assert.match(text, /可出件/);
    await waitText(browser, "case-state", "已办结");
    const resultText = await browser.execute(
      () => document.querySelector('[data-testid="detail-result"]')?.textContent ?? "",
    );
    assert.match(resultText, /XK-E2E-0001/);
    await byId(browser, "handover-hint").waitForDisplayed({ timeout: WAIT.short });

    await clickId(browser, "action-hand-over");
    await typeInto(browser, "hand-over-reason", "本人");
    await clickId(browser, "hand-over-confirm");
    await waitText(browser, "case-state", "已出件");
    await waitText(browser, "final-note", "办理结果已出件，办件已完结");
    screenshot("hub-incoming-handed-over.png");
    const shown = cli("case", "show", projectNo);
    assert.match(shown, /已出件/);
    assert.match(shown, /办理结果已交付领取人：本人/);
  });
});
