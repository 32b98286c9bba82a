// End-to-end: 帮我传 (seed 004). A clerk asks the departments for a material, submits the case
// into 受理中 with a 临时回执, the simulated department calls back with the file, and the case
// is accepted automatically. The hub simulator runs as its own process (`yichuang hub-sim`);
// the window's sync worker sends the request and polls the callback. How to run, and what it
// needs: see harness.mjs.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { CLI_BIN, Desk, checkEnv, screenshot } from "./harness.mjs";
import { byId, clickId, idWithCheck, pickItem, typeInto, waitText, WAIT } from "./ui.mjs";

checkEnv(import.meta.filename);
const desk = new Desk(4510);
let browser = null;
let sim = null;
let projectNo = "";

/** 城乡居民基本养老保险参保登记: its M03 居民户口簿 can be fetched from the police (electronic). */
const ITEM = "20011200400011650102030128283R0";

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

describe("帮我传: a material fetched from its department, then automatic acceptance", { timeout: 240000 }, () => {
  before(async () => {
    const scenario = path.join(desk.workDir, "scenario.json");
    // The department calls back 8 s after the request, so the clerk sees the case in 受理中.
    fs.writeFileSync(scenario, JSON.stringify({ share: { default: { delay_secs: 8 } } }));
    const url = await startSim(scenario);
    desk.cli("hub", "config", "--url", url, "--token", "sim-token", "--interval-ms", "1000");
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

  test("the clerk asks 帮我传 for a material and submits the case into 受理中", async () => {
    await pickItem(browser, ITEM);
    await typeInto(browser, "applicant-name", "古丽娜");
    await typeInto(browser, "paper-code", idWithCheck("65010219850412002"));
    await typeInto(browser, "mobile", "13999012345");
    await clickId(browser, "select-required-materials");

    await clickId(browser, "share-button-M03");
    await byId(browser, "share-dialog").waitForDisplayed({ timeout: WAIT.short });
    const choose = await byId(browser, "share-choose-electronic");
    await choose.waitForClickable({ timeout: WAIT.long, timeoutMsg: "the department did not answer 可共享" });
    screenshot("sharing-query.png");
    await choose.click();
    await waitText(browser, "share-tag-M03", "待共享");
    const label = await browser.execute(
      () => document.querySelector('[data-testid="accept-button"]')?.textContent ?? "",
    );
    assert.match(label, /提交受理/, "with a 帮我传 material, 受理 becomes 提交受理");
    await clickId(browser, "accept-button");

    const noEl = await byId(browser, "result-project-no");
    await noEl.waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "no case number after 提交受理" });
    projectNo = (await noEl.getText()).trim();
    assert.ok(projectNo.startsWith(ITEM), projectNo);
    screenshot("sharing-submitted.png");
    const record = desk.showCase(projectNo);
    assert.equal(record.state, "in_acceptance");
    assert.ok(record.documents.some((d) => d.kind === "temporary_receipt"), "a 临时回执 was issued");
    const receipt = desk.noticeText(projectNo, "temporary-receipt", "sharing-temporary-receipt.pdf");
    assert.match(receipt, /临时回执/);
  });

  test("the 受理中 list shows it until the department's callback accepts it", async () => {
    await clickId(browser, "next-intake");
    await clickId(browser, "nav-cases");
    await clickId(browser, "in-acceptance-tab");
    const row = await byId(browser, `case-row-${projectNo}`);
    await row.waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "the case is not in the 受理中 list" });
    screenshot("sharing-in-acceptance.png");

    // The department calls back; the sync worker applies it and the case is accepted.
    await browser.waitUntil(async () => desk.showCase(projectNo).state === "accepted", {
      timeout: 60000,
      interval: 1000,
      timeoutMsg: "the case was not accepted automatically",
    });
    const record = desk.showCase(projectNo);
    assert.ok(record.documents.some((d) => d.kind === "acceptance"), "the 受理通知书 was issued");
    const share = record.sharing.shares.at(-1);
    assert.equal(share.status, "completed");
    assert.match(share.file_name, /居民户口簿/);

    await row.click();
    await byId(browser, "case-drawer").waitForDisplayed({ timeout: WAIT.long });
    await waitText(browser, "case-state", "已受理");
    await waitText(browser, "share-status-M03", "已完成");
    screenshot("sharing-accepted.png");
  });
});
